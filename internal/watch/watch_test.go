package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/sitetest"
	"github.com/vnportal/portal/internal/vietnamese"
)

const cfgTOML = `baseURL = "https://tinh.example.vn/"
title = "Cổng thông tin"
`

func article(title, date, extra, body string) string {
	return "---\ntitle: \"" + title + "\"\ndate: " + date + "\nprovinces: [\"Hà Tĩnh\"]\ncategories: [\"Hội nghị\"]\n" + extra + "---\n" + body + "\n"
}

// newSite writes a small site with the built-in theme.
func newSite(t *testing.T, more map[string]string) string {
	t.Helper()
	files := map[string]string{
		"config.toml":          cfgTOML,
		"content/tin-tuc/a.md": article("Bài A", "2024-01-01", "", "Nội dung ban đầu của bài A."),
		"content/tin-tuc/b.md": article("Bài B", "2024-01-02", "", "Bài thứ hai."),
	}
	for k, v := range more {
		files[k] = v
	}
	return sitetest.NewSite(t, files)
}

// syncBuffer is a log the session writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type running struct {
	s    *Session
	base string
	log  *syncBuffer
	dir  string
}

// start runs a session on dir behind a real HTTP server on loopback; watching starts
// when watching is true (otherwise the test calls Rebuild itself).
func start(t *testing.T, dir string, clock Clock, watching bool) *running {
	t.Helper()
	return startWith(t, Options{SiteDir: dir, Clock: clock}, watching)
}

func startWith(t *testing.T, opts Options, watching bool) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &syncBuffer{}
	opts.Stderr = log // the default debounce
	dir := opts.SiteDir
	s, err := New(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(s.Handler(), t.Logf)
	go srv.Serve(ln)
	var wg sync.WaitGroup
	if watching {
		wg.Go(func() { s.Watch(ctx) })
		time.Sleep(50 * time.Millisecond) // let the watcher register
	}
	t.Cleanup(func() {
		cancel()
		wg.Wait()
		srv.Close()
		s.Close()
		if t.Failed() {
			t.Logf("log:\n%s", log.String())
		}
	})
	return &running{s: s, base: "http://" + ln.Addr().String(), log: log, dir: dir}
}

