package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
	"github.com/vnportal/portal/internal/vietnamese"
)

const week49 = `revision = 1
updated = 2026-12-03T16:30:00

[[event]]
date = 2026-12-01
session = "Sáng"
time = "08:00"
content = "Giao ban đầu tuần"
leaders = ["Chủ tịch UBND tỉnh"]
`

// TestScheduleWeekUpdatesThroughEveryCache edits a week file between builds with each
// cache strategy: the week's pages show the edit, the other pages are reused, and the
// output equals a fresh build's. Moving the clock to the next week changes
// /lich-cong-tac/.
func TestScheduleWeekUpdatesThroughEveryCache(t *testing.T) {
	for _, name := range []string{"memory", "disk", "none"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
			weekFile := filepath.Join(dir, "data", "lich-cong-tac", "2026-w49.toml")
			sitetest.WriteFiles(t, dir, map[string]string{"data/lich-cong-tac/2026-w49.toml": week49})
			useDefaultTheme(t, dir)
			var cache Cache
			switch name {
			case "memory":
				cache = NewMemoryCache()
			case "disk":
				cache = DiskCache(t.TempDir(), os.Args[0])
			default:
				cache = NoCache()
			}
			dest := filepath.Join(t.TempDir(), "public")
			now := time.Date(2026, 12, 6, 10, 0, 0, 0, vietnamese.Location())
			build := func(dest string, c Cache) Report {
				t.Helper()
				rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: now, Cache: c, NoSearch: true})
				if err != nil {
					t.Fatalf("build: %v", err)
				}
				return rep
			}
			read := func(rel string) string {
				t.Helper()
				b, err := os.ReadFile(filepath.Join(dest, rel))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			sameAsFresh := func(step string) {
				t.Helper()
				fresh := filepath.Join(t.TempDir(), "fresh")
				build(fresh, NoCache())
				a, b := sitetest.ReadTree(t, dest), sitetest.ReadTree(t, fresh)
				for k, v := range b {
					if k != ".portal.json" && a[k] != v {
						t.Errorf("%s: %s differs from a fresh build's", step, k)
					}
				}
			}
			first := build(dest, cache)
			if p := read("lich-cong-tac/2026-w49/index.html"); !strings.Contains(p, "Giao ban đầu tuần") || !strings.Contains(p, "Điều chỉnh lần 1") {
				t.Fatalf("week page lacks its row or revision:\n%s", p)
			}
			if p := read("lich-cong-tac/index.html"); !strings.Contains(p, "Giao ban đầu tuần") {
				t.Errorf("/lich-cong-tac/ on 6 December does not show week 49")
			}
			if sm := read("sitemap.xml"); !strings.Contains(sm, "/lich-cong-tac/2026-w49/") || !strings.Contains(sm, "/lich-cong-tac/</loc>") {
				t.Errorf("sitemap lacks the schedule pages")
			}

			src, _ := os.ReadFile(weekFile)
			os.WriteFile(weekFile, []byte(strings.Replace(strings.Replace(string(src), "Giao ban đầu tuần", "Họp Ban Chỉ đạo", 1), "revision = 1", "revision = 2", 1)), 0o644)
			if c, ok := cache.(*MemoryCache); ok { // the preview's watcher names the file
				cache = c.Changed([]string{weekFile})
			}
			rep := build(dest, cache)
			if p := read("lich-cong-tac/2026-w49/index.html"); !strings.Contains(p, "Họp Ban Chỉ đạo") || !strings.Contains(p, "Điều chỉnh lần 2") {
				t.Errorf("the edited week's page is stale")
			}
			if p := read("lich-cong-tac/index.html"); !strings.Contains(p, "Họp Ban Chỉ đạo") {
				t.Errorf("/lich-cong-tac/ is stale")
			}
			if name != "none" && (rep.Rendered == 0 || rep.Rendered > 3) {
				t.Errorf("an edited week re-rendered %d of %d pages; want its page, the index and the sitemap", rep.Rendered, first.Rendered)
			}
			sameAsFresh("edit")

			now = time.Date(2026, 12, 7, 0, 30, 0, 0, vietnamese.Location()) // Monday of week 50
			build(dest, cache)
			if p := read("lich-cong-tac/index.html"); !strings.Contains(p, "Chưa có lịch công tác của tuần này") || !strings.Contains(p, `href="/lich-cong-tac/2026-w49/"`) ||
				!strings.Contains(p, "Tuần này là tuần 50 năm 2026") {
				t.Errorf("/lich-cong-tac/ in week 50 without a file:\n%s", p)
			}
			sameAsFresh("next week")
		})
	}
}

// TestScheduleMistakeFailsTheBuild: a row outside its week is an error at its line;
// the build fails and the output is untouched.
func TestScheduleMistakeFailsTheBuild(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	sitetest.WriteFiles(t, dir, map[string]string{"data/lich-cong-tac/2026-w49.toml": strings.Replace(week49, "2026-12-01", "2026-12-09", 1)})
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, NoSearch: true})
	if err == nil {
		t.Fatal("the build passed")
	}
	var found bool
	for _, d := range rep.Diagnostics {
		if d.Code == "schedule" && d.Path == "data/lich-cong-tac/2026-w49.toml" && d.Line == 5 && d.Col == 8 {
			found = true
		}
	}
	if !found {
		t.Errorf("no schedule error at 5:8: %v", rep.Diagnostics)
	}
}

// useDefaultTheme makes the golden site use the default theme (with its own layouts
// first), which has the schedule's layouts.
func useDefaultTheme(t *testing.T, dir string) {
	t.Helper()
	p := filepath.Join(dir, "config.toml")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(strings.Replace(string(b), `theme = "plain"`, `theme = "default"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
}
