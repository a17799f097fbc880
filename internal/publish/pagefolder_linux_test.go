package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// TestPageFoldersMadeInTheirParent: writeData makes each page's folder itself (no folder
// made beforehand), in the parent folder it keeps open from page to page, and moves to
// the next parent when a page lives elsewhere; a folder name already taken by a symbolic
// link (to a folder outside) is refused, not followed, even with its parent kept open;
// and nothing is left open once the worker releases the parent.
func TestPageFoldersMadeInTheirParent(t *testing.T) {
	outside := t.TempDir()
	w, err := Begin(t.Context(), newDest(t, nil), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var b dataBuffers
	pages := []string{"tin-tuc/bai-1/index.html", "tin-tuc/bai-2/index.html", "the-loai/hoi-nghi/trang/2/index.html", "tin-tuc/bai-3/index.html", "index.html"}
	for i, rel := range pages {
		body := fmt.Sprintf("<p>bài %d</p>", i)
		if _, _, err := w.writeData(File{Rel: rel, Data: []byte(body), Source: "bai.md"}, &b); err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
		got, err := os.ReadFile(filepath.Join(w.tmp, filepath.FromSlash(rel)))
		if err != nil || string(got) != body {
			t.Errorf("%s = %q (%v), want %q", rel, got, err, body)
		}
	}
	if _, _, err := w.writeData(File{Rel: "tin-tuc/bai-4/index.html", Data: []byte("x"), Source: "bai.md"}, &b); err != nil {
		t.Fatal(err)
	}
	if !b.parent.held {
		t.Fatal("no parent folder kept open after a page")
	}
	fd, top := b.parent.fd, int(b.parent.top.Fd())
	if err := os.Symlink(outside, filepath.Join(w.tmp, "tin-tuc", "bai-5")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, _, err = w.writeData(File{Rel: "tin-tuc/bai-5/index.html", Data: []byte("<p>bài</p>"), Source: "bai.md"}, &b)
	if err == nil || !strings.Contains(err.Error(), "tin-tuc/bai-5/index.html") {
		t.Errorf("writing into a folder that is a symbolic link: %v, want an error naming the page", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("the page was written outside the staging folder: %v", entries)
	}
	b.parent.release()
	for _, fd := range []int{fd, top} {
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0); err != unix.EBADF {
			t.Errorf("a kept folder is still open after release (fcntl: %v)", err)
		}
	}
}

// A page's parent folder is opened with openat2 beneath the staging folder and refusing
// every symbolic link on its path, even one to a folder inside the staging folder (which
// os.Root.Open, before, followed): a page is written only where its path says.
func TestPageParentThroughALinkIsRefused(t *testing.T) {
	w, err := Begin(t.Context(), newDest(t, nil), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var b dataBuffers
	defer b.parent.release()
	if _, _, err := w.writeData(File{Rel: "that/a/index.html", Data: []byte("a"), Source: "a.md"}, &b); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("that", filepath.Join(w.tmp, "this")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	w.madeDirs.Store("this", struct{}{}) // as if the Writer had made it
	_, _, err = w.writeData(File{Rel: "this/b/index.html", Data: []byte("b"), Source: "b.md"}, &b)
	if err == nil || !strings.Contains(err.Error(), "this/b/index.html") {
		t.Errorf("writing under a linked parent folder: %v, want an error naming the page", err)
	}
	if _, err := os.Lstat(filepath.Join(w.tmp, "that", "b")); err == nil {
		t.Error("the page's folder was made through the link")
	}
}
