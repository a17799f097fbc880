package memlimit

import (
	"math"
	"runtime/debug"
	"sync"
	"time"
)

// Pace is Follow that also raises GOGC to percent while it follows, so that the soft limit
// (live heap plus headroom), not GOGC, paces the collector once the heap is large, and a
// small heap is collected every percent/100 × live bytes instead of every 1 × live: a
// one-off build's loading allocates ~2 GB while its live heap grows from a few MB, which
// at GOGC=100 meant 120–150 collections at 10,000 articles. It does so only when Follow
// sets a limit (no GOMEMLIMIT) and GOGC is the default 100 (no GOGC given): a heap with
// no limit is never given the higher percent. stop restores both.
func Pace(headroom int64, interval time.Duration, percent int) (stop func()) {
	userLimit := debug.SetMemoryLimit(-1) != math.MaxInt64
	stopFollow := Follow(headroom, interval)
	if userLimit {
		return stopFollow
	}
	prev := debug.SetGCPercent(percent)
	if prev != 100 { // the user's GOGC
		debug.SetGCPercent(prev)
		return stopFollow
	}
	return sync.OnceFunc(func() {
		debug.SetGCPercent(prev)
		stopFollow()
	})
}
