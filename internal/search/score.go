package search

import (
	"cmp"
	"context"
	"math"
	"slices"

	index "github.com/blevesearch/bleve_index_api"
)

// Term-at-a-time collection.
//
// Nearly every query is made of terms only: each word is a required term
// of all_f, each boost an optional term of head, head_f or pairs_f, each
// filter a disjunction of keyword terms (only a document number, a
// compound, needs a phrase). For those, collectTerms does not run bleve's
// searchers: it walks each term's decoded posting list once (see
// postingCache) and adds up, per table row, how many required terms the
// article has and its score, in arrays as long as the table. A common
// word matching 90,000 of 100,000 articles then costs one pass over
// 90,000 array cells instead of 90,000 steps of a searcher tree that
// advances a dozen posting lists.
//
// The scores are bleve's tf-idf scores of the same query (plan.ranked),
// computed with the same formula from the same frequencies and norms:
//
//	term score  = (√tf·norm × idf) × (boost × idf × queryNorm)
//	idf         = 1 + ln(documents / (documents with the term + 1))
//	queryNorm   = 1 / √(Σ over all clauses of (boost × idf)²)
//	match score = Σ required term scores + coord × Σ boost term scores
//	coord       = boost clauses matched / boost clauses
//
// Filters weigh 0 and add nothing. Only the order in which a match's term
// scores are added can differ from bleve's (which depends on how its
// searchers reached the match), so a score may differ in its last bits,
// as bleve's own scores do between two ways of running one query.
// TestTermScoresAreBleves compares the two.

// termsOnly reports whether p can be collected term at a time: its words
// are made of terms (or there are none: see unit) and its filters are
// term lists.
func (p plan) termsOnly() bool {
	return (len(p.words) == 0 || len(p.mustUnits) == len(p.words)) && (p.filter == nil) == (len(p.filterTerms) == 0)
}

// termScorer turns a decoded term score (√tf·norm) into bleve's score of
// one term clause.
type termScorer struct {
	idf, queryWeight float64
}

func newTermScorer(docs, df uint64) termScorer {
	return termScorer{idf: 1.0 + math.Log(float64(docs)/float64(df+1.0)), queryWeight: 1.0}
}

func (s termScorer) weight(boost float64) float64 {
	w := boost * s.idf
	return w * w
}

func (s *termScorer) setQueryNorm(boost, qnorm float64) { s.queryWeight = boost * s.idf * qnorm }

func (s termScorer) score(tn float64) float64 {
	score := tn * s.idf
	if s.queryWeight != 1.0 {
		score = score * s.queryWeight
	}
	return score
}

// scratch holds collectTerms' per-row arrays; Index.scratch pools them.
type scratch struct {
	level []uint8   // required terms and filter groups the row has, in order
	must  []float64 // the row's required term scores, summed
	hits  []uint8   // boost clauses the row has
	boost []float64 // the row's boost term scores, summed
	// For units with alternatives (expansions), allocated when first
	// needed: the terms of the current alternative the row has and their
	// scores; the alternatives it has and theirs.
	altTerms []uint8
	altScore []float64
	alts     []uint8
	altsSum  []float64
	match    bitset // the matches (see facetbits.go)
}

// forUnits allocates the arrays of units with alternatives.
func (s *scratch) forUnits() {
	if n := len(s.level); len(s.altTerms) != n {
		s.altTerms, s.altScore, s.alts, s.altsSum = make([]uint8, n), make([]float64, n), make([]uint8, n), make([]float64, n)
	}
}

func (ix *Index) getScratch(n int) *scratch {
	s, _ := ix.scratch.Get().(*scratch)
	if s == nil || len(s.level) != n {
		s = &scratch{level: make([]uint8, n), must: make([]float64, n), hits: make([]uint8, n), boost: make([]float64, n), match: newBitset(n)}
	}
	return s
}

// clausePostings is a term clause with its decoded posting list.
type clausePostings struct {
	termClause
	pl *postingList
	ts termScorer
}

