package themecheck

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
	"github.com/vnportal/portal/internal/sitetest"
)

// The instant search (JavaScript, from /api/search) shows a legal document's hit like
// the server's page does: its kind, number, type, issuer, issue date and status badge
// instead of an article's meta line.
func TestInstantSearchShowsDocuments(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml": "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử\"\n",
		"content/van-ban/64-2007-nd-cp.md": "---\nnumber: \"64/2007/NĐ-CP\"\ntype: \"Nghị định\"\ntitle: \"Về ứng dụng công nghệ thông tin\"\n" +
			"issuer: \"Chính phủ\"\nissued: 2007-04-10\nstatus: \"hết hiệu lực\"\n---\n\nNội dung mẫu.\n",
		"content/tin-tuc/trien-khai.md": "---\ntitle: \"Triển khai Nghị định 64/2007/NĐ-CP\"\ndate: 2008-03-01\n---\n\nCác sở triển khai Nghị định 64/2007/NĐ-CP.\n",
	})
	s := serveSite(t, "docsearch", dir)
	ctx := browsertest.New(t, 120*time.Second)

	var meta, article string
	var off bool
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(360, 800),
		chromedp.Navigate(s.URL+"/tim-kiem/?q=khongcotukhoanay"),
		chromedp.SetValue(`form[data-instant-search] input[name="q"]`, "64/2007/nd-cp", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('form[data-instant-search] input[name="q"]').dispatchEvent(new Event('input'))`, nil),
		chromedp.WaitVisible(`.hit__doc`, chromedp.ByQuery),
		chromedp.Text(`.hit__doc`, &meta, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('.hit__doc .doc-status--off') !== null`, &off),
		chromedp.Evaluate(`(() => { const m = document.querySelectorAll('.hits > li')[1]; return m ? m.querySelector('.meta').className + ' ' + m.querySelector('a').getAttribute('href') : ''; })()`, &article),
	)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Văn bản", "Số ký hiệu: 64/2007/NĐ-CP", "Nghị định", "Chính phủ", "Ngày ban hành 10/04/2007", "hết hiệu lực"} {
		if !strings.Contains(meta, want) {
			t.Errorf("the document's line %q lacks %q", meta, want)
		}
	}
	if !off {
		t.Error("a document no longer in force has no ✕ badge")
	}
	if article != "meta /tin-tuc/trien-khai/" {
		t.Errorf("second hit %q, want the citing article with an article's meta line", article)
	}
}
