package build_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// After an edit, the pages a build rendered again go to pages.changes beside the
// untouched pages.manifest; the next build reads both, and reuses every page when
// nothing changed since (had it not read the changes, the pages rendered after the edit
// would be found with their old entries and rendered again). Each output equals a
// build's without the cache (diskSite.build).
func TestEditedPagesAreSavedAsChanges(t *testing.T) {
	s := newDiskSite(t, 60)
	s.build()
	manifest := filepath.Join(s.dir, "pages.manifest")
	ino := func() uint64 {
		t.Helper()
		fi, err := os.Stat(manifest)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	was := ino()
	arts, err := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "[^_]*.md"))
	if err != nil || len(arts) < 2 {
		t.Fatalf("articles: %v, %v", arts, err)
	}
	for i, art := range arts[:2] {
		b, err := os.ReadFile(art)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(art+".tmp", append(b, "\nMột câu thêm vào.\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(art+".tmp", art); err != nil {
			t.Fatal(err)
		}
		edit := s.build()
		if edit.Rendered == 0 || edit.Rendered > edit.Reused/8 {
			t.Fatalf("edit %d: rendered %d pages, reused %d: want a few rendered", i+1, edit.Rendered, edit.Reused)
		}
		if ino() != was {
			t.Errorf("edit %d: pages.manifest was written again; want only pages.changes", i+1)
		}
		if _, err := os.Stat(filepath.Join(s.dir, "pages.changes")); err != nil {
			t.Errorf("edit %d: no pages.changes: %v", i+1, err)
		}
		if again := s.build(); again.Rendered != 0 {
			t.Errorf("after edit %d, nothing changed: rendered %d pages, want 0 (the changes were not read?)", i+1, again.Rendered)
		}
	}
}
