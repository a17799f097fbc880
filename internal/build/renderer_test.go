package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/sitetest"
)

// A rebuild of a refreshed graph keeps its Renderer (renewed: its fragments dropped); any
// change to the theme's files, the configuration or the graph's shape makes a new one;
// the output equals a fresh build's every time. The summary edit checks the renewal: the
// article cards of the lists are partialCached fragments that show it.
func TestRendererKeptOnlyWhileNothingItReadChanged(t *testing.T) {
	art := func(title, date, summary, body string) string {
		return "---\ntitle: \"" + title + "\"\ndate: " + date + "\nsummary: \"" + summary + "\"\nprovinces: [\"Hà Tĩnh\"]\ncategories: [\"Hội nghị\"]\n---\n" + body + "\n"
	}
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":          "baseURL = \"https://tinh.example.vn/\"\ntitle = \"Cổng thông tin\"\n",
		"content/tin-tuc/a.md": art("Bài A", "2024-01-01", "Tóm tắt bài A.", "Nội dung bài A."),
		"content/tin-tuc/b.md": art("Bài B", "2024-01-02", "Tóm tắt bài B.", "Nội dung bài B."),
	})
	cache := NewMemoryCache()
	out := filepath.Join(t.TempDir(), "public")
	var last *render.Renderer
	step := func(name string, reuse bool, changed ...string) {
		t.Helper()
		var paths []string
		for _, rel := range changed {
			paths = append(paths, filepath.Join(dir, filepath.FromSlash(rel)))
		}
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: out, Now: fixedNow, Cache: cache.Changed(paths), NoSearch: true})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if kept := rep.Renderer == last; kept != reuse {
			t.Errorf("%s: Renderer kept = %v, want %v", name, kept, reuse)
		}
		last = rep.Renderer
		fresh := filepath.Join(t.TempDir(), "public")
		if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: fresh, Now: fixedNow, Cache: NoCache(), NoSearch: true}); err != nil {
			t.Fatalf("%s: fresh build: %v", name, err)
		}
		got, want := sitetest.ReadTree(t, out), sitetest.ReadTree(t, fresh)
		delete(got, ".portal.json") // a MemoryCache's manifest lives in memory
		delete(want, ".portal.json")
		for f, b := range want {
			if got[f] != b {
				t.Errorf("%s: %s differs from a fresh build's", name, f)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d files, a fresh build has %d", name, len(got), len(want))
		}
	}
	write := func(rel, s string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	step("first build", false)
	write("content/tin-tuc/a.md", art("Bài A", "2024-01-01", "Tóm tắt mới của bài A.", "Nội dung bài A."))
	step("summary", true, "content/tin-tuc/a.md")
	if b, err := os.ReadFile(filepath.Join(out, "index.html")); err != nil || !strings.Contains(string(b), "Tóm tắt mới của bài A.") {
		t.Errorf("the home page does not show the new summary (%v)", err)
	}
	write("content/tin-tuc/b.md", art("Bài B", "2024-01-02", "Tóm tắt bài B.", "Nội dung đã sửa của bài B."))
	step("body", true, "content/tin-tuc/b.md")
	layout := `{{ template "baseof" . }}{{ define "main" }}<h1 class="bai">{{ .Page.Title }}</h1>{{ end }}`
	write("layouts/article.html", layout)
	step("a layout added", false, "layouts/article.html")
	write("layouts/article.html", strings.Replace(layout, `"bai"`, `"baj"`, 1)) // the same size
	step("the layout edited", false, "layouts/article.html")
	step("nothing changed", true)
	write("i18n/vi.toml", "")
	step("a strings file added", false, "i18n/vi.toml")
	write("config.toml", "baseURL = \"https://tinh.example.vn/\"\ntitle = \"Cổng thông tin điện tử\"\n")
	step("configuration", false, "config.toml")
	write("content/tin-tuc/c.md", art("Bài C", "2024-01-03", "Tóm tắt bài C.", "Bài mới."))
	step("new article", false, "content/tin-tuc/c.md")
	if err := os.Remove(filepath.Join(dir, "layouts", "article.html")); err != nil {
		t.Fatal(err)
	}
	step("the layout removed", false, "layouts/article.html")
}
