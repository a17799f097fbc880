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

// nginxConf writes the deploy/nginx files into dir with paths and ports substituted,
// plus a main nginx.conf that includes the site as Debian's does (http block, logs
// with the upstream that answered), and returns the main file's path.
func nginxConf(t *testing.T, dir, public string, port int, upstreams []string) string {
	t.Helper()
	snippets := filepath.Join(dir, "snippets")
	if err := os.MkdirAll(snippets, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"portal-headers.conf", "portal-proxy.conf"} {
		if err := os.WriteFile(filepath.Join(snippets, name), []byte(readFile(t, filepath.Join("nginx", name))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	listen := fmt.Sprintf("127.0.0.1:%d", port)
	site := substitute(t, "nginx/portal.conf", readFile(t, filepath.Join("nginx", "portal.conf")),
		"/etc/nginx/snippets/", snippets+"/",
		"/srv/portal/trang/public", public,
		"listen 80;", "listen "+listen+";",
		"listen [::]:80;", "",
		"server 127.0.0.1:8101 ", "server "+upstreams[0]+" ",
		"server 127.0.0.1:8102 ", "server "+upstreams[1]+" ",
	)
	if err := os.WriteFile(filepath.Join(dir, "portal.conf"), []byte(site), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, sub := range []string{"logs", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o777); err != nil {
			t.Fatal(err)
		}
		_ = os.Chmod(filepath.Join(dir, sub), 0o777)
	}
	tmp := filepath.Join(dir, "tmp")
	main := fmt.Sprintf(`worker_processes 2;
events { worker_connections 256; }
http {
    log_format upstream '$status|$request_uri|$upstream_addr|$upstream_status';
    access_log %[1]s/logs/access.log upstream;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    sendfile on;
    include %[1]s/portal.conf;
}
`, dir, tmp)
	conf := filepath.Join(dir, "nginx.conf")
	if err := os.WriteFile(conf, []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	return conf
}

// startNginx runs nginx in the foreground with conf (as "nobody" when the test runs as
// root: never as root) and waits until it answers on port.
func startNginx(t *testing.T, bin, dir, conf string, port int) {
	t.Helper()
	global := fmt.Sprintf("daemon off; master_process on; pid %s/logs/nginx.pid; error_log %s/logs/error.log warn;", dir, dir)
	check := exec.Command(bin, "-p", dir, "-c", conf, "-g", global, "-t", "-q")
	asNobody(check)
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("nginx -t refuses the deploy/nginx configuration: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-p", dir, "-c", conf, "-g", global)
	asNobody(cmd)
	// A file, not a pipe: Wait must not wait for workers still holding the output open.
	out, err := os.Create(filepath.Join(dir, "logs", "stderr.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM) // fast shutdown: open keepalive connections are not waited for
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	waitListening(t, port, done, func() string {
		a, _ := os.ReadFile(filepath.Join(dir, "logs", "stderr.log"))
		b, _ := os.ReadFile(filepath.Join(dir, "logs", "error.log"))
		return string(a) + string(b)
	})
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

// upstreamsSeen reads nginx's access log once it lists at least n requests whose URI
// starts with prefix (nginx writes a line after the answer is sent, so the last request's
// line may lag behind it), and returns how many times each upstream address was asked for
// them (retries included).
func upstreamsSeen(t *testing.T, logFile, prefix string, n int) map[string]int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		seen, requests := map[string]int{}, 0
		for _, line := range strings.Split(readFile(t, logFile), "\n") {
			f := strings.Split(line, "|")
			if len(f) != 4 || !strings.HasPrefix(f[1], prefix) {
				continue
			}
			requests++
			// "$upstream_addr" lists every server tried: "a:1, b:2"; each try counts.
			for _, a := range strings.Split(f[2], ", ") {
				seen[strings.TrimSpace(a)]++
			}
		}
		if requests >= n || time.Now().After(deadline) {
			if requests < n {
				t.Errorf("nginx logged %d requests for %s, want at least %d", requests, prefix, n)
			}
			return seen
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestNginx runs nginx with deploy/nginx in front of two `portal serve` replicas over
// one output folder built from the sample site.
func TestNginx(t *testing.T) {
	bin := tool(t, "nginx", "/usr/sbin", "/usr/local/sbin")
	dir := world(t)
	site := buildSample(t, dir)
	public := filepath.Join(site, "public")
	reps := []*replica{startReplica(t, site), startReplica(t, site)}
	port := freePort(t)
	ngx := filepath.Join(dir, "nginx")
	if err := os.MkdirAll(ngx, 0o755); err != nil {
		t.Fatal(err)
	}
	conf := nginxConf(t, ngx, public, port, []string{reps[0].addr, reps[1].addr})
	startNginx(t, bin, ngx, conf, port)
	front := fmt.Sprintf("http://127.0.0.1:%d", port)
	direct := "http://" + reps[0].addr
	c := client()

	checkFront(t, c, front, direct, public, http.StatusMovedPermanently)

	t.Run("search through both replicas", func(t *testing.T) {
		for i := 0; i < 12; i++ {
			a := get(t, c, front, searchPaths[i%len(searchPaths)])
			if a.status != http.StatusOK {
				t.Fatalf("search %s: status %d through nginx:\n%s", searchPaths[i%len(searchPaths)], a.status, a.body)
			}
			sameHeaders(t, "search answer", get(t, c, direct, searchPaths[i%len(searchPaths)]).header, a.header)
		}
		a := get(t, c, front, searchPaths[0])
		if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") || !bytes.Contains(a.body, []byte(`"total"`)) {
			t.Errorf("/api/search through nginx: %s %.200s", ct, a.body)
		}
		seen := upstreamsSeen(t, filepath.Join(ngx, "logs", "access.log"), "/api/search", 9)
		for _, r := range reps {
			if seen[r.addr] == 0 {
				t.Errorf("replica %s answered no search through nginx (answers by upstream: %v)", r.addr, seen)
			}
		}
	})

	t.Run("load", func(t *testing.T) {
		load(t, front, public, 3*time.Second, 8)
	})

	t.Run("a new build reaches both replicas", func(t *testing.T) {
		// Each replica follows the index generations on its own: a build that adds an
		// article is searchable on both within a few seconds, without a restart.
		const word = "phà Xuân Hội"
		if n := searchTotal(t, c, front, word); n != 0 {
			t.Fatalf("%q already finds %d articles", word, n)
		}
		sitetest.WriteFiles(t, site, map[string]string{"content/tin-tuc/khanh-thanh-ben-pha.md": "---\n" +
			"title: \"Khánh thành bến phà Xuân Hội\"\ndate: 2024-03-01T08:00:00+07:00\n" +
			"summary: \"Bến phà Xuân Hội nối hai bờ sông Lam.\"\nprovinces:\n  - \"Hà Tĩnh\"\n---\n\n" +
			"Sáng 1/3, bến phà Xuân Hội được khánh thành.\n"})
		build(t, dir, site)
		deadline := time.Now().Add(10 * time.Second)
		for _, r := range reps {
			for searchTotal(t, c, "http://"+r.addr, word) != 1 {
				if time.Now().After(deadline) {
					t.Fatalf("replica %s does not find the new article 10 s after the build:\n%s", r.addr, r.logText())
				}
				time.Sleep(100 * time.Millisecond)
			}
		}
		for i := 0; i < 4; i++ {
			if n := searchTotal(t, c, front, word); n != 1 {
				t.Fatalf("through nginx, search %d for the new article finds %d", i, n)
			}
		}
	})

	t.Run("one replica stopped", func(t *testing.T) {
		reps[1].stop()
		for i := 0; i < 10; i++ {
			p := searchPaths[i%len(searchPaths)]
			if a := get(t, c, front, p); a.status != http.StatusOK {
				t.Fatalf("with replica %s stopped, search %s answers %d through nginx:\n%s", reps[1].addr, p, a.status, a.body)
			}
		}
	})
	t.Run("503 passed through", func(t *testing.T) {
		// A replica without a search index answers 503 with a Vietnamese notice and
		// Retry-After; nginx must hand that answer on, not retry it elsewhere or swap
		// in its own error page.
		noIndex := filepath.Join(dir, "site-no-index")
		sitetest.CopyTree(t, site, noIndex)
		if err := os.RemoveAll(filepath.Join(noIndex, "public", ".search")); err != nil {
			t.Fatal(err)
		}
		r := startReplica(t, noIndex)
		port := freePort(t)
		ngx := filepath.Join(dir, "nginx-503")
		if err := os.MkdirAll(ngx, 0o755); err != nil {
			t.Fatal(err)
		}
		startNginx(t, bin, ngx, nginxConf(t, ngx, public, port, []string{r.addr, r.addr}), port)
		for _, p := range searchPaths[:2] {
			d := get(t, c, "http://"+r.addr, p)
			a := get(t, c, fmt.Sprintf("http://127.0.0.1:%d", port), p)
			if d.status != http.StatusServiceUnavailable {
				t.Fatalf("a replica without an index answers %s with %d, want 503", p, d.status)
			}
			if a.status != http.StatusServiceUnavailable || !bytes.Equal(a.body, d.body) || a.header.Get("Retry-After") != d.header.Get("Retry-After") {
				t.Errorf("%s through nginx: %d, Retry-After %q, %.200s; want portal serve's 503 as it is (Retry-After %q, %.200s)",
					p, a.status, a.header.Get("Retry-After"), a.body, d.header.Get("Retry-After"), d.body)
			}
		}
		if seen := upstreamsSeen(t, filepath.Join(ngx, "logs", "access.log"), "/api/search", 2); seen[r.addr] != 2 {
			t.Errorf("nginx asked the replica %v times for 2 searches answered 503 (retried?)", seen)
		}
	})
	if t.Failed() {
		for i, r := range reps {
			t.Logf("replica %d (%s) log:\n%s", i, r.addr, r.logText())
		}
		t.Logf("nginx error log:\n%s", readFile(t, filepath.Join(ngx, "logs", "error.log")))
	}
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
