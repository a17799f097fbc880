package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// servedGolden is a copy of the golden site that a test builds with a ServeCache into
// one output folder after each change, comparing that folder with a fresh full build.
type servedGolden struct {
	t     *testing.T
	dir   string // the site's copy
	dest  string // the output folder the cache builds into
	cache *ServeCache
}

func newServedGolden(t *testing.T, cache *ServeCache) *servedGolden {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	return &servedGolden{t: t, dir: dir, dest: filepath.Join(t.TempDir(), "public"), cache: cache}
}

// run builds the site into d with c, minified and precompressed, without search.
func (g *servedGolden) run(d string, c Cache) Report {
	g.t.Helper()
	rep, err := Run(context.Background(), Options{SiteDir: g.dir, Dest: d, Now: fixedNow, Minify: true, Precompress: true, Cache: c, NoSearch: true})
	if err != nil {
		g.t.Fatalf("build: %v", err)
	}
	return rep
}

// compare builds with the cache told that changed (paths relative to the site) changed,
// and reports every file of the output folder that differs from a fresh full build's.
func (g *servedGolden) compare(step string, changed ...string) Report {
	t := g.t
	t.Helper()
	var hint []string
	for _, c := range changed {
		hint = append(hint, filepath.Join(g.dir, c))
	}
	rep := g.run(g.dest, g.cache.Changed(hint))
	full := filepath.Join(t.TempDir(), "full")
	g.run(full, NoCache())
	sitetest.CompareTrees(t, step, sitetest.ReadTree(t, g.dest), sitetest.ReadTree(t, full), nil)
	return rep
}

// TestServeCacheMatchesFullBuild builds with a ServeCache into an output folder after each
// change and compares the output, manifest included, with a fresh full build: pages taken
// from the output folder are never stale, and the manifest has the file lists.
func TestServeCacheMatchesFullBuild(t *testing.T) {
	cache := NewServeCache()
	g := newServedGolden(t, cache)
	dir, dest, compare := g.dir, g.dest, g.compare
	first := compare("first build")
	if first.Reused != 0 {
		t.Fatalf("first build reused %d pages", first.Reused)
	}
	if same := compare("no change"); same.Rendered != 0 || same.Reused != first.Rendered {
		t.Errorf("an unchanged rebuild rendered %d and reused %d of %d pages", same.Rendered, same.Reused, first.Rendered)
	}
	edit := filepath.Join(dir, "content", "tin-tuc", "ha-tinh.md")
	b, _ := os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), "gần 100 đại biểu", "gần 120 đại biểu", 1)), 0o644)
	art := "content/tin-tuc/ha-tinh.md"
	if rep := compare("edit body", art); rep.Rendered == 0 || rep.Rendered > first.Rendered/2 {
		t.Errorf("a body edit re-rendered %d of %d pages", rep.Rendered, first.Rendered)
	}
	b, _ = os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), `title = "Hội nghị hướng dẫn`, `title = "Hội nghị (sửa) hướng dẫn`, 1)), 0o644)
	compare("edit title", art)
	os.WriteFile(filepath.Join(dir, "content", "tin-tuc", "moi.md"), []byte(article("Bài mới", "2026-01-01", `provinces: ["Huế"]`)), 0o644)
	compare("add", "content/tin-tuc/moi.md")
	os.Remove(filepath.Join(dir, "content", "tin-tuc", "vinh-phuc.md"))
	compare("delete", "content/tin-tuc/vinh-phuc.md")
	os.WriteFile(filepath.Join(dir, "layouts", "404.html"), []byte(`{{ template "baseof" . }}{{ define "main" }}<h1>Lỗi 404</h1>{{ end }}`), 0o644)
	compare("template change", "layouts/404.html")

	// A page changed in the output by someone else is rendered again, not trusted.
	page := filepath.Join(dest, "tin-tuc", "index.html")
	os.WriteFile(page, []byte("sửa tay"), 0o644)
	if rep := compare("output edited by hand"); rep.Rendered != 1 {
		t.Errorf("after a page was edited in the output, %d pages were rendered; want 1", rep.Rendered)
	}
}
