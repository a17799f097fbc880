package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// keysSite writes a site of n articles in three sections with provinces and tags, on the
// default theme, plus the given layouts (path under layouts/ → template).
func keysSite(t *testing.T, n int, layouts map[string]string) string {
	t.Helper()
	dir := t.TempDir()
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
	write("config.toml", "baseURL = \"https://keys.example.gov.vn/\"\ntitle = \"Cổng thử\"\npaginate = 4\n[search]\ndisabled = true\n")
	sections := []string{"tin-tuc", "thong-bao", "su-kien"}
	provinces := []string{"Hà Tĩnh", "Gia Lai", "Huế", "Nghệ An"}
	for i := range n {
		write(fmt.Sprintf("content/%s/bai-%02d.md", sections[i%3], i), article(fmt.Sprintf("Bài số %d", i),
			fmt.Sprintf("2025-%02d-%02dT08:00:00+07:00", 1+i%12, 1+i%27),
			fmt.Sprintf("provinces: [%q]", provinces[i%4]), fmt.Sprintf("tags: [\"chủ đề %d\"]", i%5)))
	}
	write("content/gioi-thieu.md", "---\ntitle: \"Giới thiệu\"\n---\nVề cổng.\n")
	for rel, s := range layouts {
		write("layouts/"+rel, s)
	}
	return dir
}

// keysCaches are the strategies whose reused pages are checked against a fresh build.
func keysCaches(t *testing.T) map[string]func() Cache {
	return map[string]func() Cache{
		"memory": func() Cache { return NewMemoryCache() },
		"disk":   func() Cache { return DiskCache(t.TempDir(), "test") },
		"serve":  func() Cache { return NewServeCache() },
	}
}

// keysRun builds the site with cache c (the same value each time) and checks that every
// file equals a fresh build's.
type keysRun struct {
	t     *testing.T
	dir   string
	dest  string
	cache Cache
}

func (k keysRun) build(step string) Report {
	t := k.t
	t.Helper()
	rep, err := Run(context.Background(), Options{SiteDir: k.dir, Dest: k.dest, Now: fixedNow, Cache: k.cache, NoSearch: true})
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	full := filepath.Join(t.TempDir(), "full")
	if _, err := Run(context.Background(), Options{SiteDir: k.dir, Dest: full, Now: fixedNow, Cache: NoCache(), NoSearch: true}); err != nil {
		t.Fatalf("%s: full build: %v", step, err)
	}
	// The manifest is left out: the preview keeps its file lists in memory
	// (TestIncrementalMatchesFullBuild compares it).
	sitetest.CompareTrees(t, step, sitetest.ReadTree(t, k.dest), sitetest.ReadTree(t, full),
		func(name string) bool { return name == publish.ManifestName })
	return rep
}