// collectTerms is collect for a plan of terms (p.termsOnly()), on the
// snapshot r that ix.table was read from.
func (ix *Index) collectTerms(ctx context.Context, r index.IndexReader, p plan, k int) (collected, error) {
	var out collected
	t := ix.table
	docs, err := r.DocCount()
	if err != nil {
		return out, err
	}
	load := func(cs []termClause) ([]clausePostings, error) {
		out := make([]clausePostings, len(cs))
		for i, c := range cs {
			pl, err := ix.postings.get(ctx, r, t, c.field, c.term)
			if err != nil {
				return nil, err
			}
			out[i] = clausePostings{c, pl, newTermScorer(docs, uint64(len(pl.rows)))}
		}
		return out, nil
	}
	// bleve's conjunction and disjunction searchers order their clauses
	// by posting count; adding scores in the same order keeps the sums
	// closest to bleve's.
	byCount := func(cs []clausePostings) {
		slices.SortStableFunc(cs, func(a, b clausePostings) int { return cmp.Compare(len(a.pl.rows), len(b.pl.rows)) })
	}
	// Plain words (a unit of one term) are walked first, rarest first;
	// then units with alternatives (expansions: see unit), each
	// alternative's terms rarest first.
	var plain []termClause
	var multi [][][]clausePostings
	for _, u := range p.mustUnits {
		if len(u) == 1 && len(u[0]) == 1 {
			plain = append(plain, u[0][0])
			continue
		}
		alts := make([][]clausePostings, len(u))
		for i, a := range u {
			if alts[i], err = load(a); err != nil {
				return out, err
			}
			byCount(alts[i])
		}
		multi = append(multi, alts)
	}
	words, err := load(plain)
	if err != nil {
		return out, err
	}
	byCount(words)
	filters := make([][]clausePostings, len(p.filterTerms))
	for i, g := range p.filterTerms {
		if filters[i], err = load(g); err != nil {
			return out, err
		}
	}
	scored := !p.newest && k > 0
	var should []clausePostings
	if scored {
		if should, err = load(p.should); err != nil {
			return out, err
		}
		byCount(should)
		sum := 0.0
		for _, c := range words {
			sum += c.ts.weight(c.boost)
		}
		for _, c := range should {
			sum += c.ts.weight(c.boost)
		}
		for _, u := range multi {
			for _, a := range u {
				for _, c := range a {
					sum += c.ts.weight(c.boost)
				}
			}
		}
		qnorm := 1.0 / math.Sqrt(sum)
		for i := range words {
			words[i].ts.setQueryNorm(words[i].boost, qnorm)
		}
		for _, u := range multi {
			for _, a := range u {
				for i := range a {
					a[i].ts.setQueryNorm(a[i].boost, qnorm)
				}
			}
		}
		for i := range should {
			should[i].ts.setQueryNorm(should[i].boost, qnorm)
		}
	}

	n := len(t.url)
	s := ix.getScratch(n)
	defer ix.scratch.Put(s)
	level, must, hits, boost := s.level, s.must, s.hits, s.boost
	clear(level)

	// Required terms, rarest first: a row reaches level i+1 when it has
	// the first i+1 of them.
	for i, c := range words {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		l := uint8(i)
		for j, row := range c.pl.rows {
			if level[row] != l {
				continue
			}
			level[row] = l + 1
			if !scored {
				continue
			}
			if sc := c.ts.score(c.pl.tnAt(j)); i == 0 {
				must[row] = sc
			} else {
				must[row] += sc
			}
		}
	}
	// Units with alternatives: a row at level l has one when it has every
	// term of one of its alternatives. As bleve scores the disjunction of
	// conjunctions: the matching alternatives' sums of term scores, times
	// the share of alternatives matched.
	if len(multi) > 0 {
		s.forUnits()
	}
	for ui, u := range multi {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		l := uint8(len(words) + ui)
		at, as, un, us := s.altTerms, s.altScore, s.alts, s.altsSum
		for _, a := range u {
			for ti, c := range a {
				for j, row := range c.pl.rows {
					if level[row] != l || at[row] != uint8(ti) {
						continue
					}
					at[row]++
					if !scored {
						continue
					}
					if sc := c.ts.score(c.pl.tnAt(j)); ti == 0 {
						as[row] = sc
					} else {
						as[row] += sc
					}
				}
			}
			// Every row with all the terms is in the first list.
			for _, row := range a[0].pl.rows {
				if level[row] != l {
					continue
				}
				if at[row] == uint8(len(a)) {
					if un[row] == 0 {
						us[row] = as[row]
					} else {
						us[row] += as[row]
					}
					un[row]++
				}
				at[row] = 0
			}
		}
		nAlts := float64(len(u))
		for _, a := range u {
			for _, row := range a[0].pl.rows {
				if level[row] != l || un[row] == 0 {
					continue
				}
				level[row] = l + 1
				if scored {
					sc := us[row]
					if len(u) > 1 {
						sc *= float64(un[row]) / nAlts
					}
					if l == 0 {
						must[row] = sc
					} else {
						must[row] += sc
					}
				}
				un[row] = 0
			}
		}
	}
	// Filter groups: any term of a group will do.
	full := uint8(len(words) + len(multi))
	for _, g := range filters {
		for _, c := range g {
			for _, row := range c.pl.rows {
				if level[row] == full {
					level[row] = full + 1
				}
			}
		}
		full++
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}
	if scored {
		clear(hits)
		for _, c := range should {
			for j, row := range c.pl.rows {
				if level[row] != full {
					continue
				}
				if sc := c.ts.score(c.pl.tnAt(j)); hits[row] == 0 {
					boost[row] = sc
				} else {
					boost[row] += sc
				}
				hits[row]++
			}
		}
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}

	// Every match is in the first required list (or, without words, in
	// one of the first filter group's lists): count, facet and rank the
	// rows there that reached full, once each.
	var first []clausePostings
	switch {
	case len(words) > 0:
		first = words[:1]
	case len(multi) > 0:
		for _, a := range multi[0] {
			first = append(first, a[0])
		}
	case len(filters) > 0:
		first = filters[0]
	}
	matched := s.match
	clear(matched)
	var h *topHeap
	if scored {
		h = relevanceHeap(t, k)
	} else if k > 0 {
		h = &topHeap{m: make([]match, 0, k), better: func(a, b match) bool { return t.newest[a.row] < t.newest[b.row] }}
	}
	nShould := float64(len(should))
	const done = math.MaxUint8
	for _, c := range first {
		for _, row := range c.pl.rows {
			if level[row] != full {
				continue
			}
			level[row] = done
			out.total++
			matched.set(row)
			switch {
			case scored:
				sc := 0.0
				if len(words)+len(multi) > 0 {
					sc = must[row]
				}
				if hits[row] > 0 {
					// bleve: must + (Σ boosts × coord)
					sc += boost[row] * (float64(hits[row]) / nShould)
				}
				// Most matches of a common word score below the k-th
				// best so far: rejected without a call (offer would too).
				if len(h.m) < k || sc >= h.m[0].score {
					h.offer(match{row: row, score: sc}, k)
				}
			case h != nil:
				if len(h.m) < k || t.newest[row] < t.newest[h.m[0].row] {
					h.offer(match{row: row}, k)
				}
			}
		}
	}
	fm := ix.mergesFor(p.thesaurus)
	out.facets = fm.facetSet(fm.countMatches(t, matched, out.total), ix.m)
	if h != nil {
		out.top = h.sorted()
	}
	return out, nil
}
