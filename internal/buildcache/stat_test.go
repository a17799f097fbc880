package buildcache

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// Stat gives a regular file the identity os.Lstat's information gives it, and refuses
// a folder, a symbolic link and a missing file (as not existing).
func TestStatIsTheFileInfosIdentity(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "index.html")
	if err := os.WriteFile(p, []byte("<p>trang</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	want, err := lstatFileID(p)
	if err != nil {
		t.Skipf("no file identity on this system: %v", err)
	}
	if got != want || got.Size != 12 || got.Ino == 0 {
		t.Errorf("Stat = %+v, the FileInfo's identity %+v", got, want)
	}
	if err := os.Symlink(p, filepath.Join(dir, "link.html")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{dir, filepath.Join(dir, "link.html")} {
		if _, err := Stat(bad); err == nil {
			t.Errorf("Stat(%s) gave an identity: want an error (not a regular file)", bad)
		}
	}
	if _, err := Stat(filepath.Join(dir, "missing.html")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Stat of a missing file: %v, want fs.ErrNotExist", err)
	}
}
