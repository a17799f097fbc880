//go:build linux || darwin

package build_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/sitetest"
)

// waitOutOfRacyMargin lets the site's files age past the time within which a build does
// not trust their stamps to show the next change (2 s, as publish's listings): a build
// then records what the next one checks.
func waitOutOfRacyMargin() { time.Sleep(2100 * time.Millisecond) }

// A `portal build` with its cache folder whose inputs and output are all as the last
// build left them runs no stage (Report.AsBefore), changes nothing in the output, and
// reports what a build that ran every stage with nothing changed reports.
func TestDiskCacheBuildWithNothingChangedRunsNoStage(t *testing.T) {
	s := newDiskSite(t, 12)
	s.search = true
	// Two articles of one title: a warning each build gives (its message has a
	// message.Text argument), which a build that runs no stage repeats.
	twin := "---\ntitle: \"Hai bài trùng tiêu đề\"\ndate: 2024-05-01T08:00:00+07:00\n---\nNội dung.\n"
	sitetest.WriteFiles(t, s.site, map[string]string{"content/tin-tuc/trung-1.md": twin, "content/tin-tuc/trung-2.md": twin})
	waitOutOfRacyMargin()
	s.build() // cold: records what the next build checks
	record := filepath.Join(s.dir, "asbefore.gob")
	if _, err := os.Stat(record); err != nil {
		t.Fatalf("no record after a build: %v", err)
	}
	afterCold := s.build()
	if !afterCold.AsBefore {
		t.Fatal("nothing changed after the first build: the build ran its stages")
	}
	// The report of a build that runs its stages with nothing changed, to compare with.
	if err := os.Remove(record); err != nil {
		t.Fatal(err)
	}
	ran := s.build()
	if ran.AsBefore {
		t.Fatal("a build without the record skipped its stages")
	}
	before := sitetest.ReadTree(t, s.dest)
	ids := treeIDs(t, s.dest)
	same := s.build() // and its output is still a fresh build's
	if !same.AsBefore || len(same.Stages) != 1 {
		t.Fatalf("nothing changed: AsBefore %v, stages %v", same.AsBefore, same.Stages)
	}
	sitetest.CompareTrees(t, "nothing changed", sitetest.ReadTree(t, s.dest), before, nil)
	if got := treeIDs(t, s.dest); !reflect.DeepEqual(got, ids) {
		t.Error("a build that changed nothing touched the output's files")
	}
	if ran.Rendered != 0 || same.Rendered != 0 {
		t.Fatalf("rendered %d and %d pages with nothing changed", ran.Rendered, same.Rendered)
	}
	type counts struct {
		Pages                                               any
		Articles, Reused, MdRendered, MdReused, Docs, Imgs  int
		Files, Precompressed                                int
		Bytes, GzBytes                                      int64
		Added, Updated, Deleted, Unchanged                  int
		IndexDir                                            string
		Next                                                build.Scheduled
		Warnings                                            []string
		HeldBack                                            []build.HeldBack
		Changes                                             int
		Search                                              bool
		BeforeMinify                                        int64
		Minified                                            int
		AttachmentsRead, AttachmentsReused, AttachmentsHash int
	}
	of := func(r build.Report) counts {
		var ws []string
		for _, d := range r.Diagnostics {
			ws = append(ws, d.In(message.En))
		}
		return counts{r.Pages, r.Articles, r.Reused, r.MarkdownRendered, r.MarkdownReused, r.DocumentsReused, r.ImagesReused,
			r.Publish.Files, r.Publish.Precompressed, r.Publish.Bytes, r.Publish.PrecompressedBytes,
			r.Search.Added, r.Search.Updated, r.Search.Deleted, r.Search.Unchanged, r.IndexDir, r.NextScheduled, ws, r.HeldBack,
			len(r.Publish.Changes), r.Search.Reused, r.Publish.BytesBeforeMinify, r.Publish.Minified,
			r.Attachments.Read, r.Attachments.Reused, r.Attachments.Hashed}
	}
	// After a build that rendered pages, the bytes before minifying are the bytes (a
	// build with nothing changed minifies the one or two files every build writes).
	cold := of(afterCold)
	if cold.BeforeMinify != cold.Bytes || cold.Minified != 0 {
		t.Errorf("after the first build: %d bytes before minifying in %d files, want %d in none", cold.BeforeMinify, cold.Minified, cold.Bytes)
	}
	cold.BeforeMinify, cold.Minified = of(ran).BeforeMinify, of(ran).Minified
	for _, b := range []counts{cold, of(same)} {
		if a := of(ran); !reflect.DeepEqual(a, b) {
			t.Errorf("the report of a build that ran its stages with nothing changed:\n%+v\nof one that ran none:\n%+v", a, b)
		}
	}
	if !hasWarning(ran.Diagnostics) || !hasWarning(same.Diagnostics) {
		t.Errorf("no warning to repeat: %v, %v", ran.Diagnostics, same.Diagnostics)
	}

	// Whatever changed since, the build runs its stages, and its output is a fresh
	// build's (s.build compares).
	steps := []struct {
		name   string
		change func()
	}{
		{"a page removed from the output", func() {
			must(t, os.Remove(filepath.Join(s.dest, "index.html")))
		}},
		{"a page edited in place in the output, its times put back", func() {
			p := filepath.Join(s.dest, "index.html")
			fi, err := os.Stat(p)
			must(t, err)
			b, err := os.ReadFile(p)
			must(t, err)
			b[len(b)-1] ^= 1
			must(t, os.WriteFile(p, b, 0o644))
			must(t, os.Chtimes(p, fi.ModTime(), fi.ModTime()))
		}},
		{"a file added to the output", func() {
			must(t, os.WriteFile(filepath.Join(s.dest, "tin-tuc", "chep-tay.html"), []byte("chép tay"), 0o644))
		}},
		{"an article edited", func() {
			files, err := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "*.md"))
			if err != nil || len(files) == 0 {
				t.Fatalf("no articles: %v", err)
			}
			b, err := os.ReadFile(files[0])
			must(t, err)
			must(t, replaceFile(files[0], append(b, "\nMột đoạn thêm.\n"...)))
			waitOutOfRacyMargin() // so that the edit, not its age, is what the build notices
		}},
	}
	for _, step := range steps {
		step.change()
		if rep := s.build(); rep.AsBefore {
			t.Errorf("%s: the build ran no stage", step.name)
		}
		if rep := s.build(); !rep.AsBefore {
			t.Errorf("%s, then nothing: the build ran its stages", step.name)
		}
	}
	// Other options, another output folder, and a clock set back, each run the stages.
	opts := s.options(s.dest, s.dir)
	opts.Minify = false
	if rep, err := build.Run(context.Background(), opts); err != nil || rep.AsBefore {
		t.Errorf("other options: AsBefore %v, %v", rep.AsBefore, err)
	}
	s.build()
	opts = s.options(s.dest, s.dir)
	opts.Now = opts.Now.Add(-time.Hour)
	if rep, err := build.Run(context.Background(), opts); err != nil || rep.AsBefore {
		t.Errorf("a clock set back: AsBefore %v, %v", rep.AsBefore, err)
	}
	s.build()
	if rep := s.build(); !rep.AsBefore {
		t.Error("nothing changed at the end: the build ran its stages")
	}
}

