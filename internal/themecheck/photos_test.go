package themecheck

import (
	"bytes"
	"image/jpeg"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
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

	// Every share image of a page answers 200, as a JPEG cached for ever, of the size the
	// page states; twitter:image and the JSON-LD image name the same file. The sample's
	// lead photo (2000×1500) is shared 1200 px wide.
	metaRe := func(attr, name string) *regexp.Regexp {
		return regexp.MustCompile(`<meta ` + attr + `="` + regexp.QuoteMeta(name) + `" content="([^"]+)">`)
	}
	ogRe, wRe, hRe := metaRe("property", "og:image"), metaRe("property", "og:image:width"), metaRe("property", "og:image:height")
	twRe, ldRe := metaRe("name", "twitter:image"), regexp.MustCompile(`"image":"([^"]+)"`)
	type share struct {
		page, url     string
		width, height int
	}
	var shares []share
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
		page := string(body)
		m := ogRe.FindStringSubmatch(page)
		if m == nil {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil || !u.IsAbs() {
			t.Errorf("%s: og:image %q is not an absolute URL", tg.Path, m[1])
			continue
		}
		sh := share{page: tg.Path, url: u.Path}
		if w := wRe.FindStringSubmatch(page); w != nil {
			sh.width, _ = strconv.Atoi(w[1])
		}
		if h := hRe.FindStringSubmatch(page); h != nil {
			sh.height, _ = strconv.Atoi(h[1])
		}
		if tw := twRe.FindStringSubmatch(page); tw == nil || tw[1] != m[1] {
			t.Errorf("%s: twitter:image %v, want %s", tg.Path, tw, m[1])
		}
		if ld := ldRe.FindStringSubmatch(page); ld == nil || ld[1] != m[1] {
			t.Errorf("%s: JSON-LD image %v, want %s", tg.Path, ld, m[1])
		}
		shares = append(shares, sh)
	}
	lead := slices.IndexFunc(shares, func(sh share) bool { return strings.Contains(sh.url, "/toan-canh.") })
	if lead < 0 {
		t.Fatalf("the article with a lead photo has no og:image among %v", shares)
	}
	if sh := shares[lead]; sh.width != 1200 || sh.height != 900 {
		t.Errorf("the sample's lead photo is shared at %d×%d, want 1200×900", sh.width, sh.height)
	}
	for _, sh := range shares {
		res, err := http.Get(s.URL + sh.url)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/jpeg" || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("og:image %s: %d, %q, %q; want 200 image/jpeg cached for ever", sh.url, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"))
			continue
		}
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(body))
		if err != nil || cfg.Width != sh.width || cfg.Height != sh.height {
			t.Errorf("og:image %s of %s is %d×%d (%v), the page states %d×%d", sh.url, sh.page, cfg.Width, cfg.Height, err, sh.width, sh.height)
		}
	}
}
