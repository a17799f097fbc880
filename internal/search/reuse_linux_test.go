package search

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestReuseAcrossFileSystems carries an index over from another file system (/dev/shm),
// where hard links fail: the files are copied, checked, and keep their modes.
func TestReuseAcrossFileSystems(t *testing.T) {
	shm, err := os.MkdirTemp("/dev/shm", "portal-reuse-")
	if err != nil {
		t.Skipf("no /dev/shm: %v", err)
	}
	defer os.RemoveAll(shm)
	tmp := t.TempDir()
	var a, b syscall.Stat_t
	if syscall.Stat(shm, &a) != nil || syscall.Stat(tmp, &b) != nil || a.Dev == b.Dev {
		t.Skip("/dev/shm is on the same file system as the test's temporary folder")
	}
	prev := filepath.Join(shm, "index")
	if _, err := Build(context.Background(), prev, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(tmp, "index")
	st, err := Build(context.Background(), dir, prev, fixtureDocs())
	if err != nil || !st.Reused {
		t.Fatalf("stats %+v, %v; want the index reused", st, err)
	}
	for rel, p := range indexFiles(t, prev) {
		q := filepath.Join(dir, filepath.FromSlash(rel))
		x, _ := os.ReadFile(p)
		y, err := os.ReadFile(q)
		if err != nil || string(x) != string(y) {
			t.Errorf("%s not copied as it is: %v", rel, err)
		}
		pi, _ := os.Stat(p)
		qi, _ := os.Stat(q)
		if os.SameFile(pi, qi) || pi.Mode() != qi.Mode() {
			t.Errorf("%s: linked across file systems, or mode %v became %v", rel, pi.Mode(), qi.Mode())
		}
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}
