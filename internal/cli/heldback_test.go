package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

func heldArticle(title, date, body string) string {
	return "---\ntitle: \"" + title + "\"\ndate: " + date + "\nprovinces: [\"Hà Tĩnh\"]\n---\n" + body + "\n"
}

// Issue 17, item 2: one broken article never blocks the portal. A published article
// whose file now has errors keeps its last published page; a new broken one is left
// out; everything else is published; exit 3 and a summary that says so.
func TestBuildPublishesWhatIsValid(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	site := siteDir(t)
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/a.md": heldArticle("Hội nghị chuyển đổi số", "2024-03-01", "Bản đã xuất bản của bài A."),
		"content/tin-tuc/b.md": heldArticle("Tập huấn an toàn thông tin", "2024-03-02", "Nội dung bài B."),
		"content/tin-tuc/c.md": heldArticle("Khai trương cổng dịch vụ công", "2024-03-03", "Nội dung bài C."),
	})
	out := filepath.Join(site, "public")
	if code, stdout, stderr := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("first build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	published := sitetest.ReadTree(t, out)
	pageA := published["tin-tuc/a/index.html"]
	if !strings.Contains(pageA, "Bản đã xuất bản của bài A.") {
		t.Fatalf("first build: page of a: %.200q", pageA)
	}

	// A typo in a's front matter (tittle: the title is missing), a new broken article d
	// (a date that does not exist), a new valid article e.
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/a.md": "---\ntittle: \"Hội nghị chuyển đổi số\"\ndate: 2024-03-01\n---\nBản sửa dở của bài A.\n",
		"content/tin-tuc/d.md": heldArticle("Bài mới viết sai ngày", "2024-02-31", "Nội dung bài D."),
		"content/tin-tuc/e.md": heldArticle("Bài mới hợp lệ", "2024-03-05", "Nội dung bài E."),
	})
	second := func(what string) map[string]string {
		t.Helper()
		code, stdout, stderr := authorRun(t, "build", "--source", site)
		if code != ExitHeldBack {
			t.Fatalf("%s: exit %d, want %d\n%s\n%s", what, code, ExitHeldBack, stdout, stderr)
		}
		for _, want := range []string{
			"content/tin-tuc/a.md:1:1: lỗi: bài chưa có tiêu đề",
			"content/tin-tuc/d.md:3:7: lỗi:",
			"Đã xuất bản; 1 bài lỗi giữ bản cũ, 1 bài mới có lỗi chưa được xuất bản.",
			"  content/tin-tuc/a.md:1:1: giữ bản đã xuất bản trước\n",
			"  content/tin-tuc/d.md:3:7: bài mới, chưa được xuất bản\n",
		} {
			if !strings.Contains(stderr, want) {
				t.Errorf("%s: stderr lacks %q:\n%s", what, want, stderr)
			}
		}
		if !strings.Contains(stderr, `có phải định viết "title"`) {
			t.Errorf("%s: the misspelled key is not pointed out:\n%s", what, stderr)
		}
		return sitetest.ReadTree(t, out)
	}
	for _, what := range []string{"second build", "third build (a still broken)"} {
		tree := second(what)
		if tree["tin-tuc/a/index.html"] != pageA {
			t.Errorf("%s: the broken article's page is not its last published version: %.200q", what, tree["tin-tuc/a/index.html"])
		}
		if _, ok := tree["tin-tuc/a/index.html.gz"]; !ok {
			t.Errorf("%s: the kept page lost its precompressed sibling", what)
		}
		for p := range tree {
			if strings.HasPrefix(p, "tin-tuc/d/") {
				t.Errorf("%s: the new broken article is published: %s", what, p)
			}
		}
		for _, p := range []string{"tin-tuc/b/index.html", "tin-tuc/c/index.html", "tin-tuc/e/index.html"} {
			if _, ok := tree[p]; !ok {
				t.Errorf("%s: %s is not published", what, p)
			}
		}
		if !strings.Contains(tree["tin-tuc/e/index.html"], "Nội dung bài E.") {
			t.Errorf("%s: the new valid article is not published", what)
		}
		for _, list := range []string{"index.html", "tin-tuc/index.html", "tinh/ha-tinh/index.html", "sitemap.xml", "index.xml"} {
			if strings.Contains(tree[list], "/tin-tuc/d/") {
				t.Errorf("%s: %s links to the left-out article", what, list)
			}
			if !strings.Contains(tree[list], "/tin-tuc/e/") {
				t.Errorf("%s: %s does not list the new article", what, list)
			}
		}
		var m publish.Manifest
		if err := json.Unmarshal([]byte(tree[publish.ManifestName]), &m); err != nil {
			t.Fatal(err)
		}
		if m.Articles != 4 || len(m.Sources["content/tin-tuc/a.md"].Files) == 0 {
			t.Errorf("%s: manifest counts %d articles (want 4: b, c, e and the kept a), a keeps %v", what, m.Articles, m.Sources["content/tin-tuc/a.md"])
		}
	}
	before := sitetest.ReadTree(t, out)

	// --strict (and build.strict) keep the all-or-nothing build: exit 1, nothing changes.
	code, _, stderr := authorRun(t, "build", "--source", site, "--strict")
	if code != ExitError || !strings.Contains(stderr, "content/tin-tuc/a.md:1:1: lỗi: bài chưa có tiêu đề") {
		t.Errorf("--strict: exit %d, want %d\n%s", code, ExitError, stderr)
	}
	sameTree(t, "--strict", before, sitetest.ReadTree(t, out))
	cfg, _ := os.ReadFile(filepath.Join(site, "config.toml"))
	sitetest.WriteFiles(t, site, map[string]string{"config.toml": string(cfg) + "[build]\nstrict = true\n"})
	if code, _, _ := authorRun(t, "build", "--source", site); code != ExitError {
		t.Errorf("build.strict = true: exit %d, want %d", code, ExitError)
	}
	sameTree(t, "build.strict", before, sitetest.ReadTree(t, out))

	// An error about the whole site (config.toml) fails the build whatever the articles.
	sitetest.WriteFiles(t, site, map[string]string{"config.toml": "title = [\n"})
	if code, _, stderr := authorRun(t, "build", "--source", site); code != ExitError || !strings.Contains(stderr, "config.toml:1") {
		t.Errorf("broken config.toml: exit %d, want %d\n%s", code, ExitError, stderr)
	}
	sameTree(t, "broken config.toml", before, sitetest.ReadTree(t, out))

	// Fixed: everything is published, exit 0.
	sitetest.WriteFiles(t, site, map[string]string{
		"config.toml":          string(cfg),
		"content/tin-tuc/a.md": heldArticle("Hội nghị chuyển đổi số", "2024-03-01", "Bản sửa xong của bài A."),
		"content/tin-tuc/d.md": heldArticle("Bài mới viết đúng ngày", "2024-02-28", "Nội dung bài D."),
	})
	if code, stdout, stderr := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("fixed: exit %d\n%s\n%s", code, stdout, stderr)
	}
	tree := sitetest.ReadTree(t, out)
	if !strings.Contains(tree["tin-tuc/a/index.html"], "Bản sửa xong của bài A.") || !strings.Contains(tree["tin-tuc/d/index.html"], "Nội dung bài D.") {
		t.Error("the fixed articles are not published")
	}
}

