package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/search"
)

// Markers written into fixture files, so tests can tell which file was served.
const (
	markHome     = "TRANG-CHU-MARKER"
	markNotFound = "KHONG-TIM-THAY-MARKER"
	markSearch   = "TIM-KIEM-TINH-MARKER"
	markSecret   = "BI-MAT-MARKER"
)

// fixture is a built site on disk: Root (the output folder) inside Dir, with a secret
// file and config.toml next to Root that must never be served.
type fixture struct {
	Dir, Root, Index string
	BigHTML          string // contents of /big.html (over the gzip threshold)
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// newFixture writes the site's files; with docs it also builds the index at Root/.search.
func newFixture(t *testing.T, docs []search.Document) fixture {
	t.Helper()
	dir := t.TempDir()
	f := fixture{Dir: dir, Root: filepath.Join(dir, "public")}
	f.Index = filepath.Join(f.Root, ".search")
	f.BigHTML = "<!DOCTYPE html><title>Lớn</title>" + strings.Repeat("<p>Ủy ban nhân dân tỉnh Hà Tĩnh họp phiên thường kỳ.</p>\n", 100)
	files := map[string]string{
		"index.html":                  "<!DOCTYPE html><title>Trang chủ</title>" + markHome,
		"404.html":                    "<!DOCTYPE html><title>404</title>" + markNotFound,
		"tin-tuc/index.html":          "<!DOCTYPE html><title>Tin tức</title>",
		"tin-tuc/bai-a/index.html":    "<!DOCTYPE html><title>Bài A</title>",
		"tim-kiem/index.html":         "<!DOCTYPE html><title>Tìm kiếm</title>" + markSearch,
		"big.html":                    f.BigHTML,
		"css/site.0123456789.css":     strings.Repeat("body{margin:0;padding:0}\n", 100),
		"js/app.js":                   "console.log(1)\n",
		"ghi-chu.txt":                 "xin chào\n",
		"feed.xml":                    "<rss/>",
		"anh/logo.png":                "\x89PNG\r\n\x1a\n" + strings.Repeat("\x00", 2000),
		".hidden":                     markSecret,
		"tin-tuc/.draft/index.html":   markSecret,
		"khong-co-index/readme.txt":   "x",
		"a/x":                         "x",
		"../config.toml":              "title = \"" + markSecret + "\"\n",
		"../outside/secret.txt":       markSecret,
		"../outside/index.html":       markSecret,
		"../outside/sub/index.html":   markSecret,
		"tin-tuc/bai-a/anh.webp":      "RIFF",
		"tai-lieu/van-ban.pdf":        "%PDF-1.4",
		"fonts/be-vietnam.woff2":      "wOF2",
		"favicon.ico":                 "\x00\x00\x01\x00",
		"tin-tuc/bai-a/hinh.svg":      "<svg xmlns='http://www.w3.org/2000/svg'/>",
		"data/so-lieu.json":           `{"a":1}`,
		"tin-tuc/bai-a/anh-lon.jpg":   "\xff\xd8\xff",
		"tin-tuc/bai-a/tep.unknownxx": "?",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(f.Root, filepath.FromSlash(name)), content)
	}
	for link, target := range map[string]string{
		"leak.txt":  filepath.Join(dir, "outside", "secret.txt"),
		"leak-dir":  filepath.Join(dir, "outside"),
		"leak-rel":  "../outside/secret.txt",
		"leak-conf": "../config.toml",
	} {
		if err := os.Symlink(target, filepath.Join(f.Root, link)); err != nil {
			t.Skipf("symlinks not supported here: %v", err)
		}
	}
	if docs != nil {
		buildIndex(t, f.Index, docs)
	}
	return f
}

func buildIndex(t *testing.T, dir string, docs []search.Document) {
	t.Helper()
	if _, err := search.Build(context.Background(), dir, "", docs); err != nil {
		t.Fatalf("building the test index: %v", err)
	}
}

var (
	haTinh  = search.Term{Name: "Hà Tĩnh", Slug: "ha-tinh"}
	ngheAn  = search.Term{Name: "Nghệ An", Slug: "nghe-an"}
	hoiNghi = search.Term{Name: "Hội nghị", Slug: "hoi-nghi"}
	giaoDuc = search.Term{Name: "Giáo dục", Slug: "giao-duc"}
)

// corpus returns n articles about "hội nghị": even ones in Hà Tĩnh (2024), odd ones in
// Nghệ An (2025), plus one about schools. word is put in every title so that two
// corpora can be told apart.
func corpus(n int, word string) []search.Document {
	var docs []search.Document
	for i := range n {
		d := search.Document{
			URL:     fmt.Sprintf("/tin-tuc/%s-%02d/", word, i),
			Title:   fmt.Sprintf("Hội nghị %s số %d", word, i),
			Summary: "Hội nghị tổng kết công tác năm của ủy ban nhân dân.",
			Body:    "Sáng nay, hội nghị đã diễn ra tại hội trường. Các đại biểu thảo luận về " + word + ".",
		}
		if i%2 == 0 {
			d.Provinces, d.Date = []search.Term{haTinh}, time.Date(2024, 3, 1+i%28, 8, 0, 0, 0, time.UTC)
		} else {
			d.Provinces, d.Date = []search.Term{ngheAn}, time.Date(2025, 5, 1+i%28, 8, 0, 0, 0, time.UTC)
		}
		d.Categories = []search.Term{hoiNghi}
		docs = append(docs, d)
	}
	docs = append(docs, search.Document{URL: "/tin-tuc/truong-hoc-" + word + "/", Title: "Khai giảng năm học mới " + word,
		Body: "Các trường học khai giảng.", Date: time.Date(2025, 9, 5, 8, 0, 0, 0, time.UTC),
		Provinces: []search.Term{haTinh}, Categories: []search.Term{giaoDuc}})
	return docs
}

// logRecorder is a Logf that keeps lines for assertions.
type logRecorder struct {
	mu    sync.Mutex
	lines []string
}

func (l *logRecorder) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func (l *logRecorder) count(substr string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, s := range l.lines {
		if strings.Contains(s, substr) {
			n++
		}
	}
	return n
}

// start serves a Handler built from opts on loopback.
func start(t *testing.T, opts Options) (*httptest.Server, *Handler) {
	t.Helper()
	h, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		_ = h.Close()
	})
	return srv, h
}

// rawClient does not follow redirects and does not decompress.
func rawClient() *http.Client {
	return &http.Client{
		Transport:     &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       10 * time.Second,
	}
}

type response struct {
	*http.Response
	Body string
}

// do sends a request with optional headers ("Name: value").
func do(t *testing.T, c *http.Client, method, u string, headers ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range headers {
		k, v, _ := strings.Cut(h, ":")
		req.Header.Set(strings.TrimSpace(k), strings.TrimSpace(v))
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, u, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res, string(b)}
}

// rawRequest sends a request target exactly as given (no client-side cleaning or
// escaping) over a fresh TCP connection.
func rawRequest(t *testing.T, srv *httptest.Server, method, target string) response {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(5 * time.Second))
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", method, target, u.Host)
	res, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res, string(b)}
}
