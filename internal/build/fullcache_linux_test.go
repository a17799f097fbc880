package build_test

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Hardening II, item 9: the cache is only a hint. With the cache folder on a file system
// that fills up during the build, the build still publishes (with one warning), leaves
// the output exactly as a build without a cache would, and gives the space back: what it
// appended to the pack is cut off. A tmpfs of 256 KB is the full disk (root can mount
// one; CI runs as root).
func TestFullCacheDiskFallsBack(t *testing.T) {
	s := newDiskSite(t, 120)
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", s.dir, "tmpfs", 0, "size=256k"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("cannot mount a small tmpfs for the cache folder: %v", err)
		}
		t.Skipf("cannot mount a small tmpfs (not root?): %v", err)
	}
	t.Cleanup(func() { _ = syscall.Unmount(s.dir, syscall.MNT_DETACH) })

	for i := range 2 {
		rep := s.build() // fails the test unless the output equals a build without a cache
		warned := 0
		for _, d := range rep.Warnings() {
			if strings.Contains(d.Message, "không ghi được bộ nhớ đệm") {
				warned++
			}
		}
		if warned != 1 {
			t.Errorf("build %d: %d warnings about the full cache, want 1: %v", i+1, warned, rep.Warnings())
		}
		packs, _ := filepath.Glob(filepath.Join(s.dir, "bodies-*.pack"))
		for _, p := range packs {
			if fi, err := os.Stat(p); err == nil && fi.Size() > 0 {
				t.Errorf("build %d: %s still holds %d bytes: what the build half-wrote was not removed", i+1, filepath.Base(p), fi.Size())
			}
		}
		// With the space back, the rest of the cache still works: the pages' manifest.
		if i == 1 && rep.Reused == 0 {
			t.Errorf("build %d reused no page: the page manifest was not written after the fallback", i+1)
		}
	}
}
