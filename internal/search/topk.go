package search

import (
	"context"
	"math/bits"
	"slices"
)

// Matches as bitmaps, and only the rows that can rank scored.
//
// Walking every posting of every query term made a query of common words
// at 100,000 articles cost its lists' lengths: "ủy ban nhân dân" (and its
// abbreviation UBND) walks five lists of nearly every article to find
// matches that are nearly every article, scores them all and keeps ten.
// collectSets does two cheaper things instead:
//
//  1. The matches are a bitmap: a long posting list keeps the bitmap of
//     its rows (see postingList.bits), so the rows holding every required
//     term are the AND of a few bitmaps (1,563 words at 100,000 rows, not
//     100,000 postings); the total is its POPCNT and the facets are
//     counted from it as before. Short lists are turned into bits.
//  2. Scoring, only the matches that can enter the first k are scored. A
//     match's score is its required terms' scores plus, when it has
//     boost clauses (the word in the title or topics, adjacent pairs),
//     their scores times coord. Every list's highest term score bounds
//     what it can add (mustBound for the required part; blockBound, with
//     a dense list's highest in each 64 rows, for a block's). The matches in
//     the rarest boost lists (usually the pairs: the words adjacent in a
//     title) are scored first, then, unless k of those already outscore
//     the bound of every other match, those in the other boost lists,
//     then, unless k outscore mustBound, the matches without a boost
//     clause (see topScored). A match's required terms' scores are looked
//     up by galloping cursors in the lists, rows ascending. The first k,
//     their scores (added in the same order as a walk of every list, to
//     the last bit) and their order are those of scoring every match:
//     TestTopKSkipsOnlyWhatCannotRank.
//
// Newest first, the matches are looked up in date order until k are found.

// termSets are a plan's decoded term clauses (see collectTerms): the plain
// required words rarest first, the units with alternatives (expansions),
// the filter groups, and the boost clauses.
type termSets struct {
	words   []clausePostings
	multi   [][][]clausePostings
	filters [][]clausePostings
	should  []clausePostings
}

// denseListDivisor: a posting list holding at least one row in this many
// keeps its rows' bitmap too (see postingList.bits): the bitmap then
// takes at most a third of the list's own room.
const denseListDivisor = 16

// fill makes b the rows of pl.
func (b bitset) fill(pl *postingList) {
	if pl.bits != nil {
		copy(b, pl.bits)
		return
	}
	clear(b)
	for _, row := range pl.rows {
		b.set(row)
	}
}

// or adds the rows of pl to b.
func (b bitset) or(pl *postingList) {
	if pl.bits != nil {
		for i, w := range pl.bits {
			b[i] |= w
		}
		return
	}
	for _, row := range pl.rows {
		b.set(row)
	}
}

// and keeps in b the rows of pl; tmp is a working set of b's length.
func (b bitset) and(pl *postingList, tmp bitset) {
	if pl.bits != nil {
		for i, w := range pl.bits {
			b[i] &= w
		}
		return
	}
	clear(tmp)
	for _, row := range pl.rows {
		if b.has(row) {
			tmp.set(row)
		}
	}
	copy(b, tmp)
}

// andSet keeps in b the rows of o.
func (b bitset) andSet(o bitset) {
	for i, w := range o {
		b[i] &= w
	}
}

// orSet adds the rows of o to b.
func (b bitset) orSet(o bitset) {
	for i, w := range o {
		b[i] |= w
	}
}

func (b bitset) count() uint64 {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return uint64(n)
}

// matchSet makes m the rows having every required word, one alternative
// of every unit and a term of every filter group; tmp and alt are working
// sets. At least one of them is not empty (see collect).
func (ts termSets) matchSet(m, tmp, alt bitset) {
	have := false
	with := func(pl *postingList) {
		if have {
			m.and(pl, tmp)
		} else {
			m.fill(pl)
			have = true
		}
	}
	withSet := func(s bitset) {
		if have {
			m.andSet(s)
		} else {
			copy(m, s)
			have = true
		}
	}
	for _, c := range ts.words {
		with(c.pl)
	}
	// A unit's set, then a filter group's, is built in alt (and tmp for
	// the alternatives' conjunctions) before it narrows m.
	var conj bitset
	for _, u := range ts.multi {
		clear(alt)
		for _, a := range u {
			if conj == nil {
				conj = make(bitset, len(m))
			}
			conj.fill(a[0].pl)
			for _, c := range a[1:] {
				conj.and(c.pl, tmp)
			}
			alt.orSet(conj)
		}
		withSet(alt)
	}
	for _, g := range ts.filters {
		clear(alt)
		for _, c := range g {
			alt.or(c.pl)
		}
		withSet(alt)
	}
	if !have {
		clear(m)
	}
}

