// Package memlimit bounds how far the Go heap may grow past what a long piece of work
// keeps live, for the stages of a build that allocate far more than they keep.
//
// Why: with the default GOGC=100 the garbage collector lets the heap grow by as much as
// was live after the last collection. A one-off build of 100,000 articles keeps about
// 850 MB live (the assembled site) while rendering 170,000 pages and indexing the
// articles allocates tens of gigabytes of short-lived data, so the heap doubles to
// 1.7 GB. A soft limit over what is live makes collections more frequent instead; it
// never fails an allocation.
package memlimit

import (
	"math"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
	"time"
)

// Follow keeps a soft memory limit of the live heap plus headroom (at least half the live
// heap), plus the runtime's memory outside the heap, updated every interval as the live
// heap grows or shrinks: the collector's pacing of GOGC=50 with a floor of headroom, for
// work whose live heap grows as it goes (loading a site). It costs CPU (more frequent
// collections) for memory. A limit already set (GOMEMLIMIT) is the user's choice and is
// left alone: Follow then does nothing. stop ends the following and restores the limit.
func Follow(headroom int64, interval time.Duration) (stop func()) {
	stop, _ = follow(headroom, 0, interval)
	return stop
}

// Pace is Follow with the limit as the collector's only trigger: GOGC is off while it
// follows, so the heap grows by the headroom (or half the live heap, if larger) before
// each collection, also while the live heap is smaller than the headroom, where GOGC=100
// would collect each time the heap doubled. For a one-off build whose live heap is a
// fraction of the headroom (a 10,000-article site keeps about 150 MB) that is most of its
// collections: measured on the prose corpus at 10,000 articles, 89 collections became 17,
// of which 77 → 8 while loading (BENCHMARKS.md, issue 22, branch tpl22). Where half the
// live heap is more than the headroom, the limit was already below GOGC=100's goal, so a
// large build peaks no higher. A user's GOMEMLIMIT or GOGC is their choice: Pace then
// leaves the collector's settings alone (and, with GOMEMLIMIT, does nothing at all).
// stop restores both settings.
func Pace(headroom int64, interval time.Duration) (stop func()) {
	return PaceFloor(headroom, 0, interval)
}

// PaceFloor is Pace with a floor under the limit: live + max(headroom, live/2), but no
// less than floor, plus the runtime's memory outside the heap. For a one-off build whose
// live heap stays small (a 10,000-article site keeps under 100 MB until its end) the heap
// then grows to about floor between collections instead of live + headroom: fewer
// collections, each marking the same live heap, for memory that was allowed anyway. Where
// live + max(headroom, live/2) is above floor (a large site) the limit is Pace's.
func PaceFloor(headroom, floor int64, interval time.Duration) (stop func()) {
	stopFollow, following := follow(headroom, floor, interval)
	if !following || os.Getenv("GOGC") != "" {
		return stopFollow
	}
	prev := debug.SetGCPercent(-1)
	var once sync.Once
	return func() {
		once.Do(func() {
			debug.SetGCPercent(prev)
			stopFollow()
		})
	}
}

// follow is Follow with a floor under the limit (PaceFloor), and whether it follows
// (false: a limit was already set).
func follow(headroom, floor int64, interval time.Duration) (stop func(), following bool) {
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}, false
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	set := func() {
		if l, ok := followLimit(headroom, floor); ok {
			debug.SetMemoryLimit(l)
		}
	}
	set()
	wg.Go(func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				set()
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
			debug.SetMemoryLimit(prev)
		})
	}, true
}

// followLimit is max(live heap + max(headroom, live/2), floor) + memory the runtime holds
// outside the heap (stacks, metadata), from the last collection's figures.
func followLimit(headroom, floor int64) (int64, bool) {
	s := []metrics.Sample{
		{Name: "/gc/heap/live:bytes"},
		{Name: "/memory/classes/total:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/memory/classes/heap/unused:bytes"},
		{Name: "/memory/classes/heap/free:bytes"},
		{Name: "/memory/classes/heap/released:bytes"},
	}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return 0, false
		}
	}
	v := func(i int) int64 { return int64(s[i].Value.Uint64()) }
	live := v(0)
	outside := v(1) - v(2) - v(3) - v(4) - v(5)
	return max(live+max(headroom, live/2), floor) + max(outside, 0), true
}
