//go:build linux || darwin

package build_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/publish"
)

// `portal build` with its cache folder keeps the listing of the output its commit left
// there: the next build (another process) plans its deletions from it instead of walking
// the output, and a file put into the output by hand since is noticed and deleted, and
// listed as deleted by --changes.
func TestDiskCacheBuildPlansFromItsListing(t *testing.T) {
	s := newDiskSite(t, 12)
	s.search = true
	run := func(what string) (build.Report, bool) {
		t.Helper()
		walked := false
		ctx := publish.WithStep(context.Background(), func(name string) {
			if name == "walked the output" {
				walked = true
			}
		})
		opts := s.options(s.dest, s.dir)
		opts.Changes = true
		rep, err := build.Run(ctx, opts)
		if err != nil {
			t.Fatalf("%s: %v\n%v", what, err, rep.Diagnostics)
		}
		return rep, walked
	}
	run("first build")
	if _, err := os.Stat(filepath.Join(s.dir, "output.listing")); err != nil {
		t.Fatalf("no listing in the cache folder after a build: %v", err)
	}
	rep, walked := run("nothing changed")
	if walked {
		t.Error("a build with the listing of the last one walked the output")
	}
	if len(rep.Publish.Changes) != 0 {
		t.Errorf("nothing changed, but the build lists changes %v", rep.Publish.Changes)
	}

	pages, err := filepath.Glob(filepath.Join(s.dest, "tin-tuc", "*", "index.html"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no article pages in the output: %v", err)
	}
	foreign := filepath.Join(filepath.Dir(pages[0]), "ghi-tay.html")
	if err := os.WriteFile(foreign, []byte("chép tay vào thư mục đầu ra"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, walked = run("a file added by hand")
	if !walked {
		t.Error("the build trusted a listing that misses a file added by hand")
	}
	if _, err := os.Stat(foreign); err == nil {
		t.Error("the file added by hand is still in the output")
	}
	rel, _ := filepath.Rel(s.dest, foreign)
	if !slices.ContainsFunc(rep.Publish.Changes, func(c publish.Change) bool { return c.String() == "D "+filepath.ToSlash(rel) }) {
		t.Errorf("changes %v do not list the deletion of %s", rep.Publish.Changes, rel)
	}
	s.build() // and the output is still exactly a build's without a cache
}

// A page kept from the last build brings its .gz sibling along without the Writer reading
// it only while the sibling is the very file that build left (its identity is in the
// cache's manifest): a sibling removed or replaced by hand is made again.
func TestDiskCacheChecksThePagesSiblings(t *testing.T) {
	s := newDiskSite(t, 12)
	run := func(what string) build.Report {
		t.Helper()
		opts := s.options(s.dest, s.dir)
		opts.Precompress = true
		rep, err := build.Run(context.Background(), opts)
		if err != nil {
			t.Fatalf("%s: %v\n%v", what, err, rep.Diagnostics)
		}
		return rep
	}
	run("first build")
	run("second build") // records the siblings' identities after the first
	gzs, err := filepath.Glob(filepath.Join(s.dest, "tin-tuc", "*", "index.html.gz"))
	if err != nil || len(gzs) < 2 {
		t.Fatalf("article pages' siblings: %v, %v", gzs, err)
	}
	want := map[string][]byte{}
	for _, p := range gzs[:2] {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		want[p] = b
	}
	if err := os.Remove(gzs[0]); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(gzs[1], []byte("không phải gzip, sửa bằng tay"), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := run("after the siblings were changed by hand"); rep.Rendered != 0 {
		t.Errorf("rendered %d pages; the pages did not change", rep.Rendered)
	}
	for p, b := range want {
		if got, err := os.ReadFile(p); err != nil || string(got) != string(b) {
			t.Errorf("%s after the build: %d bytes, %v; want the sibling the build made (%d bytes)", p, len(got), err, len(b))
		}
	}
}

// A build in which nothing changed does not write the cache folder's pages manifest and
// documents again (they would be the same); one edit writes both.
func TestDiskCacheWritesOnlyWhatChanged(t *testing.T) {
	s := newDiskSite(t, 8)
	run := func(what string) {
		t.Helper()
		opts := s.options(s.dest, s.dir)
		opts.Precompress = true
		if rep, err := build.Run(context.Background(), opts); err != nil {
			t.Fatalf("%s: %v\n%v", what, err, rep.Diagnostics)
		}
	}
	ino := func(name string) uint64 {
		t.Helper()
		fi, err := os.Stat(filepath.Join(s.dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return fi.Sys().(*syscall.Stat_t).Ino
	}
	run("first build")
	names := []string{"pages.manifest", "documents.bin"}
	var was []uint64
	for _, n := range names {
		was = append(was, ino(n))
	}
	run("nothing changed")
	for i, n := range names {
		if ino(n) != was[i] {
			t.Errorf("%s was written again although nothing changed", n)
		}
	}
	arts, err := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "[^_]*.md"))
	if err != nil || len(arts) == 0 {
		t.Fatalf("articles: %v, %v", arts, err)
	}
	f, err := os.OpenFile(arts[0], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\nMột câu thêm vào.\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	run("one edit")
	if _, err := os.Stat(filepath.Join(s.dir, "pages.changes")); ino("pages.manifest") == was[0] && err != nil {
		t.Error("neither pages.manifest nor pages.changes was written after an edit")
	}
	if _, err := os.Stat(filepath.Join(s.dir, "documents.changes")); err != nil {
		t.Errorf("the edited document was not saved (documents.changes beside documents.bin): %v", err)
	}
}
