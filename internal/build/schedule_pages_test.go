package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
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

// TestScheduleMistakeHoldsBackThatWeek: a row outside its week is an error at its
// line; only that week is held back (its last published page kept, exit 3 in the CLI),
// while the other weeks, /lich-cong-tac/ and the news publish. With --strict nothing is
// published. A week that was never published is left out.
func TestScheduleMistakeHoldsBackThatWeek(t *testing.T) {
	for _, name := range []string{"memory", "disk", "none"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
			week48 := strings.NewReplacer("2026-12-01", "2026-11-24", "Giao ban đầu tuần", "Tiếp công dân").Replace(week49)
			sitetest.WriteFiles(t, dir, map[string]string{"data/lich-cong-tac/2026-w49.toml": week49, "data/lich-cong-tac/2026-w48.toml": week48})
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
			if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: now, Cache: cache, NoSearch: true}); err != nil {
				t.Fatal(err)
			}
			// A mistake in week 49 (a date of week 50), and news added meanwhile.
			sitetest.WriteFiles(t, dir, map[string]string{
				"data/lich-cong-tac/2026-w49.toml": strings.Replace(strings.Replace(week49, "2026-12-01", "2026-12-09", 1), "Giao ban đầu tuần", "Bản sửa lỗi", 1),
				"data/lich-cong-tac/2026-w48.toml": strings.Replace(week48, "Tiếp công dân", "Tiếp công dân định kỳ", 1),
				"content/tin-tuc/tin-moi-lich.md":  "---\ntitle: Tin mới trong tuần\ndate: 2025-12-01\n---\nNội dung.\n",
			})
			if c, ok := cache.(*MemoryCache); ok {
				cache = c.Changed(nil)
			}
			rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: now, Cache: cache, NoSearch: true})
			if err != nil {
				t.Fatalf("a mistake in one week failed the build: %v", err)
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
			if len(rep.HeldBack) != 1 || rep.HeldBack[0].Path != "data/lich-cong-tac/2026-w49.toml" || !slices.Contains(rep.HeldBack[0].Kept, "lich-cong-tac/2026-w49/index.html") {
				t.Fatalf("held back %+v; want week 49 with its page kept", rep.HeldBack)
			}
			read := func(rel string) string {
				t.Helper()
				b, err := os.ReadFile(filepath.Join(dest, rel))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			if p := read("lich-cong-tac/2026-w49/index.html"); !strings.Contains(p, "Giao ban đầu tuần") || strings.Contains(p, "Bản sửa lỗi") {
				t.Errorf("the held-back week's page is not its last published version")
			}
			if p := read("lich-cong-tac/2026-w48/index.html"); !strings.Contains(p, "Tiếp công dân định kỳ") {
				t.Errorf("the other week was not published")
			}
			if _, err := os.Stat(filepath.Join(dest, "tin-tuc", "tin-moi-lich", "index.html")); err != nil {
				t.Errorf("the news was not published: %v", err)
			}
			if p := read("lich-cong-tac/index.html"); strings.Contains(p, "Bản sửa lỗi") {
				t.Errorf("/lich-cong-tac/ shows the held-back week's new version")
			}
			// The next build still keeps it (the manifest lists it again).
			if c, ok := cache.(changedCache); ok {
				cache = c.c.Changed(nil)
			}
			rep, err = Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: now, Cache: cache, NoSearch: true})
			if err != nil || len(rep.HeldBack) != 1 || len(rep.HeldBack[0].Kept) == 0 {
				t.Fatalf("second build: %v, held back %+v", err, rep.HeldBack)
			}
			if p := read("lich-cong-tac/2026-w49/index.html"); !strings.Contains(p, "Giao ban đầu tuần") {
				t.Errorf("the held-back week's page was lost on the next build")
			}
			if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: now, NoSearch: true, Strict: true}); err == nil {
				t.Error("--strict published with a schedule error")
			}
		})
	}
}

// TestNewScheduleWeekWithAMistakeIsLeftOut: a week never published is left out; the
// build publishes.
func TestNewScheduleWeekWithAMistakeIsLeftOut(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	sitetest.WriteFiles(t, dir, map[string]string{"data/lich-cong-tac/2026-w49.toml": strings.Replace(week49, "2026-12-01", "2026-12-09", 1)})
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true})
	if err != nil {
		t.Fatalf("build failed: %v", err)
	}
	if len(rep.HeldBack) != 1 || len(rep.HeldBack[0].Kept) != 0 {
		t.Errorf("held back %+v; want the new week, left out", rep.HeldBack)
	}
	if _, err := os.Stat(filepath.Join(dest, "lich-cong-tac", "2026-w49", "index.html")); err == nil {
		t.Error("the week with a mistake was published")
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
