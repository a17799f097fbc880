package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestWarmLoadAllocationsPerArticle: loading a site again with a warm MemoryCache, one
// article edited (what every save of `portal serve --watch` and the preview does first),
// allocates next to nothing per article kept: each kept article's source, larger than a
// map stores in place, was allocated again as the value of the loader's map (base b986fbc:
// 762 and 880 allocations at 40 and 160 articles, 0.98 per article; with the sources in
// blocks: 722 and 723).
func TestWarmLoadAllocationsPerArticle(t *testing.T) {
	allocs := func(n int) uint64 {
		files := map[string]string{
			"config.toml":               "baseURL = \"https://t.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
			"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\n---\n",
		}
		for i := range n {
			files[fmt.Sprintf("content/tin-tuc/bai-%d.md", i)] = fmt.Sprintf("---\ntitle: \"Bài số %d\"\ndate: 2025-03-01T08:00:00+07:00\n---\n\nĐoạn một của bài %d.\n", i, i)
		}
		dir := sitetest.NewSite(t, files)
		edit := filepath.Join(dir, "content", "tin-tuc", "bai-0.md")
		cache := NewMemoryCache()
		var last uint64
		for i := range 3 {
			if err := os.WriteFile(edit, fmt.Appendf(nil, "---\ntitle: \"Bài số 0\"\ndate: 2025-03-01T08:00:00+07:00\n---\n\nĐoạn sửa thứ %d.\n", i), 0o644); err != nil {
				t.Fatal(err)
			}
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, NoSearch: true, Cache: cache.Changed([]string{edit})}, &diag.List{})
			runtime.ReadMemStats(&m1)
			if err != nil {
				t.Fatal(err)
			}
			if len(l.Graph.Articles) != n {
				t.Fatalf("%d articles loaded, want %d", len(l.Graph.Articles), n)
			}
			last = m1.Mallocs - m0.Mallocs
		}
		return last
	}
	small, large := allocs(40), allocs(160)
	per := (float64(large) - float64(small)) / 120
	t.Logf("a warm load with one article edited: %d allocations at 40 articles, %d at 160: %.2f per article", small, large, per)
	if per > 0.5 {
		t.Errorf("a warm load made %.2f allocations per kept article (%d at 40 articles, %d at 160), want at most 0.5: a value allocated per article again?", per, small, large)
	}
}
