// Package deploy holds the files the provincial IT centre copies to its servers (nginx,
// Caddy, systemd) and the tests that run them for real: the sample site built by the real
// pipeline, two `portal serve` replicas as separate processes, and nginx (or Caddy) started
// with the files of this folder, paths and ports substituted into a temporary copy.
//
// The tests live here, beside the files they check, so that a change to a configuration
// file and its test are one diff; nothing outside the tests imports this package.
package deploy

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/cli"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/sitetest"
)

// serveEnv, when set in the environment of this test binary, makes it run
// `portal serve --source <value> --addr 127.0.0.1:0` instead of the tests: the replicas are
// real processes (stopping one is a real crash for nginx), without a separate `go build`.
const serveEnv = "PORTAL_DEPLOYTEST_SERVE"

func TestMain(m *testing.M) {
	if src := os.Getenv(serveEnv); src != "" {
		os.Exit(cli.Main([]string{"serve", "--source", src, "--addr", "127.0.0.1:0"},
			cli.Env{Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// tool returns the path of a program the test needs, looking in PATH and then in dirs. A
// missing program skips the test, unless CI is set: CI installs it (.ci/run), so its
// absence there is a failure.
func tool(t *testing.T, name string, dirs ...string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed; .ci/run should install it", name)
	}
	t.Skipf("%s is not installed; skipping the deployment test (apt-get install %s)", name, name)
	return ""
}

// world is a temporary folder readable by every user: nginx runs as "nobody" when the
// tests run as root, and must read the output folder and write its logs.
func world(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "portal-deploy-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// buildSample copies the repository's sample site into dir/site and builds it with the
// real `portal build` (in process), with a cache folder of its own. It returns the site
// folder (public/ is its output).
func buildSample(t *testing.T, dir string) string {
	t.Helper()
	root := sitetest.RepoRoot(t)
	site := filepath.Join(dir, "site")
	for _, part := range []string{"content", "themes"} {
		sitetest.CopyTree(t, filepath.Join(root, part), filepath.Join(site, part))
	}
	cfg, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	sitetest.WriteFiles(t, site, map[string]string{"config.toml": string(cfg)})
	build(t, dir, site)
	// Only the folders the test made are opened up for nginx's user ("nobody"); the
	// output keeps the modes the build gave it, which the web server's user must be able
	// to read.
	for _, d := range []string{dir, site} {
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return site
}

// build runs `portal build` on site (in process), with the cache folder dir/cache.
func build(t *testing.T, dir, site string) {
	t.Helper()
	var out, errs bytes.Buffer
	code := cli.Main([]string{"build", "--source", site, "--cache-dir", filepath.Join(dir, "cache")},
		cli.Env{Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }})
	if code != cli.ExitOK {
		t.Fatalf("portal build exited with %d:\n%s\n%s", code, out.String(), errs.String())
	}
}

// searchTotal asks base's /api/search for words and returns the number of hits.
func searchTotal(t *testing.T, c *http.Client, base, words string) int {
	t.Helper()
	a := get(t, c, base, "/api/search?q="+url.QueryEscape(words))
	var r struct {
		Total int `json:"total"`
	}
	if a.status != http.StatusOK || json.Unmarshal(a.body, &r) != nil {
		t.Fatalf("search %q at %s: %d %.200s", words, base, a.status, a.body)
	}
	return r.Total
}

// replica is one `portal serve` process.
type replica struct {
	cmd  *exec.Cmd
	addr string // host:port
	done chan struct{}
	log  *bytes.Buffer
	mu   *sync.Mutex
}

// startReplica starts `portal serve --source site` on a free loopback port and waits
// until it prints its address.
func startReplica(t *testing.T, site string) *replica {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe)
	cmd.Env = append(os.Environ(), serveEnv+"="+site)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	r := &replica{cmd: cmd, done: make(chan struct{}), log: &bytes.Buffer{}, mu: &sync.Mutex{}}
	cmd.Stderr = lockedWriter{r.mu, r.log}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrc := make(chan string, 1)
	go func() {
		re := regexp.MustCompile(`http://(127\.0\.0\.1:[0-9]+)/`)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if m := re.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case addrc <- m[1]:
				default:
				}
			}
		}
	}()
	go func() { _ = cmd.Wait(); close(r.done) }()
	t.Cleanup(r.stop)
	select {
	case r.addr = <-addrc:
	case <-r.done:
		t.Fatalf("portal serve exited before serving:\n%s", r.logText())
	case <-time.After(20 * time.Second):
		t.Fatalf("portal serve printed no address within 20 s:\n%s", r.logText())
	}
	return r
}

// stop ends the replica (SIGTERM, then SIGKILL) and waits for it.
func (r *replica) stop() {
	select {
	case <-r.done:
		return
	default:
	}
	_ = r.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-r.done:
	case <-time.After(10 * time.Second):
		_ = r.cmd.Process.Kill()
		<-r.done
	}
}

