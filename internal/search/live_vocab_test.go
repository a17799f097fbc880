package search

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// TestLiveReadsTheNextVocabularyAhead: once a query of the served generation has needed
// its vocabulary (a query that found little, answered with a suggestion), the generation
// `portal serve --watch` opens next (Live.Open, before the switch) reads its own
// vocabulary ahead, so that the first such query after the switch does not wait for it
// (20–40 ms at 10,000 articles, in the reader's request). Until one has, nothing is read
// ahead. The vocabulary is checked after the opened generation is closed: read ahead,
// it is in memory; not read, reading it from a closed index fails.
func TestLiveReadsTheNextVocabularyAhead(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	path := filepath.Join(root, "public", "_search")
	docs := fixtureDocs()
	if _, err := NewMemo().Update(ctx, path, docs); err != nil {
		t.Fatal(err)
	}
	l := NewLive(path, nil)
	defer l.Close()
	// The next generation: one article with a word the first has not.
	next := slices.Clone(docs)
	next[1].Body += " Khách mời có ca sĩ Zyxwa."
	staged := filepath.Join(root, "staging", "_search")
	if _, err := NewMemo().Update(ctx, staged, next); err != nil {
		t.Fatal(err)
	}

	o, err := l.Open(staged)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := vocabOfClosed(o.ix); err == nil {
		t.Fatal("no query needed the vocabulary, yet the next generation's was read ahead")
	}

	res, err := l.Search(ctx, mustQuery(Request{Query: "hooij nghij"}))
	if err != nil || res.Suggestion != "hội nghị" {
		t.Fatalf("suggestion %q, %v; want %q", res.Suggestion, err, "hội nghị")
	}
	o, err = l.Open(staged)
	if err != nil {
		t.Fatal(err)
	}
	if err := o.Close(); err != nil { // waits for the reading ahead
		t.Fatal(err)
	}
	v, err := vocabOfClosed(o.ix)
	if err != nil {
		t.Fatalf("the next generation's vocabulary was not read ahead: %v", err)
	}
	if v.df["zyxwa"] != 1 {
		t.Errorf("vocabulary read ahead has %d articles with the new word, want 1 (the next generation's)", v.df["zyxwa"])
	}
}

// vocabOfClosed is the vocabulary of the closed index ix: the one in memory, or an error
// (reading it from the closed index's dictionaries fails, by a panic in bleve).
func vocabOfClosed(ix *Index) (v *vocabulary, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("reading the vocabulary of a closed index: %v", r)
		}
	}()
	return ix.vocab()
}
