package hardening

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/sitetest"
)

// smallSite writes and builds a site of a few articles; it returns the site folder.
func smallSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.toml": "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử nghiệm\"\ntheme = \"default\"\n",
	}
	for i := range 6 {
		files[fmt.Sprintf("content/tin-tuc/hoi-nghi-%d.md", i)] = fmt.Sprintf("---\ntitle: \"Hội nghị tổng kết số %d\"\ndate: 2024-03-%02d\nprovinces: [\"Hà Tĩnh\"]\ncategories: [\"Hội nghị\"]\n---\nSáng nay, hội nghị giáo dục lần %d đã diễn ra.\n", i, i+1, i)
	}
	sitetest.WriteFiles(t, dir, files)
	if _, err := build.Run(context.Background(), build.Options{SiteDir: dir}); err != nil {
		t.Fatalf("building the test site: %v", err)
	}
	return dir
}

// serveReal serves the site's public/ with the package's real http.Server settings
// (server.NewHTTPServer), adjusted by tune, on a loopback listener.
func serveReal(t *testing.T, siteDir string, tune func(*http.Server)) string {
	t.Helper()
	public := filepath.Join(siteDir, "public")
	h, err := server.New(server.Options{Root: public, IndexPath: filepath.Join(public, ".search"), Logf: t.Logf})
	if err != nil {
		t.Fatal(err)
	}
	srv := server.NewHTTPServer(h, t.Logf)
	if tune != nil {
		tune(srv)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() {
		_ = srv.Close()
		_ = h.Close()
	})
	return ln.Addr().String()
}

// rawExchange writes req on a fresh connection and reads one response.
func rawExchange(t *testing.T, addr, req string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, req); err != nil && !errors.Is(err, syscall.ECONNRESET) && !errors.Is(err, syscall.EPIPE) {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("reading the response: %v", err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestServerHardening(t *testing.T) {
	siteDir := smallSite(t)

	t.Run("slow headers are cut by ReadHeaderTimeout", func(t *testing.T) {
		const timeout = 300 * time.Millisecond
		addr := serveReal(t, siteDir, func(s *http.Server) {
			if s.ReadHeaderTimeout <= 0 || s.ReadHeaderTimeout > 10*time.Second {
				t.Errorf("NewHTTPServer's ReadHeaderTimeout is %s: slowloris clients could hold connections", s.ReadHeaderTimeout)
			}
			s.ReadHeaderTimeout = timeout
		})
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		start := time.Now()
		if _, err := io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n"); err != nil {
			t.Fatal(err)
		}
		closed := make(chan time.Duration, 1)
		go func() {
			_, _ = io.Copy(io.Discard, conn) // returns when the server closes
			closed <- time.Since(start)
		}()
		// Trickle one header line every 50 ms for up to 5 s: a client that never ends
		// its headers.
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			select {
			case took := <-closed:
				if took > 10*timeout {
					t.Errorf("connection closed after %s, want about %s", took, timeout)
				}
				return
			case <-tick.C:
				if time.Since(start) > 5*time.Second {
					t.Fatalf("the server still reads a header trickle after %s (ReadHeaderTimeout %s)", time.Since(start), timeout)
				}
				_, _ = fmt.Fprintf(conn, "X-Nhoi-%d: a\r\n", i)
			}
		}
	})

	t.Run("oversized headers get 431", func(t *testing.T) {
		addr := serveReal(t, siteDir, nil)
		big := strings.Repeat("a", server.MaxHeaderBytes+8<<10)
		res, _ := rawExchange(t, addr, "GET / HTTP/1.1\r\nHost: x\r\nX-Lon: "+big+"\r\nConnection: close\r\n\r\n")
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("status %d, want 431", res.StatusCode)
		}
		// Many small headers add up the same way.
		var b strings.Builder
		for i := 0; b.Len() < server.MaxHeaderBytes+8<<10; i++ {
			fmt.Fprintf(&b, "X-H%d: %s\r\n", i, strings.Repeat("b", 100))
		}
		res, _ = rawExchange(t, addr, "GET /api/search?q=a HTTP/1.1\r\nHost: x\r\n"+b.String()+"Connection: close\r\n\r\n")
		if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("many headers: status %d, want 431", res.StatusCode)
		}
	})

	t.Run("write methods with a body get 405", func(t *testing.T) {
		addr := serveReal(t, siteDir, nil)
		body := strings.Repeat("x", 1<<20)
		for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
			for _, p := range []string{"/", "/api/search?q=a", "/tim-kiem/?q=a", "/tin-tuc/hoi-nghi-1/"} {
				start := time.Now()
				res, _ := rawExchange(t, addr, fmt.Sprintf("%s %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", m, p, len(body), body))
				if res.StatusCode != http.StatusMethodNotAllowed {
					t.Errorf("%s %s: status %d, want 405", m, p, res.StatusCode)
				}
				if took := time.Since(start); took > 5*time.Second {
					t.Errorf("%s %s took %s", m, p, took)
				}
			}
		}
	})

	t.Run("no directory listings, no index files", func(t *testing.T) {
		addr := serveReal(t, siteDir, nil)
		public := filepath.Join(siteDir, "public")
		var dirs []string
		_ = filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				rel, _ := filepath.Rel(public, p)
				dirs = append(dirs, "/"+strings.TrimPrefix(filepath.ToSlash(rel), ".")+"/")
			}
			return nil
		})
		dirs = append(dirs, "/.search/", "/.search/manifest.json", "/.search/store/", "/css", "/../", "/%2e%2e/", "/.search/hashes.json")
		listing := regexp.MustCompile(`(?i)<pre>\s*<a href=|index of /`)
		for _, d := range dirs {
			d = strings.ReplaceAll(d, "//", "/")
			res, body := rawExchange(t, addr, "GET "+d+" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
			_, indexErr := os.Stat(filepath.Join(public, filepath.FromSlash(d), "index.html"))
			switch {
			case listing.MatchString(body):
				t.Errorf("GET %s: a directory listing", d)
			case strings.HasPrefix(d, "/.search") && res.StatusCode != http.StatusNotFound:
				t.Errorf("GET %s: status %d; the search index must not be downloadable", d, res.StatusCode)
			case indexErr != nil && res.StatusCode == http.StatusOK:
				t.Errorf("GET %s: 200 for a folder without index.html", d)
			case strings.Contains(body, `"generation"`) || strings.Contains(body, `"crc32c"`):
				t.Errorf("GET %s: serves index internals", d)
			}
		}
	})

	t.Run("SIGTERM stops portal serve cleanly", func(t *testing.T) {
		testServeSIGTERM(t, siteDir)
	})

	// Last: it damages the index.
	t.Run("corrupt index gives 503 with a message", func(t *testing.T) {
		testCorruptIndex(t, siteDir)
	})
}

