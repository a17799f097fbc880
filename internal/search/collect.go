package search

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Collection.
//
// Bleve's own collector reads each match's facet and sort values from doc
// values, one lookup per match and field, which costs more than finding
// the match when a query matches most of the index. A read-only index
// never changes, so Open reads those values once into a docTable, and
// Search runs bleve's searcher itself and looks each match up there:
// facet counts are array increments and both sort orders (relevance, then
// URL; newest, then URL) are integer comparisons.

// docTable holds, per live document, what collection needs: URL, ranks
// for the two sort orders, facet values.
type docTable struct {
	num map[string]int32 // bleve internal ID → row
	// byNum is num for the snapshot the table was read from (snap): scorch
	// internal IDs are 8-byte big-endian document numbers, stable while
	// the snapshot is, and a read-only index keeps one snapshot for its
	// lifetime. -1 marks numbers of deleted documents. collect uses it
	// only when its reader is that snapshot, num otherwise.
	byNum    []int32
	snap     index.IndexReader // compared only, never used to read
	url      []string
	urlRank  []int32 // position in URL order
	newest   []int32 // position in SortNewest order (undated articles last)
	facetOff []int32 // row i's facet values are facetVal[facetOff[i]:facetOff[i+1]]
	facetVal []int32 // indexes into terms
	terms    []string
	all      facetSet // the facets of every article
}

// loadDocTable reads the doc table of an open index.
func loadDocTable(ctx context.Context, r index.IndexReader, ix *Index) (*docTable, error) {
	s, err := query.NewMatchAllQuery().Searcher(ctx, r, ix.idx.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	dvr, err := r.DocValueReader([]string{fieldFacet, fieldNewest})
	if err != nil {
		return nil, err
	}
	t := &docTable{num: map[string]int32{}, facetOff: []int32{0}, snap: r}
	numbered := true
	termIdx := map[string]int32{}
	var keys []string
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return nil, err
		}
		if dm == nil {
			break
		}
		row := int32(len(t.url))
		id, err := r.ExternalID(dm.IndexInternalID)
		if err != nil {
			return nil, err
		}
		t.num[string(dm.IndexInternalID)] = row
		if numbered = numbered && len(dm.IndexInternalID) == 8; numbered {
			n := binary.BigEndian.Uint64(dm.IndexInternalID)
			if n >= 1<<31 {
				numbered = false
			} else {
				for uint64(len(t.byNum)) <= n {
					t.byNum = append(t.byNum, -1)
				}
				t.byNum[n] = row
			}
		}
		t.url = append(t.url, id)
		key := ""
		err = dvr.VisitDocValues(dm.IndexInternalID, func(field string, term []byte) {
			switch field {
			case fieldNewest:
				key = string(term)
			case fieldFacet:
				i, ok := termIdx[string(term)]
				if !ok {
					i = int32(len(t.terms))
					t.terms = append(t.terms, string(term))
					termIdx[string(term)] = i
				}
				t.facetVal = append(t.facetVal, i)
			}
		})
		if err != nil {
			return nil, err
		}
		t.facetOff = append(t.facetOff, int32(len(t.facetVal)))
		keys = append(keys, key)
		sctx.DocumentMatchPool.Put(dm)
	}
	if !numbered {
		t.byNum, t.snap = nil, nil
	}
	n := len(t.url)
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	t.urlRank = ranks(order, func(a, b int32) bool { return t.url[a] < t.url[b] })
	t.newest = ranks(order, func(a, b int32) bool {
		ka, kb := keys[a], keys[b]
		if (ka == "") != (kb == "") {
			return kb == "" // undated last
		}
		if ka != kb {
			return ka < kb
		}
		return t.url[a] < t.url[b]
	})
	counts := make([]int32, len(t.terms))
	for _, v := range t.facetVal {
		counts[v]++
	}
	t.all = t.facetSet(counts, ix.m)
	return t, nil
}

// ranks sorts a copy of order by less and returns each row's position.
func ranks(order []int32, less func(a, b int32) bool) []int32 {
	o := append([]int32(nil), order...)
	sort.Slice(o, func(i, j int) bool { return less(o[i], o[j]) })
	r := make([]int32, len(o))
	for pos, row := range o {
		r[row] = int32(pos)
	}
	return r
}

