package memlimit

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestGrowSetsAndRestores(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	for _, tc := range []struct {
		name   string
		before int64
		lower  bool // the limit set must be below before
	}{
		{"no limit before", prev, true},
		{"lower limit kept", 1 << 20, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			debug.SetMemoryLimit(tc.before)
			restore := Grow(64 << 20)
			during := debug.SetMemoryLimit(-1)
			restore()
			if after := debug.SetMemoryLimit(-1); after != tc.before {
				t.Errorf("limit after restore = %d, want %d", after, tc.before)
			}
			if tc.lower && during >= tc.before {
				t.Errorf("limit during = %d, want below %d", during, tc.before)
			}
			if tc.lower && during < 64<<20 {
				t.Errorf("limit during = %d, want at least the headroom", during)
			}
			if !tc.lower && during != tc.before {
				t.Errorf("limit during = %d, want the lower existing %d", during, tc.before)
			}
		})
	}
}

func TestFollowTracksLiveHeap(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
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

func TestFollowKeepsLowerLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	debug.SetMemoryLimit(1 << 20)
	stop := Follow(32<<20, time.Millisecond)
	time.Sleep(10 * time.Millisecond)
	if got := debug.SetMemoryLimit(-1); got != 1<<20 {
		t.Errorf("limit while following = %d, want the lower existing %d", got, 1<<20)
	}
	stop()
}
