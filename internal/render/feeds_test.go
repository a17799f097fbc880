package render

import (
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/site"
)

// A feed's descriptions are escaped by the Renderer's one escaper: each item of a feed
// costs a few allocations (encoding/xml's), not a new strings.Replacer and its 6 KB of
// tables per description (47 MB of a 10,000-article build), and the escaping is the same.
func TestFeedItemsShareTheEscaper(t *testing.T) {
	r, err := New(Options{SiteDir: t.TempDir(), Config: config.Default()})
	if err != nil {
		t.Fatal(err)
	}
	feed := func(n int) *site.Page {
		p := &site.Page{Kind: site.KindFeed, URL: "/index.xml", Permalink: "https://x.vn/index.xml", Title: "Tin"}
		for i := range n {
			p.Items = append(p.Items, &site.Article{Document: &content.Document{Title: "Bài", Date: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)},
				Plain: "Họp <b>Ủy ban</b> & \"nhân dân\"", Permalink: "https://x.vn/bai/"})
		}
		return p
	}
	one, many := feed(1), feed(21)
	var buf []byte
	perFeed := func(p *site.Page) float64 {
		return testing.AllocsPerRun(20, func() {
			if buf, err = r.RenderTo(buf, p); err != nil {
				t.Fatal(err)
			}
		})
	}
	perItem := (perFeed(many) - perFeed(one)) / 20
	t.Logf("%.1f allocations per item", perItem)
	if perItem > 9 {
		t.Errorf("%.1f allocations per feed item, want at most 9", perItem)
	}
	b, err := r.RenderTo(nil, one)
	if err != nil {
		t.Fatal(err)
	}
	if want := "<description>Họp &amp;lt;b&amp;gt;Ủy ban&amp;lt;/b&amp;gt; &amp;amp; &#34;nhân dân&#34;</description>"; !strings.Contains(string(b), want) {
		t.Errorf("feed item's description escaped otherwise; want %s in\n%s", want, b)
	}
}
