package preview

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An article saved while config.toml is broken is shown once config.toml is fixed: the
// failed builds stopped before reading the content, so the next one is told about the
// article too.
func TestPreviewEditDuringBrokenConfigIsShownAfterTheFix(t *testing.T) {
	dir := newSite(t)
	s, err := New(context.Background(), Options{SiteDir: dir, Drafts: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cfg, art := filepath.Join(dir, "config.toml"), filepath.Join(dir, "content", "tin-tuc", "a.md")
	write(t, dir, "config.toml", cfgTOML+"[markup\n")
	if _, err := s.Rebuild(context.Background(), []string{cfg}); err == nil {
		t.Fatal("a broken config.toml built")
	}
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Sửa khi config hỏng hổphách."))
	if _, err := s.Rebuild(context.Background(), []string{art}); err == nil {
		t.Fatal("a broken config.toml built")
	}
	write(t, dir, "config.toml", cfgTOML)
	if _, err := s.Rebuild(context.Background(), []string{cfg}); err != nil {
		t.Fatal(err)
	}
	srvBody := readOut(t, s, "tin-tuc/a/index.html")
	if !strings.Contains(srvBody, "hổphách") {
		t.Errorf("the edit saved while config.toml was broken is not shown")
	}
}

// readOut reads a file of the session's output folder.
func readOut(t *testing.T, s *Session, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.out.Dir(), filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
