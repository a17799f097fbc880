package server

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/publish"
)

// publishSite writes files into a fresh output folder with the real publish.Writer and
// precompression on, and returns the folder.
func publishSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	w, err := publish.Begin(context.Background(), dest, publish.Options{Precompress: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		if err := w.Add(publish.File{Rel: rel, Data: []byte(files[rel]), Source: rel, Kind: publish.Final}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	return dest
}

// bigJSON is about n bytes of JSON records, as a province's open data file.
func bigJSON(n int) string {
	var b strings.Builder
	b.WriteString("[")
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, `{"id":%d,"ten":"Ủy ban nhân dân xã %d","ma":"%06d","dan_so":%d},`, i, i, i*7, (i*7919)%100000)
	}
	b.WriteString("{}]")
	return b.String()
}

func gunzipString(t *testing.T, s string) string {
	t.Helper()
	zr, err := gzip.NewReader(strings.NewReader(s))
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestServesPrecompressedSibling(t *testing.T) {
	page := "<!DOCTYPE html><title>Trang</title>" + strings.Repeat("<p>Sở Thông tin và Truyền thông tỉnh Hà Tĩnh thông báo.</p>\n", 80)
	data := bigJSON(1 << 20) // over maxGzip: never compressed per request
	root := publishSite(t, map[string]string{
		"index.html":       page,
		"du-lieu/xa.json":  data,
		"ban-do.xml.gz":    "\x1f\x8b nén sẵn, không có ban-do.xml",
		"404.html":         "<!DOCTYPE html><title>404</title>" + markNotFound,
		"tai-lieu/doc.txt": "ngắn",
	})
	for _, rel := range []string{"index.html", "du-lieu/xa.json"} {
		if _, err := os.Stat(filepath.Join(root, filepath.FromSlash(rel)) + ".gz"); err != nil {
			t.Fatalf("publish wrote no sibling for %s: %v", rel, err)
		}
	}
	srv, _ := start(t, Options{Root: root, Logf: t.Logf})
	c := rawClient()

	for _, tc := range []struct{ path, rel, body string }{{"/", "index.html", page}, {"/du-lieu/xa.json", "du-lieu/xa.json", data}} {
		t.Run(tc.rel, func(t *testing.T) {
			sibling, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(tc.rel)) + ".gz")
			if err != nil {
				t.Fatal(err)
			}
			gz := do(t, c, "GET", srv.URL+tc.path, "Accept-Encoding: gzip, deflate, br")
			if gz.StatusCode != 200 || gz.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("status %d, Content-Encoding %q; want 200 gzip", gz.StatusCode, gz.Header.Get("Content-Encoding"))
			}
			if gz.Body != string(sibling) {
				t.Error("the body is not the precompressed sibling")
			}
			if gunzipString(t, gz.Body) != tc.body {
				t.Error("the body does not decompress to the file")
			}
			if gz.Header.Get("Content-Length") != strconv.Itoa(len(sibling)) {
				t.Errorf("Content-Length %q, want %d", gz.Header.Get("Content-Length"), len(sibling))
			}
			if !strings.Contains(gz.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", gz.Header.Get("Vary"))
			}
			gzTag := gz.Header.Get("ETag")
			if !strings.HasSuffix(gzTag, `-gz"`) {
				t.Errorf("ETag %q, want the -gz suffix", gzTag)
			}
			if ct := gz.Header.Get("Content-Type"); !strings.Contains(ct, "charset=utf-8") || strings.Contains(ct, "gzip") {
				t.Errorf("Content-Type %q: want the file's own type", ct)
			}

			id := do(t, c, "GET", srv.URL+tc.path)
			if id.StatusCode != 200 || id.Header.Get("Content-Encoding") != "" || id.Body != tc.body {
				t.Errorf("without Accept-Encoding: %d, encoding %q, body equal %v", id.StatusCode, id.Header.Get("Content-Encoding"), id.Body == tc.body)
			}
			if id.Header.Get("ETag") == gzTag || !strings.Contains(id.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("identity ETag %q (gzip %q), Vary %q", id.Header.Get("ETag"), gzTag, id.Header.Get("Vary"))
			}
			if id.Header.Get("Content-Length") != strconv.Itoa(len(tc.body)) {
				t.Errorf("identity Content-Length %q, want %d", id.Header.Get("Content-Length"), len(tc.body))
			}

			head := do(t, c, "HEAD", srv.URL+tc.path, "Accept-Encoding: gzip")
			if head.StatusCode != 200 || head.Body != "" || head.Header.Get("Content-Encoding") != "gzip" || head.Header.Get("Content-Length") != strconv.Itoa(len(sibling)) {
				t.Errorf("HEAD: %d, %d body bytes, encoding %q, Content-Length %q; want 200, 0, gzip, %d",
					head.StatusCode, len(head.Body), head.Header.Get("Content-Encoding"), head.Header.Get("Content-Length"), len(sibling))
			}

			lm := gz.Header.Get("Last-Modified")
			for _, cond := range [][]string{{"If-None-Match: " + gzTag}, {"If-None-Match: W/" + gzTag}, {"If-Modified-Since: " + lm}} {
				r := do(t, c, "GET", srv.URL+tc.path, append(cond, "Accept-Encoding: gzip")...)
				if r.StatusCode != 304 || r.Body != "" || r.Header.Get("ETag") != gzTag {
					t.Errorf("%v: %d, ETag %q; want 304 with %s", cond, r.StatusCode, r.Header.Get("ETag"), gzTag)
				}
			}
			if r := do(t, c, "GET", srv.URL+tc.path, "Accept-Encoding: gzip", `If-Match: "autre"`); r.StatusCode != 412 || r.Body != "" {
				t.Errorf("If-Match: %d with %d bytes, want 412 without a body", r.StatusCode, len(r.Body))
			}
			// The identity ETag does not match the compressed representation, nor the reverse.
			if r := do(t, c, "GET", srv.URL+tc.path, "Accept-Encoding: gzip", "If-None-Match: "+id.Header.Get("ETag")); r.StatusCode != 200 {
				t.Errorf("identity ETag for the gzip representation: %d, want 200", r.StatusCode)
			}
			if r := do(t, c, "GET", srv.URL+tc.path, "If-None-Match: "+gzTag); r.StatusCode != 200 || r.Body != tc.body {
				t.Errorf("gzip ETag for the identity representation: %d, want 200", r.StatusCode)
			}
			// A range is served from the file itself.
			r := do(t, c, "GET", srv.URL+tc.path, "Accept-Encoding: gzip", "Range: bytes=0-9")
			if r.StatusCode != 206 || r.Body != tc.body[:10] || r.Header.Get("Content-Encoding") != "" {
				t.Errorf("Range: %d %q encoding %q, want 206 %q uncompressed", r.StatusCode, r.Body, r.Header.Get("Content-Encoding"), tc.body[:10])
			}
		})
	}

	t.Run("siblings are not pages", func(t *testing.T) {
		for _, p := range []string{"/index.html.gz", "/du-lieu/xa.json.gz"} {
			for _, m := range []string{"GET", "HEAD"} {
				if r := do(t, c, m, srv.URL+p, "Accept-Encoding: gzip"); r.StatusCode != 404 {
					t.Errorf("%s %s: %d, want 404", m, p, r.StatusCode)
				}
			}
		}
		// A .gz file with no file beside it is an ordinary download.
		if r := do(t, c, "GET", srv.URL+"/ban-do.xml.gz"); r.StatusCode != 200 || r.Header.Get("Content-Type") != "application/octet-stream" {
			t.Errorf("a lone .gz file: %d %q, want 200 application/octet-stream", r.StatusCode, r.Header.Get("Content-Type"))
		}
	})

	t.Run("a stale sibling is not sent", func(t *testing.T) {
		// Files edited in place after the build: newer than their siblings.
		later := time.Now().Add(time.Hour)
		for rel, body := range map[string]string{"index.html": page, "du-lieu/xa.json": data} {
			p := filepath.Join(root, filepath.FromSlash(rel))
			edited := strings.Replace(strings.Replace(body, "1", "2", 1), "Trang", "TRANG", 1) // same size
			writeFile(t, p, edited)
			if err := os.Chtimes(p, later, later); err != nil {
				t.Fatal(err)
			}
		}
		r := do(t, c, "GET", srv.URL+"/", "Accept-Encoding: gzip")
		if r.Header.Get("Content-Encoding") != "gzip" || gunzipString(t, r.Body) != strings.Replace(page, "Trang", "TRANG", 1) {
			t.Errorf("small page with a stale sibling: encoding %q; want the edited page compressed per request", r.Header.Get("Content-Encoding"))
		}
		r = do(t, c, "GET", srv.URL+"/du-lieu/xa.json", "Accept-Encoding: gzip")
		if r.Header.Get("Content-Encoding") != "" || r.Body == data || len(r.Body) != len(data) {
			t.Errorf("large file with a stale sibling: encoding %q; want the edited file uncompressed", r.Header.Get("Content-Encoding"))
		}
	})
}

