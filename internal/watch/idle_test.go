package watch

import (
	"context"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/memlimit/memlimittest"
)

// TestRebuildCollectsOnceSwitchedIn: a successful rebuild that allocated as much as the
// collector lets the heap grow is followed by a collection in the background
// (memlimit.Idle), so that the next save does not share its cores with that collection. The rebuild changes nothing, so nothing in the build
// itself asks for a collection (the search index is carried over as it is).
func TestRebuildCollectsOnceSwitchedIn(t *testing.T) {
	dir := newSite(t, nil)
	r := start(t, dir, &fakeClock{now: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)}, false)
	before := memlimittest.Settled(t)
	// This save is taken to allocate as much as the collector lets the heap grow during
	// a build (memlimit.Idle collects only then).
	memlimittest.MakeGarbage(build.ServeGCHeadroom)
	rep, err := r.s.Rebuild(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rendered != 0 {
		t.Fatalf("a rebuild with nothing changed rendered %d pages", rep.Rendered)
	}
	memlimittest.WaitCollected(t, before, "a rebuild switched in")
}