func sameTree(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	if len(before) != len(after) {
		t.Errorf("%s: the output changed: %d files, was %d", what, len(after), len(before))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s: %s changed", what, k)
		}
	}
}

// The shrink guard counts held-back articles as published: breaking every article of a
// small site is not a site that lost its articles.
func TestHeldBackArticlesCountForTheShrinkGuard(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	site := siteDir(t)
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/a.md": heldArticle("Bài A", "2024-03-01", "A."),
		"content/tin-tuc/b.md": heldArticle("Bài B", "2024-03-02", "B."),
	})
	if code, stdout, stderr := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("first build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: [\n---\nA.\n",
		"content/tin-tuc/b.md": "",
	})
	code, _, stderr := authorRun(t, "build", "--source", site)
	if code != ExitHeldBack || !strings.Contains(stderr, "Đã xuất bản; 2 bài lỗi giữ bản cũ.") {
		t.Errorf("every article broken: exit %d, want %d\n%s", code, ExitHeldBack, stderr)
	}
	tree := sitetest.ReadTree(t, filepath.Join(site, "public"))
	if !strings.Contains(tree["tin-tuc/a/index.html"], "A.") || !strings.Contains(tree["tin-tuc/b/index.html"], "B.") {
		t.Error("the held-back articles lost their pages")
	}
	// Removing the files is what the guard is for.
	os.Remove(filepath.Join(site, "content/tin-tuc/a.md"))
	os.Remove(filepath.Join(site, "content/tin-tuc/b.md"))
	if code, _, stderr := authorRun(t, "build", "--source", site); code != ExitError || !strings.Contains(stderr, "--allow-shrink") {
		t.Errorf("every article removed: exit %d, want %d\n%s", code, ExitError, stderr)
	}
}
