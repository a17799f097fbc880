package themecheck

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestPhonePicksASmallPhotoAndShareImagesAnswer opens the sample site's article with a
// lead photo as a 360-px-wide phone at DPR 2 would (issue 16): the browser must fetch
// the 720-px WebP (the column is 328 CSS px, 656 device px), never the 1080 or 1600
// variants nor a JPEG; and every og:image of the site's articles answers 200 as an
// image cached for ever.
func TestPhonePicksASmallPhotoAndShareImagesAnswer(t *testing.T) {
	s := serveSite(t, "sample", sitetest.RepoRoot(t))
	const article = "/tin-tuc/hoi-nghi-trien-khai-chuyen-doi-so-cap-xa/"
	ctx := browsertest.New(t, 60*time.Second)
	var current string
	var fetched []string
	err := chromedp.Run(ctx,
		chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)),
		chromedp.Navigate(s.URL+article),
		chromedp.Poll(`(() => { const i = document.querySelector('.article__figure img'); return i && i.complete && i.currentSrc ? i.currentSrc : null })()`, &current, chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Evaluate(`performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('/_anh/'))`, &fetched),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`/_anh/toan-canh\.720\.[0-9a-f]{10}\.webp$`).MatchString(current) {
		t.Errorf("the lead photo shows %s, want the 720-px WebP", current)
	}
	if len(fetched) == 0 {
		t.Fatal("no photo was fetched")
	}
	for _, f := range fetched {
		if !strings.HasSuffix(f, ".webp") || regexp.MustCompile(`\.(1080|1600)\.`).MatchString(f) {
			t.Errorf("a 360-px phone fetched %s", f)
		}
	}

	// Every share image of an article page answers 200, as an image cached for ever.
	ogRe := regexp.MustCompile(`<meta property="og:image" content="([^"]+)">`)
	var shares []string
	for _, tg := range s.Targets {
		res, err := http.Get(s.URL + tg.Path)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ogRe.FindAllStringSubmatch(string(body), -1) {
			u, err := url.Parse(m[1])
			if err != nil || !u.IsAbs() {
				t.Errorf("%s: og:image %q is not an absolute URL", tg.Path, m[1])
				continue
			}
			shares = append(shares, u.Path)
		}
	}
	if !slices.ContainsFunc(shares, func(p string) bool { return strings.Contains(p, "toan-canh") }) {
		t.Errorf("the article with a lead photo has no og:image among %v", shares)
	}
	for _, p := range shares {
		res, err := http.Get(s.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("og:image %s: %d, %q, %q; want 200 image/jpeg cached for ever", p, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
		}
	}
}
