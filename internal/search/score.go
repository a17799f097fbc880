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
// searchers: it reads each term's decoded posting list (see
// postingCache), finds the matches as a bitmap and scores only those
// that can rank (see collectSets, topk.go). A common word matching
// 90,000 of 100,000 articles then costs a few bitmap operations and the
// matches with the word in their title, instead of 90,000 steps of a
// searcher tree that advances a dozen posting lists.
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

// scratch holds collectSets' per-row arrays and bitmaps; Index.scratch
// pools them.
type scratch struct {
	hits  []uint8   // boost clauses the row has (rows in cand only)
	boost []float64 // the row's boost term scores, summed (rows in cand only)
	// match is the matches, cand the matches with a boost clause; tmp
	// and alt are working sets (see facetbits.go).
	match, cand, tmp, alt bitset
}

func (ix *Index) getScratch(n int) *scratch {
	s, _ := ix.scratch.Get().(*scratch)
	if s == nil || len(s.hits) != n {
		s = newScratch(n)
	}
	return s
}

func newScratch(n int) *scratch {
	return &scratch{hits: make([]uint8, n), boost: make([]float64, n), match: newBitset(n), cand: newBitset(n), tmp: newBitset(n), alt: newBitset(n)}
}

// clausePostings is a term clause with its decoded posting list (or a
// compound with its matches: see compoundPostings).
type clausePostings struct {
	termClause
	pl *postingList
	ts termScorer
	w  float64 // the clause's share of the query norm (see termScorer.weight)
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
			if c.field == compoundPrefix {
				// A compound's matches and scores (see compoundPostings):
				// scored with idf 1 and the query norm, so that
				// score(tn) = tn × query norm.
				cc := compoundClause{key: c.term, q: p.compounds[c.term]}
				pl, err := ix.postings.getWith(ctx, postingKey{compoundPrefix, c.term}, func() (*postingList, error) { return ix.compoundPostings(ctx, r, cc) })
				if err != nil {
					return nil, err
				}
				out[i] = clausePostings{c, pl, termScorer{idf: 1, queryWeight: 1}, pl.weight}
				continue
			}
			pl, err := ix.postings.get(ctx, r, t, c.field, c.term)
			if err != nil {
				return nil, err
			}
			ts := newTermScorer(docs, uint64(len(pl.rows)))
			out[i] = clausePostings{c, pl, ts, ts.weight(c.boost)}
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
			sum += c.w
		}
		for _, c := range should {
			sum += c.w
		}
		for _, u := range multi {
			for _, a := range u {
				for _, c := range a {
					sum += c.w
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

	return ix.collectSets(ctx, termSets{words: words, multi: multi, filters: filters, should: should}, p, k, scored)
}
