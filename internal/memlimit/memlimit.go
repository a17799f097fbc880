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
	prev := debug.SetMemoryLimit(-1)
	if prev != math.MaxInt64 {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	set := func() {
		if l, ok := followLimit(headroom); ok {
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
	}
}

// followLimit is live heap + max(headroom, live/2) + memory the runtime holds outside
// the heap (stacks, metadata), from the last collection's figures.
func followLimit(headroom int64) (int64, bool) {
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
	return live + max(headroom, live/2) + max(outside, 0), true
}
