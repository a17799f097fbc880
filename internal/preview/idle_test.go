package preview

import (
	"context"
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
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
	before := forcedCollections(t)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		n := forcedCollections(t)
		if n == before {
			break
		}
		before = n
	}
	// This save is taken to allocate as much as the collector lets the heap grow
	// (memlimit.Idle collects only then): the garbage of a large site's save.
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	var keep []byte
	for i := uint64(0); i < 2*s[0].Value.Uint64(); i += 1 << 20 {
		keep = make([]byte, 1<<20)
	}
	runtime.KeepAlive(keep)
	if _, err := r.s.Rebuild(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	waitIndexed(2)
	for deadline := time.Now().Add(10 * time.Second); forcedCollections(t) == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no collection within 10 s of a save's index update")
		}
	}
}
