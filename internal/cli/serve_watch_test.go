package cli

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestServeWatchChild is `portal serve --watch` in a process of its own, for
// TestServeWatchStopsOnSignal.
func TestServeWatchChild(t *testing.T) {
	dir := os.Getenv("PORTAL_SERVEWATCH_CHILD")
	if dir == "" {
		t.Skip("run by TestServeWatchStopsOnSignal")
	}
	os.Exit(Main([]string{"serve", "--watch", "--source", dir, "--addr", "127.0.0.1:0"}, Env{Stdout: os.Stdout, Stderr: os.Stderr}))
}

var servingRe = regexp.MustCompile(`tại (http://127\.0\.0\.1:\d+/)`)

// SIGINT and SIGTERM stop `portal serve --watch` cleanly: exit status 0, the goodbye
// line, and a complete output folder, even when the signal comes while a rebuild runs.
func TestServeWatchStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			dir := sitetest.NewSite(t, map[string]string{
				"config.toml":          "baseURL = \"https://tinh.example.vn/\"\ntitle = \"Cổng\"\n",
				"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\nNội dung.\n",
			})
			cmd := exec.Command(os.Args[0], "-test.run=^TestServeWatchChild$")
			cmd.Env = append(os.Environ(), "PORTAL_SERVEWATCH_CHILD="+dir)
			out, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			lines := bufio.NewScanner(out)
			var base string
			for base == "" && lines.Scan() {
				if m := servingRe.FindStringSubmatch(lines.Text()); m != nil {
					base = m[1]
				}
			}
			if base == "" {
				t.Fatalf("no address announced; stderr:\n%s", stderr.String())
			}
			resp, err := http.Get(base + "tin-tuc/a/")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET the article: %s", resp.Status)
			}
			// A save, then the signal while its rebuild may still run.
			if err := os.WriteFile(filepath.Join(dir, "content/tin-tuc/b.md"), []byte("---\ntitle: \"Bài B\"\ndate: 2024-01-02\n---\nMới.\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			time.Sleep(30 * time.Millisecond)
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(out)
			done := make(chan error, 1)
			go func() { done <- cmd.Wait() }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("exit: %v; stderr:\n%s", err, stderr.String())
				}
			case <-time.After(15 * time.Second):
				t.Fatal("still running 15 s after the signal")
			}
			if !strings.Contains(string(rest), "Đã dừng máy chủ.") {
				t.Errorf("no goodbye line: %q", rest)
			}
			// A build stopped by the signal removes its temporary folder in the background
			// (publish.Writer.Abort) and a process that exits first leaves the rest to the
			// next build's Recover, as `portal build` does.
			if err := publish.Recover(filepath.Join(dir, "public")); err != nil {
				t.Fatal(err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") || strings.Contains(e.Name(), ".old-") {
					t.Errorf("left behind: %s; stderr:\n%s", e.Name(), stderr.String())
				}
			}
			for _, f := range []string{"index.html", "tin-tuc/a/index.html", ".portal.json", ".search/manifest.json"} {
				if _, err := os.Stat(filepath.Join(dir, "public", f)); err != nil {
					t.Errorf("the output is not complete: %v", err)
				}
			}
		})
	}
}
