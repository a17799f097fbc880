package cli

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// A rule that fires on many articles prints warningsPerRule of its warnings and a count
// of the rest; errors are never left out; portal check still lists every one.
func TestBuildCapsTheWarningsOfOneRule(t *testing.T) {
	files := map[string]string{
		"config.toml":          "title = \"Mẫu\"\n",
		"content/tin-tuc/x.md": "---\ndate: 2024-01-01\n---\nThiếu tiêu đề.\n",
	}
	const n = warningsPerRule + 7
	for i := range n {
		files[fmt.Sprintf("content/tin-tuc/bai-%02d.md", i)] = fmt.Sprintf("---\ntitle: \"Bài số %d về hội nghị\"\ndate: 2024-01-%02d\nprovinces: [\"Ha Tinh\"]\n---\nNội dung.\n", i, i%28+1)
	}
	site := sitetest.NewSite(t, files)
	code, _, errOut := authorRun(t, "build", "--source", site, "--no-cache")
	if code != ExitHeldBack {
		t.Fatalf("build: exit %d\n%s", code, errOut)
	}
	if got := strings.Count(errOut, `"Ha Tinh"`); got != warningsPerRule {
		t.Errorf("build printed %d unknown-province warnings, want %d\n%s", got, warningsPerRule, errOut)
	}
	if !strings.Contains(errOut, "… và 7 cảnh báo unknown-province khác (portal check liệt kê tất cả)") {
		t.Errorf("build does not count the warnings it left out:\n%s", errOut)
	}
	if !strings.Contains(errOut, "content/tin-tuc/x.md:1:1: lỗi: ") {
		t.Errorf("the error must be printed:\n%s", errOut)
	}
	_, out, _ := authorRun(t, "check", "--source", site)
	if got := strings.Count(out, `"Ha Tinh"`); got != n {
		t.Errorf("check printed %d unknown-province warnings, want all %d", got, n)
	}
}
