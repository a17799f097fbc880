//go:build linux

package search

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestPageOutMapped maps a file under a folder, reads it all, and checks
// that pageOutMapped takes its pages out of the resident set while the
// mapping stays readable with the same content.
func TestPageOutMapped(t *testing.T) {
	dir := t.TempDir()
	const size = 64 << 20
	data := make([]byte, size)
	for i := range data {
		data[i] = byte(i * 7)
	}
	path := filepath.Join(dir, "seg.zap")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := unix.Mmap(int(f.Fd()), 0, size, unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(m)
	sum := func() (s int) {
		for i := 0; i < len(m); i += 512 {
			s += int(m[i])
		}
		return s
	}
	want := sum()
	before := procStatus("RssFile")
	pageOutMapped(filepath.Join(t.TempDir(), "other")) // another folder: untouched
	if got := procStatus("RssFile"); got+size/2 < before {
		t.Errorf("pageOutMapped of another folder dropped RssFile from %d to %d", before, got)
	}
	pageOutMapped(dir)
	after := procStatus("RssFile")
	if after+size/2 > before {
		t.Errorf("RssFile %d → %d after pageOutMapped; want it down by about %d", before, after, size)
	}
	if got := sum(); got != want {
		t.Errorf("mapping reads %d after page-out, want %d", got, want)
	}
}
