package memlimit

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestFollowTracksLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	const prev = math.MaxInt64 // no limit set (as without GOMEMLIMIT)
	debug.SetMemoryLimit(prev)
	const headroom = 32 << 20
	stop := Follow(headroom, 5*time.Millisecond)
	defer stop()
	limitAfterGC := func() int64 {
		runtime.GC()
		time.Sleep(30 * time.Millisecond) // a few ticks
		return debug.SetMemoryLimit(-1)
	}
	small := limitAfterGC()
	if small >= prev || small < headroom {
		t.Fatalf("limit with a small heap = %d; want at least the headroom %d and below the previous %d", small, headroom, prev)
	}
	keep := make([]byte, 256<<20) // live: the limit must follow it up, with half of it as room
	for i := range keep {
		keep[i] = byte(i)
	}
	big := limitAfterGC()
	if big < 384<<20 || big > small+384<<20 {
		t.Errorf("limit with 256 MB more live = %d (was %d); want 1.5 × the live heap, at least 384 MB and at most 384 MB more", big, small)
	}
	runtime.KeepAlive(keep)
	stop()
	if after := debug.SetMemoryLimit(-1); after != prev {
		t.Errorf("limit after stop = %d, want %d", after, prev)
	}
	stop() // twice is fine
}

func TestFollowLeavesAUserLimitAlone(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	for _, user := range []int64{1 << 20, 64 << 30} { // below and far above what Follow would set
		debug.SetMemoryLimit(user)
		stop := Follow(32<<20, time.Millisecond)
		time.Sleep(10 * time.Millisecond)
		if got := debug.SetMemoryLimit(-1); got != user {
			t.Errorf("limit while following = %d, want the user's %d", got, user)
		}
		stop()
		if got := debug.SetMemoryLimit(-1); got != user {
			t.Errorf("limit after stop = %d, want the user's %d", got, user)
		}
	}
}
