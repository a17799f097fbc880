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

// statCounter is the site folder, counting the Stat calls of content files that reach it.
type statCounter struct {
	fs.FS
	stats atomic.Int64
}

func (c *statCounter) Stat(name string) (fs.FileInfo, error) {
	if strings.HasSuffix(name, ".md") {
		c.stats.Add(1)
	}
	return fs.Stat(c.FS, name)
}

// The reading stage stats no content file that the inputs walk stamped: the walk keeps
// the stamps of every content file, also when the key cannot be trusted because a file
// was just edited (the usual build after an edit, where the walk used to stop at that
// file), and a content load through walkedFS takes them from there.
func TestReadingStatsNoContentFileTheInputsWalkStamped(t *testing.T) {
	files := map[string]string{
		"config.toml":                "title = \"Cổng\"\n",
		"public/index.html":          "đầu ra",
		"content/_index.md":          "---\ntitle: \"Trang chủ\"\n---\n",
		"static/css/x.css":           "body{}",
		"content/tin-tuc/z/index.md": "---\ntitle: \"Z\"\ndate: 2024-01-01\n---\nZ.\n",
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
	key, stamps := inputsKey(site, filepath.Join(site, "public"), "", time.Now())
	if key != "" {
		t.Error("a key for a tree with a file edited within the racy margin")
	}
	want := []string{"content/_index.md", "content/tin-tuc/a.md", "content/tin-tuc/b.md", "content/tin-tuc/c.md", "content/tin-tuc/d.md", "content/tin-tuc/z/index.md"}
	if len(stamps) != len(want) {
		t.Errorf("stamps of %d files, want the %d content files", len(stamps), len(want))
	}
	for _, rel := range want {
		if _, ok := stamps[rel]; !ok {
			t.Errorf("no stamp for %s", rel)
		}
	}
	for _, cached := range []bool{false, true} {
		c := &statCounter{FS: os.DirFS(site)}
		cache := content.NewCache()
		if cached { // a first load fills the cache; the second finds every file by its stamp
			content.LoadCached(context.Background(), walkedFS{fsys: os.DirFS(site), stamps: stamps}, content.Schema{}, cache, nil, nil)
		}
		docs, ds := content.LoadCached(context.Background(), walkedFS{fsys: c, stamps: stamps}, content.Schema{}, cache, nil, nil)
		if len(docs) != len(want) {
			t.Fatalf("cached %v: %d documents, want %d (%v)", cached, len(docs), len(want), ds.Items())
		}
		if n := c.stats.Load(); n != 0 {
			t.Errorf("cached %v: %d content files stat'ed again after the walk", cached, n)
		}
		for _, d := range docs {
			if d.Path == "content/tin-tuc/b.md" && d.Title != "B mới" {
				t.Errorf("b.md read as %q", d.Title)
			}
		}
	}
}
