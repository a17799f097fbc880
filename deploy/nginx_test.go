package deploy

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

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