// A build that would change nothing still runs its stages once the clock reaches the
// next scheduled change the last build found (here an article's date).
func TestDiskCacheBuildRunsAtTheNextScheduledChange(t *testing.T) {
	s := newDiskSite(t, 6)
	at := time.Date(2026, 11, 3, 8, 0, 0, 0, time.UTC) // after benchNow
	sitetest.WriteFiles(t, s.site, map[string]string{"content/tin-tuc/hen-gio.md": "---\ntitle: \"Bài hẹn giờ\"\ndate: " + at.Format(time.RFC3339) + "\n---\nSẽ đăng sau.\n"})
	waitOutOfRacyMargin()
	rep := s.build()
	if !rep.NextScheduled.At.Equal(at) {
		t.Fatalf("next scheduled %v, want %v", rep.NextScheduled.At, at)
	}
	if rep := s.build(); !rep.AsBefore {
		t.Fatal("nothing changed: the build ran its stages")
	}
	opts := s.options(s.dest, s.dir)
	opts.Now = at.Add(-time.Minute)
	if rep, err := build.Run(context.Background(), opts); err != nil || !rep.AsBefore {
		t.Fatalf("before the scheduled time: AsBefore %v, %v", rep.AsBefore, err)
	}
	opts.Now = at
	rep, err := build.Run(context.Background(), opts)
	if err != nil || rep.AsBefore {
		t.Fatalf("at the scheduled time: AsBefore %v, %v", rep.AsBefore, err)
	}
	if _, err := os.Stat(filepath.Join(s.dest, "tin-tuc", "hen-gio", "index.html")); err != nil {
		t.Errorf("the scheduled article is not published at its time: %v", err)
	}
}

func hasWarning(ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == diag.Warning {
			return true
		}
	}
	return false
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// treeIDs returns the identity (size, times, inode) of every file under dir.
func treeIDs(t *testing.T, dir string) map[string]buildcache.FileID {
	t.Helper()
	ids := map[string]buildcache.FileID{}
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		id, err := buildcache.IDOf(fi)
		ids[p] = id
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
