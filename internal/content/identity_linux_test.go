//go:build linux

package content

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// statKey writes what fmt wrote before it ("size|mtime|dev.ino.ctime-s.ctime-ns|tax"), so
// that the entries of a cache saved by an earlier version still match their files.
func TestStatKeyKeepsItsFormat(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a.md")
	if err := os.WriteFile(p, []byte("---\ntitle: a\n---\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	want := fmt.Sprintf("%d|%d|%s|%s", fi.Size(), fi.ModTime().UnixNano(), fmt.Sprintf("%d.%d.%d.%d", st.Dev, st.Ino, st.Ctim.Sec, st.Ctim.Nsec), "tags,provinces")
	if got := statKey(fi, "tags,provinces"); got != want {
		t.Errorf("statKey = %q, want %q", got, want)
	}
}