func (r *running) get(t *testing.T, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(r.base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// searchTitles returns the titles the search API answers for q.
func (r *running) searchTitles(t *testing.T, q string) []string {
	t.Helper()
	code, body := r.get(t, "/api/search?q="+url.QueryEscape(q))
	if code != http.StatusOK {
		t.Fatalf("search %q: %d %s", q, code, body)
	}
	var res struct {
		Hits []struct{ Title string }
	}
	if err := json.Unmarshal([]byte(body), &res); err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, h := range res.Hits {
		out = append(out, h.Title)
	}
	return out
}

// eventually polls cond until it holds or 10 s passed.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func write(t *testing.T, dir, rel, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(rel)), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func contains(code int, body, s string) bool {
	return code == http.StatusOK && strings.Contains(body, s)
}

// A saved edit and a new article are served without a restart: the page, its section's
// list, the feed, the sitemap and the search answer; the output on disk is a complete
// published site (precompressed, with the manifest).
func TestSavedChangesAreServed(t *testing.T) {
	r := start(t, newSite(t, nil), nil, true)
	if code, body := r.get(t, "/tin-tuc/a/"); !contains(code, body, "Nội dung ban đầu") {
		t.Fatalf("first build not served: %d %.200s", code, body)
	}
	write(t, r.dir, "content/tin-tuc/a.md", article("Bài A", "2024-01-01", "", "Nội dung đã sửa xanhlam."))
	eventually(t, "the edited page is served", func() bool { c, b := r.get(t, "/tin-tuc/a/"); return contains(c, b, "xanhlam") })
	eventually(t, "the search answers the edit", func() bool { return len(r.searchTitles(t, "xanhlam")) == 1 })

	write(t, r.dir, "content/tin-tuc/moi.md", article("Thông cáo báo chí mới", "2024-02-01", "", "Bài mới tinh vàngnhạt."))
	eventually(t, "the new article is served", func() bool {
		c, b := r.get(t, "/tin-tuc/moi/")
		return contains(c, b, "vàngnhạt")
	})
	// Once the page is there, everything that shows it is too (switched together).
	for _, p := range []string{"/tin-tuc/", "/index.xml", "/sitemap.xml", "/"} {
		want := "Thông cáo báo chí mới"
		if p == "/sitemap.xml" {
			want = "/tin-tuc/moi/"
		}
		if c, b := r.get(t, p); !contains(c, b, want) {
			t.Errorf("%s does not show the new article: %d %.300s", p, c, b)
		}
	}
	if got := r.searchTitles(t, "vàngnhạt"); len(got) != 1 || got[0] != "Thông cáo báo chí mới" {
		t.Errorf("search for the new article: %q", got)
	}
	public := filepath.Join(r.dir, "public")
	for _, f := range []string{"tin-tuc/moi/index.html", ".portal.json", ".search/manifest.json"} {
		if _, err := os.Stat(filepath.Join(public, f)); err != nil {
			t.Errorf("output: %v", err)
		}
	}
	if b, err := os.ReadFile(filepath.Join(public, "tin-tuc/moi/index.html")); err != nil || strings.Contains(string(b), "livereload") || bytes.Contains(b, []byte("\n    ")) {
		t.Errorf("the page is not a production page (minified, no reload script): %v %.300s", err, b)
	}
	if _, err := os.Stat(filepath.Join(public, "index.html.gz")); err != nil {
		t.Errorf("not precompressed: %v", err)
	}
	eventually(t, "three builds", func() bool { all, _ := r.s.Builds(); return all >= 3 })
	if _, failed := r.s.Builds(); failed != 0 {
		t.Errorf("%d builds failed", failed)
	}
}

// fakeClock is a Clock the test moves by hand.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if d <= 0 {
		ch <- c.now
		return ch
	}
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	return ch
}

