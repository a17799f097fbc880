package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSiblingIsTheWrittenBytesAtGzipLevel: a page's sibling is made from the bytes the
// Writer wrote (minified, not the bytes given) at gzipLevel, with a zero header, whether
// the file was in memory (Page, Final) or copied (Static); a file gzip cannot shrink by a
// tenth gets no sibling and leaves nothing behind.
func TestSiblingIsTheWrittenBytesAtGzipLevel(t *testing.T) {
	src := filepath.Join(t.TempDir(), "static.css")
	css := strings.Repeat("body  {  color : #8f1b1b ;  margin : 0 }\n", 80)
	if err := os.WriteFile(src, []byte(css), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := newDest(t, nil)
	w, err := Begin(t.Context(), dest, Options{Minify: true, Precompress: true, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	page := "<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n" + strings.Repeat("<p>Ủy ban   nhân dân   tỉnh họp.</p>\n\n", 100) + "</body>\n</html>\n"
	for _, f := range []File{
		{Rel: "tin-tuc/bai/index.html", Data: []byte(page), Source: "bai.md"},
		{Rel: "css/a.1234.css", Data: []byte(css), Source: "asset", Kind: Final},
		{Rel: "css/static.css", SrcPath: src, Source: "static", Kind: Static},
		{Rel: "du-lieu/nhieu.txt", Data: []byte(incompressible(4 << 10)), Source: "noise"},
	} {
		if err := w.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if st.Precompressed != 3 || st.Minified != 2 {
		t.Errorf("stats: %d siblings, %d minified; want 3 and 2", st.Precompressed, st.Minified)
	}
	for _, rel := range []string{"tin-tuc/bai/index.html", "css/a.1234.css", "css/static.css"} {
		written, err := os.ReadFile(filepath.Join(dest, rel))
		if err != nil {
			t.Fatal(err)
		}
		gz, err := os.ReadFile(filepath.Join(dest, rel+GzipSuffix))
		if err != nil {
			t.Fatalf("%s has no sibling: %v", rel, err)
		}
		var want bytes.Buffer
		zw := resetGzip(nil, &want)
		zw.Write(written)
		zw.Close()
		if !bytes.Equal(gz, want.Bytes()) {
			t.Errorf("%s.gz (%d bytes) is not the written file (%d bytes) gzipped at level %d (%d bytes)", rel, len(gz), len(written), gzipLevel, want.Len())
		}
		if gunzip(t, rel, gz) != string(written) {
			t.Errorf("%s.gz does not decompress to the file", rel)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "tin-tuc/bai/index.html")); len(b) >= len(page) {
		t.Errorf("the page was not minified: %d bytes of %d", len(b), len(page))
	}
	if _, err := os.Lstat(filepath.Join(dest, "du-lieu/nhieu.txt.gz")); err == nil {
		t.Error("an incompressible file got a sibling")
	}
}

// TestMinifyLeavesTheCallersBytes: a page is minified from the caller's bytes without a copy
// by io.ReadAll, and the parser's NUL terminator goes into its own copy: a rendered page
// whose buffer has room after its end (the templates' size hint) comes back unchanged, the
// byte after its end included, as the page cache and the preview keep these bytes.
func TestMinifyLeavesTheCallersBytes(t *testing.T) {
	page := "<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n" + strings.Repeat("<p>Ủy ban   nhân dân   tỉnh họp.</p>\n\n", 20) + "</body>\n</html>\n"
	buf := make([]byte, len(page), len(page)+16)
	copy(buf, page)
	spare := buf[:cap(buf)]
	for i := len(page); i < len(spare); i++ {
		spare[i] = 'X'
	}
	before := string(spare)
	dest := newDest(t, nil)
	w, err := Begin(t.Context(), dest, Options{Minify: true, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "bai/index.html", Data: buf, Source: "bai.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if string(spare) != before {
		t.Errorf("the caller's bytes changed:\n%q\nwant\n%q", spare, before)
	}
	got, err := os.ReadFile(filepath.Join(dest, "bai", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(got), "   ") || !strings.Contains(string(got), "<p>Ủy ban nhân dân tỉnh họp.</p><p>") {
		t.Errorf("the page is not minified: %q", got)
	}
}