// facetSet turns per-term counts into the three facets: named, most
// articles first then by slug, cut to their sizes; years newest first.
func (t *docTable) facetSet(counts []int32, m manifest) facetSet {
	var fs facetSet
	for i, c := range counts {
		if c == 0 {
			continue
		}
		term := t.terms[i]
		switch {
		case strings.HasPrefix(term, facetPrefixProvince):
			fs.provinces = append(fs.provinces, named(term, facetPrefixProvince, int(c), m.Provinces))
		case strings.HasPrefix(term, facetPrefixCategory):
			fs.categories = append(fs.categories, named(term, facetPrefixCategory, int(c), m.Categories))
		case strings.HasPrefix(term, facetPrefixYear):
			fs.years = append(fs.years, named(term, facetPrefixYear, int(c), nil))
		}
	}
	fs.provinces = topFacets(fs.provinces, facetProvinces)
	fs.categories = topFacets(fs.categories, facetCategories)
	fs.years = topFacets(fs.years, facetYears)
	sort.SliceStable(fs.years, func(i, j int) bool { return fs.years[i].Slug > fs.years[j].Slug })
	return fs
}

func named(term, prefix string, count int, names map[string]string) Facet {
	slug := strings.TrimPrefix(term, prefix)
	name := slug
	if n := names[slug]; n != "" {
		name = n
	}
	return Facet{Name: name, Slug: slug, Count: count}
}

// topFacets orders fs by count, then slug, and keeps the first n.
func topFacets(fs []Facet, n int) []Facet {
	sort.SliceStable(fs, func(i, j int) bool {
		if fs[i].Count != fs[j].Count {
			return fs[i].Count > fs[j].Count
		}
		return fs[i].Slug < fs[j].Slug
	})
	if len(fs) > n {
		fs = fs[:n]
	}
	return fs
}

// match is one collected document: its table row and score.
type match struct {
	row   int32
	score float64
}

// collected is what collect found: the first k matches in order, the
// number of matches, and the facets over all of them.
type collected struct {
	top    []match
	total  uint64
	facets facetSet
	scored int // matches scored (see rank): for tests
}

// topHeap keeps the best k matches; its root is the worst of them.
type topHeap struct {
	m      []match
	better func(a, b match) bool
}

func (h *topHeap) Len() int           { return len(h.m) }
func (h *topHeap) Less(i, j int) bool { return h.better(h.m[j], h.m[i]) }
func (h *topHeap) Swap(i, j int)      { h.m[i], h.m[j] = h.m[j], h.m[i] }
func (h *topHeap) Push(x any)         { h.m = append(h.m, x.(match)) }
func (h *topHeap) Pop() any {
	x := h.m[len(h.m)-1]
	h.m = h.m[:len(h.m)-1]
	return x
}

// checkEveryDocs is how many matches collect handles between looks at ctx.
const checkEveryDocs = 1024

// exhaustiveBelow is the number of matches under which collect scores
// every match rather than ranking them with bounds (see rank): few matches
// cost little to score, and reading the bounds costs a little too.
// Index.exhaustiveBelow is this, but tests lower it.
const exhaustiveBelow = 8192

// plan is what collect runs: the matches have every one of words (the
// query's words) and match filter (when not nil); the relevance order
// adds the boost clauses (should) to them.
type plan struct {
	words     []query.Query
	filter    query.Query
	should    []termClause
	mustTerms []termClause // see textQuery.mustTerms
	newest    bool
}

// required is the unscored query of p's matches.
func (p plan) required() query.Query {
	qs := append([]query.Query(nil), p.words...)
	if p.filter != nil {
		qs = append(qs, p.filter)
	}
	return and(qs...)
}

