package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

// TestFullBuildManyBatches builds more documents than one builder batch and
// many analysis chunks, and checks that every document arrived once, with
// its own text, whichever worker analyzed it.
func TestFullBuildManyBatches(t *testing.T) {
	n := 2*builderBatch + 3*analyzeChunk + 5 // several segments, a partial last chunk
	docs := genDocs(n, 7)
	// A unique, searchable word in a spread of documents (first, last, on
	// chunk and batch boundaries).
	marked := []int{0, 1, analyzeChunk - 1, analyzeChunk, builderBatch - 1, builderBatch, n - 2, n - 1}
	for k, i := range marked {
		// genSentence upper-cases the first byte, which breaks a leading
		// "đ": such a title is invalid UTF-8 and is not searchable.
		docs[i].Title = strings.ToValidUTF8(docs[i].Title, "") + " " + markWord(k)
	}
	dir := filepath.Join(t.TempDir(), "index")
	st, err := Build(context.Background(), dir, "", docs)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != n || st.Incremental {
		t.Errorf("stats = %+v, want %d added by a full build", st, n)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if c, err := ix.DocCount(); err != nil || c != uint64(n) {
		t.Fatalf("DocCount = %d, %v; want %d", c, err, n)
	}
	for k, i := range marked {
		res := doSearch(t, ix, Request{Query: markWord(k)})
		if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].URL != docs[i].URL {
			t.Errorf("search %q: total %d, hits %v; want only %s", markWord(k), res.Total, urls(res), docs[i].URL)
		}
	}
	entries, err := os.ReadDir(filepath.Dir(dir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".search-build-") {
			t.Errorf("scratch folder %s left behind", e.Name())
		}
	}
}

// markWord is a made-up word that no generated article contains.
func markWord(k int) string { return fmt.Sprintf("zqxmark%c", 'a'+k) }

// TestFullBuildCancelledMidway cancels a full build while documents are
// being analyzed: Build must stop with the context's error, remove its
// output and scratch folders, and restore the memory limit.
func TestFullBuildCancelledMidway(t *testing.T) {
	docs := genDocs(3*builderBatch, 3)
	prev := debug.SetMemoryLimit(-1)
	ctx, cancel := context.WithCancel(context.Background())
	root := t.TempDir()
	dir := filepath.Join(root, "index")
	done := make(chan error, 1)
	go func() {
		_, err := Build(ctx, dir, "", docs)
		done <- err
	}()
	// Wait until the build has started writing, then cancel.
	for {
		if _, err := os.Stat(dir); err == nil {
			break
		}
		runtime.Gosched()
	}
	cancel()
	err := <-done
	if err == nil {
		t.Fatal("the build finished although it was cancelled right after it began writing")
	}
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want one wrapping context.Canceled", err)
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		t.Errorf("cancelled build left %s behind", e.Name())
	}
	if got := debug.SetMemoryLimit(-1); got != prev {
		t.Errorf("memory limit after Build = %d, want the previous %d", got, prev)
	}
}
