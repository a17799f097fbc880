package publish

import (
	"compress/gzip"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A Kept file stays where it is with its sibling, which the Writer neither reads nor
// checks (the caller vouched for both); one without a sibling it vouches for gets one, as
// an Existing file would; one that is not the output's own file is refused.
func TestKeptFilesStayWithTheirSiblings(t *testing.T) {
	page := "<p>" + strings.Repeat("giữ nguyên trang này ", 100) + "</p>"
	dest := newDest(t, map[string]string{
		"a/index.html": page, "a/index.html.gz": "không đọc tới",
		"b/index.html": page,
		"c.html":       "cũ",
	})
	w, err := Begin(context.Background(), dest, Options{Precompress: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, f := range []File{
		{Rel: "a/index.html", Kind: Kept, Size: int64(len(page)), GzSize: int64(len("không đọc tới"))},
		{Rel: "b/index.html", Kind: Kept, Size: int64(len(page))},
	} {
		f.SrcPath, f.Source = filepath.Join(dest, filepath.FromSlash(f.Rel)), f.Rel
		if err := w.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "a/index.html.gz")); string(b) != "không đọc tới" {
		t.Errorf("the kept sibling = %q, want it as it was", b)
	}
	f, err := os.Open(filepath.Join(dest, "b/index.html.gz"))
	if err != nil {
		t.Fatalf("the page kept without a sibling got none: %v", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := io.ReadAll(zr); err != nil || string(b) != page {
		t.Errorf("b's new sibling holds %.40q, %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(dest, "c.html")); err == nil {
		t.Error("c.html, neither kept nor written, is still there")
	}
	if st.Files != 2 || st.Precompressed != 2 || st.Bytes != 2*int64(len(page)) {
		t.Errorf("stats: %d files, %d bytes, %d siblings; want 2, %d, 2", st.Files, st.Bytes, st.Precompressed, 2*len(page))
	}

	w, err = Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "x.html", SrcPath: filepath.Join(dest, "a/index.html"), Source: "x", Kind: Kept, Size: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err == nil {
		t.Error("a Kept file taken from another path was accepted")
	}
}
