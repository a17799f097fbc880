package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// TestIncrementalMatchesFullBuild edits, adds, renames and deletes articles between
// cached builds and checks after each step that the output equals a fresh full build of
// the same files: a cache must never leave a stale page.
func TestIncrementalMatchesFullBuild(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	dir := t.TempDir()
	sitetest.CopyTree(t, src, dir)
	cache := NewCache()
	incDest := filepath.Join(t.TempDir(), "inc")
	build := func(dest string, c *Cache) Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: c, NoSearch: true})
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return rep
	}
	compare := func(step string) Report {
		t.Helper()
		rep := build(incDest, cache)
		full := filepath.Join(t.TempDir(), "full")
		build(full, nil)
		a, b := sitetest.ReadTree(t, incDest), sitetest.ReadTree(t, full)
		if len(a) != len(b) {
			t.Errorf("%s: incremental has %d files, full build %d", step, len(a), len(b))
		}
		for k, v := range b {
			if a[k] != v {
				t.Errorf("%s: %s is stale in the incremental build", step, k)
			}
		}
		for k := range a {
			if _, ok := b[k]; !ok {
				t.Errorf("%s: %s should be gone", step, k)
			}
		}
		return rep
	}
	first := compare("first build")
	if first.Reused != 0 || first.Rendered == 0 {
		t.Fatalf("first build: rendered %d reused %d", first.Rendered, first.Reused)
	}
	same := compare("no change")
	if same.Rendered != 0 || len(same.Changed) != 0 {
		t.Errorf("an unchanged rebuild rendered %d pages and changed %v", same.Rendered, same.Changed)
	}

	edit := filepath.Join(dir, "content", "tin-tuc", "ha-tinh.md")
	b, _ := os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), "gần 100 đại biểu", "gần 120 đại biểu", 1)), 0o644)
	rep := compare("edit body")
	if rep.Rendered == 0 || rep.Rendered > first.Rendered/2 {
		t.Errorf("a body edit re-rendered %d of %d pages; want only the article and the pages showing it", rep.Rendered, first.Rendered)
	}
	if !slices.Contains(rep.Changed, "tin-tuc/ha-tinh/index.html") {
		t.Errorf("changed pages %v must include the edited article", rep.Changed)
	}

	b, _ = os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), `title = "Hội nghị hướng dẫn`, `title = "Hội nghị (sửa) hướng dẫn`, 1)), 0o644)
	compare("edit title")

	b, _ = os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), `provinces = ["tỉnh Hà Tĩnh"]`, `provinces = ["Gia Lai"]`, 1)), 0o644)
	compare("move to another province")

	os.WriteFile(filepath.Join(dir, "content", "tin-tuc", "moi.md"), []byte(article("Bài mới", "2026-01-01", `provinces: ["Huế"]`)), 0o644)
	compare("add")

	os.Rename(filepath.Join(dir, "content", "tin-tuc", "moi.md"), filepath.Join(dir, "content", "tin-tuc", "doi-ten.md"))
	compare("rename")

	os.Remove(filepath.Join(dir, "content", "tin-tuc", "vinh-phuc.md"))
	compare("delete")

	os.WriteFile(filepath.Join(dir, "layouts", "404.html"), []byte(`{{ template "baseof" . }}{{ define "main" }}<h1>Lỗi 404</h1>{{ end }}`), 0o644)
	compare("template change")

	os.WriteFile(filepath.Join(dir, "static", "css", "a.css"), []byte("body{color:#000}"), 0o644)
	compare("css change")
}
