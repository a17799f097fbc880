package server

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

func TestRangeCap(t *testing.T) {
	f := newFixture(t, nil)
	page := strings.Repeat("Cổng thông tin điện tử tỉnh Hà Tĩnh. ", 300) // 11 KB
	writeFile(t, filepath.Join(f.Root, "trang.txt"), page)
	srv, _ := start(t, Options{Root: f.Root})
	c := rawClient()
	ranges := func(n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf("%d-%d", 2*i, 2*i))
		}
		return "Range: bytes=" + strings.Join(parts, ",")
	}
	for _, ae := range []string{"Accept-Encoding: identity", "Accept-Encoding: gzip"} {
		r := do(t, c, "GET", srv.URL+"/trang.txt", ranges(1000), ae)
		if r.StatusCode != 200 || len(r.Body) > len(page) {
			t.Errorf("1000 one-byte ranges (%s): %d with %d bytes, want 200 with at most the file's %d", ae, r.StatusCode, len(r.Body), len(page))
		}
		if ae == "Accept-Encoding: identity" && r.Body != page {
			t.Error("1000 ranges: the body is not the file")
		}
	}
	r := do(t, c, "GET", srv.URL+"/trang.txt", ranges(maxRanges+1))
	if r.StatusCode != 200 {
		t.Errorf("%d ranges: %d, want 200", maxRanges+1, r.StatusCode)
	}
	r = do(t, c, "GET", srv.URL+"/trang.txt", ranges(maxRanges))
	if r.StatusCode != 206 || !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/byteranges") {
		t.Errorf("%d ranges: %d %q, want 206 multipart/byteranges", maxRanges, r.StatusCode, r.Header.Get("Content-Type"))
	}
	// Empty elements do not count ("bytes=0-1,,,,").
	r = do(t, c, "GET", srv.URL+"/trang.txt", "Range: bytes=0-2"+strings.Repeat(",", 50))
	if r.StatusCode != 206 || r.Body != page[:3] {
		t.Errorf("one range with empty elements: %d %q", r.StatusCode, r.Body)
	}
}
