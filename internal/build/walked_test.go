package build

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/sitetest"
)

// statCounter is the site folder, counting the Stat calls of content files and the
// ReadDir calls of content folders that reach it.
type statCounter struct {
	fs.FS
	stats, reads atomic.Int64
}

func (c *statCounter) ReadDir(name string) ([]fs.DirEntry, error) {
	if name == "content" || strings.HasPrefix(name, "content/") {
		c.reads.Add(1)
	}
	return fs.ReadDir(c.FS, name)
}

func (c *statCounter) Stat(name string) (fs.FileInfo, error) {
	if strings.HasSuffix(name, ".md") {
		c.stats.Add(1)
	}
	return fs.Stat(c.FS, name)
}

// The reading stage stats no content file that the inputs walk stamped, nor reads a
// content folder it read: the walk keeps the stamps of every content file and the
// entries of every content folder, also when the key cannot be trusted because a file
// was just edited (the usual build after an edit, where the walk used to stop at that
// file), and a content load through walkedFS takes them from there.
func TestReadingStatsNoContentFileTheInputsWalkStamped(t *testing.T) {
	files := map[string]string{
		"config.toml":                "title = \"Cổng\"\n",
		"public/index.html":          "đầu ra",
		"content/_index.md":          "---\ntitle: \"Trang chủ\"\n---\n",
		"static/css/x.css":           "body{}",
		"content/tin-tuc/z/index.md": "---\ntitle: \"Z\"\ndate: 2024-01-01\n---\nZ.\n",
		"content/tin-tuc/z/anh.txt":  "tệp kèm",
	}
	for _, n := range []string{"a", "b", "c", "d"} {
		files["content/tin-tuc/"+n+".md"] = "---\ntitle: \"" + n + "\"\ndate: 2024-01-02\n---\nThân bài.\n"
	}
	site := sitetest.NewSite(t, files)
	// One article edited just now: like every file the test wrote, it is younger than the
	// racy margin (a change time cannot be put back), so the walk cannot give a key.
	if err := os.WriteFile(filepath.Join(site, "content", "tin-tuc", "b.md"), []byte("---\ntitle: \"B mới\"\ndate: 2024-01-02\n---\nSửa.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(site, "content", "trong"), 0o755); err != nil { // an empty folder
		t.Fatal(err)
	}
	key, walk := inputsKey(site, filepath.Join(site, "public"), "", time.Now())
	stamps := walk.stamps
	if key != "" {
		t.Error("a key for a tree with a file edited within the racy margin")
	}
	want := []string{"content/_index.md", "content/tin-tuc/a.md", "content/tin-tuc/b.md", "content/tin-tuc/c.md", "content/tin-tuc/d.md", "content/tin-tuc/z/index.md"}
	if len(stamps) != len(want)+1 {
		t.Errorf("stamps of %d files, want the %d content files", len(stamps), len(want)+1)
	}
	for _, rel := range append(want, "content/tin-tuc/z/anh.txt") {
		if _, ok := stamps[rel]; !ok {
			t.Errorf("no stamp for %s", rel)
		}
	}
	// Every content folder's entries, as the folder's own reading gives them.
	for _, dir := range []string{"content", "content/tin-tuc", "content/tin-tuc/z", "content/trong"} {
		got, ok := walk.dirs[dir]
		want, err := fs.ReadDir(os.DirFS(site), dir)
		if !ok || err != nil || len(got) != len(want) {
			t.Fatalf("%s: the walk has %d entries (%v), the folder %d (%v)", dir, len(got), ok, len(want), err)
		}
		for i, e := range got {
			if e.Name() != want[i].Name() || e.Type() != want[i].Type() || e.IsDir() != want[i].IsDir() {
				t.Errorf("%s: entry %d is %s %v, want %s %v", dir, i, e.Name(), e.Type(), want[i].Name(), want[i].Type())
			}
		}
	}
	for _, cached := range []bool{false, true} {
		c := &statCounter{FS: os.DirFS(site)}
		cache := content.NewCache()
		if cached { // a first load fills the cache; the second finds every file by its stamp
			content.LoadCached(context.Background(), walkedFS{fsys: os.DirFS(site), siteWalk: walk}, content.Schema{}, cache, nil, nil)
		}
		docs, ds := content.LoadCached(context.Background(), walkedFS{fsys: c, siteWalk: walk}, content.Schema{}, cache, nil, nil)
		if len(docs) != len(want) {
			t.Fatalf("cached %v: %d documents, want %d (%v)", cached, len(docs), len(want), ds.Items())
		}
		if n := c.stats.Load(); n != 0 {
			t.Errorf("cached %v: %d content files stat'ed again after the walk", cached, n)
		}
		if n := c.reads.Load(); n != 0 {
			t.Errorf("cached %v: %d content folders read again after the walk", cached, n)
		}
		for _, d := range docs {
			if d.Path == "content/tin-tuc/b.md" && d.Title != "B mới" {
				t.Errorf("b.md read as %q", d.Title)
			}
		}
	}
}
