package search

import (
	"container/heap"
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2/index/scorch"
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
	// num maps bleve internal IDs to rows: read with the table when its IDs are not
	// document numbers (byNum nil), else made from byNum the first time a reader other
	// than snap asks (numOnce; never, in practice), not at every Open: 10,000 strings
	// and a map of them per generation of `portal serve --watch` at 10,000 articles.
	num     map[string]int32
	numOnce sync.Once
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
	byNewest []int32 // the rows in SortNewest order (newest's inverse)
	facetOff []int32 // row i's facet values are facetVal[facetOff[i]:facetOff[i+1]]
	facetVal []int32 // indexes into terms
	terms    []string
	all      facetSet // the facets of every article
	bits     []bitset // per term, its rows (see facetbits.go); nil: none
	// keys are the rows' SortNewest keys ("": undated); segs the snapshot's segments (nil
	// when byNum is): what the next generation's table takes from this one (carry).
	keys []string
	segs []tableSeg
	// read counts the rows read from the index; the others were carried from the table
	// of the generation before.
	read int
}

// loadDocTable reads the doc table of an open index. prev is the table of the generation
// served before (nil: none): the rows of the segments the two share (the very same files,
// by prevFiles and ix.checked) are taken from it instead of read from the index again
// (see tableLoader.segments), and so is their order by URL and by date (mergedRanks).
func loadDocTable(ctx context.Context, r index.IndexReader, ix *Index, prev *docTable, prevFiles checked) (*docTable, error) {
	dvr, err := r.DocValueReader([]string{fieldFacet, fieldNewest})
	if err != nil {
		return nil, err
	}
	t := &docTable{facetOff: []int32{0}, snap: r}
	l := tableLoader{t: t, dvr: dvr, numbered: true, termIdx: map[string]int32{}}
	if ss, ok := r.(segmented); ok {
		err = l.segments(ss.Segments(), ix.checked, prev, prevFiles)
	} else {
		err = l.all(ctx, r, ix)
	}
	if err != nil {
		return nil, err
	}
	if !l.numbered {
		t.byNum, t.snap, t.segs = nil, nil, nil
		t.numOnce.Do(func() {}) // num is read
	}
	n := len(t.url)
	byURL := func(a, b int32) bool { return t.url[a] < t.url[b] }
	keys := t.keys
	byNewest := func(a, b int32) bool {
		ka, kb := keys[a], keys[b]
		if (ka == "") != (kb == "") {
			return kb == "" // undated last
		}
		if ka != kb {
			return ka < kb
		}
		return t.url[a] < t.url[b]
	}
	if l.to != nil {
		prevByURL := make([]int32, len(prev.urlRank))
		for row, pos := range prev.urlRank {
			prevByURL[pos] = int32(row)
		}
		t.urlRank = l.mergedRanks(prevByURL, byURL)
		t.newest = l.mergedRanks(prev.byNewest, byNewest)
	} else {
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		t.urlRank = ranks(order, byURL)
		t.newest = ranks(order, byNewest)
	}
	t.byNewest = make([]int32, n)
	for row, pos := range t.newest {
		t.byNewest[pos] = int32(row)
	}
	counts := make([]int32, len(t.terms))
	for _, v := range t.facetVal {
		counts[v]++
	}
	t.all = t.facetSet(counts, ix.m)
	t.bits = t.facetBits()
	return t, nil
}

// segmented is an index reader that is a scorch snapshot: its segments in document-number
// order (a segment's documents are numbered from the sum of the counts of those before).
type segmented interface {
	Segments() []*scorch.SegmentSnapshot
}

// tableSeg is a segment of a table's snapshot: its file (relative to the index folder) and
// the number of its first document.
type tableSeg struct {
	file  string
	start uint64
}

// tableLoader appends the rows of a docTable, in document-number order.
type tableLoader struct {
	t        *docTable
	dvr      index.DocValueReader
	numbered bool
	termIdx  map[string]int32
	id       [8]byte
	// remap maps the previous table's term indexes to t's (-1: not yet met), for the rows
	// carried from it; to maps its rows to t's (-1: not carried), fresh lists t's rows
	// read from the index (to nil: no row carried, fresh unused).
	remap []int32
	to    []int32
	fresh []int32
}

