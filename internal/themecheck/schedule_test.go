package themecheck

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
	"github.com/vnportal/portal/internal/sitetest"
)

// busyWeek is a week of 15 rows, three each working day, with long texts.
func busyWeek() string {
	var b strings.Builder
	b.WriteString("revision = 3\nupdated = 2026-12-04T16:30:00\n")
	for d := 0; d < 5; d++ {
		for i, s := range []struct{ session, time string }{{"Sáng", "07:30"}, {"Sáng", "09:30"}, {"Chiều", "14:00"}} {
			fmt.Fprintf(&b, `
[[event]]
date = 2026-12-%02d
session = %q
time = %q
content = "Họp nghe báo cáo tiến độ thực hiện kế hoạch chuyển đổi số cấp xã năm 2026, phần %d"
place = "Phòng họp số %d, trụ sở Ủy ban nhân dân tỉnh"
leaders = ["Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh phụ trách khối"]
participants = "Lãnh đạo Sở Khoa học và Công nghệ, Sở Tài chính, Sở Nội vụ và các đơn vị liên quan"
`, d+7, s.session, s.time, i+1, i+1)
		}
	}
	return b.String()
}

var pdfPageRe = regexp.MustCompile(`/Type\s*/Page[^s]`)

// TestScheduleWeekPrintsOnOnePage prints a busy week (15 rows with long texts) and the
// sample's week with headless Chromium on A4: each fits on one sheet (print.css).
func TestScheduleWeekPrintsOnOnePage(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":                      "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử\"\n",
		"content/tin-tuc/a.md":             "---\ntitle: \"Bài\"\ndate: 2025-01-01\n---\nNội dung.\n",
		"data/lich-cong-tac/2026-w50.toml": busyWeek(),
	})
	busy := serveSite(t, "busy week", dir)
	sample := serveSite(t, "sample", sitetest.RepoRoot(t))
	ctx := browsertest.New(t, 60*time.Second)
	for _, u := range []string{busy.URL + "/lich-cong-tac/2026-w50/", sample.URL + "/lich-cong-tac/2026-w49/"} {
		var pdf []byte
		err := chromedp.Run(ctx, chromedp.Navigate(u), chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).WithPreferCSSPageSize(true).Do(ctx)
			return err
		}))
		if err != nil {
			t.Fatalf("%s: printing: %v", u, err)
		}
		if n := len(pdfPageRe.FindAll(pdf, -1)); n != 1 {
			t.Errorf("%s prints on %d pages, want 1", u, n)
		}
	}
}
