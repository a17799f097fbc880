package build

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestPageStageGC: a one-off build's page stage runs with GOGC=pagesGCPercent and gives the
// previous setting back; the preview's builds and a GOGC from the environment are left alone.
func TestPageStageGC(t *testing.T) {
	t.Setenv("GOGC", "") // set (even empty): the user's choice; restored after the test
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)

	check := func(name string, keep bool, want int) {
		t.Helper()
		restore := pageStageGC(keep)
		got := debug.SetGCPercent(-1)
		debug.SetGCPercent(got)
		restore()
		if got != want {
			t.Errorf("%s: GOGC %d during the page stage, want %d", name, got, want)
		}
		if after := debug.SetGCPercent(100); after != 100 {
			t.Errorf("%s: GOGC %d after the page stage, want 100 again", name, after)
		}
	}
	check("GOGC set by the user", false, 100)
	if err := os.Unsetenv("GOGC"); err != nil { // t.Setenv above puts it back
		t.Fatal(err)
	}
	check("one-off build", false, pagesGCPercent)
	check("preview", true, 100)
}
