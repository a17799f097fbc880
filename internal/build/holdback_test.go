package build

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/sitetest"
)

// The preview keeps the near-duplicate title findings while no title changes, and finds
// new ones as soon as a title changes.
func TestMemoryCacheKeepsTitleFindings(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Hội nghị tập huấn chuyển đổi số cho cán bộ", "2020-01-01"),
		"content/tin-tuc/b.md": article("Hội nghị tập huấn chuyển đổi số cho cán bộ xã", "2020-01-02"),
		"content/tin-tuc/c.md": article("Khai trương cổng dịch vụ công trực tuyến", "2020-01-03"),
	})
	c := NewMemoryCache()
	build := func() Report {
		t.Helper()
		rep, err := runBuild(t, dir, func(o *Options) { o.Cache, o.NoSearch = c, true })
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := build(); !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/b.md", 2, "content/tin-tuc/a.md") {
		t.Fatalf("first build: no duplicate-title warning on b.md: %v", rep.Diagnostics)
	}
	first := &c.rules.titles[0]
	// A body edit: the findings are kept (the same slice), and reported again.
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/c.md"), []byte("---\ntitle: \"Khai trương cổng dịch vụ công trực tuyến\"\ndate: 2020-01-03\n---\nSửa thân bài.\n"), 0o644)
	if rep := build(); !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/b.md", 2, "content/tin-tuc/a.md") || &c.rules.titles[0] != first {
		t.Errorf("body edit: the findings were not kept: %v", rep.Diagnostics)
	}
	// A title edit: found again.
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/c.md"), []byte(article("Hội nghị tập huấn chuyển đổi số cho cán bộ ấp", "2020-01-03")), 0o644)
	if rep := build(); !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/c.md", 2, "content/tin-tuc/a.md") {
		t.Errorf("title edit: no new duplicate-title warning on c.md: %v", rep.Diagnostics)
	}
}

// The preview keeps each article's link findings while its file and the site's pages
// stay the same, and finds them again when either changes.
func TestMemoryCacheLinkFindingsFollowEdits(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2020-01-01\n---\nXem [bài B](/tin-tuc/b/).\n",
		"content/tin-tuc/b.md": article("Bài B", "2020-01-02"),
		"content/tin-tuc/c.md": article("Bài C", "2020-01-03"),
	})
	c := NewMemoryCache()
	build := func() []diag.Diagnostic {
		t.Helper()
		rep, err := runBuild(t, dir, func(o *Options) { o.Cache, o.NoSearch = c, true })
		if err != nil {
			t.Fatal(err)
		}
		return rep.Diagnostics
	}
	broken := func(ds []diag.Diagnostic, path, target string) bool {
		return hasDiag(ds, diag.Warning, path, 0, "there is no page "+target)
	}
	if ds := build(); len(ds) != 0 {
		t.Fatalf("first build: %v", ds)
	}
	// A body edit (the graph is refreshed in place): the new broken link is found.
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/c.md"), []byte("---\ntitle: \"Bài C\"\ndate: 2020-01-03\n---\nXem [bài cũ](/tin-tuc/cu/).\n"), 0o644)
	if ds := build(); !broken(ds, "content/tin-tuc/c.md", "/tin-tuc/cu/") || len(ds) != 1 {
		t.Errorf("body edit: %v", ds)
	}
	// Another body edit elsewhere: c's finding is still reported.
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/b.md"), []byte("---\ntitle: \"Bài B\"\ndate: 2020-01-02\n---\nSửa thân bài.\n"), 0o644)
	if ds := build(); !broken(ds, "content/tin-tuc/c.md", "/tin-tuc/cu/") || len(ds) != 1 {
		t.Errorf("edit of another article: %v", ds)
	}
	// b removed: a's link, unchanged, is now broken.
	os.Remove(filepath.Join(dir, "content/tin-tuc/b.md"))
	if ds := build(); !broken(ds, "content/tin-tuc/a.md", "/tin-tuc/b/") || !broken(ds, "content/tin-tuc/c.md", "/tin-tuc/cu/") {
		t.Errorf("target removed: %v", ds)
	}
}

