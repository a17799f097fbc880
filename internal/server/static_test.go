package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestStaticFiles(t *testing.T) {
	f := newFixture(t, nil)
	srv, _ := start(t, Options{Root: f.Root, Logf: t.Logf})
	c := rawClient()
	tests := []struct {
		path, wantType, wantBody, wantLocation string
		wantStatus                             int
	}{
		{path: "/", wantStatus: 200, wantType: "text/html; charset=utf-8", wantBody: markHome},
		{path: "/index.html", wantStatus: 200, wantType: "text/html; charset=utf-8", wantBody: markHome},
		{path: "/tin-tuc/", wantStatus: 200, wantBody: "<title>Tin tức</title>"},
		{path: "/tin-tuc/bai-a/", wantStatus: 200, wantBody: "Bài A"},
		{path: "/tin-tuc", wantStatus: 301, wantLocation: "/tin-tuc/"},
		{path: "/tin-tuc/bai-a?utm=1", wantStatus: 301, wantLocation: "/tin-tuc/bai-a/?utm=1"},
		{path: "/tim-kiem", wantStatus: 301, wantLocation: "/tim-kiem/"},
		{path: "/tim-kiem/", wantStatus: 200, wantBody: markSearch}, // no parameters: the static page
		{path: "/khong-co-index/", wantStatus: 404, wantBody: markNotFound},
		{path: "/khong-ton-tai/", wantStatus: 404, wantType: "text/html; charset=utf-8", wantBody: markNotFound},
		{path: "/khong-ton-tai.css", wantStatus: 404, wantBody: markNotFound},
		{path: "/tin-tuc/bai-a/index.html/", wantStatus: 404, wantBody: markNotFound},
		{path: "/css/site.0123456789.css", wantStatus: 200, wantType: "text/css; charset=utf-8"},
		{path: "/js/app.js", wantStatus: 200, wantType: "text/javascript; charset=utf-8"},
		{path: "/ghi-chu.txt", wantStatus: 200, wantType: "text/plain; charset=utf-8", wantBody: "xin chào"},
		{path: "/feed.xml", wantStatus: 200, wantType: "application/xml; charset=utf-8"},
		{path: "/data/so-lieu.json", wantStatus: 200, wantType: "application/json; charset=utf-8"},
		{path: "/tin-tuc/bai-a/hinh.svg", wantStatus: 200, wantType: "image/svg+xml; charset=utf-8"},
		{path: "/anh/logo.png", wantStatus: 200, wantType: "image/png"},
		{path: "/tin-tuc/bai-a/anh-lon.jpg", wantStatus: 200, wantType: "image/jpeg"},
		{path: "/tin-tuc/bai-a/anh.webp", wantStatus: 200, wantType: "image/webp"},
		{path: "/favicon.ico", wantStatus: 200, wantType: "image/x-icon"},
		{path: "/fonts/be-vietnam.woff2", wantStatus: 200, wantType: "font/woff2"},
		{path: "/tai-lieu/van-ban.pdf", wantStatus: 200, wantType: "application/pdf"},
		{path: "/tin-tuc/bai-a/tep.unknownxx", wantStatus: 200, wantType: "application/octet-stream"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res := do(t, c, "GET", srv.URL+tt.path)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d (body %.80q)", res.StatusCode, tt.wantStatus, res.Body)
			}
			if tt.wantType != "" && res.Header.Get("Content-Type") != tt.wantType {
				t.Errorf("Content-Type %q, want %q", res.Header.Get("Content-Type"), tt.wantType)
			}
			if !strings.Contains(res.Body, tt.wantBody) {
				t.Errorf("body %.100q does not contain %q", res.Body, tt.wantBody)
			}
			if got := res.Header.Get("Location"); got != tt.wantLocation {
				t.Errorf("Location %q, want %q", got, tt.wantLocation)
			}
		})
	}
}

func TestNotFoundWithout404Page(t *testing.T) {
	f := newFixture(t, nil)
	if err := os.Remove(filepath.Join(f.Root, "404.html")); err != nil {
		t.Fatal(err)
	}
	srv, _ := start(t, Options{Root: f.Root})
	res := do(t, rawClient(), "GET", srv.URL+"/khong-co/")
	if res.StatusCode != 404 || !strings.Contains(res.Body, "Không tìm thấy") {
		t.Fatalf("got %d %q, want 404 with a Vietnamese message", res.StatusCode, res.Body)
	}
}