// TestNewArticleRendersOnlyWhatShowsIt adds, respells, edits and deletes articles under
// each cache and checks that every page equals a fresh build's bytes, and that a new or
// deleted article renders again only the pages that show it or what it changed (the
// home page's counts, the lists it is in, its neighbours), not every article's page.
func TestNewArticleRendersOnlyWhatShowsIt(t *testing.T) {
	for name, mk := range keysCaches(t) {
		t.Run(name, func(t *testing.T) {
			dir := keysSite(t, 30, nil)
			k := keysRun{t: t, dir: dir, dest: filepath.Join(t.TempDir(), "public"), cache: mk()}
			first := k.build("first build")
			if first.Reused != 0 {
				t.Fatalf("first build reused %d pages", first.Reused)
			}
			total := first.Rendered
			articles := first.Pages["article"]

			add := filepath.Join(dir, "content", "tin-tuc", "moi.md")
			os.WriteFile(add, []byte(article("Bài mới", "2025-06-15T09:00:00+07:00", `provinces: ["Huế"]`, `tags: ["chủ đề mới"]`)), 0o644)
			rep := k.build("add")
			// Without narrow keys every page is rendered again; now at most the new page,
			// its neighbours and the articles whose related list changed, plus lists.
			if rep.Rendered > total-articles/2 {
				t.Errorf("add: rendered %d of %d pages (%d articles); want most article pages kept", rep.Rendered, total+1, articles)
			}

			// The same tag spelt otherwise by a newer article: the term's name may change,
			// and every page showing it with it.
			os.WriteFile(filepath.Join(dir, "content", "su-kien", "viet-khac.md"), []byte(article("Viết khác", "2025-12-30T09:00:00+07:00", `provinces: ["Gia Lai"]`, `tags: ["Chủ Đề 1"]`)), 0o644)
			k.build("respelt tag")

			b, _ := os.ReadFile(add)
			os.WriteFile(add, []byte(strings.Replace(string(b), "Bài mới", "Bài mới (sửa)", 1)), 0o644)
			if rep := k.build("edit title"); rep.Rendered > total/2 {
				t.Errorf("edit: rendered %d of %d pages", rep.Rendered, total)
			}

			os.Remove(filepath.Join(dir, "content", "thong-bao", "bai-07.md"))
			if rep := k.build("delete"); rep.Rendered > total-articles/2 {
				t.Errorf("delete: rendered %d of %d pages (%d articles); want most article pages kept", rep.Rendered, total, articles)
			}
			os.Remove(add)
			k.build("delete the new one")
			os.WriteFile(filepath.Join(dir, "content", "gioi-thieu.md"), []byte("---\ntitle: \"Giới thiệu cổng\"\n---\nVề cổng.\n"), 0o644)
			k.build("standalone retitled")
			// The first legal document: every page's navigation gains the library's link
			// (menu, in the cached header), so no kept page may lack it.
			os.MkdirAll(filepath.Join(dir, "content", "van-ban"), 0o755)
			os.WriteFile(filepath.Join(dir, "content", "van-ban", "qd-1.md"), []byte("---\nnumber: \"1/QĐ-UBND\"\ntype: Quyết định\nissuer: UBND tỉnh\nissued: 2025-01-02\ntitle: \"Về việc thử\"\n---\n"), 0o644)
			if rep := k.build("first document"); rep.Rendered < articles {
				t.Errorf("first document: rendered %d pages; every article page shows the library's link (%d articles)", rep.Rendered, articles)
			}
		})
	}
}

// TestCustomLayoutShowingCountsIsRenderedAgain: a site's own article layout that shows
// every section's count, through a partial given a dict, must be rendered again for
// every article when an article is added: the analysis of the templates follows the
// dict into the partial.
func TestCustomLayoutShowingCountsIsRenderedAgain(t *testing.T) {
	layouts := map[string]string{
		"article.html": `{{ template "baseof" . }}{{ define "main" }}<h1>{{ .Page.Title }}</h1>{{ template "partials/side.html" (dict "g" .Site.Graph "p" .Page) }}{{ end }}`,
		"partials/side.html": `{{ $g := .g }}<ul>{{ range $i, $s := $g.Sections }}<li>{{ $s.Title }} {{ len $s.Articles }}</li>{{ end }}</ul>` +
			`{{ with .p.Article }}{{ range .Terms }}{{ range .Terms }}{{ .Name }} ({{ .Count }}) {{ end }}{{ end }}{{ end }}`,
	}
	// A value of a type the analysis cannot follow, read by a structural name; the number
	// of articles.
	layouts["page.html"] = `{{ template "baseof" . }}{{ define "main" }}{{ with .Page.Sources }}{{ $a := index $.Site.Params "x" }}{{ with $a }}{{ .Articles }}{{ end }}{{ end }}<p>{{ len .Site.Graph.Articles }}</p>{{ end }}`
	for name, mk := range keysCaches(t) {
		t.Run(name, func(t *testing.T) {
			dir := keysSite(t, 12, layouts)
			k := keysRun{t: t, dir: dir, dest: filepath.Join(t.TempDir(), "public"), cache: mk()}
			first := k.build("first build")
			os.WriteFile(filepath.Join(dir, "content", "thong-bao", "moi.md"), []byte(article("Bài mới", "2025-06-15T09:00:00+07:00", `provinces: ["Huế"]`, `tags: ["chủ đề 2"]`)), 0o644)
			rep := k.build("add")
			if rep.Rendered < first.Pages["article"] {
				t.Errorf("add: rendered %d pages; every article page shows the counts (%d)", rep.Rendered, first.Pages["article"])
			}
			os.Remove(filepath.Join(dir, "content", "tin-tuc", "bai-03.md"))
			k.build("delete")
		})
	}
}
