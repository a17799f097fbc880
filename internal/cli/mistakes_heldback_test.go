package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// Issue 17, done-when: the mistakes fixture, edited into a site that had published
// every one of its articles, gives exit 3 from build; every article without an error is
// published with its new text, and every article whose file now has an error is still
// served in its previously published version.
func TestMistakesKeepTheirPublishedVersion(t *testing.T) {
	site := sitetest.MistakesSite(t)
	dir := filepath.Join(site, "content", "tin-tuc")
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	mistakes := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		mistakes[e.Name()] = b
		// Before the edits: every article is valid and says it is the old version.
		stem := strings.TrimSuffix(e.Name(), ".md")
		old := fmt.Sprintf("---\ntitle: \"Bài %s\"\ndate: 2026-01-05\n---\nBản đã xuất bản của %s.\n", stem, stem)
		if err := os.WriteFile(filepath.Join(dir, e.Name()), []byte(old), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cache := t.TempDir()
	if code, _, errOut := authorRun(t, "build", "--source", site, "--cache-dir", cache); code != ExitOK {
		t.Fatalf("first build: exit %d\n%s", code, errOut)
	}
	for name, b := range mistakes {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	code, _, errOut := authorRun(t, "build", "--source", site, "--cache-dir", cache)
	if code != ExitHeldBack {
		t.Fatalf("build of the mistakes: exit %d, want %d\n%s", code, ExitHeldBack, errOut)
	}
	broken := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^content/tin-tuc/([a-z0-9-]+)\.md:\d+:\d+: lỗi: `).FindAllStringSubmatch(errOut, -1) {
		broken[m[1]] = true
	}
	if len(broken) < 6 {
		t.Fatalf("want the fixture's six broken files reported, got %v\n%s", broken, errOut)
	}
	for name := range mistakes {
		stem := strings.TrimSuffix(name, ".md")
		page, err := os.ReadFile(filepath.Join(site, "public", "tin-tuc", stem, "index.html"))
		if err != nil {
			t.Errorf("%s: no page after the build: %v", stem, err)
			continue
		}
		old := strings.Contains(string(page), "Bản đã xuất bản của "+stem)
		switch {
		case broken[stem] && !old:
			t.Errorf("%s has errors: its previously published version must still be served", stem)
		case !broken[stem] && old:
			t.Errorf("%s has no error: its new version must be published", stem)
		}
	}
}