// cursor walks a posting list's rows in ascending order.
type cursor struct {
	rows []int32
	j    int
}

// seek moves to the first posting whose row is at least row and returns
// its index and whether it is row. Rows are sought in ascending order;
// the gap is crossed by galloping, then halving.
func (c *cursor) seek(row int32) (int, bool) {
	rows, j := c.rows, c.j
	if j < len(rows) && rows[j] < row {
		lo := j // rows[lo] < row
		step := 1
		for lo+step < len(rows) && rows[lo+step] < row {
			lo += step
			step <<= 1
		}
		hi := min(lo+step, len(rows)) // rows[hi] >= row, or hi is the end
		for lo+1 < hi {
			mid := int(uint(lo+hi) >> 1)
			if rows[mid] < row {
				lo = mid
			} else {
				hi = mid
			}
		}
		j = hi
	}
	c.j = j
	return j, j < len(rows) && rows[j] == row
}

// mustScorer scores the required part of matches, rows ascending.
type mustScorer struct {
	ts    *termSets
	words []cursor
	multi [][][]cursor
}

func newMustScorer(ts *termSets) *mustScorer {
	s := &mustScorer{ts: ts, words: make([]cursor, len(ts.words)), multi: make([][][]cursor, len(ts.multi))}
	for i, c := range ts.words {
		s.words[i] = cursor{rows: c.pl.rows}
	}
	for ui, u := range ts.multi {
		s.multi[ui] = make([][]cursor, len(u))
		for ai, a := range u {
			s.multi[ui][ai] = make([]cursor, len(a))
			for ti, c := range a {
				s.multi[ui][ai][ti] = cursor{rows: c.pl.rows}
			}
		}
	}
	return s
}

// score is the required part of match row's score, added in bleve's
// order (see collectTerms): the words rarest first, then each unit: its
// matching alternatives' sums of term scores, times the share of its
// alternatives matched.
func (s *mustScorer) score(row int32) float64 {
	sc := 0.0
	for i := range s.words {
		c := &s.ts.words[i]
		j, _ := s.words[i].seek(row) // a match has every word
		sc += c.ts.score(c.pl.tnAt(j))
	}
	for ui, u := range s.ts.multi {
		us, un := 0.0, 0
		for ai, a := range u {
			as, all := 0.0, true
			for ti := range a {
				j, ok := s.multi[ui][ai][ti].seek(row)
				if !ok {
					all = false
					break
				}
				as += a[ti].ts.score(a[ti].pl.tnAt(j))
			}
			if all {
				us += as
				un++
			}
		}
		if len(u) > 1 {
			us *= float64(un) / float64(len(u))
		}
		sc += us
	}
	return sc
}

// mustBound is at least the required part of any match's score: each
// word's highest term score, and every alternative's of every unit.
// Added in the same order as score, and rounding is monotonic, so no
// match's computed score exceeds it; the margin covers the alternatives'
// other order of addition.
func (ts *termSets) mustBound() float64 {
	b := 0.0
	for _, c := range ts.words {
		b += c.ts.score(c.pl.maxTn)
	}
	for _, u := range ts.multi {
		for _, a := range u {
			for _, c := range a {
				b += c.ts.score(c.pl.maxTn)
			}
		}
	}
	return b * (1 + 1e-9)
}

// blockBound is at least the required part of the score of any match
// among rows 64×b to 64×b+63: mustBound with each dense list's highest
// term score in that block instead of in the whole list, and, for a unit,
// only the alternatives that have a row in the block, times their share.
func (ts *termSets) blockBound(b int) float64 {
	at := func(c *clausePostings) float64 {
		if c.pl.blockMax != nil {
			return c.ts.score(c.pl.blockMax[b])
		}
		return c.ts.score(c.pl.maxTn)
	}
	sum := 0.0
	for i := range ts.words {
		sum += at(&ts.words[i])
	}
	for _, u := range ts.multi {
		us, un := 0.0, 0
		for _, a := range u {
			if !a[0].pl.inBlock(b) {
				continue
			}
			for i := range a {
				us += at(&a[i])
			}
			un++
		}
		if len(u) > 1 {
			us *= float64(un) / float64(len(u))
		}
		sum += us
	}
	return sum * (1 + 1e-9)
}

