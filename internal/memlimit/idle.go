package memlimit

import (
	"runtime"
	"runtime/metrics"
	"sync"
)

// Idle collects garbage when a server has just finished a piece of work and waits for
// the next one (a save under `portal serve --watch` or the preview), if the next piece
// would otherwise start a collection: the collection that the next save's allocations
// would start in its middle, sharing its two cores with it, runs while no one waits. The
// next save then starts from a heap that holds what is live and grows into its headroom
// before a collection.
//
// Whether to collect: a piece of work is taken to allocate what the last one did (the
// bytes allocated between two calls of Collect); when the heap now plus that much
// reaches where the collector would start (the goal now, or for work run under Pace with
// Headroom, the live heap plus max(Headroom, half of it), whichever is smaller, less an
// eighth for the collector's early start), the next piece would collect during its run,
// so Idle collects now. The smaller, because a piece of work need not run under Pace
// throughout: a save of `portal serve --watch` stops pacing for its index stage (the
// search index sets its own limit for a full build, none for an update), which then runs
// at the goal now, GOGC's — measured at 10,000 articles (GODEBUG=gctrace=1), the
// collections that came in the middle of saves had goals of twice the live heap (239,
// 281 MB over 119, 140 MB live), not the paced 390 MB, once every two to three saves. Otherwise it leaves the heap to grow: a collection per save where a few
// saves fit in the headroom would cost more CPU in all (a collection marks the whole
// live heap). So it moves the collector's work out of the save → served time without
// adding to it.
//
// Collect decides and, if so, collects in the background; one runs at a time, and asking
// while one runs does nothing. Close waits for a collection in progress. The zero value
// is ready to use.
type Idle struct {
	// Headroom is that of the Pace the work runs under (0: none, the collector's goal).
	Headroom int64

	mu      sync.Mutex
	running bool
	closed  bool
	// allocs is the heap's cumulative allocation at the last Collect (0: none yet).
	allocs uint64
	wg     sync.WaitGroup
}

// Collect starts a collection in the background when the next piece of work would
// otherwise start one (see Idle), unless one is running or Close was called.
func (c *Idle) Collect() {
	s := []metrics.Sample{
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/memory/classes/heap/objects:bytes"},
		{Name: "/gc/heap/goal:bytes"},
		{Name: "/gc/heap/live:bytes"},
	}
	metrics.Read(s)
	for _, x := range s {
		if x.Value.Kind() != metrics.KindUint64 {
			return
		}
	}
	allocs, heap, goal, live := s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Uint64(), s[3].Value.Uint64()
	if c.Headroom > 0 {
		goal = min(goal, live+max(uint64(c.Headroom), live/2))
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	last := c.allocs
	c.allocs = allocs
	if c.running || c.closed || last == 0 || heap+(allocs-last) < goal-goal/8 {
		return
	}
	c.running = true
	c.wg.Go(func() {
		runtime.GC()
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	})
}

// Close waits for a collection in progress; later calls of Collect do nothing.
func (c *Idle) Close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	c.wg.Wait()
}