func TestTraversalAndHiddenFiles(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, Logf: t.Logf})
	targets := []string{
		"/../etc/passwd",
		"/../config.toml",
		"/%2e%2e/%2e%2e/etc/passwd",
		"/%2E%2E/config.toml",
		"/.%2e/config.toml",
		"/..%2fconfig.toml",
		"/tin-tuc/..%2f..%2fconfig.toml",
		"/tin-tuc%2fbai-a/",
		"/a/..%5c..%5cx",
		"/a/..\\..\\config.toml",
		"/a%5cx",
		"/%00",
		"/index.html%00.txt",
		"/.search/",
		"/.search",
		"/.search/manifest.json",
		"/.search/manifest",
		"/%2esearch/manifest.json",
		"/.hidden",
		"/tin-tuc/.draft/",
		"/leak.txt",
		"/leak-dir/secret.txt",
		"/leak-dir/",
		"/leak-dir/sub/",
		"/leak-rel",
		"/leak-conf",
		"//etc/passwd",
		"/tin-tuc//bai-a/",
		"/api/search/../../config.toml",
		"/tim-kiem/..%2f..%2fconfig.toml?q=x",
	}
	for _, target := range targets {
		for _, method := range []string{"GET", "HEAD"} {
			res := rawRequest(t, srv, method, target)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s %s: status %d, want 404", method, target, res.StatusCode)
			}
			if strings.Contains(res.Body, markSecret) || strings.Contains(res.Body, "manifest") || strings.Contains(res.Body, "root:") {
				t.Errorf("%s %s leaked content: %.100q", method, target, res.Body)
			}
			if method == "GET" && !strings.Contains(res.Body, markNotFound) {
				t.Errorf("%s %s: body is not the 404 page: %.100q", method, target, res.Body)
			}
		}
	}
	// A symlink that stays inside Root still works.
	if err := os.Symlink("tin-tuc", filepath.Join(f.Root, "tin")); err != nil {
		t.Fatal(err)
	}
	if res := rawRequest(t, srv, "GET", "/tin/bai-a/"); res.StatusCode != 200 {
		t.Errorf("symlink inside Root: status %d, want 200", res.StatusCode)
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct {
		in, name string
		slash    bool
		ok       bool
	}{
		{"/", "index.html", true, true},
		{"/a/b/", "a/b/index.html", true, true},
		{"/a/b.css", "a/b.css", false, true},
		{"/tỉnh/hà-tĩnh/", "tỉnh/hà-tĩnh/index.html", true, true},
		{"a", "", false, false},
		{"/../x", "", false, false},
		{"/a/../x", "", false, false},
		{"/./x", "", false, false},
		{"/.well-known/x", "", false, false},
		{"/a//b", "", false, false},
		{"/a\\b", "", false, false},
		{"/a\x00b", "", false, false},
		{"/c:/x", "", false, false},
		{"/a\nb", "", false, false},
	}
	for _, tt := range tests {
		name, slash, ok := CleanName(tt.in)
		if name != tt.name || slash != tt.slash || ok != tt.ok {
			t.Errorf("CleanName(%q) = %q, %v, %v; want %q, %v, %v", tt.in, name, slash, ok, tt.name, tt.slash, tt.ok)
		}
	}
}

func TestMethods(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index})
	c := rawClient()
	for _, path := range []string{"/", "/tin-tuc/", "/api/search?q=x", "/tim-kiem/?q=x", "/khong-co/"} {
		for _, m := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"} {
			res := do(t, c, m, srv.URL+path)
			if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: %d Allow=%q, want 405 with Allow: GET, HEAD", m, path, res.StatusCode, res.Header.Get("Allow"))
			}
		}
	}
	get := do(t, c, "GET", srv.URL+"/big.html")
	head := do(t, c, "HEAD", srv.URL+"/big.html")
	if head.StatusCode != 200 || head.Body != "" || head.ContentLength != int64(len(get.Body)) {
		t.Errorf("HEAD: %d, body %d bytes, Content-Length %d; want 200, empty, %d", head.StatusCode, len(head.Body), head.ContentLength, len(get.Body))
	}
	if res := do(t, c, "HEAD", srv.URL+"/api/search?q=h%E1%BB%99i+ngh%E1%BB%8B"); res.StatusCode != 200 || res.Body != "" {
		t.Errorf("HEAD /api/search: %d %q", res.StatusCode, res.Body)
	}
}

