package deploy

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestCaddy runs Caddy with deploy/caddy/Caddyfile in front of two `portal serve`
// replicas, with the checks of TestNginx (Caddy redirects a folder without its slash
// with 308, not 301).
func TestCaddy(t *testing.T) {
	bin := tool(t, "caddy")
	dir := world(t)
	site := buildSample(t, dir)
	public := filepath.Join(site, "public")
	reps := []*replica{startReplica(t, site), startReplica(t, site)}
	port := freePort(t)
	cdir := filepath.Join(dir, "caddy")
	for _, sub := range []string{"", "home", "logs"} {
		if err := os.MkdirAll(filepath.Join(cdir, sub), 0o777); err != nil {
			t.Fatal(err)
		}
		_ = os.Chmod(filepath.Join(cdir, sub), 0o777)
	}
	conf := substitute(t, "caddy/Caddyfile", readFile(t, filepath.Join("caddy", "Caddyfile")),
		"cong.example.gov.vn {", fmt.Sprintf("http://127.0.0.1:%d {", port),
		"/srv/portal/trang/public", public,
		"127.0.0.1:8101 127.0.0.1:8102", reps[0].addr+" "+reps[1].addr,
	)
	// The test's own global options: no admin endpoint (a port of its own), no HTTPS.
	conf = "{\n\tadmin off\n\tauto_https off\n}\n\n" + conf
	file := filepath.Join(cdir, "Caddyfile")
	if err := os.WriteFile(file, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(cdir, "logs", "caddy.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(bin, "run", "--config", file, "--adapter", "caddyfile")
	home := filepath.Join(cdir, "home")
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_DATA_HOME="+home, "XDG_CONFIG_HOME="+home)
	cmd.Stdout, cmd.Stderr = out, out
	asNobody(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	logs := func() string { return readFile(t, filepath.Join(cdir, "logs", "caddy.log")) }
	waitListening(t, port, done, logs)
	front := fmt.Sprintf("http://127.0.0.1:%d", port)
	direct := "http://" + reps[0].addr
	c := client()

	checkFront(t, c, front, direct, public, http.StatusPermanentRedirect)
	t.Run("search", func(t *testing.T) {
		for i := 0; i < 6; i++ {
			p := searchPaths[i%len(searchPaths)]
			a := get(t, c, front, p)
			if a.status != http.StatusOK {
				t.Fatalf("search %s: status %d through Caddy:\n%s", p, a.status, a.body)
			}
			sameHeaders(t, "search answer", get(t, c, direct, p).header, a.header)
		}
	})
	t.Run("load", func(t *testing.T) {
		load(t, front, public, 2*time.Second, 8)
	})
	t.Run("one replica stopped", func(t *testing.T) {
		reps[1].stop()
		for i := 0; i < 10; i++ {
			p := searchPaths[i%len(searchPaths)]
			if a := get(t, c, front, p); a.status != http.StatusOK {
				t.Fatalf("with replica %s stopped, search %s answers %d through Caddy:\n%s", reps[1].addr, p, a.status, a.body)
			}
		}
	})
	if t.Failed() {
		t.Logf("caddy log:\n%s", logs())
	}
}