// ranked is p's scored query, restricted to the documents ids unless ids
// is nil. The boosts are optional clauses of a BooleanQuery whose
// required clauses are the conjunction of the words, the filter and the
// restriction. The words stay a conjunction of their own, exactly as
// without filter or restriction, so that scorch intersects their posting
// lists before they are walked and the scores are the same to the last
// bit (the other clauses add 0). Nothing encloses the BooleanSearcher: an
// enclosing conjunction would advance it, and its Advance returns its
// boost clauses' current matches to the pool while they are still in
// use, which loses boosts.
func (p plan) ranked(ids []uint64) query.Query {
	var must []query.Query
	if len(p.words) > 0 {
		must = append(must, and(p.words...))
	}
	if p.filter != nil {
		must = append(must, p.filter)
	}
	if ids != nil {
		must = append(must, listQuery(ids))
	}
	if len(p.should) == 0 {
		return and(must...)
	}
	should := make([]query.Query, len(p.should))
	for i, c := range p.should {
		should[i] = c.query()
	}
	return query.NewBooleanQuery(must, should, nil)
}

// rowFunc maps a match's internal ID to its doc table row.
type rowFunc func(id index.IndexInternalID) (int32, error)

// rows returns the row lookup for reader r: an array index when r is the
// snapshot the table was read from, a map lookup otherwise.
func (t *docTable) rows(r index.IndexReader) rowFunc {
	if t.byNum != nil && t.snap == r {
		return func(id index.IndexInternalID) (int32, error) {
			if len(id) == 8 {
				if n := binary.BigEndian.Uint64(id); n < uint64(len(t.byNum)) && t.byNum[n] >= 0 {
					return t.byNum[n], nil
				}
			}
			return 0, fmt.Errorf("document %x is not in the index's table", []byte(id))
		}
	}
	return func(id index.IndexInternalID) (int32, error) {
		row, ok := t.num[string(id)]
		if !ok {
			return 0, fmt.Errorf("document %x is not in the index's table", []byte(id))
		}
		return row, nil
	}
}

// collect returns the first k matches of p (by score, then URL; or, when
// p.newest, newest first, then URL), the match count and the facets.
//
// When a query may match many articles, the matches are counted and
// faceted without scores (the required clauses are term or phrase
// queries, so unscored they are an intersection of posting bitmaps), and
// rank then scores only as many of them as the first k need.
func (ix *Index) collect(ctx context.Context, p plan, k int) (collected, error) {
	var out collected
	adv, err := ix.idx.Advanced()
	if err != nil {
		return out, err
	}
	r, err := adv.Reader()
	if err != nil {
		return out, err
	}
	defer r.Close()
	t := ix.table
	rowOf := t.rows(r)

	counts := make([]int32, len(t.terms))
	count := func(row int32) {
		out.total++
		for _, v := range t.facetVal[t.facetOff[row]:t.facetOff[row+1]] {
			counts[v]++
		}
	}
	var h *topHeap
	switch {
	case !p.newest && k > 0 && !ix.boundable(ctx, r, p):
		// Few matches, or no bound: score, count and facet them in one pass.
		h = relevanceHeap(t, k)
		err = ix.each(ctx, r, p.ranked(nil), search.SearcherOptions{}, func(dm *search.DocumentMatch) error {
			row, err := rowOf(dm.IndexInternalID)
			if err != nil {
				return err
			}
			count(row)
			h.offer(match{row: row, score: dm.Score}, k)
			out.scored++
			return nil
		})
	case !p.newest && k > 0:
		// Count and facet unscored, then rank (see rank).
		var nums []uint64 // the matches' internal IDs, sorted
		err = ix.each(ctx, r, p.required(), search.SearcherOptions{Score: "none"}, func(dm *search.DocumentMatch) error {
			row, err := rowOf(dm.IndexInternalID)
			if err != nil {
				return err
			}
			count(row)
			if len(dm.IndexInternalID) != 8 {
				return fmt.Errorf("document %x: unexpected internal ID", []byte(dm.IndexInternalID))
			}
			nums = append(nums, binary.BigEndian.Uint64(dm.IndexInternalID))
			return nil
		})
		if err == nil && out.total > 0 {
			h, out.scored, err = ix.rank(ctx, r, rowOf, p, k, nums)
		}
	default:
		// Newest first, or facets only: nothing to score.
		h = &topHeap{m: make([]match, 0, k), better: func(a, b match) bool { return t.newest[a.row] < t.newest[b.row] }}
		err = ix.each(ctx, r, p.required(), search.SearcherOptions{Score: "none"}, func(dm *search.DocumentMatch) error {
			row, err := rowOf(dm.IndexInternalID)
			if err != nil {
				return err
			}
			count(row)
			if k > 0 {
				h.offer(match{row: row}, k)
			}
			return nil
		})
	}
	if err != nil {
		return out, err
	}
	out.facets = t.facetSet(counts, ix.m)
	if h == nil {
		return out, nil
	}
	out.top = h.sorted()
	return out, nil
}

