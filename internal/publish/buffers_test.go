package publish

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// A Writer puts a file's Data back into its Buffers once the file and its sibling are
// written (minified or not), for the producer's next file; a buffer too large to keep
// goes to the collector.
func TestWriterGivesBuffersBack(t *testing.T) {
	for _, minify := range []bool{false, true} {
		dest := newDest(t, nil)
		w, err := Begin(t.Context(), dest, Options{Minify: minify, Precompress: true, Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		bufs := NewBuffers(8)
		page := "<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n" + strings.Repeat("<p>Ủy ban nhân dân tỉnh họp.</p>\n", 100) + "</body>\n</html>\n"
		given := map[*byte]bool{}
		for i, rel := range []string{"a/index.html", "b/index.html", "c/index.xml"} {
			data := append(make([]byte, 0, 64<<10), page...)
			given[unsafe.SliceData(data)] = true
			if err := w.Add(File{Rel: rel, Data: data, Source: "bài " + rel, Buffers: bufs}); err != nil {
				t.Fatal(err)
			}
			if err := w.Add(File{Rel: rel + ".kept", Data: []byte(page), Source: "giữ"}); err != nil {
				t.Fatal(err)
			}
			if i == 0 { // larger than a buffer worth keeping
				big := make([]byte, maxBufferKept+1)
				if err := w.Add(File{Rel: "lon.txt", Data: big, Source: "lớn", Buffers: bufs}); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := w.Commit(); err != nil {
			t.Fatal(err)
		}
		for _, rel := range []string{"a/index.html", "b/index.html", "c/index.xml"} {
			b, err := os.ReadFile(filepath.Join(dest, rel))
			if err != nil {
				t.Fatal(err)
			}
			if !minify && string(b) != page {
				t.Errorf("%s: written %d bytes, not the page given", rel, len(b))
			}
			if _, err := os.Stat(filepath.Join(dest, rel+GzipSuffix)); err != nil {
				t.Errorf("%s: no sibling: %v", rel, err)
			}
		}
		back := map[*byte]bool{}
		for b := bufs.Get(); b != nil; b = bufs.Get() {
			if len(b) != 0 {
				t.Errorf("Get returned a buffer of length %d, want 0", len(b))
			}
			if !given[unsafe.SliceData(b)] {
				t.Errorf("minify %v: a buffer of %d bytes came back that no page was given in", minify, cap(b))
			}
			back[unsafe.SliceData(b)] = true
		}
		if len(back) != len(given) {
			t.Errorf("minify %v: %d of the %d pages' buffers came back", minify, len(back), len(given))
		}
	}
}
