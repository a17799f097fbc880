package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"
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

// exchange writes raw on a new connection to srv and reads every response the server
// sends until it closes the connection or goes quiet for a second.
func exchange(t *testing.T, srv *httptest.Server, raw string) (res []*http.Response, bodies []string, closed bool) {
	t.Helper()
	u, _ := url.Parse(srv.URL)
	conn, err := net.DialTimeout("tcp", u.Host, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	for {
		_ = conn.SetReadDeadline(time.Now().Add(time.Second))
		r, err := http.ReadResponse(br, nil)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return res, bodies, false
			}
			return res, bodies, true // EOF or reset: closed by the server
		}
		b, _ := io.ReadAll(r.Body)
		r.Body.Close()
		res, bodies = append(res, r), append(bodies, string(b))
	}
}

func TestChunkedRequestsCloseTheConnection(t *testing.T) {
	f := newFixture(t, nil)
	srv, _ := start(t, Options{Root: f.Root})
	const next = "GET /tin-tuc/ HTTP/1.1\r\nHost: x\r\n\r\n"
	for name, req := range map[string]string{
		"Content-Length and Transfer-Encoding": "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"Transfer-Encoding and Content-Length": "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n",
		"Transfer-Encoding alone":              "GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
		"HEAD":                                 "HEAD / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
	} {
		t.Run(name, func(t *testing.T) {
			res, bodies, closed := exchange(t, srv, req+next)
			if len(res) != 1 || !closed {
				t.Fatalf("%d responses, closed %v; want one answer, then the connection closed", len(res), closed)
			}
			if res[0].StatusCode != http.StatusBadRequest || !res[0].Close {
				t.Errorf("status %d, Connection %q; want 400 and close", res[0].StatusCode, res[0].Header.Get("Connection"))
			}
			if strings.HasPrefix(req, "GET") && !strings.Contains(bodies[0], "Transfer-Encoding") {
				t.Errorf("body %q: want a message naming Transfer-Encoding", bodies[0])
			}
		})
	}
	// Ordinary requests keep the connection open.
	res, _, closed := exchange(t, srv, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n"+next)
	if len(res) != 2 || closed || res[0].StatusCode != 200 || res[1].StatusCode != 200 {
		t.Errorf("two plain requests: %d responses, closed %v", len(res), closed)
	}
}