// each runs q on r and calls f with every match, in document order.
func (ix *Index) each(ctx context.Context, r index.IndexReader, q query.Query, opts search.SearcherOptions, f func(*search.DocumentMatch) error) error {
	s, err := q.Searcher(ctx, r, ix.idx.Mapping(), opts)
	if err != nil {
		return err
	}
	defer s.Close()
	return drain(ctx, r, s, f)
}

// drain calls f with every match of s, looking at ctx now and then.
func drain(ctx context.Context, r index.IndexReader, s search.Searcher, f func(*search.DocumentMatch) error) error {
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	for n := 0; ; n++ {
		if n%checkEveryDocs == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		dm, err := s.Next(sctx)
		if err != nil {
			return err
		}
		if dm == nil {
			return nil
		}
		err = f(dm)
		sctx.DocumentMatchPool.Put(dm)
		if err != nil {
			return err
		}
	}
}

// offer adds m to h if it is among the best k seen.
func (h *topHeap) offer(m match, k int) {
	if len(h.m) < k {
		heap.Push(h, m)
	} else if h.better(m, h.m[0]) {
		h.m[0] = m
		heap.Fix(h, 0)
	}
}

// sorted empties h into a slice, best first.
func (h *topHeap) sorted() []match {
	out := make([]match, len(h.m))
	for i := len(h.m) - 1; i >= 0; i-- {
		out[i] = heap.Pop(h).(match)
	}
	return out
}

// Bounded ranking.
//
// A common word matches a large part of the index, and scoring a match
// means advancing every clause's posting list to it: scoring them all
// made a query like "ubnd tinh" cost tens of milliseconds at 100,000
// articles. But the boosts decide the top of the ranking, and a match
// without a given boost has a score of at most a known bound, so rank
// scores the matches that have the strongest boosts first and stops as
// soon as no other match can enter the first k (a "max-score" search).
//
// The bounds. bleve's tf-idf score of a term clause is
// boost·idf·queryNorm × √tf·norm·idf, where norm = 1/√(field length). For
// a required word √tf·norm ≤ 1 (tf ≤ field length), and for a boost
// clause rank reads the clause's largest √tf·norm from its posting list
// (a boost field, the title and topics, is short, so its list is too).
// A boolean query's boosts are multiplied by coord, the fraction of boost
// clauses that matched. So a match that has none of the boost clauses T
// scores at most
//
//	Σ required words' bounds + (n−|T|)/n × Σ bounds of the clauses not in T
//
// with n boost clauses. rank adds boost clauses to T (largest bound per
// document holding the term first), scores the matches of the new
// clauses that are not scored yet, and stops when the k-th best score so
// far is above the bound for the matches of none of T; when T holds every
// boost clause it scores the matches that are left. The bounds allow for
// float rounding (a relative 10⁻⁶).
//
// Every score is bleve's own, computed by the same query restricted to a
// list of documents by a required clause that weighs and scores 0 (see
// listQuery and plan.ranked): the result is the exhaustive ranking, not an
// approximation. (As in bleve itself, the order in which a match's clause
// scores are summed depends on how the searchers reached it, so a score
// can differ in its last bits, ~10⁻¹⁵, and two matches that close may
// swap.) TestBoundedRankingIsExact checks it against bleve's collector.

// relevanceHeap keeps the best k matches by score, then URL.
func relevanceHeap(t *docTable, k int) *topHeap {
	return &topHeap{m: make([]match, 0, k), better: func(a, b match) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return t.urlRank[a.row] < t.urlRank[b.row]
	}}
}

