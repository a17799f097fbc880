package themecheck

import (
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/sitetest"
)

// The page weight budgets of issue 16, in bytes on the wire (headers and gzip
// included) for the first view of a 360-px phone at DPR 2.
const (
	articleBudget = 250_000 // an article with three 4000×3000 photos
	homeBudget    = 350_000 // the home page with ten lead photos
)

// budgetSite is a site of ten articles, each with a lead photo (generated camera-like
// JPEGs, see corpus.Photo): the newest has three 4000×3000 photos (the lead photo and two
// captioned figures in its body), the nine others one 1200×900 lead photo each (a list
// thumbnail is the 360-px variant whatever the source's size: the smaller source only
// keeps the test's processing time down).
func budgetSite(t *testing.T) string {
	t.Helper()
	files := map[string]string{
		"config.toml": "baseURL = \"https://stttt.example.gov.vn/\"\ntitle = \"Cổng thông tin điện tử tỉnh\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	var failed error
	photo := func(rel string, seed int64, w, h int) {
		defer wg.Done()
		b, err := corpus.PhotoJPEG(seed, 0, w, h)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			failed = err
		}
		files[rel] = string(b)
	}
	const lead = "content/tin-tuc/hoi-nghi-tong-ket/"
	files[lead+"index.md"] = "---\ntitle: \"Hội nghị tổng kết công tác chuyển đổi số năm 2024\"\ndate: 2024-12-20T08:00:00+07:00\nimage: toan-canh.jpg\nimage_alt: \"Toàn cảnh hội nghị tổng kết\"\n---\n\n" +
		strings.Repeat("Sáng 20/12, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác chuyển đổi số năm 2024 và triển khai nhiệm vụ năm 2025. ", 4) +
		"\n\n![Đại biểu phát biểu tại hội nghị](dai-bieu.jpg \"Ảnh: Văn Dũng\")\n\n" +
		strings.Repeat("Các sở, ngành và địa phương báo cáo kết quả triển khai dịch vụ công trực tuyến toàn trình, chữ ký số và cơ sở dữ liệu dùng chung. ", 4) +
		"\n\n![Khen thưởng các tập thể có thành tích xuất sắc](khen-thuong.jpg \"Ảnh: Minh Anh\")\n\n" +
		strings.Repeat("Hội nghị thống nhất các chỉ tiêu chuyển đổi số năm 2025. ", 3) + "\n"
	wg.Add(3)
	go photo(lead+"toan-canh.jpg", 1, 4000, 3000)
	go photo(lead+"dai-bieu.jpg", 2, 4000, 3000)
	go photo(lead+"khen-thuong.jpg", 3, 4000, 3000)
	for i := 1; i <= 9; i++ {
		dir := fmt.Sprintf("content/tin-tuc/bai-%d/", i)
		files[dir+"index.md"] = fmt.Sprintf("---\ntitle: \"Tin hoạt động số %d của các sở, ngành\"\ndate: 2024-12-%02dT08:00:00+07:00\nimage: anh.jpg\nimage_alt: \"Ảnh hoạt động số %d\"\n---\n\n%s\n", i, 19-i, i,
			strings.Repeat("Đoàn công tác của tỉnh kiểm tra tiến độ thực hiện các dự án trọng điểm tại địa phương. ", 3))
		wg.Add(1)
		go photo(dir+"anh.jpg", int64(10+i), 1200, 900)
	}
	wg.Wait()
	if failed != nil {
		t.Fatal(failed)
	}
	return sitetest.NewSite(t, files)
}

// fetchLog is what the browser fetched for one page view.
type fetchLog struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	bytes    map[network.RequestID]int64 // on the wire, when finished
	inFlight int
	last     time.Time
}

