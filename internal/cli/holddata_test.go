package cli

import (
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// Issue 20: one person's mistake in a data file never blocks everyone's news. A bad
// schedule week is held back (its page kept), a bad data/to-chuc.toml falls back on the
// last good data: portal build publishes the rest and exits 3, saying so for each file.
func TestBuildHoldsBackBadDataFiles(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	site := siteDir(t)
	const week = "revision = 1\n\n[[event]]\ndate = 2026-12-01\nsession = \"Sáng\"\ncontent = \"Giao ban đầu tuần\"\n"
	const org = "name = \"Sở Thử Nghiệm\"\nphone = \"0203 3822 123\"\n"
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/a.md":             heldArticle("Hội nghị chuyển đổi số", "2024-03-01", "Nội dung bài A."),
		"data/lich-cong-tac/2026-w49.toml": week,
		"data/to-chuc.toml":                org,
	})
	if code, stdout, stderr := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("first build: exit %d\n%s\n%s", code, stdout, stderr)
	}
	sitetest.WriteFiles(t, site, map[string]string{
		"data/lich-cong-tac/2026-w49.toml": strings.Replace(week, "2026-12-01", "2026-12-09", 1),
		"data/to-chuc.toml":                strings.Replace(org, `phone = "0203 3822 123"`, `phone = 203`, 1),
		"content/tin-tuc/b.md":             heldArticle("Tin mới", "2024-03-02", "Nội dung bài B."),
	})
	code, stdout, stderr := authorRun(t, "build", "--source", site)
	if code != ExitHeldBack {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, ExitHeldBack, stdout, stderr)
	}
	for _, want := range []string{
		"data/lich-cong-tac/2026-w49.toml:4:8: lỗi: ngày Thứ Tư, 09/12/2026 không thuộc tuần 49",
		"data/to-chuc.toml:2:9: lỗi: phone phải là chữ trong ngoặc kép",
		"data/to-chuc.toml:2:9: cảnh báo: data/to-chuc.toml có lỗi nên lần dựng này dùng thông tin cơ quan của lần dựng thành công trước",
		"  data/lich-cong-tac/2026-w49.toml:4:8: giữ bản đã xuất bản trước\n",
		"  data/to-chuc.toml:2:9: dùng thông tin cơ quan của lần dựng thành công trước\n",
		"Đã xuất bản; 1 tệp dữ liệu lỗi giữ bản cũ.",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
}