func (r *replica) logText() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.log.String()
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// freePort returns a loopback port nothing listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// substitute replaces each old string of the pairs in text, failing the test when one is
// missing: the deployment files must keep the placeholders the README tells users to edit.
func substitute(t *testing.T, name, text string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(text, pairs[i]) {
			t.Fatalf("%s no longer contains %q (the placeholder the README and the test rely on)", name, pairs[i])
		}
		text = strings.ReplaceAll(text, pairs[i], pairs[i+1])
	}
	return text
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// asNobody makes cmd run as the user "nobody" when the test runs as root.
func asNobody(cmd *exec.Cmd) {
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
	}
}

// waitListening waits until something accepts connections on the loopback port.
func waitListening(t *testing.T, port int, exited <-chan struct{}, logs func() string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			t.Fatalf("the server exited at start:\n%s", logs())
		default:
		}
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second)
		if err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("nothing listens on port %d after 15 s:\n%s", port, logs())
}

// client sends requests as a browser would, but without Go's transparent gzip, so that
// Content-Encoding is seen as sent.
func client() *http.Client {
	return &http.Client{
		Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 64},
		Timeout:   15 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// answer is a response with its body read.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, c *http.Client, base, path string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s%s: %v", base, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s%s: reading: %v", base, path, err)
	}
	return answer{resp.StatusCode, resp.Header, body}
}

// perResponse are the headers that differ between two servers sending the same file
// (dates, validators, framing, the server's name); every other header `portal serve`
// sends must come from the front server too, with the same value.
var perResponse = map[string]bool{
	"Date": true, "Etag": true, "Last-Modified": true, "Content-Length": true,
	"Accept-Ranges": true, "Connection": true, "Keep-Alive": true, "Server": true,
	"Transfer-Encoding": true, "Alt-Svc": true,
}

// sameHeaders fails when front lacks a header that direct (portal serve) sent on the same
// request, or sends it with another value; and when front lacks one of
// server.SetSecurityHeaders' headers (should portal serve ever stop sending one too).
func sameHeaders(t *testing.T, what string, direct, front http.Header) {
	t.Helper()
	for k, v := range direct {
		if perResponse[k] {
			continue
		}
		if got := front.Values(k); strings.Join(got, ", ") != strings.Join(v, ", ") {
			t.Errorf("%s: portal serve sends %s: %q, the front server sends %q", what, k, v, got)
		}
	}
	want := http.Header{}
	server.SetSecurityHeaders(want)
	for k := range want {
		if got := front.Values(k); len(got) != 1 || got[0] != want.Get(k) {
			t.Errorf("%s: security header %s is %q through the front server, want exactly %q", what, k, got, want.Get(k))
		}
	}
}

