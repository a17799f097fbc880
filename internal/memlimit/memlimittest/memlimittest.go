// Package memlimittest holds what the tests of the servers that collect between saves
// (memlimit.Idle: the preview, serve --watch) share: the count of collections the
// program asked for, waiting for it to settle, and the garbage of a large site's save.
// It is imported by _test.go files only.
package memlimittest

import (
	"runtime"
	"runtime/metrics"
	"testing"
	"time"
)

// ForcedCollections is the number of collections the program asked for so far.
func ForcedCollections(t testing.TB) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatal("runtime/metrics has no count of forced collections")
	}
	return s[0].Value.Uint64()
}

// Settled waits, at most 5 s, until no collection has been asked for in 100 ms (a first
// build's own collection may still be running) and returns the count then.
func Settled(t testing.TB) uint64 {
	t.Helper()
	before := ForcedCollections(t)
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
		n := ForcedCollections(t)
		if n == before {
			break
		}
		before = n
	}
	return before
}

// MakeGarbage allocates, 1 MiB at a time, twice what the collector lets the heap grow to
// now plus extra: the garbage of a large site's save, enough for memlimit.Idle to collect.
func MakeGarbage(extra uint64) {
	s := []metrics.Sample{{Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	var keep []byte
	for i := uint64(0); i < 2*(s[0].Value.Uint64()+extra); i += 1 << 20 {
		keep = make([]byte, 1<<20)
	}
	runtime.KeepAlive(keep)
}

// WaitCollected fails t unless a collection is asked for within 10 s, the count having
// been before; after says after what, for the message.
func WaitCollected(t testing.TB, before uint64, after string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ForcedCollections(t) == before; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no collection within 10 s of %s", after)
		}
	}
}