// all appends every live document of r, as the match-all query finds them (a reader that
// is not a scorch snapshot).
func (l *tableLoader) all(ctx context.Context, r index.IndexReader, ix *Index) error {
	s, err := query.NewMatchAllQuery().Searcher(ctx, r, ix.idx.Mapping(), search.SearcherOptions{Score: "none"})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: r}
	for {
		dm, err := s.Next(sctx)
		if err != nil {
			return err
		}
		if dm == nil {
			return nil
		}
		if err := l.read(r, dm.IndexInternalID); err != nil {
			return err
		}
		sctx.DocumentMatchPool.Put(dm)
	}
}

// segments appends the live documents of each segment in turn (the match-all query's
// order). A segment that is the very file a segment of prev's snapshot was (files: this
// index's, prevFiles: prev's; a segment is never changed once written) has its rows
// copied from prev for the documents still live: an update of one article at 100,000
// shares every segment but its new one, and reading each document's URL and doc values
// again is most of opening the next generation.
func (l *tableLoader) segments(segs []*scorch.SegmentSnapshot, files checked, prev *docTable, prevFiles checked) error {
	var was map[string]uint64 // prev's segments: file → its first document's number
	if prev != nil && prev.byNum != nil && prev.segs != nil {
		was = make(map[string]uint64, len(prev.segs))
		for _, s := range prev.segs {
			was[s.file] = s.start
		}
		l.remap = make([]int32, len(prev.terms))
		for i := range l.remap {
			l.remap[i] = -1
		}
		l.to = make([]int32, len(prev.url))
		for i := range l.to {
			l.to[i] = -1
		}
	}
	l.presize(segs, prev)
	r := l.t.snap
	var start uint64
	for _, s := range segs {
		file := ""
		if p, ok := s.Segment().(interface{ Path() string }); ok {
			file = "store/" + filepath.Base(p.Path()) // a zap segment's file
		}
		l.t.segs = append(l.t.segs, tableSeg{file: file, start: start})
		from, shared := was[file]
		shared = shared && file != ""
		if shared {
			f, ok := files[file]
			shared = ok && prevFiles.same(file, f.fi, f.sum)
		}
		var err error
		s.DocNumbersLive().Iterate(func(local uint32) bool {
			n := start + uint64(local)
			if shared {
				if p := from + uint64(local); p < uint64(len(prev.byNum)) && prev.byNum[p] >= 0 {
					l.carry(n, prev, prev.byNum[p])
					return true
				}
			}
			binary.BigEndian.PutUint64(l.id[:], n)
			err = l.read(r, l.id[:])
			return err == nil
		})
		if err != nil {
			return err
		}
		start += s.Segment().Count()
	}
	return nil
}

// presize makes the table's row slices as long as the snapshot's live documents (and
// byNum as its document numbers), so that appending the rows does not grow them step by
// step: at every save of `portal serve --watch` the next generation's table is loaded,
// and growing its slices from nothing allocated about as much again as the table holds.
// The facet values are presized by prev's mean per row (nil: none), the rest grows.
func (l *tableLoader) presize(segs []*scorch.SegmentSnapshot, prev *docTable) {
	var live, numbers uint64
	for _, s := range segs {
		live += s.Count()
		numbers += s.Segment().Count()
	}
	if live == 0 || numbers >= 1<<31 {
		return
	}
	t := l.t
	t.url = slices.Grow(t.url, int(live))
	t.keys = slices.Grow(t.keys, int(live))
	t.facetOff = slices.Grow(t.facetOff, int(live))
	t.byNum = slices.Grow(t.byNum, int(numbers))
	if prev != nil && len(prev.url) > 0 {
		t.facetVal = slices.Grow(t.facetVal, int(live)*len(prev.facetVal)/len(prev.url)+64)
	}
}

