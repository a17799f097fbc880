package build

import (
	"context"
	"fmt"
	"runtime"
	"testing"

	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestKeptLinkFindingsAllocateNothingPerArticle: once the ruleMemo keeps every article's
// link findings (a rebuild of `portal serve --watch` or the preview, one article edited),
// check.Site hands the memo one finder for all articles: its allocations do not grow with
// the articles (base b986fbc made a closure per article, +1 allocation each: 46 and 166 at
// 40 and 160 articles; now 7 and 7).
func TestKeptLinkFindingsAllocateNothingPerArticle(t *testing.T) {
	allocs := func(n int) float64 {
		files := map[string]string{
			"config.toml":               "baseURL = \"https://t.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
			"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\n---\n",
		}
		for i := range n {
			files[fmt.Sprintf("content/tin-tuc/bai-%d.md", i)] = fmt.Sprintf("---\ntitle: \"Bài số %d\"\ndate: 2025-03-01T08:00:00+07:00\n---\n\nĐoạn một, xem [bài đầu](/tin-tuc/bai-0/).\n", i)
		}
		dir := sitetest.NewSite(t, files)
		opts := Options{SiteDir: dir, Now: fixedNow, NoSearch: true, Cache: NewMemoryCache()}
		var ds diag.List
		l, err := Load(context.Background(), opts, &ds)
		if err != nil {
			t.Fatal(err)
		}
		memo := &ruleMemo{}
		in := check.Input{SiteDir: dir, Docs: l.Docs, Graph: l.Graph, Now: opts.Now, Memo: memo}
		check.Site(context.Background(), in, &diag.List{}) // every article's findings kept
		if len(memo.links) < n {
			t.Fatalf("the memo keeps the findings of %d articles, want %d", len(memo.links), n)
		}
		return testing.AllocsPerRun(5, func() { check.Site(context.Background(), in, &diag.List{}) })
	}
	small, large := allocs(40), allocs(160)
	t.Logf("check.Site with every finding kept: %.0f allocations at 40 articles, %.0f at 160", small, large)
	if large-small > 40 {
		t.Errorf("check.Site with every finding kept made %.0f allocations at 40 articles and %.0f at 160: want no more per article (a closure per article?)", small, large)
	}
}

// TestKeptTitleFindingsAreNotCopied: the near-duplicate title findings the ruleMemo keeps
// between saves go into each build's list whole (diag.List.AddShared), not one by one:
// the bytes check.Site allocates do not grow with them. 62,856 findings at 100,000
// articles were appended one by one at every save of `portal serve --watch`, the list's
// slice doubling (≈ 33 MB a save, heap19's profile); base a85cb4a: 25.6 MB more with
// 50,000 findings than with none.
func TestKeptTitleFindingsAreNotCopied(t *testing.T) {
	files := map[string]string{
		"config.toml":               "baseURL = \"https://t.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\n---\n",
	}
	for i := range 20 {
		files[fmt.Sprintf("content/tin-tuc/bai-%d.md", i)] = fmt.Sprintf("---\ntitle: \"Bài số %d\"\ndate: 2025-03-01T08:00:00+07:00\n---\n\nĐoạn một.\n", i)
	}
	dir := sitetest.NewSite(t, files)
	opts := Options{SiteDir: dir, Now: fixedNow, NoSearch: true, Cache: NewMemoryCache()}
	var ds diag.List
	l, err := Load(context.Background(), opts, &ds)
	if err != nil {
		t.Fatal(err)
	}
	titles := make([]diag.Diagnostic, 50000)
	for i := range titles {
		titles[i] = diag.Diagnostic{Path: "content/tin-tuc/bai-1.md", Line: 2, Col: 1, Severity: diag.Warning, Code: "duplicate-title", Message: "tiêu đề gần trùng"}
	}
	memo := &ruleMemo{}
	bytes := func(titles []diag.Diagnostic) uint64 {
		in := check.Input{SiteDir: dir, Docs: l.Docs, Graph: l.Graph, Now: opts.Now, Memo: memo, Titles: titles}
		check.Site(context.Background(), in, &diag.List{}) // the link findings kept
		var least uint64
		for range 3 {
			var m0, m1 runtime.MemStats
			runtime.ReadMemStats(&m0)
			out := &diag.List{}
			check.Site(context.Background(), in, out)
			runtime.ReadMemStats(&m1)
			if _, warns := out.Count(); warns < len(titles) {
				t.Fatalf("%d warnings, want at least the %d title findings", warns, len(titles))
			}
			if b := m1.TotalAlloc - m0.TotalAlloc; least == 0 || b < least {
				least = b
			}
		}
		return least
	}
	none, many := bytes(nil), bytes(titles)
	t.Logf("check.Site allocated %d bytes without title findings, %d with %d", none, many, len(titles))
	if many > none+1<<20 {
		t.Errorf("check.Site allocated %.1f MB more with %d kept title findings than without: copied into the list?", float64(many-none)/(1<<20), len(titles))
	}
}