// fingerprinted returns the URL path of a fingerprinted asset of the output.
func fingerprinted(t *testing.T, public string) string {
	t.Helper()
	var found string
	_ = filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err != nil || found != "" {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && publish.Fingerprinted(d.Name()) && strings.HasSuffix(d.Name(), ".css") {
			rel, _ := filepath.Rel(public, p)
			found = "/" + filepath.ToSlash(rel)
		}
		return nil
	})
	if found == "" {
		t.Fatalf("no fingerprinted CSS file in %s", public)
	}
	return found
}

// precompressed returns the URL path of a page whose .gz sibling the build wrote, and the
// sibling's bytes.
func precompressed(t *testing.T, public string) (string, []byte) {
	t.Helper()
	for _, p := range []string{"index.html", "sitemap.xml"} {
		if b, err := os.ReadFile(filepath.Join(public, p+publish.GzipSuffix)); err == nil {
			return "/" + strings.TrimSuffix(p, "index.html"), b
		}
	}
	t.Fatalf("the build wrote no .gz sibling of index.html or sitemap.xml in %s", public)
	return "", nil
}

// searchPaths are requests the search replicas answer.
var searchPaths = []string{
	"/api/search?q=" + url.QueryEscape("hội nghị"),
	"/api/search?q=chuyen+doi+so",
	"/tim-kiem/?q=" + url.QueryEscape("công nghệ"),
}

// checkFront checks what the front server sends for pages, assets, missing pages and
// refused files, against `portal serve` at direct. redirect is the status the front
// server answers a folder without its slash with (portal serve: 301).
func checkFront(t *testing.T, c *http.Client, front, direct, public string, redirect int) {
	t.Helper()
	t.Run("pages", func(t *testing.T) {
		for _, p := range []string{"/", "/sitemap.xml"} {
			a := get(t, c, front, p)
			d := get(t, c, direct, p)
			if a.status != http.StatusOK || !bytes.Equal(a.body, d.body) {
				t.Fatalf("GET %s through the front server: status %d, %d bytes; portal serve sends %d bytes", p, a.status, len(a.body), len(d.body))
			}
			sameHeaders(t, "page "+p, d.header, a.header)
			if cc := a.header.Get("Cache-Control"); cc != "no-cache" {
				t.Errorf("page %s: Cache-Control %q, want no-cache (revalidate)", p, cc)
			}
			etag := a.header.Get("ETag")
			if etag == "" {
				t.Fatalf("page %s has no ETag", p)
			}
			if r := get(t, c, front, p, "If-None-Match", etag); r.status != http.StatusNotModified {
				t.Errorf("page %s with If-None-Match %s: status %d, want 304", p, etag, r.status)
			}
		}
		// A folder without its slash is redirected like portal serve does.
		a := get(t, c, front, "/tin-tuc")
		d := get(t, c, direct, "/tin-tuc")
		if a.status != redirect || a.header.Get("Location") != d.header.Get("Location") {
			t.Errorf("/tin-tuc: front %d → %q, portal serve %d → %q", a.status, a.header.Get("Location"), d.status, d.header.Get("Location"))
		}
	})
	t.Run("fingerprinted asset", func(t *testing.T) {
		p := fingerprinted(t, public)
		a := get(t, c, front, p)
		d := get(t, c, direct, p)
		if a.status != http.StatusOK || !bytes.Equal(a.body, d.body) {
			t.Fatalf("GET %s through the front server: status %d", p, a.status)
		}
		if cc := a.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("%s: Cache-Control %q, want a year, immutable", p, cc)
		}
		sameHeaders(t, "asset "+p, d.header, a.header)
	})
	t.Run("gzip_static", func(t *testing.T) {
		p, gz := precompressed(t, public)
		a := get(t, c, front, p, "Accept-Encoding", "gzip, deflate, br")
		if a.header.Get("Content-Encoding") != "gzip" || !bytes.Equal(a.body, gz) {
			t.Errorf("GET %s with gzip: Content-Encoding %q, %d bytes; want the build's .gz sibling as it is (%d bytes)",
				p, a.header.Get("Content-Encoding"), len(a.body), len(gz))
		}
		d := get(t, c, direct, p, "Accept-Encoding", "gzip, deflate, br")
		sameHeaders(t, "gzipped page "+p, d.header, a.header)
	})
	t.Run("404 page", func(t *testing.T) {
		page := readFile(t, filepath.Join(public, "404.html"))
		for _, p := range []string{"/khong-co-trang-nay/", "/tin-tuc/khong-co.html", "/404.html"} {
			a := get(t, c, front, p)
			if a.status != http.StatusNotFound || string(a.body) != page {
				t.Errorf("GET %s: status %d, %d bytes; want 404 with the site's 404.html (%d bytes)", p, a.status, len(a.body), len(page))
			}
			if p != "/404.html" {
				sameHeaders(t, "missing page "+p, get(t, c, direct, p).header, a.header)
			}
		}
	})
	t.Run("refused files", func(t *testing.T) {
		if err := os.WriteFile(filepath.Join(public, "tin-tuc", ".htpasswd"), []byte("secret"), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{
			"/.search/manifest.json", "/.search/", "/.search", "/.portal.json", "/.gitkeep",
			"/tin-tuc/.htpasswd", "/index.html.gz", "/%2esearch/manifest.json", "/tin-tuc/",
		} {
			a := get(t, c, front, p)
			want := http.StatusNotFound
			if p == "/tin-tuc/" {
				want = http.StatusOK // a folder with index.html
			}
			if a.status != want {
				t.Errorf("GET %s through the front server: status %d, want %d", p, a.status, want)
			}
			for _, secret := range []string{`"generation"`, `"articles"`, "secret"} {
				if bytes.Contains(a.body, []byte(secret)) {
					t.Errorf("GET %s leaks %s", p, secret)
				}
			}
		}
		// A folder without index.html: no listing, the 404 page.
		if err := os.MkdirAll(filepath.Join(public, "trong"), 0o755); err != nil {
			t.Fatal(err)
		}
		if a := get(t, c, front, "/trong/"); a.status != http.StatusNotFound {
			t.Errorf("GET /trong/ (a folder without index.html): status %d, want 404", a.status)
		}
	})
}

