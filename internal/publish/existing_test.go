//go:build linux || darwin

package publish

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

func inode(t *testing.T, p string) uint64 {
	t.Helper()
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Sys().(*syscall.Stat_t).Ino
}

func TestExistingLinksTheFileAsIs(t *testing.T) {
	const page = "<html><body><p>  giữ   nguyên  </p></body></html>"
	dest := newDest(t, map[string]string{"a/index.html": page, "b.html": "cũ"})
	src := filepath.Join(dest, "a", "index.html")
	was := inode(t, src)
	w, err := Begin(context.Background(), dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "a/index.html", SrcPath: src, Source: "a.md", Kind: Existing}); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "b.html", Data: []byte("<p>  mới  </p>"), Source: "b.md"}); err != nil {
		t.Fatal(err)
	}
	// Path claims apply to reused files as to any other.
	if err := w.Add(File{Rel: "b.html", SrcPath: src, Source: "c.md", Kind: Existing}); !errors.Is(err, ErrCollision) {
		t.Errorf("second claim of b.html: %v", err)
	}
	if err := w.Add(File{Rel: "../x.html", SrcPath: src, Source: "d.md", Kind: Existing}); !errors.Is(err, ErrUnsafePath) {
		t.Errorf("unsafe path: %v", err)
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(src)
	if err != nil || string(got) != page {
		t.Errorf("reused page = %q, %v; want it unchanged (not minified)", got, err)
	}
	if now := inode(t, src); now != was {
		t.Errorf("the reused page is a new file (inode %d, was %d), not a link", now, was)
	}
	if st.Files != 2 || st.Bytes != int64(len(page))+int64(len("<p>mới</p>")) {
		t.Errorf("stats %+v", st)
	}
}

func TestExistingMissingSourceFailsTheGeneration(t *testing.T) {
	dest := newDest(t, map[string]string{"index.html": "cũ"})
	w, err := Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "x.html", SrcPath: filepath.Join(dest, "khong-co.html"), Source: "x.md", Kind: Existing}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err == nil || !strings.Contains(err.Error(), "khong-co.html") {
		t.Errorf("commit: %v", err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "cũ" {
		t.Error("the previous output was changed")
	}
}

func TestExistingCopiesAcrossFileSystems(t *testing.T) {
	other, err := os.MkdirTemp("/dev/shm", "publish-test-")
	if err != nil {
		t.Skip("no /dev/shm")
	}
	defer os.RemoveAll(other)
	dest := newDest(t, nil)
	src := filepath.Join(other, "p.html")
	if err := os.WriteFile(src, []byte("<p>  bản sao  </p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2025, 7, 1, 8, 30, 0, 123456789, time.UTC)
	if err := os.Chtimes(src, old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(src, filepath.Join(filepath.Dir(dest), "probe")); err == nil {
		t.Skip("/dev/shm is on the same file system as the test's folder")
	}
	w, err := Begin(context.Background(), dest, Options{Minify: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "p.html", SrcPath: src, Source: "p.md", Kind: Existing}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "p.html")); string(b) != "<p>  bản sao  </p>" {
		t.Errorf("copied page = %q", b)
	}
	a, _ := os.Stat(src)
	if b, err := os.Stat(filepath.Join(dest, "p.html")); err != nil || !b.ModTime().Equal(a.ModTime()) {
		t.Errorf("the copy's modification time is not the source's: %v", err)
	}
}

func TestExistingBringsItsSibling(t *testing.T) {
	pages := map[string]string{
		"a/index.html": bigHTML,
		"b/index.html": strings.ReplaceAll(bigHTML, "Hà Tĩnh", "Nghệ An"),
		"c/index.html": strings.ReplaceAll(bigHTML, "Hà Tĩnh", "Gia Lai"),
	}
	dest := newDest(t, nil)
	if st := writeGeneration(t, dest, pages); st.Precompressed != 3 {
		t.Fatalf("first generation: %d siblings, want 3", st.Precompressed)
	}
	sib := func(rel string) string { return filepath.Join(dest, filepath.FromSlash(rel)) + GzipSuffix }
	linked, stale := inode(t, sib("a/index.html")), inode(t, sib("b/index.html"))
	// b's sibling is older than its page (the page was edited in place), c's is gone.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(sib("b/index.html"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(sib("c/index.html")); err != nil {
		t.Fatal(err)
	}
	st := writeGeneration(t, dest, nil, "a/index.html", "b/index.html", "c/index.html")
	if st.Precompressed != 3 {
		t.Errorf("second generation: %d siblings, want 3", st.Precompressed)
	}
	if inode(t, sib("a/index.html")) != linked {
		t.Error("the current sibling of a reused page was not linked")
	}
	if inode(t, sib("b/index.html")) == stale {
		t.Error("a stale sibling was linked")
	}
	got := sitetest.ReadTree(t, dest)
	for rel := range pages {
		if gunzip(t, rel, []byte(got[rel+GzipSuffix])) != got[rel] {
			t.Errorf("%s.gz does not decompress to %s", rel, rel)
		}
	}
}
