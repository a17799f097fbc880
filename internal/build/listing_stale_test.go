//go:build linux || darwin

package build_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/publish"
)

// An edit renames pages over their own names: the output's files are the same, so the
// cache folder's listing is not written again (at 100,000 articles about 40 MB); the next
// builds read the few folders whose saved stamps went stale instead of walking, still
// notice a file put by hand into one of them, and write the listing again once files are
// added.
func TestDiskCacheKeepsItsListingWhenOnlyStampsChanged(t *testing.T) {
	s := newDiskSite(t, 12)
	listing := filepath.Join(s.dir, "output.listing")
	run := func(what string) (walked bool) {
		t.Helper()
		ctx := publish.WithStep(context.Background(), func(name string) {
			if name == "walked the output" {
				walked = true
			}
		})
		if rep, err := build.Run(ctx, s.options(s.dest, s.dir)); err != nil {
			t.Fatalf("%s: %v\n%v", what, err, rep.Diagnostics)
		}
		return walked
	}
	ino := func() uint64 {
		t.Helper()
		fi, err := os.Stat(listing)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	run("first build")
	// This test is about builds that run their stages: the one after the first build
	// stamps the folders the first left unstamped and saves the listing. A build that
	// finds nothing changed at all runs none (asbefore.go) and saves nothing, which a
	// first build that happens to be slow enough would let this one do.
	if err := os.Remove(filepath.Join(s.dir, "asbefore.gob")); err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	run("nothing changed")
	was := ino()
	arts, err := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "[^_]*.md"))
	if err != nil || len(arts) < 2 {
		t.Fatalf("articles: %v, %v", arts, err)
	}
	b, err := os.ReadFile(arts[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(arts[0], append(b, "\nMột câu thêm vào.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	if run("one edit") {
		t.Error("one edit: the output was walked")
	}
	if ino() != was {
		t.Error("output.listing was written again after an edit that added and removed no file")
	}
	if run("nothing changed after the edit") {
		t.Error("the build after an edit walked the output: the stale stamps should only have made it read their folders")
	}
	if ino() != was {
		t.Error("output.listing was written again by a build that changed nothing")
	}
	s.build() // the output is still a build's without cache

	// A file put by hand into a folder whose saved stamp is stale is found.
	pages, err := filepath.Glob(filepath.Join(s.dest, "tin-tuc", "*", "index.html"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no article pages in the output: %v", err)
	}
	var foreign string
	for _, p := range pages {
		if strings.Contains(p, strings.TrimSuffix(filepath.Base(arts[0]), ".md")) {
			foreign = filepath.Join(filepath.Dir(p), "ghi-tay.html")
		}
	}
	if foreign == "" {
		foreign = filepath.Join(filepath.Dir(pages[0]), "ghi-tay.html")
	}
	if err := os.WriteFile(foreign, []byte("chép tay vào thư mục đầu ra"), 0o644); err != nil {
		t.Fatal(err)
	}
	if !run("a file added by hand") {
		t.Error("the build trusted a listing that misses a file added by hand")
	}
	if _, err := os.Stat(foreign); err == nil {
		t.Error("the file added by hand is still in the output")
	}

	// A new article adds files: the listing is written again.
	was = ino()
	added := filepath.Join(s.site, "content", "tin-tuc", "bai-moi-them-vao.md")
	if err := os.WriteFile(added, []byte(strings.Replace(string(b), "title: \"", "title: \"Bài mới: ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	run("one article added")
	if ino() == was {
		t.Error("output.listing was not written after an article was added")
	}
	if run("nothing changed after the addition") {
		t.Error("the build after an addition walked the output")
	}
	s.build()
}
