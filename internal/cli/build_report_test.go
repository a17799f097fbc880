package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// runAt runs the portal command line with the clock at now.
func runAt(t *testing.T, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(args, Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: func() time.Time { return now }})
	return code, out.String(), errOut.String()
}

func scheduleSite(t *testing.T) string {
	t.Helper()
	site := t.TempDir()
	sitetest.WriteFiles(t, site, map[string]string{
		"config.toml":          "title = \"Cổng thử\"\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2026-11-01\n---\nNội dung A.\n",
		"content/tin-tuc/b.md": "---\ntitle: \"Thông cáo báo chí\"\ndate: 2026-12-01\npublishDate: 2026-12-07 08:00\n---\nNội dung B.\n",
		"content/tin-tuc/c.md": "---\ntitle: \"Thông báo tạm thời\"\ndate: 2026-11-02\nexpiryDate: 2026-12-31\n---\nNội dung C.\n",
	})
	return site
}

func TestBuildPrintsTheNextScheduledChange(t *testing.T) {
	site := scheduleSite(t)
	now := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	code, out, errOut := runAt(t, now, "build", "--source", site, "--cache-dir", t.TempDir())
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if want := "bài hẹn giờ tiếp theo: 08:00 Thứ Hai, 07/12/2026 (đăng content/tin-tuc/b.md)"; !strings.Contains(out, want) {
		t.Errorf("no %q in the summary:\n%s", want, out)
	}

	// After the embargo: the article is out, and the next change is the expiry.
	later := time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC)
	code, out, errOut = runAt(t, later, "build", "--source", site, "--cache-dir", t.TempDir(), "--json")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if s["nextScheduled"] != "2026-12-31T00:00:00+07:00" || s["nextScheduledAction"] != "expire" || s["nextScheduledPath"] != "content/tin-tuc/c.md" {
		t.Errorf("summary: %v", s)
	}
	if s["articles"] != 3.0 {
		t.Errorf("articles = %v, want 3 once b.md is out", s["articles"])
	}
	if _, ok := s["changes"]; !ok || s["changes"] != nil {
		t.Errorf("changes without --changes: %v", s["changes"])
	}

	// Nothing scheduled: null.
	code, out, _ = runAt(t, later, "build", "--source", site, "--cache-dir", t.TempDir(), "--json", "--expired", "--future")
	if code != ExitOK || !strings.Contains(out, `"nextScheduled": null`) {
		t.Errorf("exit %d, want nextScheduled null:\n%s", code, out)
	}
}

func TestBuildChangesFile(t *testing.T) {
	site := scheduleSite(t)
	now := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	cache := t.TempDir()
	list := filepath.Join(t.TempDir(), "changes.txt")
	build := func(args ...string) string {
		t.Helper()
		code, out, errOut := runAt(t, now, append([]string{"build", "--source", site, "--cache-dir", cache, "--changes", list}, args...)...)
		if code != ExitOK {
			t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
		}
		b, err := os.ReadFile(list)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	first := strings.Split(strings.TrimSpace(build()), "\n")
	if !slices.Contains(first, "A tin-tuc/a/index.html") || !slices.Contains(first, "A .search/manifest.json") || !slices.IsSorted(first) {
		t.Errorf("first build's list:\n%s", strings.Join(first, "\n"))
	}
	for _, l := range first {
		if !strings.HasPrefix(l, "A ") {
			t.Errorf("first build: %q", l)
		}
	}
	if got := build(); got != "" {
		t.Errorf("unchanged rebuild lists:\n%s", got)
	}
	if err := os.Remove(filepath.Join(site, "content", "tin-tuc", "c.md")); err != nil {
		t.Fatal(err)
	}
	got := build()
	for _, want := range []string{"D tin-tuc/c/index.html\n", "M index.html\n", "M sitemap.xml\n", "M .search/manifest.json\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in the list after a deletion:\n%s", want, got)
		}
	}

	// With --json the list is JSON.
	sitetest.WriteFiles(t, site, map[string]string{"content/tin-tuc/c.md": "---\ntitle: \"Bài C mới\"\ndate: 2026-11-03\n---\nC.\n"})
	var lists map[string][]string
	if err := json.Unmarshal([]byte(build("--json")), &lists); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(lists["added"], "tin-tuc/c/index.html") || !slices.Contains(lists["modified"], "index.html") || lists["deleted"] == nil {
		t.Errorf("JSON list: %v", lists)
	}
}
