package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
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

// With a listing read back from the cache folder (not trusted at Begin), Kept files are
// kept without a worker or a claim, as keep would keep them: the same output and stats,
// their siblings kept, a stale file deleted, a file added by hand noticed; a Kept file
// whose sibling is not vouched for still gets one from a worker, and a page written at a
// kept file's path is still refused, at Commit.
func TestKeptFilesWithASavedListing(t *testing.T) {
	page := "<p>" + strings.Repeat("giữ nguyên trang này ", 100) + "</p>"
	gz := gzipped(t, page)
	tiny := Options{Precompress: true, racyMargin: time.Nanosecond}
	dest := newDest(t, nil)
	first := publishAll(t, dest, tiny, map[string]string{"a/index.html": page, "b/index.html": page, "c/index.html": page, "nho.html": "<p>nhỏ</p>", "cu.html": "cũ"})
	if b, _ := os.ReadFile(filepath.Join(dest, "a/index.html.gz")); !bytes.Equal(b, gz) {
		t.Fatalf("the first commit's sibling of a/index.html is not the page gzipped")
	}
	sitetest.WriteFiles(t, dest, map[string]string{"b/them.html": "chép tay"})
	opts := tiny
	opts.Previous = saved(t, first.Listing)
	w, err := Begin(context.Background(), dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, f := range []File{
		{Rel: "a/index.html", Kind: Kept, Size: int64(len(page)), GzSize: int64(len(gz))},
		{Rel: "b/index.html", Kind: Kept, Size: int64(len(page)), GzSize: int64(len(gz))},
		{Rel: "c/index.html", Kind: Kept, Size: int64(len(page))}, // its sibling not vouched for
		{Rel: "nho.html", Kind: Kept, Size: int64(len("<p>nhỏ</p>"))},
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
	if got := st.Listing.keptUnread; got != 3 {
		t.Errorf("%d files kept unread, want a/, b/ and nho.html (c/ by a worker)", got)
	}
	want := map[string]string{"a/index.html": page, "b/index.html": page, "c/index.html": page, "nho.html": "<p>nhỏ</p>",
		"a/index.html.gz": string(gz), "b/index.html.gz": string(gz), "c/index.html.gz": string(gz)}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("output %v, want %v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(want)))
	}
	if st.Files != 4 || st.Precompressed != 3 || st.Bytes != 3*int64(len(page))+int64(len("<p>nhỏ</p>")) || st.PrecompressedBytes != 3*int64(len(gz)) {
		t.Errorf("stats: %d files, %d bytes, %d siblings of %d bytes", st.Files, st.Bytes, st.Precompressed, st.PrecompressedBytes)
	}

	opts.Previous = saved(t, st.Listing)
	w, err = Begin(context.Background(), dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "a/index.html", SrcPath: filepath.Join(dest, "a/index.html"), Source: "a.md", Kind: Kept, Size: int64(len(page)), GzSize: int64(len(gz))}); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "a/index.html", Data: []byte("khác"), Source: "khac.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); !errors.Is(err, ErrCollision) {
		t.Errorf("a page written where a kept file is: %v, want a collision", err)
	}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Error("the refused generation changed the output")
	}
}

// gzipped is s as precompress writes it.
func gzipped(t *testing.T, s string) []byte {
	t.Helper()
	dest := newDest(t, nil)
	publishAll(t, dest, Options{Precompress: true}, map[string]string{"x.html": s})
	b, err := os.ReadFile(filepath.Join(dest, "x.html.gz"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}
