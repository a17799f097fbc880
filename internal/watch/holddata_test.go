package watch

import (
	"context"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/build"
)

// TestBadDataFilesKeepServing: under portal serve --watch, a schedule week and
// data/to-chuc.toml that become bad are held back (the week keeps its page, the contact
// page its last good data) while an article saved meanwhile is published, and the log
// names both files.
func TestBadDataFilesKeepServing(t *testing.T) {
	const week = "revision = 1\n\n[[event]]\ndate = 2026-12-01\nsession = \"Sáng\"\ncontent = \"Giao ban đầu tuần\"\n"
	const org = "name = \"Sở Thử Nghiệm\"\nphone = \"0203 3822 123\"\n\n[[leader]]\nname = \"Nguyễn Văn A\"\ntitle = \"Giám đốc\"\n"
	dir := newSite(t, map[string]string{"data/lich-cong-tac/2026-w49.toml": week, "data/to-chuc.toml": org})
	r := start(t, dir, nil, true)
	if c, b := r.get(t, "/lich-cong-tac/2026-w49/"); !contains(c, b, "Giao ban đầu tuần") {
		t.Fatalf("week page: %d", c)
	}
	write(t, dir, "data/lich-cong-tac/2026-w49.toml", strings.Replace(strings.Replace(week, "2026-12-01", "2026-12-09", 1), "Giao ban", "Sửa giao ban", 1))
	write(t, dir, "data/to-chuc.toml", strings.Replace(org, `name = "Nguyễn Văn A"`, `name = "Nguyễn Văn B`, 1))
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "2024-01-02", "", "Bài B sửa hoàngngọc."))
	eventually(t, "the article is published", func() bool { c, b := r.get(t, "/tin-tuc/b/"); return contains(c, b, "hoàngngọc") })
	eventually(t, "the log names both files", func() bool {
		log := r.log.String()
		return strings.Contains(log, "data/lich-cong-tac/2026-w49.toml:4:8") && strings.Contains(log, "data/to-chuc.toml:5")
	})
	if c, b := r.get(t, "/lich-cong-tac/2026-w49/"); !contains(c, b, "Giao ban đầu tuần") || strings.Contains(b, "Sửa giao ban") {
		t.Errorf("the held-back week's page is not its last version: %d", c)
	}
	if c, b := r.get(t, "/lien-he/"); !contains(c, b, "Nguyễn Văn A") {
		t.Errorf("the contact page lost the last good data: %d", c)
	}
	if _, failed := r.s.Builds(); failed != 0 {
		t.Errorf("%d rebuilds failed", failed)
	}
}

// TestRestartWithABadOrganisationFile: serve --watch restarted while data/to-chuc.toml is
// broken starts, and its first build falls back on the data of the output it serves.
func TestRestartWithABadOrganisationFile(t *testing.T) {
	const org = "name = \"Sở Thử Nghiệm\"\nphone = \"0203 3822 123\"\n\n[[leader]]\nname = \"Nguyễn Văn A\"\ntitle = \"Giám đốc\"\n"
	dir := newSite(t, map[string]string{"data/to-chuc.toml": org})
	if _, err := build.Run(context.Background(), build.Options{SiteDir: dir, NoSearch: true}); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "data/to-chuc.toml", strings.Replace(org, `name = "Nguyễn Văn A"`, `name = "Nguyễn Văn B`, 1))
	r := start(t, dir, nil, false)
	if c, b := r.get(t, "/lien-he/"); !contains(c, b, "Nguyễn Văn A") {
		t.Errorf("the contact page after a restart: %d", c)
	}
	if ok, failed := r.s.Builds(); ok != 1 || failed != 0 {
		t.Errorf("first build: %d ok, %d failed", ok, failed)
	}
	if log := r.log.String(); !strings.Contains(log, "data/to-chuc.toml:5") {
		t.Errorf("the log does not name the file:\n%s", log)
	}
}