func TestLargeFileWithoutSiblingIsNotCompressed(t *testing.T) {
	f := newFixture(t, nil)
	data := bigJSON(8_000_000)
	writeFile(t, filepath.Join(f.Root, "du-lieu", "lon.json"), data)
	mid := bigJSON(maxGzip)[:maxGzip] // the largest file compressed per request
	writeFile(t, filepath.Join(f.Root, "du-lieu", "vua.json"), mid)
	srv, _ := start(t, Options{Root: f.Root, Logf: t.Logf})
	c := rawClient()
	r := do(t, c, "GET", srv.URL+"/du-lieu/lon.json", "Accept-Encoding: gzip")
	if r.StatusCode != 200 || r.Header.Get("Content-Encoding") != "" || r.Body != data {
		t.Errorf("8 MB JSON without a sibling: %d, Content-Encoding %q, body equal %v; want it sent as it is", r.StatusCode, r.Header.Get("Content-Encoding"), r.Body == data)
	}
	if r.Header.Get("Content-Length") != strconv.Itoa(len(data)) || !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("Content-Length %q, Vary %q", r.Header.Get("Content-Length"), r.Header.Get("Vary"))
	}
	r = do(t, c, "GET", srv.URL+"/du-lieu/vua.json", "Accept-Encoding: gzip")
	if r.Header.Get("Content-Encoding") != "gzip" || gunzipString(t, r.Body) != mid {
		t.Errorf("%d bytes without a sibling: Content-Encoding %q, want gzip", len(mid), r.Header.Get("Content-Encoding"))
	}
}

func TestCompressibleTypesAgree(t *testing.T) {
	for ext, ct := range contentTypes {
		text := strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml")
		if got := publish.Compressible("a" + ext); got != text {
			t.Errorf("%s (%s): publish.Compressible = %v, want %v", ext, ct, got, text)
		}
	}
	if ct := contentType("site.webmanifest"); ct != "application/manifest+json; charset=utf-8" {
		t.Errorf("webmanifest: %q", ct)
	}
}
