package watch

import (
	"context"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
)

// forcedCollections is the number of collections the program asked for so far.
func forcedCollections(t *testing.T) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatal("runtime/metrics has no count of forced collections")
	}
	return s[0].Value.Uint64()
}

// TestRebuildCollectsOnceSwitchedIn: a successful rebuild that allocated as much as the
// collector lets the heap grow is followed by a collection in the background
// (memlimit.Idle), so that the next save does not share its cores with that collection. The rebuild changes nothing, so nothing in the build
// itself asks for a collection (the search index is carried over as it is).
func TestRebuildCollectsOnceSwitchedIn(t *testing.T) {
	dir := newSite(t, nil)
	r := start(t, dir, &fakeClock{now: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)}, false)
	// The first build's own collection, if still running, is over once the count stops
	// moving.
	before := forcedCollections(t)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		n := forcedCollections(t)
		if n == before {
			break
		}
		before = n
	}
	// This save is taken to allocate as much as the collector lets the heap grow during
	// a build (memlimit.Idle collects only then): the garbage of a large site's save.
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	var keep []byte
	for i := uint64(0); i < 2*(s[0].Value.Uint64()+build.ServeGCHeadroom); i += 1 << 20 {
		keep = make([]byte, 1<<20)
	}
	runtime.KeepAlive(keep)
	rep, err := r.s.Rebuild(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rendered != 0 {
		t.Fatalf("a rebuild with nothing changed rendered %d pages", rep.Rendered)
	}
	for deadline := time.Now().Add(10 * time.Second); forcedCollections(t) == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no collection within 10 s of a rebuild switched in")
		}
	}
}
