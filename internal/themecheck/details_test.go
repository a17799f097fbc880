package themecheck

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
	"github.com/vnportal/portal/internal/sitetest"
)

// What staff saw on the pages (the staff issue, item 5), checked in Chromium: a table's
// column alignment (---:) is kept, a long lead is clamped to three lines in lists, the
// header search box has a placeholder, and a search without results shows no empty
// "Lọc kết quả" heading.
func TestThemeDetailsStaffSaw(t *testing.T) {
	long := strings.Repeat("Hội nghị đã thảo luận nhiều nội dung quan trọng về chuyển đổi số của tỉnh. ", 12)
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml": "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử\"\n",
		"content/tin-tuc/bang.md": "---\ntitle: \"Bài có bảng\"\ndate: 2025-03-01\nsummary: \"" + long + "\"\n---\n" +
			"| Xã | Dân số |\n|:---|---:|\n| Tân Phú | 12.345 |\n",
	})
	s := serveSite(t, "details", dir)
	ctx := browsertest.New(t, 120*time.Second)

	var align, placeholder string
	var lead struct{ Client, Scroll, Line float64 }
	var facets bool
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(360, 800),
		chromedp.Navigate(s.URL+"/tin-tuc/bang/"),
		chromedp.Evaluate(`getComputedStyle(document.querySelector('.prose td[align="right"]')).textAlign`, &align),
		chromedp.Evaluate(`document.querySelector('header input[type=search]').placeholder`, &placeholder),
		chromedp.Navigate(s.URL+"/"),
		chromedp.Evaluate(`(() => { const p = document.querySelector('.card__lead'); const cs = getComputedStyle(p);
			return {Client: p.clientHeight, Scroll: p.scrollHeight, Line: parseFloat(cs.lineHeight)}; })()`, &lead),
		chromedp.Navigate(s.URL+"/tim-kiem/?q=khongcotukhoanay"),
		chromedp.Evaluate(`document.getElementById('bo-loc') !== null`, &facets),
	)
	if err != nil {
		t.Fatal(err)
	}
	if align != "right" && align != "-webkit-right" {
		t.Errorf("a right-aligned table cell has text-align %q", align)
	}
	if placeholder == "" {
		t.Error("the header search box has no placeholder")
	}
	if lead.Line <= 0 || lead.Client > 3*lead.Line+2 || lead.Scroll <= lead.Client {
		t.Errorf("the long lead is not clamped to three lines in the list: %+v", lead)
	}
	if facets {
		t.Error("a search without results shows the empty filter heading")
	}
}