// inBlock reports whether pl has a row among 64×b to 64×b+63.
func (pl *postingList) inBlock(b int) bool {
	if pl.bits != nil {
		return pl.bits[b] != 0
	}
	j, _ := slices.BinarySearch(pl.rows, int32(b*64))
	return j < len(pl.rows) && pl.rows[j] < int32(b*64+64)
}

// collectSets is collectTerms' collection (see above) of the clauses ts
// of plan p: the first k matches, their number and facets.
func (ix *Index) collectSets(ctx context.Context, ts termSets, p plan, k int, scored bool) (collected, error) {
	var out collected
	t := ix.table
	n := len(t.url)
	s := ix.getScratch(n)
	defer ix.scratch.Put(s)
	m := s.match
	ts.matchSet(m, s.tmp, s.alt)
	out.total = m.count()
	if err := ctx.Err(); err != nil {
		return out, err
	}
	fm := ix.mergesFor(p.thesaurus)
	out.facets = fm.facetSet(fm.countMatches(t, m, out.total), ix.m)
	switch {
	case k == 0 || out.total == 0:
	case scored:
		top, count, err := ix.topScored(ctx, &ts, s, k, out.total)
		if err != nil {
			return out, err
		}
		out.top, out.scored = top.sorted(), count
	default:
		out.top = t.topNewest(m, out.total, k)
	}
	return out, nil
}

// rareDivisor: a boost list with at most one posting for this many
// matches is rare: its matches are scored first (see topScored).
const rareDivisor = 8

// rareMinMatches: with fewer matches, every match with a boost clause is
// scored at once (rare lists would save little).
const rareMinMatches = 4096

// shouldScorer adds up the boost clauses of matches, rows ascending.
type shouldScorer struct {
	ts *termSets
	cs []cursor
}

func newShouldScorer(ts *termSets) *shouldScorer {
	s := &shouldScorer{ts: ts, cs: make([]cursor, len(ts.should))}
	for i, c := range ts.should {
		s.cs[i] = cursor{rows: c.pl.rows}
	}
	return s
}

// score is the sum of row's boost term scores, in the order of ts.should
// (as topScored's walk adds them), and how many it has.
func (s *shouldScorer) score(row int32) (float64, int) {
	b, hits := 0.0, 0
	for i := range s.cs {
		if j, ok := s.cs[i].seek(row); ok {
			c := &s.ts.should[i]
			b += c.ts.score(c.pl.tnAt(j))
			hits++
		}
	}
	return b, hits
}