func TestCaching(t *testing.T) {
	f := newFixture(t, nil)
	srv, _ := start(t, Options{Root: f.Root})
	c := rawClient()

	res := do(t, c, "GET", srv.URL+"/css/site.0123456789.css")
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("fingerprinted asset Cache-Control %q", got)
	}
	res = do(t, c, "GET", srv.URL+"/js/app.js")
	if got := res.Header.Get("Cache-Control"); strings.Contains(got, "immutable") {
		t.Errorf("plain asset must not be immutable: %q", got)
	}

	res = do(t, c, "GET", srv.URL+"/tin-tuc/")
	etag, lm := res.Header.Get("ETag"), res.Header.Get("Last-Modified")
	if etag == "" || lm == "" {
		t.Fatalf("missing ETag (%q) or Last-Modified (%q)", etag, lm)
	}
	if got := res.Header.Get("Cache-Control"); strings.Contains(got, "immutable") || got == "" {
		t.Errorf("HTML Cache-Control %q", got)
	}
	if r := do(t, c, "GET", srv.URL+"/tin-tuc/", "If-None-Match: "+etag); r.StatusCode != 304 || r.Body != "" {
		t.Errorf("If-None-Match: %d, want 304", r.StatusCode)
	}
	if r := do(t, c, "GET", srv.URL+"/tin-tuc/", "If-None-Match: \"other\""); r.StatusCode != 200 {
		t.Errorf("non-matching If-None-Match: %d, want 200", r.StatusCode)
	}
	if r := do(t, c, "GET", srv.URL+"/tin-tuc/", "If-Modified-Since: "+lm); r.StatusCode != 304 {
		t.Errorf("If-Modified-Since: %d, want 304", r.StatusCode)
	}
	old := time.Now().Add(-48 * time.Hour).UTC().Format(http.TimeFormat)
	if r := do(t, c, "GET", srv.URL+"/tin-tuc/", "If-Modified-Since: "+old); r.StatusCode != 200 {
		t.Errorf("old If-Modified-Since: %d, want 200", r.StatusCode)
	}
	// A rebuilt file gets a new ETag; the old one no longer matches.
	p := filepath.Join(f.Root, "tin-tuc", "index.html")
	writeFile(t, p, "<!DOCTYPE html><title>Tin tức mới</title>")
	later := time.Now().Add(time.Hour)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	r := do(t, c, "GET", srv.URL+"/tin-tuc/", "If-None-Match: "+etag)
	if r.StatusCode != 200 || !strings.Contains(r.Body, "Tin tức mới") || r.Header.Get("ETag") == etag {
		t.Errorf("after change: %d %q ETag %q (old %q)", r.StatusCode, r.Body, r.Header.Get("ETag"), etag)
	}
	// Ranges work on uncompressed responses.
	r = do(t, c, "GET", srv.URL+"/ghi-chu.txt", "Range: bytes=0-2")
	if r.StatusCode != 206 || r.Body != "xin" {
		t.Errorf("Range: %d %q, want 206 \"xin\"", r.StatusCode, r.Body)
	}
}

