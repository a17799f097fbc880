package search

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCursorSeek: galloping finds the same posting as a linear scan, for
// rows sought in ascending order with gaps of every size.
func TestCursorSeek(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, density := range []int{1, 2, 7, 100} {
		var rows []int32
		for row := int32(0); row < 5000; row++ {
			if r.IntN(density) == 0 {
				rows = append(rows, row)
			}
		}
		c := cursor{rows: rows}
		for row := int32(0); row < 5100; row += int32(1 + r.IntN(3*density)) {
			j, ok := c.seek(row)
			want, found := slices.BinarySearch(rows, row)
			if j != want || ok != found {
				t.Fatalf("density 1/%d: seek(%d) = %d %v, want %d %v", density, row, j, ok, want, found)
			}
		}
	}
}

// TestTopKSkipsOnlyWhatCannotRank: on the common-word queries, collectSets
// scores fewer matches than there are (the matches without a boost clause
// cannot rank), yet ranks as bleve's collector scoring every match does,
// scores included, on every page asked; the totals are bleve's.
func TestTopKSkipsOnlyWhatCannotRank(t *testing.T) {
	ix, _ := buildFixture(t, rankCorpus())
	th := DefaultThesaurus()
	skipped := 0
	var reqs []Request
	for _, q := range []string{"các", "an ninh", "ha tinh", "cải cách hành chính", "ubnd tinh", "UBND", "ủy ban nhân dân", "chuyen doi so dich vu cong", "xã hội"} {
		for _, page := range []int{1, 2, 5} {
			reqs = append(reqs, Request{Query: q, Page: page, Thesaurus: th}, Request{Query: q, Page: page, Size: 50, Thesaurus: th})
		}
	}
	reqs = append(reqs, Request{Query: "các", Provinces: []string{"da-nang"}, Thesaurus: th})
	for _, req := range reqs {
		q := mustQuery(req)
		n := q.Request()
		p, _, _ := ix.planFor(n)
		if !p.termsOnly() {
			t.Fatalf("%+v: not a plan of terms", req)
		}
		col, err := ix.collect(context.Background(), p, n.Page*n.Size)
		if err != nil {
			t.Fatal(err)
		}
		if col.scored < int(col.total) {
			skipped++
		}
		got := make([]Hit, 0, n.Size)
		for i := (n.Page - 1) * n.Size; i < len(col.top); i++ {
			got = append(got, Hit{URL: ix.table.url[col.top[i].row], Score: col.top[i].score})
		}
		want := exhaustive(t, ix, req)
		sameRanking(t, q.Request().Query, got, want)
		ix.bleveOnly = true
		byBleve, err := ix.collect(context.Background(), p, n.Page*n.Size)
		ix.bleveOnly = false
		if err != nil {
			t.Fatal(err)
		}
		if col.total != byBleve.total {
			t.Errorf("%+v: %d matches, bleve's searchers %d", req, col.total, byBleve.total)
		}
	}
	// Without the bound every match is scored: the test would not test it.
	if skipped < len(reqs)/2 {
		t.Errorf("only %d of %d requests left matches unscored", skipped, len(reqs))
	}
}

// TestTopScoredIsScoringEveryMatch: on random lists (dense and sparse
// required words, units with alternatives, boost lists of every density,
// random term scores, some rows whose required part outweighs boosts),
// topScored returns exactly the first k of scoring every match with the
// same formula, scores to the last bit; and the tiers are each skipped
// in some instances and needed in others.
func TestTopScoredIsScoringEveryMatch(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	const n = 6000
	list := func(density float64, scale float64) *postingList {
		pl := &postingList{}
		for row := int32(0); row < n; row++ {
			if r.Float64() < density {
				pl.rows = append(pl.rows, row)
				tn := scale * r.Float64()
				pl.tn = append(pl.tn, tn)
				pl.maxTn = max(pl.maxTn, tn)
			}
		}
		pl.setBits(n)
		return pl
	}
	clause := func(density, scale float64) clausePostings {
		return clausePostings{pl: list(density, scale), ts: termScorer{idf: 1 + r.Float64(), queryWeight: 0.5 + r.Float64()}}
	}
	table := &docTable{url: make([]string, n), urlRank: make([]int32, n)}
	for i, p := range r.Perm(n) {
		table.urlRank[i] = int32(p)
	}
	ix := &Index{table: table}
	var early, tier3 int
	for trial := range 300 {
		var ts termSets
		for range 1 + r.IntN(2) {
			ts.words = append(ts.words, clause([]float64{0.95, 0.6, 0.2}[r.IntN(3)], []float64{0.1, 1, 20}[r.IntN(3)]))
		}
		switch r.IntN(4) {
		case 0:
			ts.multi = [][][]clausePostings{{{clause(0.9, 1), clause(0.8, 1)}, {clause(0.3, 2)}}}
		case 1:
			// An alternative too sparse for a bitmap, one with no row.
			ts.multi = [][][]clausePostings{{{clause(0.9, 1), clause(0.8, 1)}, {clause(0.01, 30)}, {clause(0, 1)}}}
		}
		for range r.IntN(8) {
			ts.should = append(ts.should, clause([]float64{0.002, 0.01, 0.05, 0.5}[r.IntN(4)], []float64{0.5, 5, 50}[r.IntN(3)]))
		}
		k := []int{1, 10, 50, 200}[r.IntN(4)]
		s := newScratch(n)
		ts.matchSet(s.match, s.tmp, s.alt)
		total := s.match.count()
		if total == 0 {
			continue
		}
		h, scored, err := ix.topScored(context.Background(), &ts, s, k, total)
		if err != nil {
			t.Fatal(err)
		}
		got := h.sorted()
		// Every match scored by the formula, lists looked up by binary search.
		var all []match
		s.match.each(func(row int32) { all = append(all, match{row: row, score: scoreByLookup(&ts, row)}) })
		want := relevanceHeap(table, k)
		for _, m := range all {
			want.offer(m, k)
		}
		if w := want.sorted(); !slices.Equal(got, w) {
			t.Fatalf("trial %d (k %d, %d matches, %d scored): top\n%v\nwant\n%v", trial, k, total, scored, got, w)
		}
		if scored < int(total) {
			early++
		} else if len(ts.should) > 0 {
			tier3++
		}
	}
	if early < 20 || tier3 < 20 {
		t.Errorf("%d instances ended early, %d needed every match: the test does not test both", early, tier3)
	}
}

// scoreByLookup is a match's score as collectTerms defines it: the words'
// term scores, then each unit's matching alternatives' sums times their
// share, then the boosts times coord, each added in list order.
func scoreByLookup(ts *termSets, row int32) float64 {
	at := func(c clausePostings) (float64, bool) {
		j, ok := slices.BinarySearch(c.pl.rows, row)
		if !ok {
			return 0, false
		}
		return c.ts.score(c.pl.tnAt(j)), true
	}
	sc := 0.0
	for _, c := range ts.words {
		v, _ := at(c)
		sc += v
	}
	for _, u := range ts.multi {
		us, un := 0.0, 0
		for _, a := range u {
			as, all := 0.0, true
			for _, c := range a {
				v, ok := at(c)
				all = all && ok
				as += v
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
	b, hits := 0.0, 0
	for _, c := range ts.should {
		if v, ok := at(c); ok {
			b += v
			hits++
		}
	}
	if hits > 0 {
		sc += b * (float64(hits) / float64(len(ts.should)))
	}
	return sc
}
