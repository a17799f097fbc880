package preview

import (
	"context"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/memlimit/memlimittest"
)

// TestSaveIsCollectedOnceIndexed: once a save that allocated as much as the collector lets
// the heap grow is built and its search index updated, the preview collects in the
// background (memlimit.Idle), so that the next save does not share its cores with that
// collection. The rebuild changes nothing, so neither
// the build nor the index update asks for a collection itself.
func TestSaveIsCollectedOnceIndexed(t *testing.T) {
	r := start(t, newSite(t))
	waitIndexed := func(n int64) {
		t.Helper()
		for deadline := time.Now().Add(30 * time.Second); r.s.indexed.Load() < n; time.Sleep(10 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("search index not updated %d times within 30 s", n)
			}
		}
	}
	waitIndexed(1)
	before := memlimittest.Settled(t)
	// This save is taken to allocate as much as the collector lets the heap grow
	// (memlimit.Idle collects only then).
	memlimittest.MakeGarbage(0)
	if _, err := r.s.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	waitIndexed(2)
	memlimittest.WaitCollected(t, before, "a save's index update")
}
