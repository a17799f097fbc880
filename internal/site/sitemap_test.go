package site

import (
	"fmt"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/config"
)

// TestSitemapSplit: a site with more URLs than one sitemap may list gets sitemap files of
// at most the limit each and /sitemap.xml as their index, with each file's newest lastmod.
func TestSitemapSplit(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2025, 1, d, 0, 0, 0, 0, time.UTC) }
	entries := make([]SitemapEntry, 7)
	for i := range entries {
		entries[i] = SitemapEntry{Loc: fmt.Sprintf("https://x.gov.vn/p/%d/", i), Lastmod: day(10 - i)}
	}
	cases := []struct {
		max  int
		want []string // output paths, index last
	}{
		{7, []string{"sitemap.xml"}},
		{100, []string{"sitemap.xml"}},
		{3, []string{"sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml", "sitemap.xml"}},
	}
	for _, c := range cases {
		a := &assembler{in: Input{Config: config.Config{BaseURL: "https://x.gov.vn/"}}, g: &Graph{}}
		a.sitemaps(entries, c.max)
		var got []string
		listed := 0
		for _, p := range a.g.Pages {
			got = append(got, p.Path)
			if p.Kind == KindSitemap {
				if len(p.Sitemap) > c.max {
					t.Errorf("max %d: %s lists %d URLs", c.max, p.Path, len(p.Sitemap))
				}
				listed += len(p.Sitemap)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("max %d: pages %v, want %v", c.max, got, c.want)
		}
		if listed != len(entries) {
			t.Errorf("max %d: the sitemaps list %d URLs, want %d", c.max, listed, len(entries))
		}
		if c.max == 3 {
			index := a.g.Pages[len(a.g.Pages)-1]
			if index.Kind != KindSitemapIndex || len(index.Sitemap) != 3 ||
				index.Sitemap[1].Loc != "https://x.gov.vn/sitemap-2.xml" || !index.Sitemap[1].Lastmod.Equal(day(7)) {
				t.Errorf("index %s %+v", index.Kind, index.Sitemap)
			}
		}
	}
}
