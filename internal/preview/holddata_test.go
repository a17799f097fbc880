package preview

import (
	"strings"
	"testing"
)

// TestPreviewHoldsBackABadWeekAndOrganisationFile: in the preview, a schedule week and
// data/to-chuc.toml that become bad do not stop the rebuild: the overlay ("held-back")
// names both files at their lines, the week's last page and the last good contact data
// are still served, and an article saved at the same time is updated.
func TestPreviewHoldsBackABadWeekAndOrganisationFile(t *testing.T) {
	dir := newSite(t)
	const week = "revision = 1\n\n[[event]]\ndate = 2026-12-01\nsession = \"Sáng\"\ncontent = \"Giao ban đầu tuần\"\n"
	const org = "name = \"Sở Thử Nghiệm\"\nphone = \"0203 3822 123\"\n\n[[leader]]\nname = \"Nguyễn Văn A\"\ntitle = \"Giám đốc\"\n"
	write(t, dir, "data/lich-cong-tac/2026-w49.toml", week)
	write(t, dir, "data/to-chuc.toml", org)
	r := start(t, dir)
	if code, body := r.get(t, "/lich-cong-tac/2026-w49/"); code != 200 || !strings.Contains(body, "Giao ban đầu tuần") {
		t.Fatalf("week page: %d", code)
	}
	if code, body := r.get(t, "/lien-he/"); code != 200 || !strings.Contains(body, "Nguyễn Văn A") {
		t.Fatalf("contact page: %d", code)
	}
	n := r.s.Builds()
	write(t, dir, "data/lich-cong-tac/2026-w49.toml", strings.Replace(strings.Replace(week, "2026-12-01", "2026-12-09", 1), "Giao ban", "Sửa giao ban", 1))
	write(t, dir, "data/to-chuc.toml", strings.Replace(org, `name = "Nguyễn Văn A"`, `name = "Nguyễn Văn B`, 1))
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "Sửa cùng lúc với lịch."))
	r.waitBuilds(t, n)
	for r.s.hub.heldBack() == nil || !strings.Contains(r.s.hub.heldBack().data, "to-chuc.toml") || !strings.Contains(r.s.hub.heldBack().data, "2026-w49.toml") {
		if r.s.hub.failure() != nil {
			t.Fatalf("the preview failed instead of holding the files back: %+v", r.s.hub.failure())
		}
		n = r.s.Builds()
		r.waitBuilds(t, n) // the saves may come in two batches
	}
	e := r.s.hub.heldBack()
	if !strings.Contains(e.data, "data/lich-cong-tac/2026-w49.toml:4:8") || !strings.Contains(e.data, "data/to-chuc.toml:5") {
		t.Errorf("the overlay must name both files at their lines: %s", e.data)
	}
	if _, body := r.get(t, "/lich-cong-tac/2026-w49/"); !strings.Contains(body, "Giao ban đầu tuần") || strings.Contains(body, "Sửa giao ban") {
		t.Error("the held-back week's last page is not served")
	}
	if _, body := r.get(t, "/lien-he/"); !strings.Contains(body, "Nguyễn Văn A") {
		t.Error("the contact page lost the last good organisation data")
	}
	if _, body := r.get(t, "/tin-tuc/b/"); !strings.Contains(body, "Sửa cùng lúc với lịch.") {
		t.Error("the article saved meanwhile was not updated")
	}
}
