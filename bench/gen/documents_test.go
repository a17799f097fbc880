package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// site writes a site folder whose one article cites a document, and n PDF files with
// different bytes in their own folder.
func site(t *testing.T, n int) (dir string, pdfs []string) {
	t.Helper()
	dir = t.TempDir()
	news := filepath.Join(dir, "content", "tin-tuc")
	if err := os.MkdirAll(news, 0o755); err != nil {
		t.Fatal(err)
	}
	article := "---\ntitle: \"Tin\"\n---\n\nThực hiện Quyết định số 12/2024/QĐ-UBND của tỉnh.\n"
	if err := os.WriteFile(filepath.Join(news, "tin.md"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for i := range n {
		p := filepath.Join(src, fmt.Sprintf("%03d.pdf", i))
		if err := os.WriteFile(p, []byte(fmt.Sprintf("%%PDF-1.4\n%% tệp %d\n", i)), 0o644); err != nil {
			t.Fatal(err)
		}
		pdfs = append(pdfs, p)
	}
	return dir, pdfs
}

// attachments returns the bytes of every document's PDF.
func attachments(t *testing.T, dir string) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "content", "van-ban", "*", "*.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

func distinct(bs [][]byte) int {
	seen := map[string]bool{}
	for _, b := range bs {
		seen[string(b)] = true
	}
	return len(seen)
}

func TestEveryDocumentHasItsOwnPDFWhenThereAreEnough(t *testing.T) {
	dir, pdfs := site(t, 5)
	cited, total, err := writeLibrary(dir, 5, pdfs)
	if err != nil {
		t.Fatal(err)
	}
	if cited != 1 || total != 5 {
		t.Fatalf("cited, total = %d, %d; want 1, 5", cited, total)
	}
	got := attachments(t, dir)
	if len(got) != 5 || distinct(got) != 5 {
		t.Fatalf("%d attachments with %d distinct contents; want 5 and 5", len(got), distinct(got))
	}
	note := pdfNote(total, cited, len(pdfs))
	if !strings.Contains(note, "of its own") || strings.Contains(note, "sharing") {
		t.Errorf("pdfNote = %q; want it to say each document has its own PDF", note)
	}
}

func TestFewerPDFsThanDocumentsAreSharedAndSaidSo(t *testing.T) {
	dir, pdfs := site(t, 2)
	cited, total, err := writeLibrary(dir, 6, pdfs)
	if err != nil {
		t.Fatal(err)
	}
	got := attachments(t, dir)
	if len(got) != 6 || distinct(got) != 2 {
		t.Fatalf("%d attachments with %d distinct contents; want 6 and 2", len(got), distinct(got))
	}
	note := pdfNote(total, cited, len(pdfs))
	if !strings.Contains(note, "sharing 2 PDFs") || !strings.Contains(note, "only 2 distinct texts") {
		t.Errorf("pdfNote = %q; want it to say the 6 documents share 2 PDFs", note)
	}
}
