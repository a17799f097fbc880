package memlimit

import (
	"runtime"
	"sync"
)

// Idle collects garbage when a server has just finished a piece of work and waits for
// the next one (a save under `portal serve --watch` or the preview): the collection that
// the work's allocations would otherwise start in the middle of the next save, sharing
// its two cores with it, runs while no one waits. The next save then starts from a heap
// that holds what is live and grows into its whole headroom (Pace) before a collection.
// It moves the collector's CPU out of the save → served time; it does not lower it (a
// collection per save where the headroom may have allowed a few saves between two).
//
// Collect asks for a collection in the background; one runs at a time, and asking while
// one runs does nothing (it will have collected that garbage too, or the next save asks
// again). Close waits for a collection in progress. The zero value is ready to use.
type Idle struct {
	mu      sync.Mutex
	running bool
	closed  bool
	wg      sync.WaitGroup
}

// Collect starts a collection in the background unless one is running or Close was
// called.
func (c *Idle) Collect() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running || c.closed {
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
