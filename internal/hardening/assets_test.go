package hardening

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// A site built with --no-minify has other asset names than a minified one: the search
// results page that `portal serve` renders must link the stylesheet the build published,
// not one it computes again (the architecture issue's bug: it linked the minified name,
// a 404, and the page had no styles).
func TestServeSearchPageUsesPublishedAssets(t *testing.T) {
	site := t.TempDir()
	for rel, body := range map[string]string{
		"config.toml":          "baseURL = \"http://127.0.0.1/\"\ntitle = \"Cổng thử nghiệm\"\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Hội nghị tổng kết\"\ndate: 2024-03-01\n---\nHội nghị đã diễn ra.\n",
	} {
		p := filepath.Join(site, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := runPortal(t, 2*time.Minute, "build", "--source", site, "--no-minify"); err != nil {
		t.Fatalf("portal build --no-minify: %v\n%s", err, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	base, cmd, _, stderr := portalServe(ctx, t, site)
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()

	res, err := http.Get(base + "tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(page), "Hội nghị tổng kết") {
		t.Fatalf("search page: %d\n%s\n%s", res.StatusCode, page, stderr.String())
	}
	sheets := regexp.MustCompile(`<link rel="?stylesheet"? href="?([^" >]+)`).FindAllStringSubmatch(string(page), -1)
	if len(sheets) == 0 {
		t.Fatalf("the search page links no stylesheet:\n%s", page)
	}
	for _, m := range sheets {
		res, err := http.Get(strings.TrimSuffix(base, "/") + m[1])
		if err != nil {
			t.Fatal(err)
		}
		css, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/css") || len(css) == 0 {
			t.Errorf("stylesheet %s: %d %s (%d bytes)", m[1], res.StatusCode, res.Header.Get("Content-Type"), len(css))
		}
	}
}