func TestGzip(t *testing.T) {
	f := newFixture(t, nil)
	srv, _ := start(t, Options{Root: f.Root})
	c := rawClient()

	res := do(t, c, "GET", srv.URL+"/big.html", "Accept-Encoding: br, gzip;q=0.8")
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Vary %q", res.Header.Get("Vary"))
	}
	zr, err := gzip.NewReader(strings.NewReader(res.Body))
	if err != nil {
		t.Fatal(err)
	}
	plainBody, err := io.ReadAll(zr)
	if err != nil || string(plainBody) != f.BigHTML {
		t.Fatalf("decompressed body differs from the file (err %v)", err)
	}
	if len(res.Body) >= len(f.BigHTML) {
		t.Errorf("compressed %d bytes ≥ original %d", len(res.Body), len(f.BigHTML))
	}
	gzTag := res.Header.Get("ETag")
	if r := do(t, c, "GET", srv.URL+"/big.html", "Accept-Encoding: gzip", "If-None-Match: "+gzTag); r.StatusCode != 304 {
		t.Errorf("gzip If-None-Match: %d, want 304", r.StatusCode)
	}

	id := do(t, c, "GET", srv.URL+"/big.html")
	if id.Header.Get("Content-Encoding") != "" || id.Body != f.BigHTML || !strings.Contains(id.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("identity response: encoding %q, Vary %q, body equal %v", id.Header.Get("Content-Encoding"), id.Header.Get("Vary"), id.Body == f.BigHTML)
	}
	if id.Header.Get("ETag") == gzTag {
		t.Error("gzip and identity representations share an ETag")
	}
	for _, tt := range []struct{ path, ae, rng string }{
		{"/big.html", "gzip;q=0", ""},
		{"/big.html", "identity", ""},
		{"/big.html", "gzip", "bytes=0-9"}, // ranges are served uncompressed
		{"/ghi-chu.txt", "gzip", ""},       // tiny
		{"/anh/logo.png", "gzip", ""},      // not text
	} {
		hs := []string{"Accept-Encoding: " + tt.ae}
		if tt.rng != "" {
			hs = append(hs, "Range: "+tt.rng)
		}
		r := do(t, c, "GET", srv.URL+tt.path, hs...)
		if r.Header.Get("Content-Encoding") != "" {
			t.Errorf("%s with %v: compressed, want identity", tt.path, hs)
		}
	}
	css := do(t, c, "GET", srv.URL+"/css/site.0123456789.css", "Accept-Encoding: gzip")
	if css.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("CSS not compressed")
	}
}

func TestAcceptsGzip(t *testing.T) {
	for ae, want := range map[string]bool{
		"": false, "gzip": true, "GZIP": true, "deflate, gzip": true, "gzip;q=0": false, "gzip; q=0.0": false,
		"gzip;q=0.5": true, "*": true, "br": false, "x-gzip": false, "identity;q=1, *;q=0": false,
	} {
		if got := acceptsGzip(ae); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", ae, got, want)
		}
	}
}

func TestSecurityHeadersEverywhere(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index})
	noIndex, _ := start(t, Options{Root: f.Root, IndexPath: filepath.Join(f.Dir, "khong-co")})
	c := rawClient()
	etag := do(t, c, "GET", srv.URL+"/").Header.Get("ETag")
	cases := []struct {
		name, method, url string
		headers           []string
		status            int
	}{
		{"static", "GET", srv.URL + "/", nil, 200},
		{"gzip", "GET", srv.URL + "/big.html", []string{"Accept-Encoding: gzip"}, 200},
		{"304", "GET", srv.URL + "/", []string{"If-None-Match: " + etag}, 304},
		{"301", "GET", srv.URL + "/tin-tuc", nil, 301},
		{"404", "GET", srv.URL + "/khong-co", nil, 404},
		{"405", "POST", srv.URL + "/", nil, 405},
		{"api", "GET", srv.URL + "/api/search?q=alpha", nil, 200},
		{"api 400", "GET", srv.URL + "/api/search?q=alpha&size=1000", nil, 400},
		{"search page", "GET", srv.URL + "/tim-kiem/?q=alpha", nil, 200},
		{"search page 400", "GET", srv.URL + "/tim-kiem/?q=alpha&trang=0", nil, 400},
		{"api 503", "GET", noIndex.URL + "/api/search?q=alpha", nil, 503},
		{"search page 503", "GET", noIndex.URL + "/tim-kiem/?q=alpha", nil, 503},
	}
	for _, tc := range cases {
		res := do(t, c, tc.method, tc.url, tc.headers...)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		for _, kv := range securityHeaders {
			if got := res.Header.Get(kv[0]); got != kv[1] {
				t.Errorf("%s: %s = %q, want %q", tc.name, kv[0], got, kv[1])
			}
		}
	}
	csp := securityHeaders[0][1]
	for _, d := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'", "img-src 'self' data:"} {
		if !strings.Contains(csp, d) {
			t.Errorf("CSP lacks %q", d)
		}
	}
	if bytes.Contains([]byte(csp), []byte("unsafe")) {
		t.Errorf("CSP allows unsafe sources: %s", csp)
	}
}