// firstView opens url in a 360×740 viewport at DPR 2 with an empty cache and returns
// the requests and their bytes on the wire (network.EventLoadingFinished's encoded data
// length: headers, and the body as sent, gzipped where the server gzips it) once the
// page has loaded and the network has been quiet for a moment. Lazy images the browser
// chooses to load early (near the viewport) are counted: they are part of the view.
func firstView(t *testing.T, url string) map[string]int64 {
	t.Helper()
	ctx := browsertest.New(t, 90*time.Second)
	log := &fetchLog{urls: map[network.RequestID]string{}, bytes: map[network.RequestID]int64{}, last: time.Now()}
	chromedp.ListenTarget(ctx, func(ev any) {
		log.mu.Lock()
		defer log.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			if _, ok := log.urls[e.RequestID]; !ok {
				log.inFlight++
			}
			log.urls[e.RequestID] = e.Request.URL
			log.last = time.Now()
		case *network.EventLoadingFinished:
			log.bytes[e.RequestID] = int64(e.EncodedDataLength)
			log.inFlight--
			log.last = time.Now()
		case *network.EventLoadingFailed:
			log.inFlight--
			log.last = time.Now()
		}
	})
	err := chromedp.Run(ctx,
		network.Enable(),
		network.SetCacheDisabled(true),
		chromedp.EmulateViewport(360, 740, chromedp.EmulateScale(2)),
		chromedp.Navigate(url),
		chromedp.ActionFunc(func(ctx context.Context) error {
			for {
				log.mu.Lock()
				quiet := log.inFlight <= 0 && time.Since(log.last) > 700*time.Millisecond
				log.mu.Unlock()
				if quiet {
					return nil
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(100 * time.Millisecond):
				}
			}
		}),
	)
	if err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	defer log.mu.Unlock()
	out := map[string]int64{}
	for id, u := range log.urls {
		if strings.HasPrefix(u, "data:") {
			continue
		}
		out[u] += log.bytes[id]
	}
	return out
}

// TestPhotoPagesStayWithinBudget builds a site of ten articles with photos as `portal
// build` does (minified, precompressed), serves it like `portal serve` and opens the
// article with three 4000×3000 photos and the home page as a 360-px phone at DPR 2:
// everything the first view fetches (HTML, CSS, JS, the image candidates the browser
// picks) must stay within the budgets. The phone must fetch WebP variants no
// wider than 720 px, never a JPEG fallback.
func TestPhotoPagesStayWithinBudget(t *testing.T) {
	if browsertest.Path() == "" {
		browsertest.New(t, time.Second) // skips, or fails in CI
	}
	dir := budgetSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := build.Run(ctx, build.Options{SiteDir: dir, Dest: dest, Minify: true, Precompress: true, Now: fixedNow, Cache: build.NoCache()})
	if err != nil {
		t.Fatalf("build: %v\n%v", err, rep.Diagnostics)
	}
	h, err := server.New(server.Options{Root: dest})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); _ = h.Close() })

	for _, c := range []struct {
		name, path string
		budget     int64
		photos     int // at least this many photos fetched
	}{
		{"article with three 4000×3000 photos", "/tin-tuc/hoi-nghi-tong-ket/", articleBudget, 1},
		{"home page with ten lead photos", "/", homeBudget, 2},
	} {
		fetched := firstView(t, srv.URL+c.path)
		var total int64
		var photos []string
		var lines []string
		for u, n := range fetched {
			total += n
			lines = append(lines, fmt.Sprintf("%8d %s", n, strings.TrimPrefix(u, srv.URL)))
			if strings.Contains(u, "/"+build.ImagesDir+"/") {
				photos = append(photos, u)
				if !strings.HasSuffix(u, ".webp") || !(strings.Contains(u, ".360.") || strings.Contains(u, ".720.")) {
					t.Errorf("%s: a 360-px phone fetched %s, want a WebP of at most 720 px", c.name, u)
				}
			}
		}
		sort.Strings(lines)
		t.Logf("%s: %d bytes in %d requests, %d photos (budget %d):\n%s", c.name, total, len(fetched), len(photos), c.budget, strings.Join(lines, "\n"))
		if len(photos) < c.photos {
			t.Errorf("%s: %d photos fetched, want at least %d (the measure must include the photos)", c.name, len(photos), c.photos)
		}
		if total > c.budget {
			t.Errorf("%s: the first view weighs %d bytes, over the budget of %d", c.name, total, c.budget)
		}
	}
}
