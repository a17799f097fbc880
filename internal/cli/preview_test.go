package cli

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// lockedBuffer is an io.Writer shared by the preview's goroutines and the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// previewSite returns a site folder with one article.
func previewSite(t *testing.T) string {
	t.Helper()
	dir := siteDir(t)
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/tin-tuc/nhap.md": "---\ntitle: \"Bản nháp\"\ndate: 2024-01-01\ndraft: true\n---\nNháp.\n",
	})
	return dir
}

// Hardening II, item 3: the preview serves drafts, so listening beyond loopback is a
// usage error unless --allow-remote says so; the message says why and what to add.
func TestPreviewRefusesNetworkAddressWithoutFlag(t *testing.T) {
	site := previewSite(t)
	for _, addr := range []string{"0.0.0.0:1313", ":1313", "[::]:1313", "192.0.2.7:1313"} {
		code, out, errOut := authorRun(t, "preview", "--source", site, "--addr", addr)
		if code != ExitUsage || out != "" || !strings.Contains(errOut, "--allow-remote") || !strings.Contains(errOut, "bản nháp") {
			t.Errorf("--addr %s: exit %d, stdout %q, stderr %q; want %d and a message naming --allow-remote", addr, code, out, errOut, ExitUsage)
		}
	}
	for _, args := range [][]string{{"--addr", "127.0.0.1"}, {"--host", "http://may-soan-bai.lan"}, {"--host", "may:8080"}} {
		code, _, errOut := authorRun(t, append([]string{"preview", "--source", site}, args...)...)
		if code != ExitUsage || !strings.Contains(errOut, args[0]) {
			t.Errorf("%v: exit %d, stderr %q; want %d naming %s", args, code, errOut, ExitUsage, args[0])
		}
	}
}

// With --allow-remote on every address, the preview lists where it can be opened, warns
// that drafts are visible, and still refuses Host names that are not its own.
func TestPreviewAllowRemote(t *testing.T) {
	site := previewSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut lockedBuffer
	done := make(chan int, 1)
	go func() {
		done <- runPreview(ctx, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }},
			[]string{"--source", site, "--addr", "0.0.0.0:0", "--allow-remote", "--host", "May-Soan-Bai.lan"})
	}()
	var port string
	for deadline := time.Now().Add(30 * time.Second); port == ""; time.Sleep(10 * time.Millisecond) {
		if m := regexp.MustCompile(`tại http://127\.0\.0\.1:(\d+)/`).FindStringSubmatch(out.String()); m != nil {
			port = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("no address printed; stdout %q, stderr %q", out.String(), errOut.String())
		}
	}
	if !strings.Contains(out.String(), "lắng nghe trên mọi địa chỉ của máy") || !strings.Contains(out.String(), "http://may-soan-bai.lan:"+port+"/") {
		t.Errorf("stdout must list the machine's addresses and the --host name:\n%s", out.String())
	}
	if !strings.Contains(errOut.String(), "cảnh báo: --allow-remote") || !strings.Contains(errOut.String(), "bản nháp") {
		t.Errorf("stderr must warn that drafts are visible to others:\n%s", errOut.String())
	}
	get := func(host string) int {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:"+port+"/tin-tuc/nhap/", nil)
		req.Host = host
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for host, want := range map[string]int{"127.0.0.1:" + port: 200, "localhost:" + port: 200, "may-soan-bai.lan": 200,
		"evil.example:" + port: 403} {
		if got := get(host); got != want {
			t.Errorf("Host %q: %d, want %d", host, got, want)
		}
	}
	cancel()
	if code := <-done; code != ExitOK || !strings.Contains(out.String(), "Đã dừng xem trước.") {
		t.Errorf("exit %d after Ctrl+C; stdout %q", code, out.String())
	}
}