// load sends pages and searches through base from workers goroutines for d and fails on
// any answer other than 2xx (503, the replicas' "overloaded", is counted and allowed).
func load(t *testing.T, base, public string, d time.Duration, workers int) {
	t.Helper()
	paths := []string{"/", "/sitemap.xml", fingerprinted(t, public), "/tin-tuc/"}
	paths = append(paths, searchPaths...)
	c := client()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var ok, busy, bad atomic.Int64
	var first atomic.Value
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := w; ctx.Err() == nil; i++ {
				p := paths[i%len(paths)]
				req, _ := http.NewRequest(http.MethodGet, base+p, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := c.Do(req)
				if err != nil {
					bad.Add(1)
					first.CompareAndSwap(nil, fmt.Sprintf("%s: %v", p, err))
					continue
				}
				_, err = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case err != nil && !errors.Is(err, context.DeadlineExceeded):
					bad.Add(1)
					first.CompareAndSwap(nil, fmt.Sprintf("%s: reading: %v", p, err))
				case resp.StatusCode == http.StatusServiceUnavailable:
					busy.Add(1)
				case resp.StatusCode/100 != 2:
					bad.Add(1)
					first.CompareAndSwap(nil, fmt.Sprintf("%s: status %d", p, resp.StatusCode))
				default:
					ok.Add(1)
				}
			}
		}(w)
	}
	wg.Wait()
	t.Logf("load through the front server: %d answers in %v with %d workers (%.0f/s), %d × 503, %d errors",
		ok.Load(), d, workers, float64(ok.Load())/d.Seconds(), busy.Load(), bad.Load())
	if bad.Load() > 0 {
		t.Errorf("%d errors under load, first: %v", bad.Load(), first.Load())
	}
	if ok.Load() == 0 {
		t.Error("no answer under load")
	}
}
