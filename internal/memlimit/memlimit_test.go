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

// gcPercent reads GOGC's current setting (SetGCPercent has no read-only form).
func gcPercent() int {
	p := debug.SetGCPercent(-1)
	debug.SetGCPercent(p)
	return p
}

func TestPaceTurnsGOGCOffWhileFollowing(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	t.Setenv("GOGC", "")
	debug.SetMemoryLimit(math.MaxInt64)
	debug.SetGCPercent(100)
	stop := Pace(32<<20, time.Millisecond)
	if got := gcPercent(); got != -1 {
		t.Errorf("GOGC while pacing = %d, want off (-1): the limit alone triggers collections", got)
	}
	if l := debug.SetMemoryLimit(-1); l == math.MaxInt64 {
		t.Error("no memory limit while pacing: with GOGC off the heap would grow without bound")
	}
	stop()
	if got := gcPercent(); got != 100 {
		t.Errorf("GOGC after stop = %d, want 100 again", got)
	}
	if l := debug.SetMemoryLimit(-1); l != math.MaxInt64 {
		t.Errorf("limit after stop = %d, want none", l)
	}
	stop() // twice is fine
	if got := gcPercent(); got != 100 {
		t.Errorf("GOGC after a second stop = %d, want 100", got)
	}
}

func TestPaceLeavesTheUsersSettingsAlone(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	// GOMEMLIMIT set: no following, so GOGC must stay on (else the heap has no bound at all).
	t.Setenv("GOGC", "")
	debug.SetGCPercent(100)
	debug.SetMemoryLimit(64 << 30)
	stop := Pace(32<<20, time.Millisecond)
	if got := gcPercent(); got != 100 {
		t.Errorf("GOGC with a user's memory limit = %d, want 100 untouched", got)
	}
	stop()
	// GOGC set by the user: the limit follows, GOGC stays theirs.
	t.Setenv("GOGC", "200")
	debug.SetGCPercent(200)
	debug.SetMemoryLimit(math.MaxInt64)
	stop = Pace(32<<20, time.Millisecond)
	if got := gcPercent(); got != 200 {
		t.Errorf("GOGC with the user's GOGC=200 = %d, want 200 untouched", got)
	}
	if l := debug.SetMemoryLimit(-1); l == math.MaxInt64 {
		t.Error("no memory limit while pacing with the user's GOGC")
	}
	stop()
}

// TestPaceFloorKeepsTheFloor: with a small live heap the limit is the floor (plus the
// runtime's memory outside the heap), not live + headroom; with a live heap whose
// live + max(headroom, live/2) is above the floor, it is that, as Pace's.
func TestPaceFloorKeepsTheFloor(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	debug.SetMemoryLimit(math.MaxInt64)
	const headroom, floor = 32 << 20, 256 << 20
	limitAfterGC := func() int64 {
		runtime.GC()
		time.Sleep(30 * time.Millisecond) // a few ticks
		return debug.SetMemoryLimit(-1)
	}
	stop := PaceFloor(headroom, floor, 5*time.Millisecond)
	small := limitAfterGC()
	if small < floor || small > floor+64<<20 {
		t.Errorf("limit with a small heap = %d; want the floor %d (and the memory outside the heap)", small, floor)
	}
	keep := make([]byte, 256<<20) // live: 1.5 × 256 MB is above the floor
	for i := range keep {
		keep[i] = byte(i)
	}
	big := limitAfterGC()
	if big < 384<<20 || big > 384<<20+128<<20 {
		t.Errorf("limit with 256 MB live = %d; want 1.5 × the live heap, about 384 MB", big)
	}
	runtime.KeepAlive(keep)
	stop()
	if after := debug.SetMemoryLimit(-1); after != math.MaxInt64 {
		t.Errorf("limit after stop = %d, want none", after)
	}
}
