package build

import "sync"

// decodeBudget bounds the decoded pixels (4 bytes each) of the photos a build processes at
// once: two 12-MP photos (48 MB each) go side by side, a 24-MP one (96 MB) goes alone.
// Each photo's encodes still use every core (photo.ProcessEach), so a build of large
// photos loses only the overlap of two decodes, and its peak memory no longer doubles.
const decodeBudget = 128 << 20

// byteGate admits work by its size in bytes while the admitted sizes sum to at most limit;
// one piece larger than the limit is admitted alone, so nothing waits forever.
type byteGate struct {
	mu    sync.Mutex
	cond  *sync.Cond
	used  int64
	limit int64
}

func newByteGate(limit int64) *byteGate {
	g := &byteGate{limit: limit}
	g.cond = sync.NewCond(&g.mu)
	return g
}

// acquire waits until n bytes fit, and takes them.
func (g *byteGate) acquire(n int64) {
	g.mu.Lock()
	for g.used > 0 && g.used+n > g.limit {
		g.cond.Wait()
	}
	g.used += n
	g.mu.Unlock()
}

// release gives n bytes back.
func (g *byteGate) release(n int64) {
	g.mu.Lock()
	g.used -= n
	g.mu.Unlock()
	g.cond.Broadcast()
}
