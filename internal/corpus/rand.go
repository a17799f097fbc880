package corpus

import (
	"math"
	"sort"
)

// rng is a SplitMix64 generator. It is written out here rather than taken from math/rand so
// that the corpus for a seed stays byte-identical across Go releases.
type rng struct{ s uint64 }

// Streams keep the draws for an article's metadata and its body independent, so that the
// metadata of article j can be recomputed (for links to it) without generating its body.
const (
	streamMeta uint64 = 0x6d657461 // "meta"
	streamBody uint64 = 0x626f6479 // "body"
)

// newRNG returns the generator for article i of the corpus with the given seed and stream.
func newRNG(seed int64, stream uint64, i int) *rng {
	r := &rng{s: uint64(seed) ^ stream*0x9e3779b97f4a7c15}
	r.s ^= mix(uint64(i) + 0x632be59bd9b4e019)
	r.next()
	return r
}

func mix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	return mix(r.s)
}

// intn returns a number in [0, n); n must be positive.
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// between returns a number in [lo, hi].
func (r *rng) between(lo, hi int) int { return lo + r.intn(hi-lo+1) }

// float returns a number in [0, 1).
func (r *rng) float() float64 { return float64(r.next()>>11) / (1 << 53) }

func (r *rng) chance(p float64) bool { return r.float() < p }

func (r *rng) pick(ss []string) string { return ss[r.intn(len(ss))] }

// weighted is a value with a relative frequency.
type weighted struct {
	Value  string
	Weight float64
}

// dist draws values with given relative frequencies. It is immutable once built.
type dist struct {
	values []string
	cum    []float64 // cumulative weights, last = total
}

func newDist(ws []weighted) dist {
	d := dist{values: make([]string, len(ws)), cum: make([]float64, len(ws))}
	total := 0.0
	for i, w := range ws {
		total += w.Weight
		d.values[i] = w.Value
		d.cum[i] = total
	}
	return d
}

// zipf returns a distribution over values where the k-th value (from 1) has weight 1/k^s.
func zipf(values []string, s float64) dist {
	ws := make([]weighted, len(values))
	for i, v := range values {
		ws[i] = weighted{v, 1 / math.Pow(float64(i+1), s)}
	}
	return newDist(ws)
}

func (d dist) draw(r *rng) string {
	x := r.float() * d.cum[len(d.cum)-1]
	i := sort.SearchFloat64s(d.cum, x)
	if i >= len(d.values) {
		i = len(d.values) - 1
	}
	// SearchFloat64s finds the first cum >= x; a draw exactly on a boundary belongs to the next.
	if d.cum[i] == x && i+1 < len(d.values) {
		i++
	}
	return d.values[i]
}
