package search

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOneOffMemoBuildsTheSameIndex: a one-off memo (portal build's) writes an index whose
// files have the same bytes as Build's, from documents whose bodies are read when indexed
// (as a cold build's are), and keeps none of the documents afterwards.
func TestOneOffMemoBuildsTheSameIndex(t *testing.T) {
	docs := shortDocs(builderBatch+analyzeChunk+7, 5) // two segments, merged
	loaded := make([]Document, len(docs))
	reads := 0
	for i, d := range docs {
		body := d.Body
		d.Body, d.LoadBody = "", func() (string, error) { reads++; return body, nil }
		loaded[i] = d
	}
	root := t.TempDir()
	want := filepath.Join(root, "memo", "index")
	if _, err := Build(context.Background(), want, "", docs); err != nil {
		t.Fatal(err)
	}
	m := NewOneOffMemo()
	got := filepath.Join(root, "once", "index")
	st, err := m.BuildKnown(context.Background(), got, "", loaded, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Added != len(docs) || reads < len(docs) {
		t.Errorf("added %d of %d documents, %d bodies read", st.Added, len(docs), reads)
	}
	wantFiles, gotFiles := indexFiles(t, want), indexFiles(t, got)
	if len(wantFiles) < 5 || len(wantFiles) != len(gotFiles) {
		t.Fatalf("index files: %d by Build, %d by the one-off memo", len(wantFiles), len(gotFiles))
	}
	for rel, p := range wantFiles {
		a, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(gotFiles[rel])
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs from Build's (%v)", rel, err)
		}
	}
	if len(m.docs) != 0 {
		t.Errorf("the one-off memo keeps %d documents after its build", len(m.docs))
	}
}

// TestOneOffMemoRefusesWhatAMemoRefuses: the same URL twice, or none, is an error of a
// one-off memo's build as of Build's, and names both positions.
func TestOneOffMemoRefusesWhatAMemoRefuses(t *testing.T) {
	docs := shortDocs(3, 2)
	twice := append(docs[:3:3], docs[1])
	if _, err := NewOneOffMemo().Build(context.Background(), filepath.Join(t.TempDir(), "i"), "", twice); err == nil ||
		!strings.Contains(err.Error(), "documents 1 and 3 have the same URL") {
		t.Errorf("same URL twice: %v", err)
	}
	none := append(docs[:3:3], Document{Title: "x"})
	if _, err := NewOneOffMemo().Build(context.Background(), filepath.Join(t.TempDir(), "i"), "", none); err == nil ||
		!strings.Contains(err.Error(), "has no URL") {
		t.Errorf("no URL: %v", err)
	}
}

// TestNFCTermsCopiesOnlyWhatItChanges: terms already in NFC are returned as they are
// (no copy per document), decomposed ones in a new slice, the caller's left unchanged.
func TestNFCTermsCopiesOnlyWhatItChanges(t *testing.T) {
	nfc := []Term{{Name: "Hà Tĩnh", Slug: "ha-tinh"}, {Name: "Kinh tế", Slug: "kinh-te"}}
	if got := nfcTerms(nfc); &got[0] != &nfc[0] || len(got) != 2 {
		t.Errorf("NFC terms were copied: %v", got)
	}
	decomposed := []Term{{Name: "Kinh tế", Slug: "kinh-te"}, {Name: "Ha\u0300 Ti\u0303nh", Slug: "ha-tinh"}}
	got := nfcTerms(decomposed)
	if &got[0] == &decomposed[0] || got[1].Name != "Hà Tĩnh" || got[1].Slug != "ha-tinh" || got[0] != decomposed[0] {
		t.Errorf("decomposed terms: %q", got)
	}
	if decomposed[1].Name != "Ha\u0300 Ti\u0303nh" {
		t.Errorf("the caller's terms were changed: %q", decomposed[1].Name)
	}
}