// portalServe starts a real `portal serve` process on a free loopback port and returns
// its base URL, the process, its remaining stdout lines and its stderr.
func portalServe(ctx context.Context, t *testing.T, siteDir string) (base string, cmd *exec.Cmd, lines <-chan string, stderr *strings.Builder) {
	t.Helper()
	cmd = portalCmd(ctx, t, "serve", "--source", siteDir, "--addr", "127.0.0.1:0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr = &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	ch := make(chan string, 16)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			ch <- sc.Text()
		}
		close(ch)
	}()
	urlRe := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	for base == "" {
		select {
		case l, ok := <-ch:
			if !ok {
				t.Fatalf("portal serve exited before listening: %s", stderr.String())
			}
			base = urlRe.FindString(l)
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatal("portal serve printed no address within 30 s")
		}
	}
	return base, cmd, ch, stderr
}

func testServeSIGTERM(t *testing.T, siteDir string) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	base, cmd, lines, stderr := portalServe(ctx, t, siteDir)
	for _, p := range []string{"", "api/search?q=h%E1%BB%99i+ngh%E1%BB%8B"} {
		res, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != 200 {
			t.Errorf("GET %s%s: %d", base, p, res.StatusCode)
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var rest []string
	for l := range lines {
		rest = append(rest, l)
	}
	waitErr := make(chan error, 1)
	start := time.Now()
	go func() { waitErr <- cmd.Wait() }()
	select {
	case err := <-waitErr:
		if err != nil {
			t.Errorf("portal serve after SIGTERM: %v (want exit 0); stderr: %s", err, stderr.String())
		}
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("portal serve still running %s after SIGTERM", time.Since(start))
	}
	if !strings.Contains(strings.Join(rest, "\n"), "Đã dừng") {
		t.Errorf("no shutdown message on stdout: %q", rest)
	}
	if _, err := http.Get(base); err == nil {
		t.Error("the port still answers after shutdown")
	}
}

func testCorruptIndex(t *testing.T, siteDir string) {
	index := filepath.Join(siteDir, "public", ".search")
	// Truncate the largest file of the index (a segment of the store).
	var victim string
	var size int64
	_ = filepath.WalkDir(index, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil && fi.Size() > size && d.Name() != "manifest.json" {
				victim, size = p, fi.Size()
			}
		}
		return nil
	})
	if victim == "" {
		t.Fatal("the index has no files")
	}
	if err := os.Truncate(victim, size/2); err != nil {
		t.Fatal(err)
	}
	t.Logf("truncated %s from %d to %d bytes", victim, size, size/2)
	if ix, err := search.Open(index); err == nil {
		ix.Close()
		t.Fatalf("search.Open accepted an index whose %s was truncated", filepath.Base(victim))
	}

	addr := serveReal(t, siteDir, nil)
	res, body := rawExchange(t, addr, "GET /api/search?q=h%E1%BB%99i+ngh%E1%BB%8B HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	var apiErr struct {
		Error string `json:"error"`
		Hits  []any  `json:"hits"`
	}
	if err := json.Unmarshal([]byte(body), &apiErr); err != nil {
		t.Fatalf("/api/search body is not JSON: %v: %q", err, body)
	}
	if res.StatusCode != http.StatusServiceUnavailable || apiErr.Error == "" || apiErr.Hits != nil {
		t.Errorf("/api/search on a corrupt index: %d %q; want 503 with an error message and no hits", res.StatusCode, body)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Errorf("/api/search 503 without Retry-After")
	}
	res, body = rawExchange(t, addr, "GET /tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/tim-kiem/ on a corrupt index: %d, want 503", res.StatusCode)
	}
	s := scanHTML([]byte(body))
	if !strings.Contains(s.text, apiErr.Error) {
		t.Errorf("/tim-kiem/ on a corrupt index does not tell the citizen why (%q missing)", apiErr.Error)
	}
	if strings.Contains(s.text, "Hội nghị tổng kết số") {
		t.Errorf("/tim-kiem/ on a corrupt index shows results")
	}
}
