package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"unsafe"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// warmLoads loads a site of n articles again and again (rounds) with a warm MemoryCache,
// article 0 edited before each load, and returns what each load allocated: objects and bytes.
func warmLoads(t *testing.T, n, rounds int) (mallocs, bytes []uint64) {
	t.Helper()
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
	for i := range rounds {
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
		mallocs = append(mallocs, m1.Mallocs-m0.Mallocs)
		bytes = append(bytes, m1.TotalAlloc-m0.TotalAlloc)
	}
	return mallocs, bytes
}

// TestWarmLoadAllocationsPerArticle: loading a site again with a warm MemoryCache, one
// article edited (what every save of `portal serve --watch` and the preview does first),
// allocates next to nothing per article kept: each kept article's source, larger than a
// map stores in place, was allocated again as the value of the loader's map (base b986fbc:
// 762 and 880 allocations at 40 and 160 articles, 0.98 per article; with the sources in
// blocks: 722 and 723).
func TestWarmLoadAllocationsPerArticle(t *testing.T) {
	allocs := func(n int) uint64 {
		mallocs, _ := warmLoads(t, n, 3)
		return mallocs[len(mallocs)-1]
	}
	small, large := allocs(40), allocs(160)
	per := (float64(large) - float64(small)) / 120
	t.Logf("a warm load with one article edited: %d allocations at 40 articles, %d at 160: %.2f per article", small, large, per)
	if per > 0.5 {
		t.Errorf("a warm load made %.2f allocations per kept article (%d at 40 articles, %d at 160), want at most 0.5: a value allocated per article again?", per, small, large)
	}
}

// TestWarmLoadCopiesEachSourceOnce: a warm load with one article edited copies each kept
// article's source (a site.Source, ~200 bytes) into the site's input once: it was kept in
// blocks, then copied again into the site's slice (base 303aa98: 482 bytes per article
// between 512 and 2,048 articles, now 264; ≈ 22 MB more at 100,000 articles at every save
// of `portal serve --watch`). The blocks hold 512 sources: the sizes differ by blocks.
func TestWarmLoadCopiesEachSourceOnce(t *testing.T) {
	bytesAt := func(n int) uint64 {
		_, bytes := warmLoads(t, n, 4)
		return slices.Min(bytes[1:]) // the first load after the cold one is left out
	}
	small, large := bytesAt(512), bytesAt(2048)
	per := (float64(large) - float64(small)) / 1536
	size := float64(unsafe.Sizeof(site.Source{}))
	t.Logf("a warm load with one article edited: %d bytes at 512 articles, %d at 2,048: %.0f per article (a source is %.0f bytes)", small, large, per, size)
	if per > 1.5*size {
		t.Errorf("a warm load allocated %.0f bytes per kept article (%d at 512 articles, %d at 2,048), want under %.0f: its source (%.0f bytes) copied twice?", per, small, large, 1.5*size, size)
	}
}
