package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// counting is committing that counts the files added to it.
type counting struct {
	committing
	added *atomic.Int64
}

func (o counting) Add(f publish.File) error {
	o.added.Add(1)
	return o.committing.Add(f)
}

// TestServeSaveAddsOnlyWhatChanged: once a commit carried its kept pages (the save after
// the first), a save hands the Writer only what it renders and the few files it adds
// every time (static files, images), not every page of the site (publish.Writer.KeepLast);
// the output stays a fresh build's, through an edit, a page that moves (its old file
// deleted) and one that moves back.
func TestServeSaveAddsOnlyWhatChanged(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	dir := t.TempDir()
	sitetest.CopyTree(t, src, dir)
	cache := NewServeCache()
	defer cache.Close()
	dest := filepath.Join(t.TempDir(), "public")
	edit := filepath.Join(dir, "content", "tin-tuc", "ha-tinh.md")
	other := filepath.Join(dir, "content", "tin-tuc", "phu-tho.md")
	orig, err := os.ReadFile(edit)
	if err != nil {
		t.Fatal(err)
	}
	otherOrig, err := os.ReadFile(other)
	if err != nil {
		t.Fatal(err)
	}
	var added atomic.Int64
	saveTo := func(step, file, text string) Report {
		t.Helper()
		if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		added.Store(0)
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Minify: true, Precompress: true, NoSearch: true,
			Cache: cache.Changed([]string{file}),
			Output: func(ctx context.Context) (publish.Sink, error) {
				w, err := publish.Begin(ctx, dest, publish.Options{Minify: true, Precompress: true, Previous: cache.Listing()})
				return counting{committing{w, cache}, &added}, err
			}})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return rep
	}
	save := func(step, text string) Report { return saveTo(step, edit, text) }
	same := func(step string) {
		t.Helper()
		full := filepath.Join(t.TempDir(), "full")
		if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: full, Now: fixedNow, Minify: true, Precompress: true, NoSearch: true, Cache: NoCache()}); err != nil {
			t.Fatal(err)
		}
		a, b := sitetest.ReadTree(t, dest), sitetest.ReadTree(t, full)
		for k, v := range b {
			if k != publish.ManifestName && a[k] != v && !strings.HasPrefix(k, ".portal") {
				t.Errorf("%s: %s is stale or missing", step, k)
			}
		}
		for k := range a {
			if _, ok := b[k]; !ok {
				t.Errorf("%s: %s should not be there", step, k)
			}
		}
	}
	first := save("first build", string(orig))
	addedFirst := added.Load()
	save("first edit", string(orig)+"\nĐoạn sửa thứ nhất.\n")
	rep := save("second edit", string(orig)+"\nĐoạn sửa thứ hai.\n")
	t.Logf("first build: %d files added, %d pages; the second edit: %d added, %d pages rendered, %d kept", addedFirst, first.Rendered, added.Load(), rep.Rendered, rep.Reused)
	if rep.Reused == 0 || rep.Rendered > first.Rendered/2 {
		t.Fatalf("an edit rendered %d and kept %d of %d pages", rep.Rendered, rep.Reused, first.Rendered)
	}
	if got, most := added.Load(), addedFirst-int64(first.Rendered)+int64(rep.Rendered); got > most {
		t.Errorf("an edit added %d files to the Writer, want at most %d (the %d it rendered and the %d files not pages that every build adds)", got, most, rep.Rendered, addedFirst-int64(first.Rendered))
	}
	same("second edit")
	// Pages the last commit kept, rendered again (gone from what it carried), then kept.
	saveTo("another article", other, string(otherOrig)+"\nĐoạn sửa của bài khác.\n")
	same("another article")
	save("third edit", string(orig)+"\nĐoạn sửa thứ ba.\n")
	same("third edit")
	moved := strings.Replace(string(orig), "+++\ntitle", "+++\nslug = \"hoi-nghi-da-doi-duong-dan\"\ntitle", 1)
	save("moved", moved)
	same("moved")
	save("moved, edited", moved+"\nĐoạn sửa thứ tư.\n")
	same("moved, edited")
	save("moved back", string(orig))
	same("moved back")
}
