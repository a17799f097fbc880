package check

import "math/bits"

// titleSegments is the number of pieces a title is cut into for titleIndex. Two titles
// within maxTitleDistance edits of each other share, by pigeonhole, at least
// titleSegments-maxTitleDistance of the longer-or-equal one's pieces verbatim: an edit
// touches at most one piece, and a piece no edit touched appears in the other title
// shifted by at most maxTitleDistance characters.
const titleSegments = maxTitleDistance + 2

// minSharedSegments is how many pieces a candidate must share: titleSegments minus the
// pieces the edits can touch.
const minSharedSegments = titleSegments - maxTitleDistance

// segKey names one piece of the titles of length n: its number and its text.
type segKey struct {
	n, seg int32
	text   string
}

// titleIndex finds the titles that can be near-duplicates of a given one without
// comparing it with every title of about its length (which grows with the square of the
// site: 90 s of one core at 100,000 articles). Titles are found by equal folded form, or,
// from minNearTitle characters, by sharing at least minSharedSegments of their pieces at
// about the same place; the candidates are then checked with nearTitles as before, so
// the findings are exactly those of the pairwise comparison.
type titleIndex struct {
	ts     []*title
	equal  map[string][]int32 // folded form → titles
	pieces map[segKey][]int32 // piece → titles of that length
}

// titleProbe is one goroutine's scratch space for titleIndex.candidates.
type titleProbe struct {
	shared  []uint8 // by title: bit set of the pieces it shares with the probe
	touched []int32 // the titles whose shared is not zero
}

func (x *titleIndex) newProbe() *titleProbe {
	return &titleProbe{shared: make([]uint8, len(x.ts))}
}

func newTitleIndex(ts []*title) *titleIndex {
	x := &titleIndex{ts: ts, equal: make(map[string][]int32, len(ts)), pieces: make(map[segKey][]int32, len(ts)*titleSegments)}
	for i, t := range ts {
		x.equal[t.folded] = append(x.equal[t.folded], int32(i))
		if t.n < minNearTitle {
			continue
		}
		offs := runeOffsets(t.folded)
		for s := range titleSegments {
			start, size := segment(t.n, s)
			k := segKey{int32(t.n), int32(s), t.folded[offs[start]:offs[start+size]]}
			x.pieces[k] = append(x.pieces[k], int32(i))
		}
	}
	return x
}

// segment returns the first character and the length of piece s of a title of n
// characters: the first pieces n/titleSegments long, the last ones one longer.
func segment(n, s int) (start, size int) {
	size = n / titleSegments
	long := n - size*titleSegments // the last `long` pieces are one longer
	short := titleSegments - long
	if s < short {
		return s * size, size
	}
	return short*size + (s-short)*(size+1), size + 1
}

// runeOffsets returns the byte offset of each character of s, and len(s) last.
func runeOffsets(s string) []int {
	offs := make([]int, 0, len(s)+1)
	for i := range s {
		offs = append(offs, i)
	}
	return append(offs, len(s))
}

// candidates calls fn with every title that may be a near-duplicate of t (t itself
// included when it is indexed), each once, in no particular order, using p's scratch
// space (one probe per goroutine; fn must not use p).
func (x *titleIndex) candidates(p *titleProbe, t *title, fn func(int)) {
	mark := func(j int32, bit uint8) {
		if p.shared[j] == 0 {
			p.touched = append(p.touched, j)
		}
		p.shared[j] |= bit
	}
	for _, j := range x.equal[t.folded] {
		mark(j, 1<<titleSegments) // counts as sharing every piece
	}
	if t.n >= minNearTitle {
		offs := runeOffsets(t.folded)
		for n := max(minNearTitle, t.n-maxTitleDistance); n <= t.n+maxTitleDistance; n++ {
			grow := t.n - n // the probe is this much longer than the titles of length n
			for s := range titleSegments {
				start, size := segment(n, s)
				// A piece no edit touched is shifted by the insertions minus the deletions
				// before it (shift), and the edits after it make up grow-shift: both
				// together are at most maxTitleDistance edits.
				for shift := -maxTitleDistance; shift <= maxTitleDistance; shift++ {
					q := start + shift
					if q < 0 || q+size > t.n || abs(shift)+abs(grow-shift) > maxTitleDistance {
						continue
					}
					for _, j := range x.pieces[segKey{int32(n), int32(s), t.folded[offs[q]:offs[q+size]]}] {
						mark(j, 1<<s)
					}
				}
			}
		}
	}
	for _, j := range p.touched {
		if b := p.shared[j]; b>>titleSegments != 0 || bits.OnesCount8(b) >= minSharedSegments {
			fn(int(j))
		}
		p.shared[j] = 0
	}
	p.touched = p.touched[:0]
}

func abs(n int) int { return max(n, -n) }
