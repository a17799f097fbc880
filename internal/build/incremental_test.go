package build

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestIncrementalMatchesFullBuild edits, adds, renames and deletes articles between
// cached builds and checks after each step that the output equals a fresh full build of
// the same files: a cache must never leave a stale page.
// TestIncrementalMatchesFullBuild edits, adds, renames and deletes files and compares each
// incremental build with a full build of the same files: twice, once with the changed
// paths unknown (every file checked) and once told them (as the preview's watcher does).
func TestIncrementalMatchesFullBuild(t *testing.T) {
	for _, hinted := range []bool{false, true} {
		t.Run(map[bool]string{false: "unknown-changes", true: "changed-paths"}[hinted], func(t *testing.T) {
			testIncremental(t, hinted)
		})
	}
}

func testIncremental(t *testing.T, hinted bool) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	dir := t.TempDir()
	sitetest.CopyTree(t, src, dir)
	cache := NewMemoryCache()
	incDest := filepath.Join(t.TempDir(), "inc")
	build := func(dest string, c Cache) Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: c, NoSearch: true})
		if err != nil {
			t.Fatalf("build: %v", err)
		}
		return rep
	}
	started := false
	compare := func(step string, changed ...string) Report {
		t.Helper()
		var hint []string
		if hinted && started {
			hint = []string{}
			for _, c := range changed {
				hint = append(hint, filepath.Join(dir, c))
			}
		}
		started = true
		rep := build(incDest, cache.Changed(hint))
		full := filepath.Join(t.TempDir(), "full")
		build(full, NoCache())
		a, b := sitetest.ReadTree(t, incDest), sitetest.ReadTree(t, full)
		if len(a) != len(b) {
			t.Errorf("%s: incremental has %d files, full build %d", step, len(a), len(b))
		}
		for k, v := range b {
			if k == publish.ManifestName {
				// The preview keeps the file lists in memory (memoryManifest), not on disk.
				var inc, fresh publish.Manifest
				json.Unmarshal([]byte(a[k]), &inc)
				json.Unmarshal([]byte(v), &fresh)
				if inc.Sources != nil || cache.manifest == nil || !reflect.DeepEqual(cache.manifest.Sources, fresh.Sources) {
					t.Errorf("%s: the incremental build's file lists differ from the full build's", step)
				}
				fresh.Sources = nil
				v = string(fresh.Encode())
			}
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
	art := "content/tin-tuc/ha-tinh.md"
	rep := compare("edit body", art)
	if rep.Rendered == 0 || rep.Rendered > first.Rendered/2 {
		t.Errorf("a body edit re-rendered %d of %d pages; want only the article and the pages showing it", rep.Rendered, first.Rendered)
	}
	if !slices.Contains(rep.Changed, "tin-tuc/ha-tinh/index.html") {
		t.Errorf("changed pages %v must include the edited article", rep.Changed)
	}

	b, _ = os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), `title = "Hội nghị hướng dẫn`, `title = "Hội nghị (sửa) hướng dẫn`, 1)), 0o644)
	compare("edit title", art)

	b, _ = os.ReadFile(edit)
	os.WriteFile(edit, []byte(strings.Replace(string(b), `provinces = ["tỉnh Hà Tĩnh"]`, `provinces = ["Gia Lai"]`, 1)), 0o644)
	compare("move to another province", art)

	os.WriteFile(filepath.Join(dir, "content", "tin-tuc", "moi.md"), []byte(article("Bài mới", "2026-01-01", `provinces: ["Huế"]`)), 0o644)
	compare("add", "content/tin-tuc/moi.md")

	os.Rename(filepath.Join(dir, "content", "tin-tuc", "moi.md"), filepath.Join(dir, "content", "tin-tuc", "doi-ten.md"))
	compare("rename", "content/tin-tuc/moi.md", "content/tin-tuc/doi-ten.md")

	os.Remove(filepath.Join(dir, "content", "tin-tuc", "vinh-phuc.md"))
	rep = compare("delete", "content/tin-tuc/vinh-phuc.md")

	// A new folder with an article in it, then the folder removed: the watcher reports
	// the folder, and the build must look inside.
	os.MkdirAll(filepath.Join(dir, "content", "tin-tuc", "2026"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "tin-tuc", "2026", "trong-thu-muc.md"), []byte(article("Bài trong thư mục", "2025-12-15", `provinces: ["Huế"]`)), 0o644)
	before := rep.Articles
	if rep = compare("new folder", "content/tin-tuc/2026"); rep.Articles != before+1 {
		t.Errorf("new folder: %d articles, want %d", rep.Articles, before+1)
	}
	os.RemoveAll(filepath.Join(dir, "content", "tin-tuc", "2026"))
	if rep = compare("folder removed", "content/tin-tuc/2026"); rep.Articles != before {
		t.Errorf("folder removed: %d articles, want %d", rep.Articles, before)
	}
	os.WriteFile(filepath.Join(dir, "content", "tin-tuc", ".ha-tinh.md.swp"), []byte("vim"), 0o644)
	compare("editor swap file", "content/tin-tuc/.ha-tinh.md.swp")

	os.WriteFile(filepath.Join(dir, "layouts", "404.html"), []byte(`{{ template "baseof" . }}{{ define "main" }}<h1>Lỗi 404</h1>{{ end }}`), 0o644)
	compare("template change", "layouts/404.html")

	os.WriteFile(filepath.Join(dir, "static", "css", "a.css"), []byte("body{color:#000}"), 0o644)
	compare("css change", "static/css/a.css")
}