// Set moves the clock to t and wakes the waits that are over.
func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(t) {
			w.ch <- t
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// An article with a publishDate appears at that minute and one with an expiryDate goes at
// its minute, with no file changed: zone-less times are Asia/Ho_Chi_Minh (the clock is
// in UTC, seven hours behind the front matter's wall time).
func TestScheduledArticlesAppearAndExpireOnTime(t *testing.T) {
	vn := vietnamese.Location()
	clock := &fakeClock{now: time.Date(2030, 3, 2, 7, 58, 30, 0, vn).UTC()}
	dir := newSite(t, map[string]string{
		"content/tin-tuc/hen-gio.md": article("Thông cáo hẹn giờ", "2030-03-01", "publishDate: \"2030-03-02 08:00\"\n", "Đăng lúc tám giờ camvang."),
		"content/tin-tuc/het-han.md": article("Thông báo hết hạn", "2030-03-01", "expiryDate: \"2030-03-02T08:05:00\"\n", "Gỡ lúc tám giờ năm tímbiếc."),
	})
	r := start(t, dir, clock, true)
	if c, _ := r.get(t, "/tin-tuc/hen-gio/"); c != http.StatusNotFound {
		t.Fatalf("a scheduled article is served before its time: %d", c)
	}
	if c, b := r.get(t, "/tin-tuc/het-han/"); !contains(c, b, "tímbiếc") {
		t.Fatalf("the article that expires later is not served: %d", c)
	}
	if next := r.s.Next(); !next.At.Equal(time.Date(2030, 3, 2, 8, 0, 0, 0, vn)) || next.Expires {
		t.Fatalf("next scheduled: %+v", next)
	}
	// A second early: the site as it will be at 08:00 is built ahead, and waits.
	clock.Set(time.Date(2030, 3, 2, 7, 59, 59, 0, vn))
	eventually(t, "the build for 08:00 is made ahead", func() bool {
		return strings.Contains(r.log.String(), "bản dựng cho giờ hẹn 08:00:00 đã sẵn sàng")
	})
	time.Sleep(100 * time.Millisecond)
	if c, _ := r.get(t, "/tin-tuc/hen-gio/"); c != http.StatusNotFound {
		t.Fatalf("served at 07:59:59: %d", c)
	}
	clock.Set(time.Date(2030, 3, 2, 8, 0, 0, 0, vn))
	eventually(t, "the scheduled article appears at 08:00", func() bool {
		c, b := r.get(t, "/tin-tuc/hen-gio/")
		return contains(c, b, "camvang")
	})
	if c, b := r.get(t, "/tin-tuc/"); !contains(c, b, "Thông cáo hẹn giờ") {
		t.Errorf("the list does not show the scheduled article: %d", c)
	}
	if got := r.searchTitles(t, "camvang"); len(got) != 1 {
		t.Errorf("search does not find the scheduled article: %q", got)
	}
	eventually(t, "the expiry at 08:05 is next", func() bool {
		next := r.s.Next()
		return next.At.Equal(time.Date(2030, 3, 2, 8, 5, 0, 0, vn)) && next.Expires
	})
	clock.Set(time.Date(2030, 3, 2, 8, 5, 0, 0, vn))
	eventually(t, "the expired article goes at 08:05", func() bool {
		c, _ := r.get(t, "/tin-tuc/het-han/")
		return c == http.StatusNotFound
	})
	if c, b := r.get(t, "/tin-tuc/"); c != http.StatusOK || strings.Contains(b, "Thông báo hết hạn") {
		t.Errorf("the list still shows the expired article: %d", c)
	}
	if got := r.searchTitles(t, "tímbiếc"); len(got) != 0 {
		t.Errorf("search still finds the expired article: %q", got)
	}
	eventually(t, "nothing is scheduled any more", func() bool { return r.s.Next().At.IsZero() })
}

// The same on the machine's clock, a few seconds ahead: the article is served within 2 s
// of its publishDate, not before it.
func TestScheduledArticleOnTheRealClock(t *testing.T) {
	at := time.Now().Add(3 * time.Second).Truncate(time.Second)
	dir := newSite(t, map[string]string{
		"content/tin-tuc/dung-gio.md": article("Đúng giờ", "2024-01-03", "publishDate: "+at.Format(time.RFC3339)+"\n", "Đúng giờ hồngphấn."),
	})
	r := start(t, dir, nil, true)
	if time.Now().Before(at) {
		if c, _ := r.get(t, "/tin-tuc/dung-gio/"); c != http.StatusNotFound {
			t.Fatalf("served before its time: %d", c)
		}
	}
	for {
		c, b := r.get(t, "/tin-tuc/dung-gio/")
		now := time.Now()
		if contains(c, b, "hồngphấn") {
			if now.Before(at) {
				t.Fatalf("served at %s, before %s", now, at)
			}
			t.Logf("served %s after its publishDate", now.Sub(at).Round(time.Millisecond))
			break
		}
		if now.After(at.Add(2 * time.Second)) {
			t.Fatalf("not served 2 s after its publishDate (%d)", c)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// `portal serve --watch` waits as long as the preview after a save's last file event:
// 10 ms, not 20. Editors and copies finish a save within 0.02 ms of its first event
// (BENCHMARKS.md, fifteenth session, branch watch19: vim in its three ways of writing,
// cp, a program writing 150 KB in place), so the other 10 ms were only latency added
// to every save.
func TestServeWaitsAsLongAsThePreview(t *testing.T) {
	r := start(t, newSite(t, nil), nil, false)
	if got := r.s.opts.Debounce; got != 10*time.Millisecond {
		t.Errorf("debounce %s, want 10ms (the preview's)", got)
	}
}
