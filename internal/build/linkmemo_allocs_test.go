package build

import (
	"context"
	"fmt"
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
