package memlimit

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/memlimit/memlimittest"
)

// heapAndGoal returns the heap's size and the collector's goal now.
func heapAndGoal(t testing.TB) (heap, goal uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}

// garbage allocates about n bytes that nothing keeps.
func garbage(n uint64) {
	var keep []byte
	for i := uint64(0); i < n; i += 1 << 20 {
		keep = make([]byte, 1<<20)
		keep[0] = 1
	}
	runtime.KeepAlive(keep)
}

// TestIdleCollectsWhenTheNextWorkWould: after a piece of work that allocated little, the
// heap is left to grow; after one that allocated as much as the collector lets the heap
// grow, the collection it would start in the next piece runs now, in the background.
func TestIdleCollectsWhenTheNextWorkWould(t *testing.T) {
	var c Idle
	defer c.Close()
	runtime.GC()
	c.Collect() // the first call only measures
	before := memlimittest.ForcedCollections(t)
	heap, goal := heapAndGoal(t)
	garbage((goal - heap) / 8)
	c.Collect()
	time.Sleep(50 * time.Millisecond)
	if n := memlimittest.ForcedCollections(t); n != before {
		t.Errorf("Collect after a small piece of work collected (%d → %d forced collections)", before, n)
	}
	_, goal = heapAndGoal(t)
	garbage(2 * goal)
	c.Collect()
	c.Collect() // while the first runs: nothing more (at most one at a time)
	for deadline := time.Now().Add(10 * time.Second); memlimittest.ForcedCollections(t) == before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no collection within 10 s of Collect after a large piece of work")
		}
	}
	c.Close()
	after := memlimittest.ForcedCollections(t)
	if after-before > 2 {
		t.Errorf("%d collections for two calls of Collect, want one (or two if the first ended before the second call)", after-before)
	}
	garbage(2 * goal)
	c.Collect() // after Close: nothing
	time.Sleep(20 * time.Millisecond)
	if n := memlimittest.ForcedCollections(t); n != after {
		t.Errorf("Collect after Close collected (%d → %d)", after, n)
	}
}

// TestIdleCollectsBeforeWorkLeavesPace: work run under Pace with a large headroom may
// still run part of itself at the collector's goal now (a save's index stage runs
// unpaced): work that allocated about that goal is followed by a collection, although
// the headroom would let the heap grow far more.
func TestIdleCollectsBeforeWorkLeavesPace(t *testing.T) {
	c := Idle{Headroom: 4 << 30}
	defer c.Close()
	runtime.GC()
	c.Collect()
	before := memlimittest.ForcedCollections(t)
	_, goal := heapAndGoal(t)
	garbage(goal)
	c.Collect()
	time.Sleep(50 * time.Millisecond)
	if n := memlimittest.ForcedCollections(t); n == before {
		t.Errorf("Collect with 4 GB of headroom did not collect after %d MB of work, as much as the goal now (%d forced collections)", goal>>20, n)
	}
}
