package cli

import (
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

func TestCheckExitCodesAndFormats(t *testing.T) {
	clean := siteDir(t)
	sitetest.WriteFiles(t, clean, map[string]string{
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\nXem [bài B](/tin-tuc/b/).\n",
		"content/tin-tuc/b.md": "---\ntitle: \"Bài B khác hẳn\"\ndate: 2024-01-02\n---\nNội dung.\n",
	})
	code, out, errOut := authorRun(t, "check", "--source", clean)
	if code != ExitOK || out != "" || !strings.Contains(errOut, "không có lỗi") {
		t.Errorf("clean site: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, _ = authorRun(t, "check", "--source", clean, "--json")
	if code != ExitOK || strings.TrimSpace(out) != "[]" {
		t.Errorf("clean site --json: exit %d, stdout %q", code, out)
	}

	warnOnly := siteDir(t)
	sitetest.WriteFiles(t, warnOnly, map[string]string{
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\nprovinces: [\"Lâm Đông\"]\n---\nx\n",
	})
	code, out, _ = authorRun(t, "check", "--source", warnOnly)
	if code != ExitOK || !strings.Contains(out, "content/tin-tuc/a.md:4:1: cảnh báo: ") || !strings.Contains(out, "Lâm Đồng") {
		t.Errorf("warnings only: exit %d, stdout %q", code, out)
	}

	bad := siteDir(t)
	sitetest.WriteFiles(t, bad, map[string]string{
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\n\nXem [bài B](/tin-tuc/b/).\n\n![](so-do.svg)\n",
		"content/tin-tuc/c.md": "---\ndate: 2024-01-01\n---\nThiếu tiêu đề.\n",
	})
	code, out, errOut = authorRun(t, "check", "--source", bad)
	if code != ExitError || !strings.Contains(errOut, "1 lỗi, 3 cảnh báo") {
		t.Errorf("errors: exit %d, stderr %q", code, errOut)
	}
	line := regexp.MustCompile(`^content/tin-tuc/[ac]\.md:\d+:\d+: (lỗi|cảnh báo): .+$`)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Errorf("want 4 findings (broken link, missing image, no alt text, missing title), got %q", lines)
	}
	for _, l := range lines {
		if !line.MatchString(l) {
			t.Errorf("finding %q is not path:line:col: severity: message", l)
		}
	}
	if !strings.Contains(out, "a.md:6:1: cảnh báo: liên kết tới \"/tin-tuc/b/\" hỏng") {
		t.Errorf("the broken link is not reported at its line: %s", out)
	}

	code, out, _ = authorRun(t, "check", "--json", "--source", bad)
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if code != ExitError || len(got) != 4 {
		t.Fatalf("--json: exit %d, %d findings", code, len(got))
	}
	for _, f := range got {
		for _, key := range []string{"path", "pathBytes", "line", "col", "severity", "message", "code"} {
			if _, ok := f[key]; !ok {
				t.Errorf("finding %v has no %q", f, key)
			}
		}
	}
	if got[0]["path"] != "content/tin-tuc/a.md" || got[0]["line"] != float64(6) || got[0]["severity"] != "warning" || got[0]["code"] != "broken-link" {
		t.Errorf("first finding %v", got[0])
	}

	if code, _, _ := authorRun(t, "check", "--source", bad, "extra"); code != ExitUsage {
		t.Errorf("extra argument: exit %d", code)
	}
}

// Hardening II, item 13: a file name that is not UTF-8 can be found from check --json
// (pathBytes keeps its bytes), and a name with a newline cannot forge a finding line.
func TestCheckFileNamesThatAreNotText(t *testing.T) {
	site := siteDir(t)
	bad := "content/tin-tuc/b\xff.md"
	forged := "content/tin-tuc/ok.md:1:1: warning: forged\nreal.md"
	sitetest.WriteFiles(t, site, map[string]string{
		bad:    "---\ntitle: \"B\"\n---\nthiếu ngày\n",
		forged: "---\ntitle: \"C\"\n---\nthiếu ngày\n",
	})
	_, out, _ := authorRun(t, "check", "--source", site, "--json")
	var got []map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	found := false
	for _, f := range got {
		if s, _ := f["pathBytes"].(string); s != "" {
			raw, err := base64.StdEncoding.DecodeString(s)
			found = err == nil && string(raw) == bad
		}
	}
	if !found {
		t.Errorf("no finding keeps the bytes of %q:\n%s", bad, out)
	}
	_, out, _ = authorRun(t, "check", "--source", site)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if strings.HasPrefix(l, "real.md") || strings.HasPrefix(l, "content/tin-tuc/ok.md:1:1: warning: forged") && !strings.Contains(l, `\n`) {
			t.Errorf("a forged line: %q", l)
		}
	}
}
