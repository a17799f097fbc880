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

// A Dir gives a file inside it the identity Stat gives its joined path, and refuses what
// Stat refuses; a folder not there yet is looked up by path.
func TestDirStatIsStat(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "tin-tuc", "bai"), 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(root, "tin-tuc", "bai", "index.html")
	if err := os.WriteFile(p, []byte("<p>trang</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(p, filepath.Join(root, "link.html")); err != nil {
		t.Fatal(err)
	}
	d := OpenDir(root)
	defer d.Close()
	want, err := Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := d.Stat("tin-tuc/bai/index.html"); err != nil || got != want {
		t.Errorf("Dir.Stat = %+v, %v; Stat gives %+v", got, err, want)
	}
	for _, bad := range []string{"tin-tuc", "link.html"} {
		if _, err := d.Stat(bad); err == nil {
			t.Errorf("Dir.Stat(%s) gave an identity: want an error", bad)
		}
	}
	if _, err := d.Stat("missing.html"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Dir.Stat of a missing file: %v, want fs.ErrNotExist", err)
	}
	later := OpenDir(filepath.Join(root, "later"))
	defer later.Close()
	if err := os.MkdirAll(filepath.Join(root, "later"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "later", "a.html"), []byte("a"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := later.Stat("a.html"); err != nil || got.Size != 1 {
		t.Errorf("a Dir opened before its folder existed: %+v, %v", got, err)
	}
}

// A path that is not local to the Dir is looked up as the joined path has it: "/x" is
// x inside the folder, not the root's.
func TestDirStatOfAbsolutePathStaysInside(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "etc"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	d := OpenDir(root)
	defer d.Close()
	if got, err := d.Stat("/etc"); err != nil || got.Size != 1 {
		t.Errorf("Dir.Stat(/etc) = %+v, %v; want the file etc inside the folder", got, err)
	}
}