// row records the number of the document of the next row, if the IDs are numbers.
func (l *tableLoader) row(id []byte) {
	t := l.t
	row := int32(len(t.url))
	if l.numbered = l.numbered && len(id) == 8; l.numbered {
		n := binary.BigEndian.Uint64(id)
		// Rows ascend with document numbers, so every decoded
		// posting list's rows ascend (see collectSets).
		if n >= 1<<31 || uint64(len(t.byNum)) > n {
			l.numbered = false
		} else {
			for uint64(len(t.byNum)) <= n {
				t.byNum = append(t.byNum, -1)
			}
			t.byNum[n] = row
		}
	}
	if !l.numbered {
		if t.num == nil { // the rows so far were numbered
			t.num = numOf(t.byNum)
		}
		t.num[string(id)] = row
	}
}

// read appends the row of the document id, read from r.
func (l *tableLoader) read(r index.IndexReader, id index.IndexInternalID) error {
	t := l.t
	url, err := r.ExternalID(id)
	if err != nil {
		return err
	}
	l.row(id)
	t.url = append(t.url, url)
	key := ""
	err = l.dvr.VisitDocValues(id, func(field string, term []byte) {
		switch field {
		case fieldNewest:
			key = string(term)
		case fieldFacet:
			i, ok := l.termIdx[string(term)]
			if !ok {
				i = l.term(string(term))
			}
			t.facetVal = append(t.facetVal, i)
		}
	})
	if err != nil {
		return err
	}
	t.facetOff = append(t.facetOff, int32(len(t.facetVal)))
	t.keys = append(t.keys, key)
	l.fresh = append(l.fresh, int32(len(t.url)-1))
	l.t.read++
	return nil
}

// carry appends the row of document n, prev's row: the same document in a segment both
// snapshots share.
func (l *tableLoader) carry(n uint64, prev *docTable, row int32) {
	t := l.t
	binary.BigEndian.PutUint64(l.id[:], n)
	l.row(l.id[:])
	l.to[row] = int32(len(t.url))
	t.url = append(t.url, prev.url[row])
	for _, v := range prev.facetVal[prev.facetOff[row]:prev.facetOff[row+1]] {
		i := l.remap[v]
		if i < 0 {
			var ok bool
			if i, ok = l.termIdx[prev.terms[v]]; !ok {
				i = l.term(prev.terms[v])
			}
			l.remap[v] = i
		}
		t.facetVal = append(t.facetVal, i)
	}
	t.facetOff = append(t.facetOff, int32(len(t.facetVal)))
	t.keys = append(t.keys, prev.keys[row])
}

// mergedRanks returns each row's position in the order of less, given prev's rows in that
// order (prevOrder): the carried rows keep their order among themselves, so only the rows
// read anew are sorted, then merged in (a sort of 100,000 URLs per save otherwise). The
// order is less's whole order, as ranks gives it, when less is strict (URLs are unique).
func (l *tableLoader) mergedRanks(prevOrder []int32, less func(a, b int32) bool) []int32 {
	fresh := slices.Clone(l.fresh)
	sort.Slice(fresh, func(i, j int) bool { return less(fresh[i], fresh[j]) })
	r := make([]int32, len(l.t.url))
	pos, f := int32(0), 0
	for _, p := range prevOrder {
		row := l.to[p]
		if row < 0 {
			continue // not in this generation
		}
		for ; f < len(fresh) && less(fresh[f], row); f++ {
			r[fresh[f]] = pos
			pos++
		}
		r[row] = pos
		pos++
	}
	for ; f < len(fresh); f++ {
		r[fresh[f]] = pos
		pos++
	}
	return r
}

// term adds a facet term met for the first time.
func (l *tableLoader) term(s string) int32 {
	i := int32(len(l.t.terms))
	l.t.terms = append(l.t.terms, s)
	l.termIdx[s] = i
	return i
}

// numOf is num for the rows of byNum (internal IDs: document numbers).
func numOf(byNum []int32) map[string]int32 {
	num := make(map[string]int32, len(byNum))
	var id [8]byte
	for n, row := range byNum {
		if row >= 0 {
			binary.BigEndian.PutUint64(id[:], uint64(n))
			num[string(id[:])] = row
		}
	}
	return num
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
	return facetSetOf(t.terms, counts, m.Provinces, m)
}