// A held-back page bundle keeps its page, the files beside it and its photo's variants;
// the next build, with the article still broken, keeps them again.
func TestHeldBackBundleKeepsItsFiles(t *testing.T) {
	jpg, err := corpus.PhotoJPEG(1, 0, 400, 300)
	if err != nil {
		t.Fatal(err)
	}
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/hoi-nghi/index.md":     "---\ntitle: \"Hội nghị\"\ndate: 2020-01-01\n---\n![Hội trường](anh.jpg)\n\n[Giấy mời](giay-moi.pdf)\n",
		"content/tin-tuc/hoi-nghi/anh.jpg":      string(jpg),
		"content/tin-tuc/hoi-nghi/giay-moi.pdf": "%PDF-1.4",
		"content/tin-tuc/b.md":                  article("Bài B", "2020-01-02"),
	})
	rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
	if err != nil || len(rep.HeldBack) != 0 {
		t.Fatalf("first build: %v, held back %v", err, rep.HeldBack)
	}
	page, _ := os.ReadFile(filepath.Join(dir, "public/tin-tuc/hoi-nghi/index.html"))
	variants, _ := filepath.Glob(filepath.Join(dir, "public", ImagesDir, "anh.*"))
	if len(variants) == 0 {
		t.Fatal("first build: no variants of the photo")
	}
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/hoi-nghi/index.md"), []byte("---\ntitle: \"Hội nghị\"\ndate: [\n---\n"), 0o644)
	for i := range 2 {
		rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.HeldBack) != 1 || !slices.Contains(rep.HeldBack[0].Kept, "tin-tuc/hoi-nghi/index.html") || !slices.Contains(rep.HeldBack[0].Kept, "tin-tuc/hoi-nghi/giay-moi.pdf") {
			t.Errorf("build %d: held back %+v, want the bundle keeping its page and giay-moi.pdf", i+2, rep.HeldBack)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "public/tin-tuc/hoi-nghi/index.html")); string(got) != string(page) {
			t.Errorf("build %d: the kept page changed", i+2)
		}
		if got, _ := os.ReadFile(filepath.Join(dir, "public/tin-tuc/hoi-nghi/giay-moi.pdf")); string(got) != "%PDF-1.4" {
			t.Errorf("build %d: the bundle's file is gone", i+2)
		}
		for _, v := range variants {
			if _, err := os.Stat(v); err != nil {
				t.Errorf("build %d: the kept page's photo variant %s is gone", i+2, filepath.Base(v))
			}
		}
	}
}

// A kept page links to the CSS and JS of its build: when they change, their older
// fingerprinted files stay beside it.
func TestHeldBackPageKeepsItsAssets(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"static/css/them.css":  "body{color:#111}\n",
		"content/tin-tuc/a.md": article("Bài A", "2020-01-01"),
		"content/tin-tuc/b.md": article("Bài B", "2020-01-02"),
	})
	rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
	if err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "public/css/them.*.css"))
	if len(old) != 1 {
		t.Fatalf("fingerprinted CSS: %v", old)
	}
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/a.md"), []byte("---\ndate: 2020-01-01\n---\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "static/css/them.css"), []byte("body{color:#222}\n"), 0o644)
	if rep, err = runBuild(t, dir, func(o *Options) { o.NoSearch = true }); err != nil {
		t.Fatal(err)
	}
	oldRel, _ := filepath.Rel(filepath.Join(dir, "public"), old[0])
	if len(rep.HeldBack) != 1 || !slices.Contains(rep.HeldBack[0].Kept, filepath.ToSlash(oldRel)) {
		t.Errorf("held back %+v, want it to keep %s", rep.HeldBack, oldRel)
	}
	now, _ := filepath.Glob(filepath.Join(dir, "public/css/them.*.css"))
	if len(now) != 2 {
		t.Errorf("fingerprinted CSS after the change: %v, want the old and the new", now)
	}
}

// An article held back for a photo it cannot use still shows its other photos, whose
// variants this build makes anyway: the kept page and the new variants are the same files,
// not a collision.
func TestHeldBackForAPhotoKeepsItsOtherPhotos(t *testing.T) {
	jpg, err := corpus.PhotoJPEG(2, 0, 400, 300)
	if err != nil {
		t.Fatal(err)
	}
	page := "---\ntitle: \"Hội nghị\"\ndate: 2020-01-01\n---\n![Hội trường](anh.jpg)\n"
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/hoi-nghi/index.md": page,
		"content/tin-tuc/hoi-nghi/anh.jpg":  string(jpg),
		"content/tin-tuc/b.md":              article("Bài B", "2020-01-02"),
	})
	if rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true }); err != nil || len(rep.HeldBack) != 0 {
		t.Fatalf("first build: %v, held back %v", err, rep.HeldBack)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "public/tin-tuc/hoi-nghi/index.html"))
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/tin-tuc/hoi-nghi/index.md":     page + "\n![Giấy mời](giay-moi.jpg)\n",
		"content/tin-tuc/hoi-nghi/giay-moi.jpg": "Giấy mời họp",
	})
	rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
	if err != nil {
		t.Fatalf("second build failed: %v", err)
	}
	if len(rep.HeldBack) != 1 || rep.HeldBack[0].Path != "content/tin-tuc/hoi-nghi/index.md" {
		t.Fatalf("held back %+v", rep.HeldBack)
	}
	if got, _ := os.ReadFile(filepath.Join(dir, "public/tin-tuc/hoi-nghi/index.html")); string(got) != string(before) {
		t.Error("the kept page changed")
	}
	if v, _ := filepath.Glob(filepath.Join(dir, "public", ImagesDir, "anh.*")); len(v) == 0 {
		t.Error("the kept page's photo variants are gone")
	}
}
