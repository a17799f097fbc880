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
			t.Errorf("step %d: hash table\n%s\nwant\n%s", i, got, want)
		}
		if i > 0 && !st.Incremental && !st.Reused {
			t.Errorf("step %d: not an update of the previous index: %+v", i, st)
		}
	}
}
