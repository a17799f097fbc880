package build

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/sitetest"
)

// The preview keeps the near-duplicate title findings while no title changes, and finds
// new ones as soon as a title changes.
func TestMemoryCacheKeepsTitleFindings(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Hội nghị tập huấn chuyển đổi số cho cán bộ", "2020-01-01"),
		"content/tin-tuc/b.md": article("Hội nghị tập huấn chuyển đổi số cho cán bộ xã", "2020-01-02"),
		"content/tin-tuc/c.md": article("Khai trương cổng dịch vụ công trực tuyến", "2020-01-03"),
	})
	c := NewMemoryCache()
	build := func() Report {
		t.Helper()
		rep, err := runBuild(t, dir, func(o *Options) { o.Cache, o.NoSearch = c, true })
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := build(); !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/b.md", 2, "content/tin-tuc/a.md") {
		t.Fatalf("first build: no duplicate-title warning on b.md: %v", rep.Diagnostics)
	}
	first := &c.titles.found[0]
	// A body edit: the findings are kept (the same slice), and reported again.
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/c.md"), []byte("---\ntitle: \"Khai trương cổng dịch vụ công trực tuyến\"\ndate: 2020-01-03\n---\nSửa thân bài.\n"), 0o644)
	if rep := build(); !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/b.md", 2, "content/tin-tuc/a.md") || &c.titles.found[0] != first {
		t.Errorf("body edit: the findings were not kept: %v", rep.Diagnostics)
	}
	// A title edit: found again.
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/c.md"), []byte(article("Hội nghị tập huấn chuyển đổi số cho cán bộ ấp", "2020-01-03")), 0o644)
	if rep := build(); !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/c.md", 2, "content/tin-tuc/a.md") {
		t.Errorf("title edit: no new duplicate-title warning on c.md: %v", rep.Diagnostics)
	}
}
