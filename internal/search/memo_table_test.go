package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// An edit's hash table is the last one with the changed entries spliced in
// (Memo.hashTable): after every kind of change it is byte for byte the table encoded
// whole from the documents (encodeHashes), including edits of neighbouring entries, of
// the first and the last URL, hashes that JSON escapes, and builds after a change of the
// URLs (where the whole table is encoded again).
func TestMemoHashTableIsTheWholeTable(t *testing.T) {
	mk := func(n int) []Document {
		var docs []Document
		for i := range n {
			u := fmt.Sprintf("/tin-tuc/bai-%02d/", (i*7)%n) // positions not in URL order
			docs = append(docs, Document{URL: u, Title: "Bài " + u, Body: "Nội dung của bài " + u, Hash: "h" + u})
		}
		return docs
	}
	base := mk(12)
	rankOf := func(docs []Document, r int) int { // the position of the r-th URL
		urls := make([]string, len(docs))
		for i, d := range docs {
			urls[i] = d.URL
		}
		sorted := slices.Clone(urls)
		slices.Sort(sorted)
		return slices.Index(urls, sorted[r])
	}
	edit := func(docs []Document, hash string, ranks ...int) []Document {
		out := slices.Clone(docs)
		for _, r := range ranks {
			i := rankOf(out, r)
			out[i].Hash, out[i].Body = out[i].Hash+hash, out[i].Body+" "+hash
		}
		return out
	}
	s1 := edit(base, "-a", 3, 4) // neighbours
	s2 := edit(s1, "-b", 0, 11)  // the first and the last URL
	s3 := edit(s2, "<&é>", 5)    // escaped by JSON, and longer
	s4 := append(slices.Clone(s3), Document{URL: "/tin-tuc/bai-moi/", Title: "Bài mới", Body: "Mới", Hash: "hmoi"})
	s5 := edit(s4, "-c", 1, 2, 12)
	s6 := s5[1:] // one removed
	s7 := edit(s6, "-d", 0, 1, 2, 10, 11)
	steps := [][]Document{base, s1, s2, s3, s3, s4, s5, s6, s7, s7}
	dir := filepath.Join(t.TempDir(), ".search")
	m := NewMemo()
	for i, docs := range steps {
		st, err := m.Update(context.Background(), dir, docs)
		if err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		checkHashTable(t, fmt.Sprintf("step %d", i), dir, docs)
		if i > 0 && !st.Incremental && !st.Reused {
			t.Errorf("step %d: not an update of the previous index: %+v", i, st)
		}
	}
}

// TestMemoHashTableOverwritesEntriesOfTheSameLength: an edit whose entries keep their
// length (an article's body edited: the same URL, a new hash as long) is written over the
// last table, not into a new one (≈ 28 MB at every save at 100,000 articles), and the
// table is still the one encoded whole; a longer hash afterwards is spliced as before.
func TestMemoHashTableOverwritesEntriesOfTheSameLength(t *testing.T) {
	var docs []Document
	for i := range 20 {
		u := fmt.Sprintf("/tin-tuc/bai-%02d/", (i*7)%20)
		docs = append(docs, Document{URL: u, Title: "Bài " + u, Body: "Nội dung " + u, Hash: fmt.Sprintf("h%04d", i)})
	}
	dir := filepath.Join(t.TempDir(), ".search")
	m := NewMemo()
	update := func(step string, docs []Document) {
		t.Helper()
		if _, err := m.Update(context.Background(), dir, docs); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		checkHashTable(t, step, dir, docs)
	}
	update("first", docs)
	var table []byte // the first edit's, after which the memo keeps its table
	for k, at := range [][]int{{1}, {3}, {0, 19}, {4, 5, 6}} {
		docs = slices.Clone(docs)
		for _, i := range at {
			docs[i].Hash, docs[i].Body = fmt.Sprintf("e%04d", 10*k+i), docs[i].Body+" sửa"
		}
		update(fmt.Sprintf("edit %d", k), docs)
		if len(m.table) == 0 {
			t.Fatalf("edit %d: the memo keeps no hash table", k)
		}
		if k == 0 {
			table = m.table
		} else if &m.table[0] != &table[0] {
			t.Errorf("edit %d: the hash table was made again, not overwritten", k)
		}
	}
	docs = slices.Clone(docs)
	docs[7].Hash = "longer-than-before"
	update("a longer hash", docs)
	docs = slices.Clone(docs)
	docs[8].Hash = "x0008"
	update("after it", docs)
}

// checkHashTable: the index at dir holds the hash table of docs, as encoded whole.
func checkHashTable(t *testing.T, step, dir string, docs []Document) {
	t.Helper()
	got, err := os.ReadFile(filepath.Join(dir, hashesFile))
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{}
	for _, d := range docs {
		hashes[d.URL] = d.Hash
	}
	want, err := encodeHashes(hashes)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s: hash table\n%s\nwant\n%s", step, got, want)
	}
}
