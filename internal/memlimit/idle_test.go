package memlimit

import (
	"runtime/metrics"
	"testing"
	"time"
)

// forcedCycles is the number of collections the program asked for (runtime.GC) so far.
func forcedCycles(t testing.TB) uint64 {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/cycles/forced:gc-cycles"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		t.Fatal("runtime/metrics has no count of forced collections")
	}
	return s[0].Value.Uint64()
}

func TestIdleCollectsInTheBackground(t *testing.T) {
	var c Idle
	before := forcedCycles(t)
	c.Collect()
	c.Collect() // while the first runs: nothing more (at most one at a time)
	for deadline := time.Now().Add(10 * time.Second); forcedCycles(t) == before; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no collection within 10 s of Collect")
		}
	}
	c.Close()
	after := forcedCycles(t)
	if after-before > 2 {
		t.Errorf("%d collections for two calls of Collect, want one (or two if the first ended before the second call)", after-before)
	}
	c.Collect() // after Close: nothing
	time.Sleep(20 * time.Millisecond)
	if n := forcedCycles(t); n != after {
		t.Errorf("Collect after Close collected (%d → %d)", after, n)
	}
}
