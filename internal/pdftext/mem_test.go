package pdftext

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
)

// TestMemoryLimit: a file that does not fit in the engine's memory is TooLarge (not
// damaged), says so, and the Extractor goes on reading files that fit.
func TestMemoryLimit(t *testing.T) {
	cache, err := testCache()
	if err != nil {
		t.Fatal(err)
	}
	ex, err := New(context.Background(), Options{Workers: 1, MaxMemory: 24 << 20, CompilationCache: cache})
	if err != nil {
		t.Fatal(err)
	}
	defer ex.Close()
	text, err := os.ReadFile("testdata/text.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// A 30 MB file: a PDF comment of 30 MB, then the document.
	big := append(append([]byte("%PDF-1.4\n"), bytes.Repeat([]byte("% padding\n"), 3<<20)...), text...)
	_, err = ex.Extract(context.Background(), bytes.NewReader(big), int64(len(big)), DefaultLimits())
	if KindOf(err) != TooLarge || !strings.Contains(err.Error(), "24 MB bộ nhớ") {
		t.Fatalf("got %v (%v), want too large for 24 MB of memory", err, KindOf(err))
	}
	got, err := ex.Extract(context.Background(), bytes.NewReader(text), int64(len(text)), DefaultLimits())
	if err != nil || !strings.Contains(got.Text, "64/2007/NĐ-CP") {
		t.Fatalf("after: %q, %v", got.Text, err)
	}
	if _, err := New(context.Background(), Options{MaxMemory: 8 << 20, CompilationCache: cache}); KindOf(err) != Engine {
		t.Errorf("8 MB of memory: %v, want an engine error", err)
	}
}