// topScored returns the best k matches (in s.match, total of them) by
// score, then URL, and how many matches it scored. In three tiers, each
// ending when the k-th best so far outscores every match left:
//
//  1. with many matches, those in a rare boost list (pairs of adjacent
//     words in a title, usually), scored by cursors in every list;
//  2. those in the other boost lists, their boosts summed by walking
//     those lists, their required part by cursors;
//  3. the others, their required part by cursors.
func (ix *Index) topScored(ctx context.Context, ts *termSets, s *scratch, k int, total uint64) (*topHeap, int, error) {
	t := ix.table
	m, hits, boost := s.match, s.hits, s.boost
	h := relevanceHeap(t, k)
	nShould := float64(len(ts.should))
	required := len(ts.words)+len(ts.multi) > 0
	scored := 0
	offer := func(row int32, sc float64) {
		scored++
		// Most matches of a common word score below the k-th best so
		// far: rejected without a call (offer would too).
		if len(h.m) < k || sc >= h.m[0].score {
			h.offer(match{row: row, score: sc}, k)
		}
	}
	must := func(ms *mustScorer, row int32) float64 {
		if required {
			return ms.score(row)
		}
		return 0
	}
	mustBound := ts.mustBound()
	beaten := func(bound float64) bool { return len(h.m) == k && bound < h.m[0].score }
	// score offers a match whose boosts add part: its required part is
	// looked up only when the bound of it could rank.
	// bound is blockBound of the block of row, computed once per block.
	lastBlock, lastBound := -1, 0.0
	bound := func(row int32) float64 {
		if b := int(row >> 6); b != lastBlock {
			lastBlock, lastBound = b, ts.blockBound(b)
		}
		return lastBound
	}
	score := func(ms *mustScorer, row int32, part float64) {
		if len(h.m) == k && beaten((bound(row)+part)*(1+1e-9)) {
			return
		}
		sc := must(ms, row)
		sc += part
		offer(row, sc)
	}

	// Tier 1: cand1 is the matches in a rare list.
	cand1 := s.cand
	clear(cand1)
	rare := make([]bool, len(ts.should))
	nRare := 0
	if total >= rareMinMatches {
		for i, c := range ts.should {
			if uint64(len(c.pl.rows))*rareDivisor <= total {
				rare[i] = true
				nRare++
			}
		}
	}
	if nRare > 0 {
		for i, c := range ts.should {
			if !rare[i] {
				continue
			}
			for _, row := range c.pl.rows {
				if m.has(row) {
					cand1.set(row)
				}
			}
		}
		ms, ss := newMustScorer(ts), newShouldScorer(ts)
		for i, w := range cand1 {
			for w != 0 {
				row := int32(i*64 + bits.TrailingZeros64(w))
				w &= w - 1
				// bleve: must + (Σ boosts × coord)
				b, n := ss.score(row)
				score(ms, row, b*(float64(n)/nShould))
			}
		}
		// A match in no rare list has at most the other lists' boosts.
		other, nOther := 0.0, 0
		for i, c := range ts.should {
			if !rare[i] {
				other += c.ts.score(c.pl.maxTn)
				nOther++
			}
		}
		if beaten((mustBound + other*(float64(nOther)/nShould)) * (1 + 1e-9)) {
			return h, scored, nil
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}

	// Tier 2: cand2 is the other matches with a boost clause; hits and
	// boost are set for its rows only, summed in ts.should's order.
	cand2 := s.alt
	clear(cand2)
	for i, c := range ts.should {
		if rare[i] {
			continue
		}
		for j, row := range c.pl.rows {
			if !m.has(row) || cand1.has(row) {
				continue
			}
			sc := c.ts.score(c.pl.tnAt(j))
			if !cand2.has(row) {
				cand2.set(row)
				hits[row], boost[row] = 1, sc
			} else {
				boost[row] += sc
				hits[row]++
			}
		}
	}
	ms := newMustScorer(ts)
	for i, w := range cand2 {
		for w != 0 {
			row := int32(i*64 + bits.TrailingZeros64(w))
			w &= w - 1
			score(ms, row, boost[row]*(float64(hits[row])/nShould))
		}
	}
	if beaten(mustBound) {
		return h, scored, nil // no match without a boost clause can rank
	}
	if err := ctx.Err(); err != nil {
		return nil, 0, err
	}

	// Tier 3: the matches without a boost clause.
	ms = newMustScorer(ts)
	for i, w := range m {
		w &^= cand1[i] | cand2[i]
		if w != 0 && len(h.m) == k && beaten(ts.blockBound(i)) {
			continue // no match of this block can rank
		}
		for w != 0 {
			row := int32(i*64 + bits.TrailingZeros64(w))
			w &= w - 1
			offer(row, must(ms, row))
		}
	}
	return h, scored, nil
}

// topNewest returns the first k of the total matches in m, newest first
// (then by URL): looked up in date order when the matches are many, a
// heap of the matches when they are few.
func (t *docTable) topNewest(m bitset, total uint64, k int) []match {
	if total*denseListDivisor >= uint64(len(t.url)) {
		out := make([]match, 0, min(uint64(k), total))
		for _, row := range t.byNewest {
			if m.has(row) {
				out = append(out, match{row: row})
				if len(out) == k {
					break
				}
			}
		}
		return out
	}
	h := &topHeap{m: make([]match, 0, k), better: func(a, b match) bool { return t.newest[a.row] < t.newest[b.row] }}
	m.each(func(row int32) {
		if len(h.m) < k || t.newest[row] < t.newest[h.m[0].row] {
			h.offer(match{row: row}, k)
		}
	})
	return h.sorted()
}