// boundable reports whether rank can bound p's scores and that is likely
// to pay: every required clause is a word (scorch IDs, see rank) found in
// at least ix.exhaustiveBelow articles, and some boost clause is in at
// most half as many articles as the rarest required word (otherwise
// nearly every match has every boost, and the bounds only add cost).
func (ix *Index) boundable(ctx context.Context, r index.IndexReader, p plan) bool {
	if len(p.mustTerms) == 0 || len(p.should) == 0 || ix.table.byNum == nil {
		return false
	}
	df := func(c termClause) (uint64, bool) {
		tfr, err := r.TermFieldReader(ctx, []byte(c.term), c.field, false, false, false)
		if err != nil {
			return 0, false
		}
		defer tfr.Close()
		return tfr.Count(), true
	}
	rarest := uint64(math.MaxUint64)
	for _, c := range p.mustTerms {
		n, ok := df(c)
		if !ok || n < uint64(ix.exhaustiveBelow) {
			return false
		}
		rarest = min(rarest, n)
	}
	for _, c := range p.should {
		if n, ok := df(c); ok && n <= rarest/2 {
			return true
		}
	}
	return false
}

// rank returns the best k matches of p by score, then URL. nums are the
// internal IDs of all matches, sorted (nil when unknown: then every match
// is scored), and how many matches it scored.
func (ix *Index) rank(ctx context.Context, r index.IndexReader, rowOf rowFunc, p plan, k int, nums []uint64) (h *topHeap, scoredN int, err error) {
	h = relevanceHeap(ix.table, k)
	score := func(ids []uint64) error {
		if len(ids) == 0 && ids != nil {
			return nil
		}
		return ix.each(ctx, r, p.ranked(ids), search.SearcherOptions{}, func(dm *search.DocumentMatch) error {
			row, err := rowOf(dm.IndexInternalID)
			if err != nil {
				return err
			}
			h.offer(match{row: row, score: dm.Score}, k)
			scoredN++
			return nil
		})
	}
	if len(nums) < ix.exhaustiveBelow {
		err = score(nil)
		return h, scoredN, err
	}

	// queryNorm, and each clause's bound.
	m := ix.idx.Mapping()
	s, err := p.ranked(nil).Searcher(ctx, r, m, search.SearcherOptions{})
	if err != nil {
		return nil, 0, err
	}
	weight := s.Weight()
	_ = s.Close()
	if weight <= 0 {
		err = score(nums)
		return h, scoredN, err
	}
	qnorm := 1 / math.Sqrt(weight)
	type clause struct {
		termClause
		bound float64
		df    uint64 // documents with the term, in the whole index
	}
	bound := func(c termClause, tight bool) (b float64, df uint64, err error) {
		s, err := c.query().Searcher(ctx, r, m, search.SearcherOptions{})
		if err != nil {
			return 0, 0, err
		}
		w, df := s.Weight(), s.Count() // w = (boost·idf)²
		_ = s.Close()
		impact := 1.0
		if tight && df > 0 {
			if impact, err = maxImpact(ctx, r, c); err != nil {
				return 0, 0, err
			}
		}
		return w / c.boost * qnorm * impact * (1 + 1e-6), df, nil
	}
	var mustBound float64
	for _, c := range p.mustTerms {
		b, _, err := bound(c, false)
		if err != nil {
			return nil, 0, err
		}
		mustBound += b
	}
	clauses := make([]clause, len(p.should))
	rest := 0.0 // Σ bounds of the clauses not yet in T
	for i, c := range p.should {
		b, df, err := bound(c, true)
		if err != nil {
			return nil, 0, err
		}
		clauses[i] = clause{c, b, df}
		rest += b
	}
	// Strongest bound for the fewest documents first: the clauses that
	// let rank stop soonest for the least scoring.
	sort.SliceStable(clauses, func(i, j int) bool {
		return clauses[i].bound/float64(clauses[i].df+1) > clauses[j].bound/float64(clauses[j].df+1)
	})

	// Each scoring pass costs a walk along the required words' posting
	// lists, however few documents it scores, so the matches of new
	// clauses are scored together once there are enough of them to
	// change the k-th score: at least k, and at least half as many as
	// are scored already.
	n := float64(len(clauses))
	var scored, pending []uint64 // sorted
	for i, c := range clauses {
		var ids []uint64
		err := ix.each(ctx, r, and(p.required(), c.query()),
			search.SearcherOptions{Score: "none"}, func(dm *search.DocumentMatch) error {
				if len(dm.IndexInternalID) != 8 {
					return fmt.Errorf("document %x: unexpected internal ID", []byte(dm.IndexInternalID))
				}
				ids = append(ids, binary.BigEndian.Uint64(dm.IndexInternalID))
				return nil
			})
		if err != nil {
			return nil, 0, err
		}
		pending = union(pending, difference(ids, scored))
		rest -= c.bound
		if rest < 0 || i == len(clauses)-1 {
			rest = 0
		}
		if len(scored)+len(pending) < k || len(pending) < max(k, len(scored)/2) {
			continue
		}
		if err := score(pending); err != nil {
			return nil, 0, err
		}
		scored, pending = union(scored, pending), nil
		if len(h.m) == k && h.m[0].score > mustBound+(n-float64(i+1))/n*rest {
			return h, scoredN, nil // no match outside scored can reach the first k
		}
	}
	// Every boost clause is in T: score the matches that are left.
	err = score(difference(nums, scored))
	return h, scoredN, err
}

