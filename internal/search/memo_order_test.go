package search

import (
	"slices"
	"testing"
)

// The Memo's URL order (the generation's) is the documents' sorted order after every
// kind of change: an edit in place keeps the last order, and documents moved, added,
// removed or renamed sort again; a build whose documents fail to prepare leaves no order
// that a later build could take for its own.
func TestMemoURLOrderIsTheSortedOrder(t *testing.T) {
	mk := func(urls ...string) []Document {
		var docs []Document
		for _, u := range urls {
			docs = append(docs, Document{URL: u, Title: "Bài " + u, Hash: "h" + u})
		}
		return docs
	}
	edited := mk("/c/", "/a/", "/b/")
	edited[1].Hash = "mới"
	steps := []struct {
		docs []Document
		fail bool
	}{
		{docs: mk("/c/", "/a/", "/b/")},
		{docs: edited},                              // the same positions: the last order
		{docs: mk("/a/", "/c/", "/b/")},             // moved
		{docs: mk("/a/", "/c/", "/b/", "/0/")},      // added
		{docs: mk("/a/", "/c/", "/0/", "/b/")},      // moved again, the same count
		{docs: mk("/a/", "/a/", "/0/"), fail: true}, // a duplicate URL: prepare fails
		{docs: mk("/a/", "/c/", "/0/", "/b/")},      // positions as two builds ago
		{docs: mk("/a/", "/c/", "/0/", "/d/")},      // renamed in place
		{docs: mk("/c/", "/0/", "/d/")},             // removed
	}
	m := NewMemo()
	for i, st := range steps {
		p, err := m.prepare(st.docs)
		if st.fail {
			if err == nil {
				t.Fatalf("step %d: no error for a duplicate URL", i)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		got, want := m.urlOrder(p), byURL(p)
		if !slices.Equal(got, want) {
			t.Errorf("step %d: order %v, want %v", i, got, want)
		}
		if g, w := digestInOrder(p, got), inputDigest(p); g != w {
			t.Errorf("step %d: generation %s, want %s", i, g, w)
		}
	}
}

// inputDigest is the generation of docs with their URL order found afresh (byURL), the
// reference a Memo's kept order must agree with.
func inputDigest(docs []preparedDoc) string {
	return digestInOrder(docs, byURL(docs))
}
