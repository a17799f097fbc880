package content

import (
	"context"
	"github.com/vnportal/portal/internal/diag"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func article(title string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\ntitle: \"" + title + "\"\ndate: 2024-05-29\nprovinces: [\"Hà Tĩnh\"]\n---\nNội dung.\n")}
}

// site is a small site in memory: two articles, a section's _index.md, a bundle with an
// image, and what Walk must leave out: editor files, hidden folders, symbolic links to a
// file and to a folder, a file outside content/.
func site() fstest.MapFS {
	return fstest.MapFS{
		"config.toml":                     {Data: []byte("title = \"Cổng thử\"\n")},
		"content/tin-tuc/_index.md":       {Data: []byte("---\ntitle: \"Tin tức\"\n---\n")},
		"content/tin-tuc/ha-tinh.md":      article("Hội nghị ở Hà Tĩnh"),
		"content/tin-tuc/gia-lai.md":      article("Hội nghị ở Gia Lai"),
		"content/tin-tuc/hue/index.md":    article("Bài có ảnh"),
		"content/tin-tuc/hue/anh.jpg":     {Data: []byte("jpeg")},
		"content/tin-tuc/.ha-tinh.md.swp": {Data: []byte("vim")},
		"content/tin-tuc/ha-tinh.md~":     {Data: []byte("backup")},
		"content/.git/x.md":               article("Ẩn"),
		"content/tin-tuc/lien-ket.md":     {Data: []byte("ha-tinh.md"), Mode: fs.ModeSymlink},
		"content/tin-tuc/thu-muc":         {Data: []byte("hue"), Mode: fs.ModeSymlink},
		"layouts/x.md":                    article("Không phải nội dung"),
	}
}

func rels(files []File) (out []string) {
	for _, f := range files {
		out = append(out, f.Rel)
	}
	return out
}

func TestLoadFromMapFS(t *testing.T) {
	fsys := site()
	md, res, err := Walk(fsys)
	refused, ok := diag.AsErrors(err)
	if !ok || len(refused) != 2 || refused[0].Path != "content/tin-tuc/lien-ket.md" || refused[1].Path != "content/tin-tuc/thu-muc" ||
		!strings.Contains(refused[0].Message, "tới ha-tinh.md") {
		t.Errorf("Walk: %v; want an error for each of the two links", err)
	}
	wantMD := []string{"content/tin-tuc/_index.md", "content/tin-tuc/gia-lai.md", "content/tin-tuc/ha-tinh.md", "content/tin-tuc/hue/index.md"}
	if got := rels(md); !slices.Equal(got, wantMD) {
		t.Errorf("Markdown files %q, want %q", got, wantMD)
	}
	if got := rels(res); !slices.Equal(got, []string{"content/tin-tuc/hue/anh.jpg"}) {
		t.Errorf("resources %q, want the bundle's image only", got)
	}
	// content/ itself a link is not followed either (as filepath.WalkDir did not).
	linked := fstest.MapFS{"content": {Data: []byte("noi-dung"), Mode: fs.ModeSymlink}, "noi-dung/a.md": article("A")}
	if md, res, err := Walk(linked); len(md)+len(res) != 0 || err != nil {
		t.Errorf("a linked content folder gave %v, %v, %v", md, res, err)
	}
	if md, _, err := Walk(fstest.MapFS{}); md != nil || err != nil {
		t.Errorf("no content folder: %v, %v", md, err)
	}

	docs, ds := Load(context.Background(), fsys, Schema{Taxonomies: []string{"provinces"}})
	if items := ds.Items(); len(items) != 2 || items[0].Code != "input-file" || items[1].Code != "input-file" {
		t.Fatalf("diagnostics: %v; want the two links only", items)
	}
	var paths []string
	for _, d := range docs {
		paths = append(paths, d.Path)
	}
	if !slices.Equal(paths, wantMD) {
		t.Fatalf("documents %q, want %q", paths, wantMD)
	}
	if docs[0].Kind != SectionIndex || docs[0].Title != "Tin tức" {
		t.Errorf("_index.md: kind %v, title %q", docs[0].Kind, docs[0].Title)
	}
	if b := docs[3]; b.BundleDir != "content/tin-tuc/hue" || b.Name != "hue" || b.Terms.Of("provinces")[0] != "Hà Tĩnh" {
		t.Errorf("bundle: dir %q, name %q, terms %v", b.BundleDir, b.Name, b.Terms)
	}
}

// TestLoadCachedChangedPaths edits, adds and removes files in memory and loads with the
// changed paths as the watcher reports them (SitePaths): only those are read again.
func TestLoadCachedChangedPaths(t *testing.T) {
	fsys, cache, tax := site(), NewCache(), []string{"provinces"}
	load := func(changed ...string) []string {
		t.Helper()
		docs, ds := LoadCached(context.Background(), fsys, Schema{Taxonomies: tax}, cache, SitePaths("/site", changed), nil)
		for _, d := range ds.Items() {
			if d.Severity == diag.Error && d.Code != "input-file" { // the links are reported
				t.Fatalf("diagnostics: %v", ds.Items())
			}
		}
		var titles []string
		for _, d := range docs {
			titles = append(titles, d.Title)
		}
		return titles
	}
	load()
	fsys["content/tin-tuc/gia-lai.md"] = article("Sửa")
	fsys["content/tin-tuc/moi.md"] = article("Mới")
	// Not in the list: a change the list does not name stays unseen, which shows that the
	// list was used (a walk would find it).
	fsys["content/tin-tuc/hue/index.md"] = article("Không đọc lại")
	got := load("/site/content/tin-tuc/gia-lai.md", "/site/content/tin-tuc/moi.md", "/site/layouts/x.md", "/elsewhere/content/y.md")
	if want := []string{"Tin tức", "Sửa", "Hội nghị ở Hà Tĩnh", "Bài có ảnh", "Mới"}; !slices.Equal(got, want) {
		t.Errorf("after an edit and an addition: %q, want %q", got, want)
	}
	delete(fsys, "content/tin-tuc/ha-tinh.md")
	if got, want := load("/site/content/tin-tuc/ha-tinh.md"), []string{"Tin tức", "Sửa", "Bài có ảnh", "Mới"}; !slices.Equal(got, want) {
		t.Errorf("after a removal: %q, want %q", got, want)
	}
	// A file replaced by a symbolic link: the list cannot say what it is, so the folder is
	// walked again, which leaves the link out and finds the unlisted change.
	fsys["content/tin-tuc/gia-lai.md"] = &fstest.MapFile{Data: []byte("hue/index.md"), Mode: fs.ModeSymlink}
	if got, want := load("/site/content/tin-tuc/gia-lai.md"), []string{"Tin tức", "Không đọc lại", "Mới"}; !slices.Equal(got, want) {
		t.Errorf("after a file became a link: %q, want %q", got, want)
	}
}

func TestSitePaths(t *testing.T) {
	if SitePaths("/site", nil) != nil {
		t.Error("nil (unknown) must stay nil")
	}
	if got := SitePaths("/site", []string{}); got == nil || len(got) != 0 {
		t.Errorf("no changes must stay an empty list, got %#v", got)
	}
	if got := SitePaths("/site", []string{"/site/content/a.md", "/other/b.md", "/site"}); !slices.Equal(got, []string{"content/a.md", "."}) {
		t.Errorf("got %q", got)
	}
	if got := SitePaths("site", []string{"/abs/site/content/a.md"}); got != nil {
		t.Errorf("a path that cannot be made relative must make the list unknown, got %q", got)
	}
}
