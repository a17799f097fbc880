package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tetratelabs/wazero"

	"github.com/vnportal/portal/internal/pdftext"
	"github.com/vnportal/portal/internal/vietnamese"
)

// TestFixturesAreReproducible: two runs write the same bytes, and the same bytes as the
// test PDFs committed in internal/pdftext/testdata (so they can always be remade).
func TestFixturesAreReproducible(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if err := fixtures(a); err != nil {
		t.Fatal(err)
	}
	if err := fixtures(b); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(a, "*.pdf"))
	if err != nil || len(names) != 7 {
		t.Fatalf("%d files, %v", len(names), err)
	}
	for _, p := range names {
		name := filepath.Base(p)
		one, _ := os.ReadFile(p)
		two, _ := os.ReadFile(filepath.Join(b, name))
		committed, _ := os.ReadFile(filepath.Join("..", "..", "internal", "pdftext", "testdata", name))
		if !bytes.Equal(one, two) {
			t.Errorf("%s differs between two runs", name)
		}
		if !bytes.Equal(one, committed) {
			t.Errorf("%s differs from internal/pdftext/testdata/%s: remake the fixtures (pdfgen fixtures) and commit them", name, name)
		}
	}
	if err := fixtures(a); err == nil || !os.IsExist(err) {
		t.Errorf("a second run into the same folder: %v, want an error (never overwrite)", err)
	}
}

func extractor(t *testing.T) *pdftext.Extractor {
	t.Helper()
	cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(os.TempDir(), "portal-test-pdftext-wazero"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := pdftext.New(context.Background(), pdftext.Options{Workers: 1, CompilationCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ex.Close() })
	return ex
}

func readBack(t *testing.T, ex *pdftext.Extractor, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got, err := ex.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), pdftext.DefaultLimits())
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return strings.Join(strings.Fields(got.Text), " ")
}

// TestBenchDocumentsHoldTheirText: each benchmark document is distinct and holds, word
// for word, the text written beside it.
func TestBenchDocumentsHoldTheirText(t *testing.T) {
	dir := t.TempDir()
	if err := benchDocs(dir, 3, 1); err != nil {
		t.Fatal(err)
	}
	ex := extractor(t)
	seen := map[string]bool{}
	for _, n := range []string{"0000001", "0000002", "0000003"} {
		want, err := os.ReadFile(filepath.Join(dir, n+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		got := readBack(t, ex, filepath.Join(dir, n+".pdf"))
		if w := strings.Join(strings.Fields(vietnamese.NFC(string(want))), " "); got != w {
			t.Errorf("%s: read %.200q…, want %.200q…", n, got, w)
		}
		if seen[got] || !strings.Contains(got, "/QĐ-UBND") {
			t.Errorf("%s: not distinct or no number: %.100q", n, got)
		}
		seen[got] = true
	}
}

// TestChromiumPrintsMarkdown: a Markdown file printed by headless Chromium holds its
// words (the way the sample site's attachments are made).
func TestChromiumPrintsMarkdown(t *testing.T) {
	if _, err := exec.LookPath("chromium"); err != nil && os.Getenv("CI") == "" {
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	src := filepath.Join("..", "..", "internal", "pdftext", "testdata", "decision.md")
	if err := printAll(dir, []string{src}); err != nil {
		t.Fatal(err)
	}
	got := readBack(t, extractor(t), filepath.Join(dir, "decision.pdf"))
	if want := strings.Join(strings.Fields(Decision), " "); got != want {
		t.Errorf("read %q\nwant %q", got, want)
	}
	if err := printAll(dir, []string{src}); err == nil {
		t.Error("printing over an existing PDF: no error")
	}
}
