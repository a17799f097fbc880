package pdftext

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/vietnamese"
)

// FuzzExtract feeds arbitrary bytes (seeded with every test PDF) to the entry point the
// build uses: an *Error of a lasting kind or Stopped is fine; an Engine error (a panic
// recovered, the engine failing), an error of no kind or a text breaking its promises
// (NFC, valid UTF-8, within the limits) is not.
func FuzzExtract(f *testing.F) {
	files, err := filepath.Glob("testdata/*.pdf")
	if err != nil || len(files) == 0 {
		f.Fatal("no test PDFs", err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF"))
	ex := extractor(f)
	lim := Limits{MaxBytes: 1 << 20, MaxPages: 5, MaxText: 4096, Timeout: 10 * time.Second}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ex.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), lim)
		if err != nil {
			switch k := KindOf(err); {
			case k == 0 || k == Engine:
				t.Fatalf("%v error: %v", k, err)
			case got != (Text{}):
				t.Fatalf("text %+v with %v", got, err)
			}
			return
		}
		switch {
		case got.Text == "":
			t.Fatal("no error and no text")
		case !utf8.ValidString(got.Text) || !vietnamese.IsNFC(got.Text):
			t.Fatalf("text not valid NFC UTF-8: %q", got.Text)
		case len(got.Text) > lim.MaxText || got.Read > lim.MaxPages || got.Read > got.Pages || got.Blank > got.Read:
			t.Fatalf("over the limits: %d bytes, read %d of %d pages, %d blank", len(got.Text), got.Read, got.Pages, got.Blank)
		case strings.ContainsAny(got.Text, "\r\x00"):
			t.Fatalf("control characters in %q", got.Text)
		}
	})
}
