package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

var pageCounts = regexp.MustCompile(`kết xuất (\d+) trang, dùng lại (\d+) trang`)

// buildCounts runs portal build and returns the rendered and reused page counts it prints.
func buildCounts(t *testing.T, args ...string) (rendered, reused int, stderr string) {
	t.Helper()
	code, out, errOut := authorRun(t, append([]string{"build"}, args...)...)
	if code != ExitOK {
		t.Fatalf("portal build %v: exit %d\n%s\n%s", args, code, out, errOut)
	}
	m := pageCounts.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no page counts in the summary:\n%s", out)
	}
	rendered, _ = strconv.Atoi(m[1])
	reused, _ = strconv.Atoi(m[2])
	return rendered, reused, errOut
}

func TestBuildCacheFlags(t *testing.T) {
	site := t.TempDir()
	sitetest.WriteFiles(t, site, map[string]string{
		"config.toml":          "title = \"Cổng thử\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\nNội dung A.\n",
		"content/tin-tuc/b.md": "---\ntitle: \"Bài B\"\ndate: 2024-01-02\n---\nNội dung B.\n",
	})
	xdg := t.TempDir()
	t.Setenv("XDG_CACHE_HOME", xdg)

	// Default: a folder of its own under the user's cache folder.
	n, reused, _ := buildCounts(t, "--source", site)
	if n == 0 || reused != 0 {
		t.Fatalf("first build: rendered %d, reused %d", n, reused)
	}
	manifests, _ := filepath.Glob(filepath.Join(xdg, "portal", "*", "pages.manifest"))
	if len(manifests) != 1 {
		t.Fatalf("manifests under the user cache folder: %v", manifests)
	}
	if r, reused, _ := buildCounts(t, "--source", site); r != 0 || reused != n {
		t.Errorf("second build: rendered %d, reused %d; want 0, %d", r, reused, n)
	}

	// --no-cache renders everything and leaves the cache alone.
	before, _ := os.ReadFile(manifests[0])
	if r, reused, _ := buildCounts(t, "--source", site, "--no-cache"); r != n || reused != 0 {
		t.Errorf("--no-cache: rendered %d, reused %d", r, reused)
	}
	if after, _ := os.ReadFile(manifests[0]); string(after) != string(before) {
		t.Error("--no-cache rewrote the cache")
	}

	// --cache-dir puts the cache where it is told.
	dir := filepath.Join(t.TempDir(), "bo-nho-dem")
	dest := filepath.Join(t.TempDir(), "out")
	buildCounts(t, "--source", site, "--destination", dest, "--cache-dir", dir)
	if _, err := os.Stat(filepath.Join(dir, "pages.manifest")); err != nil {
		t.Errorf("--cache-dir: %v", err)
	}
	if r, _, _ := buildCounts(t, "--source", site, "--destination", dest, "--cache-dir", dir); r != 0 {
		t.Errorf("--cache-dir: the second build rendered %d pages", r)
	}

	if code, _, _ := authorRun(t, "build", "--source", site, "--no-cache", "--cache-dir", dir); code != ExitUsage {
		t.Errorf("--no-cache with --cache-dir: exit %d, want %d", code, ExitUsage)
	}

	// No user cache folder: the build goes on without a cache and says so once.
	t.Setenv("XDG_CACHE_HOME", "")
	t.Setenv("HOME", "")
	r, _, errOut := buildCounts(t, "--source", site)
	if r != n || strings.Count(errOut, "không dùng bộ nhớ đệm") != 1 {
		t.Errorf("without a user cache folder: rendered %d, stderr %q", r, errOut)
	}
}
