package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/schedule"
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
