package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/publish"
)

// TestServeSaveAllocationsPerKeptPage: a save of `portal serve --watch` (a ServeCache
// build into its output folder, one article edited) makes few allocations for each page
// it keeps in place: measured as the difference between the saves of two sites of 100 and
// 400 articles over the difference of their kept pages (what a save makes once, and for
// the dozen pages it renders, is about the same in both), at most 5.5 per kept page. The
// build made a sync.OnceValue for every page's key, three allocations, which a kept page
// never asks for (base b986fbc: 7.3 per kept page; with lazyKey: 4.2); at 100,000
// articles a save keeps 173,000 pages, each allocation marked by the collector of a heap
// of over a gigabyte.
func TestServeSaveAllocationsPerKeptPage(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two sites of 100 and 400 articles three times each")
	}
	small, smallKept := serveSaveAllocations(t, 100)
	large, largeKept := serveSaveAllocations(t, 400)
	if largeKept <= smallKept {
		t.Fatalf("the larger site kept %d pages, the smaller %d", largeKept, smallKept)
	}
	per := (float64(large) - float64(small)) / float64(largeKept-smallKept)
	t.Logf("%d allocations for %d kept pages, %d for %d: %.2f per kept page", small, smallKept, large, largeKept, per)
	if per > 5.5 {
		t.Errorf("a save made %.2f allocations per kept page (%d for %d kept, %d for %d), want at most 5.5: something made for every page that a kept page does not use?", per, small, smallKept, large, largeKept)
	}
}

// serveSaveAllocations builds a generated site of n articles with a ServeCache three
// times, an article edited before each, and returns the allocations of the last build and
// the pages it kept.
func serveSaveAllocations(t *testing.T, n int) (allocs uint64, kept int) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if err := corpus.Generate(dir, n, 1); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "content", "tin-tuc", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	edit := files[len(files)/2]
	orig, err := os.ReadFile(edit)
	if err != nil {
		t.Fatal(err)
	}
	cache := NewServeCache()
	defer cache.Close()
	dest := filepath.Join(t.TempDir(), "public")
	var rep Report
	for i := range 3 { // the third save keeps the pages the second kept by their index
		if err := os.WriteFile(edit, fmt.Appendf(orig, "\nĐoạn sửa thứ %d.\n", i), 0o644); err != nil {
			t.Fatal(err)
		}
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		rep, err = Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Minify: true, Precompress: true, NoSearch: true,
			Cache: cache.Changed([]string{edit}),
			Output: func(ctx context.Context) (publish.Sink, error) {
				w, err := publish.Begin(ctx, dest, publish.Options{Minify: true, Precompress: true, Previous: cache.Listing()})
				return committing{w, cache}, err
			}})
		runtime.ReadMemStats(&m1)
		if err != nil {
			t.Fatalf("%d articles, save %d: %v", n, i, err)
		}
		allocs = m1.Mallocs - m0.Mallocs
	}
	if rep.Rendered > rep.Reused/10 {
		t.Fatalf("%d articles: an edit rendered %d pages and kept %d: not the save this test measures", n, rep.Rendered, rep.Reused)
	}
	return allocs, rep.Reused
}
