package preview

import (
	"strings"
	"testing"
)

// TestPreviewFollowsDataFiles: saving a week of the leaders' schedule or the
// organisation file rebuilds the preview (the watcher follows data/), and the pages
// show the change.
func TestPreviewFollowsDataFiles(t *testing.T) {
	dir := newSite(t)
	week := "revision = 0\n\n[[event]]\ndate = 2026-12-01\nsession = \"Sáng\"\ncontent = \"%s\"\n"
	write(t, dir, "data/lich-cong-tac/2026-w49.toml", strings.Replace(week, "%s", "Giao ban đầu tuần", 1))
	write(t, dir, "data/to-chuc.toml", "name = \"Sở Xem Trước\"\nphone = \"0203 3822 123\"\n")
	r := start(t, dir)
	if code, body := r.get(t, "/lich-cong-tac/2026-w49/"); code != 200 || !strings.Contains(body, "Giao ban đầu tuần") || !strings.Contains(body, "0203 3822 123") {
		t.Fatalf("week page: %d", code)
	}
	n := r.s.Builds()
	write(t, dir, "data/lich-cong-tac/2026-w49.toml", strings.Replace(week, "%s", "Họp Ban Chỉ đạo", 1))
	r.waitBuilds(t, n)
	if _, body := r.get(t, "/lich-cong-tac/2026-w49/"); !strings.Contains(body, "Họp Ban Chỉ đạo") {
		t.Error("the edited week is not served after the rebuild")
	}
	n = r.s.Builds()
	write(t, dir, "data/to-chuc.toml", "name = \"Sở Xem Trước\"\nphone = \"0203 3822 999\"\n")
	r.waitBuilds(t, n)
	if _, body := r.get(t, "/tin-tuc/a/"); !strings.Contains(body, "0203 3822 999") {
		t.Error("the footer does not show the edited phone")
	}
}