// facetSetOf is facetSet for the given terms (counts[i] is terms[i]'s) and
// display names (the provinces', and the others' in m).
func facetSetOf(terms []string, counts []int32, provinces map[string]string, m manifest) facetSet {
	var fs facetSet
	categories := m.Categories
	for i, c := range counts {
		if c == 0 {
			continue
		}
		term := terms[i]
		switch {
		case strings.HasPrefix(term, facetPrefixProvince):
			fs.provinces = append(fs.provinces, named(term, facetPrefixProvince, int(c), provinces))
		case strings.HasPrefix(term, facetPrefixCategory):
			fs.categories = append(fs.categories, named(term, facetPrefixCategory, int(c), categories))
		case strings.HasPrefix(term, facetPrefixYear):
			fs.years = append(fs.years, named(term, facetPrefixYear, int(c), nil))
		default:
			fs.addDocFacet(term, int(c), m.Documents)
		}
	}
	fs.sortDocFacets()
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
	// scored is how many matches collectSets scored (the others could
	// not rank: see topk.go).
	scored int
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

// plan is what collect runs: the matches have every one of words (the
// query's words) and match filter (when not nil); the relevance order
// adds the boost clauses (should) to them.
type plan struct {
	words       []query.Query
	filter      query.Query
	filterTerms [][]termClause // filter as term groups (see filterTerms)
	should      []termClause
	mustUnits   []unit                 // see textQuery.mustUnits
	compounds   map[string]query.Query // see textQuery.compounds
	newest      bool
	thesaurus   *Thesaurus // for the facet counts of merged provinces
}

// required is the unscored query of p's matches.
func (p plan) required() query.Query {
	qs := append([]query.Query(nil), p.words...)
	if p.filter != nil {
		qs = append(qs, p.filter)
	}
	return and(qs...)
}

// ranked is p's scored query. The boosts are optional clauses of a
// BooleanQuery whose required clauses are the conjunction of the words
// and the filter. The words stay a conjunction of their own, exactly as
// without filter, so that the scores are the same to the last bit (the
// filter adds 0). Nothing encloses the BooleanSearcher: an enclosing
// conjunction would advance it, and its Advance returns its boost
// clauses' current matches to the pool while they are still in use,
// which loses boosts.
func (p plan) ranked() query.Query {
	var must []query.Query
	if len(p.words) > 0 {
		must = append(must, and(p.words...))
	}
	if p.filter != nil {
		must = append(must, p.filter)
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
	t.numOnce.Do(func() { t.num = numOf(t.byNum) })
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
// A plan of terms (nearly every query) is collected term at a time from
// decoded posting lists (see collectTerms); a document number's phrase
// needs bleve's searchers, which score (or not) every match in one pass.
func (ix *Index) collect(ctx context.Context, p plan, k int) (collected, error) {
	var out collected
	r, err := ix.reader()
	if err != nil {
		return out, err
	}
	defer r.Close()
	t := ix.table
	if !ix.bleveOnly && p.termsOnly() && (len(p.words) > 0 || p.filter != nil) && t.byNum != nil && t.snap == r {
		return ix.collectTerms(ctx, r, p, k)
	}
	rowOf := t.rows(r)

	fm := ix.mergesFor(p.thesaurus)
	counts := make([]int32, len(fm.terms))
	count := func(row int32) {
		out.total++
		fm.count(t, counts, row)
	}
	var h *topHeap
	if !p.newest && k > 0 {
		h = relevanceHeap(t, k)
		err = ix.each(ctx, r, p.ranked(), search.SearcherOptions{}, func(dm *search.DocumentMatch) error {
			row, err := rowOf(dm.IndexInternalID)
			if err != nil {
				return err
			}
			count(row)
			h.offer(match{row: row, score: dm.Score}, k)
			return nil
		})
	} else {
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
	out.facets = fm.facetSet(counts, ix.m)
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

// relevanceHeap keeps the best k matches by score, then URL.
func relevanceHeap(t *docTable, k int) *topHeap {
	return &topHeap{m: make([]match, 0, k), better: func(a, b match) bool {
		if a.score != b.score {
			return a.score > b.score
		}
		return t.urlRank[a.row] < t.urlRank[b.row]
	}}
}
