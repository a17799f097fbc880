package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/schedule"
	"github.com/vnportal/portal/internal/sitetest"
	"github.com/vnportal/portal/internal/vietnamese"
)

// TestNewWeekPrefillsTheDays: `portal new lich-cong-tac/2026-w53` writes the week file
// from the archetype with the week's seven days (week 53 of 2026 runs into 2027), the
// file is a valid empty week, and a second run does not overwrite it.
func TestNewWeekPrefillsTheDays(t *testing.T) {
	site := siteDir(t)
	code, out, errOut := authorRun(t, "new", "--source", site, "lich-cong-tac/2026-w53")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	path := filepath.Join(site, "data", "lich-cong-tac", "2026-w53.toml")
	if !strings.Contains(out, path) {
		t.Errorf("stdout does not give the path: %s", out)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(b)
	for _, want := range []string{"# ── Thứ Hai, 28/12/2026 ──", "# date = 2026-12-28", "# ── Chủ Nhật, 03/01/2027 ──", "# date = 2027-01-03", "revision = 0"} {
		if !strings.Contains(text, want) {
			t.Errorf("the new week lacks %q:\n%s", want, text)
		}
	}
	w, ds := schedule.Parse("data/lich-cong-tac/2026-w53.toml", b)
	if ds.HasErrors() || w == nil || len(w.Events) != 0 || w.Updated.IsZero() {
		t.Fatalf("the new week does not parse as an empty week: %v", ds.Items())
	}
	// Uncommenting Monday's block gives a valid row.
	filled := strings.Replace(text, "# [[event]]\n# date = 2026-12-28\n# session = \"Sáng\"\n# time = \"08:00\"\n# content = \"\"", "[[event]]\ndate = 2026-12-28\nsession = \"Sáng\"\ntime = \"08:00\"\ncontent = \"Giao ban\"", 1)
	if w, ds = schedule.Parse("data/lich-cong-tac/2026-w53.toml", []byte(filled)); ds.HasErrors() || len(w.Events) != 1 {
		t.Errorf("the uncommented block: %v", ds.Items())
	}
	code, _, errOut = authorRun(t, "new", "--source", site, "lich-cong-tac/2026-W53")
	if code != ExitError || !strings.Contains(errOut, "không ghi đè") {
		t.Errorf("a second run: exit %d, %s", code, errOut)
	}
	if b2, _ := os.ReadFile(path); string(b2) != text {
		t.Error("the week file was overwritten")
	}
	code, _, errOut = authorRun(t, "new", "--source", site, "lich-cong-tac/2027-w53")
	if code != ExitUsage || !strings.Contains(errOut, "không phải một tuần") {
		t.Errorf("2027-w53 (2027 has 52 weeks): exit %d, %s", code, errOut)
	}
}

func TestNewWeekUsesTheClock(t *testing.T) {
	site := siteDir(t)
	var out, errOut bytes.Buffer
	env := Env{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" },
		Now: func() time.Time { return time.Date(2026, 12, 6, 9, 0, 0, 0, vietnamese.Location()) }}
	if code := Main([]string{"new", "--source", site, "lich-cong-tac/tuan-sau"}, env); code != ExitUsage || !strings.Contains(errOut.String(), "portal new lich-cong-tac/2026-w49 (tuần này)") {
		t.Errorf("exit %d: %s", code, errOut.String())
	}
}

// TestCheckReportsScheduleMistakesAtTheirLine: `portal check` (and so `portal build`)
// reports a schedule row's mistakes at path:line:col, in Vietnamese or in English.
func TestCheckReportsScheduleMistakesAtTheirLine(t *testing.T) {
	site := siteDir(t)
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/a.md":             "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\nx\n",
		"data/lich-cong-tac/2026-w49.toml": "revision = 1\n\n[[event]]\ndate = 2026-12-02\nsession = \"Chìu\"\ntime = \"14:00\"\ncontent = \"Họp\"\n",
	})
	code, out, _ := authorRun(t, "check", "--source", site)
	want := `data/lich-cong-tac/2026-w49.toml:5:11: lỗi: buổi "Chìu" không có: viết "Sáng", "Chiều" hoặc "Tối" (có phải là "Chiều"?)`
	if code != ExitError || !strings.Contains(out, want) {
		t.Errorf("exit %d, stdout %q; want %q", code, out, want)
	}
	code, out, _ = authorRun(t, "--lang", "en", "check", "--source", site)
	want = `data/lich-cong-tac/2026-w49.toml:5:11: error: there is no session "Chìu": write "Sáng", "Chiều" or "Tối" (did you mean "Chiều"?)`
	if code != ExitError || !strings.Contains(out, want) {
		t.Errorf("--lang en: exit %d, stdout %q; want %q", code, out, want)
	}
}

// TestBuildSchedulesTheNextWeek: with a leaders' schedule, /lich-cong-tac/ changes by
// itself on Monday at 00:00, so the build says so (the scheduled-build script rebuilds
// then), unless an article is due earlier.
func TestBuildSchedulesTheNextWeek(t *testing.T) {
	site := scheduleSite(t)
	sitetest.WriteFiles(t, site, map[string]string{"data/lich-cong-tac/2026-w49.toml": "[[event]]\ndate = 2026-12-01\nsession = \"Sáng\"\ncontent = \"Giao ban\"\n"})
	// Sunday 6 December, 10:00 in Hà Nội: Monday 00:00 comes before b.md's 08:00.
	code, out, errOut := runAt(t, time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC), "build", "--source", site, "--cache-dir", t.TempDir())
	if want := "thay đổi hẹn giờ tiếp theo: 00:00 Thứ Hai, 07/12/2026 (lịch công tác sang tuần mới)"; code != ExitOK || !strings.Contains(out, want) {
		t.Errorf("exit %d, no %q in\n%s\n%s", code, want, out, errOut)
	}
	code, out, _ = runAt(t, time.Date(2026, 12, 7, 1, 0, 0, 0, time.UTC), "build", "--source", site, "--cache-dir", t.TempDir(), "--json")
	var s map[string]any
	if err := json.Unmarshal([]byte(out), &s); err != nil || code != ExitOK {
		t.Fatalf("exit %d: %v\n%s", code, err, out)
	}
	if s["nextScheduled"] != "2026-12-14T00:00:00+07:00" || s["nextScheduledAction"] != "week" || s["nextScheduledPath"] != "data/lich-cong-tac" {
		t.Errorf("summary: %v", s)
	}
}
