package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

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

var precompressedCount = regexp.MustCompile(`nén sẵn: (\d+) tệp có bản \.gz`)

func TestBuildPrecompresses(t *testing.T) {
	site := t.TempDir()
	sitetest.WriteFiles(t, site, map[string]string{
		"config.toml":           "title = \"Cổng thử\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md":  "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\n" + strings.Repeat("Nội dung bài A về hội nghị tổng kết. ", 100) + "\n",
		"static/du-lieu/x.json": "[" + strings.Repeat(`{"ten":"Xã Thạch Hà"},`, 200) + "{}]",
	})
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	public := filepath.Join(site, "public")
	siblings := func() map[string]string {
		t.Helper()
		gz := map[string]string{}
		for rel, body := range sitetest.ReadTree(t, public) {
			if strings.HasSuffix(rel, ".gz") {
				gz[rel] = body
			}
		}
		return gz
	}
	count := func(out string) int {
		t.Helper()
		m := precompressedCount.FindStringSubmatch(out)
		if m == nil {
			return 0
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}

	code, out, errOut := authorRun(t, "build", "--source", site)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	first := siblings()
	for _, rel := range []string{"index.html.gz", "tin-tuc/a/index.html.gz", "du-lieu/x.json.gz"} {
		if _, ok := first[rel]; !ok {
			t.Errorf("no %s among %d siblings", rel, len(first))
		}
	}
	if n := count(out); n != len(first) {
		t.Errorf("the summary counts %d precompressed files, the folder has %d:\n%s", n, len(first), out)
	}
	// An unchanged rebuild reuses the pages and their siblings: the same bytes.
	code, out, _ = authorRun(t, "build", "--source", site)
	if code != ExitOK || count(out) != len(first) {
		t.Fatalf("second build: exit %d, summary:\n%s", code, out)
	}
	second := siblings()
	if len(second) != len(first) {
		t.Errorf("second build: %d siblings, first %d", len(second), len(first))
	}
	for rel, body := range first {
		if second[rel] != body {
			t.Errorf("%s changed between two builds of the same site", rel)
		}
	}

	code, out, _ = authorRun(t, "build", "--source", site, "--no-precompress")
	if code != ExitOK || strings.Contains(out, "nén sẵn") || len(siblings()) != 0 {
		t.Errorf("--no-precompress: exit %d, %d siblings, summary:\n%s", code, len(siblings()), out)
	}
}

// A build with its cache folder that finds nothing changed since the last one says so,
// in the command's language, and names its one step.
func TestBuildSaysNothingChanged(t *testing.T) {
	site := t.TempDir()
	sitetest.WriteFiles(t, site, map[string]string{
		"config.toml":          "title = \"Cổng thử\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\nNội dung A.\n",
	})
	time.Sleep(2100 * time.Millisecond) // older than the margin within which a build does not trust a file's times
	args := []string{"build", "--source", site, "--destination", filepath.Join(t.TempDir(), "out"), "--cache-dir", t.TempDir()}
	const said = "không có gì thay đổi từ lần dựng trước"
	if code, out, errOut := authorRun(t, args...); code != ExitOK || strings.Contains(out, said) {
		t.Fatalf("first build: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, errOut := authorRun(t, args...)
	if code != ExitOK || !strings.Contains(out, said) || !strings.Contains(out, "kiểm tra: không có gì thay đổi") {
		t.Fatalf("nothing changed: exit %d\n%s\n%s", code, out, errOut)
	}
	code, out, _ = authorRun(t, append([]string{"--lang", "en"}, args...)...)
	if code != ExitOK || !strings.Contains(out, "nothing changed since the previous build") || !strings.Contains(out, "check: nothing changed") {
		t.Errorf("nothing changed, in English: exit %d\n%s", code, out)
	}
}
