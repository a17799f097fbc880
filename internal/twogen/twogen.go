// Package twogen is a cache of values by key within a byte budget, kept in two
// generations: recent holds what was stored or found since the last turn, older the
// generation before. Once recent would hold more than half the budget it becomes older and
// the older one is dropped, with the values nothing has used since they were recent; a
// value found in older moves to recent. So the cache keeps at most its budget, and what it
// drops is what went unused longest, without the list and its pointers a least-recently-
// used cache keeps per entry.
//
// render keeps partialCached's fragments in one (cached.go) and publish the minified
// fragments in another (fragments.go). Maps under a read-write lock, not a sync.Map: keys
// are looked up far more often than stored (every card of every list page), and a lookup
// here hashes the key once and compares it once, where sync.Map's trie of interface keys
// cost a list page about as much as rendering one of its cards (BENCHMARKS.md, issue 22,
// branch tpl22).
package twogen

import (
	"iter"
	"sync"
)

// Cache is a two-generation cache of V by string key; the zero Cache keeps nothing until
// Reset gives it a budget. Safe for concurrent use.
type Cache[V any] struct {
	mu     sync.RWMutex
	recent map[string]entry[V] // made on the first store of a generation
	older  map[string]entry[V]
	bytes  int64 // counted for the entries in recent
	budget int64
}

// entry is a value and the bytes it was counted for, key included.
type entry[V any] struct {
	v V
	n int64
}

// Reset empties c and keeps at most budget bytes from now on.
func (c *Cache[V]) Reset(budget int64) {
	c.mu.Lock()
	c.recent, c.older, c.bytes, c.budget = nil, nil, 0, budget
	c.mu.Unlock()
}

// Fits reports whether an entry counted for n bytes can be kept: no entry longer than
// half the budget is. For a caller that copies a value before storing it.
func (c *Cache[V]) Fits(n int64) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return n <= c.budget/2
}

// Load returns the value under key (a string made from a byte slice in a map index does
// not allocate; a value found in the older generation moves to the recent one).
func (c *Cache[V]) Load(key []byte) (V, bool) {
	c.mu.RLock()
	e, ok := c.recent[string(key)]
	older := false
	if !ok {
		e, ok = c.older[string(key)]
		older = ok
	}
	c.mu.RUnlock()
	if older {
		c.Store(key, e.v, e.n)
	}
	return e.v, ok
}

// Store keeps v under key, counted for n bytes (the caller says what: its key and its
// text, say), turning the generations first if recent would hold more than half the
// budget. A value counted for more than half the budget is not kept, nor one whose key
// is already in recent (another goroutine kept it first).
func (c *Cache[V]) Store(key []byte, v V, n int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if n > c.budget/2 {
		return
	}
	if _, ok := c.recent[string(key)]; ok {
		return
	}
	if c.bytes+n > c.budget/2 {
		c.older, c.recent, c.bytes = c.recent, nil, 0
	}
	if c.recent == nil {
		c.recent = map[string]entry[V]{}
	}
	c.recent[string(key)] = entry[V]{v, n}
	c.bytes += n
}

// Len is the number of distinct keys kept (a value found again in older is in both
// generations until the next turn, counted once).
func (c *Cache[V]) Len() int {
	n := 0
	for range c.Keys() {
		n++
	}
	return n
}

// Bytes is what the recent generation's entries were counted for: at most half the budget.
func (c *Cache[V]) Bytes() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.bytes
}

// Budget is what c keeps at most.
func (c *Cache[V]) Budget() int64 {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.budget
}

// Keys yields each key kept once, the recent generation's first. Not for use while c
// changes.
func (c *Cache[V]) Keys() iter.Seq[string] {
	return func(yield func(string) bool) {
		for k := range c.recent {
			if !yield(k) {
				return
			}
		}
		for k := range c.older {
			if _, ok := c.recent[k]; !ok && !yield(k) {
				return
			}
		}
	}
}