// maxImpact returns the largest √tf·norm of c's term in c's field: what
// its tf-idf score is at most, divided by boost·idf²·queryNorm.
func maxImpact(ctx context.Context, r index.IndexReader, c termClause) (float64, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(c.term), c.field, true, true, false)
	if err != nil {
		return 0, err
	}
	defer tfr.Close()
	var d index.TermFieldDoc
	best := 0.0
	for n := 0; ; n++ {
		if n%(16*checkEveryDocs) == 0 && ctx.Err() != nil {
			return 0, ctx.Err()
		}
		td, err := tfr.Next(&d)
		if err != nil {
			return 0, err
		}
		if td == nil {
			return best, nil
		}
		if v := math.Sqrt(float64(td.Freq)) * td.Norm; v > best {
			best = v
		}
	}
}

// union merges two sorted lists without duplicates.
func union(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// difference returns the elements of a not in b; both are sorted.
func difference(a, b []uint64) []uint64 {
	out := make([]uint64, 0, len(a)-min(len(a), len(b)))
	j := 0
	for _, x := range a {
		for j < len(b) && b[j] < x {
			j++
		}
		if j < len(b) && b[j] == x {
			continue
		}
		out = append(out, x)
	}
	return out
}

// listQuery matches a sorted list of scorch document numbers, with weight
// and score 0: a required clause that restricts a query to those
// documents without changing their scores (it adds 0 to the sums).
type listQuery []uint64

func (q listQuery) Searcher(context.Context, index.IndexReader, mapping.IndexMapping, search.SearcherOptions) (search.Searcher, error) {
	return &listSearcher{ids: q}, nil
}

// listSearcher matches a sorted list of scorch document numbers, with
// weight and score 0: in a conjunction it restricts the other clauses to
// those documents without changing their scores.
type listSearcher struct {
	ids []uint64
	i   int
}

func (s *listSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.i >= len(s.ids) {
		return nil, nil
	}
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = binary.BigEndian.AppendUint64(dm.IndexInternalID[:0], s.ids[s.i])
	dm.Score = 0
	s.i++
	return dm, nil
}

func (s *listSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if len(id) != 8 {
		return nil, fmt.Errorf("document %x: unexpected internal ID", []byte(id))
	}
	n := binary.BigEndian.Uint64(id)
	s.i += sort.Search(len(s.ids)-s.i, func(j int) bool { return s.ids[s.i+j] >= n })
	return s.Next(ctx)
}

func (s *listSearcher) Close() error               { return nil }
func (s *listSearcher) Weight() float64            { return 0 }
func (s *listSearcher) SetQueryNorm(float64)       {}
func (s *listSearcher) Count() uint64              { return uint64(len(s.ids)) }
func (s *listSearcher) Min() int                   { return 0 }
func (s *listSearcher) Size() int                  { return 48 + 8*cap(s.ids) }
func (s *listSearcher) DocumentMatchPoolSize() int { return 1 }
