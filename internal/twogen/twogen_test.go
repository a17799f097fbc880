package twogen

import (
	"slices"
	"strconv"
	"sync"
	"testing"
)

// TestCacheKeepsTheRecentWithinItsBudget: with room for three entries a generation,
// the entries stored or found last stay, an entry found in older moves to recent and so
// outlives the turn after, and what is dropped is what went unused longest.
func TestCacheKeepsTheRecentWithinItsBudget(t *testing.T) {
	var c Cache[int]
	c.Reset(60) // entries of 10 bytes: a generation holds three
	store := func(k string) { c.Store([]byte(k), len(k), 10) }
	for _, k := range []string{"a", "b", "c"} {
		store(k)
	}
	if c.Len() != 3 || c.Bytes() != 30 {
		t.Fatalf("after three stores: %d entries, %d bytes; want 3 and 30", c.Len(), c.Bytes())
	}
	store("d") // turns: a, b, c older; d recent
	if c.Bytes() != 10 {
		t.Fatalf("after the turn recent holds %d bytes, want 10", c.Bytes())
	}
	if v, ok := c.Load([]byte("a")); !ok || v != 1 {
		t.Fatalf("a in older: %d, %v", v, ok) // moves to recent
	}
	store("e") // recent: d, a, e
	store("f") // turns: d, a, e older; f recent; b and c dropped
	for k, want := range map[string]bool{"a": true, "b": false, "c": false, "d": true, "e": true, "f": true} {
		if _, ok := c.Load([]byte(k)); ok != want {
			t.Errorf("%s kept: %v, want %v", k, ok, want)
		}
	}
	keys := slices.Sorted(c.Keys())
	if !slices.Equal(keys, []string{"a", "d", "e", "f"}) {
		t.Errorf("keys %v, want each kept key once", keys)
	}
	if c.Len() != 4 {
		t.Errorf("Len %d, want 4 distinct keys", c.Len())
	}
}

// TestCacheRefusesWhatExceedsHalfItsBudget: an entry counted for more than half the
// budget is neither kept nor fits, and the zero Cache keeps nothing.
func TestCacheRefusesWhatExceedsHalfItsBudget(t *testing.T) {
	var zero Cache[string]
	zero.Store([]byte("k"), "v", 1)
	if _, ok := zero.Load([]byte("k")); ok || zero.Fits(1) {
		t.Fatal("the zero Cache kept an entry")
	}
	var c Cache[string]
	c.Reset(100)
	if !c.Fits(50) || c.Fits(51) {
		t.Errorf("Fits(50) %v, Fits(51) %v; want true, false", c.Fits(50), c.Fits(51))
	}
	c.Store([]byte("big"), "x", 51)
	if _, ok := c.Load([]byte("big")); ok {
		t.Error("an entry over half the budget was kept")
	}
	c.Store([]byte("k"), "first", 10)
	c.Store([]byte("k"), "second", 10)
	if v, _ := c.Load([]byte("k")); v != "first" {
		t.Errorf("k is %q, want the first stored (a key in recent is not replaced)", v)
	}
	c.Reset(100)
	if c.Len() != 0 || c.Bytes() != 0 {
		t.Errorf("after Reset: %d entries, %d bytes", c.Len(), c.Bytes())
	}
}

// TestCacheIsSafeForConcurrentUse (with -race): loads and stores from several
// goroutines, with turns, keep the byte count within half the budget.
func TestCacheIsSafeForConcurrentUse(t *testing.T) {
	var c Cache[int]
	c.Reset(1000)
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 500 {
				k := []byte(strconv.Itoa((i * (g + 1)) % 97))
				if _, ok := c.Load(k); !ok {
					c.Store(k, i, 7)
				}
			}
		}()
	}
	wg.Wait()
	if c.Bytes() > 500 {
		t.Errorf("recent holds %d bytes, over half the budget", c.Bytes())
	}
}
