package search

import "strings"

// Facet counts of merged provinces.
//
// A province filter naming a province that absorbed others lets their
// articles through (see filterTerms), so the count shown next to it in the
// province facet is the number of articles filed under it or any of its
// predecessors: what clicking it finds. The predecessors keep their own
// counts.

// facetMerges says, per doc table term, which term's count an article
// filed under it also adds to: the "p:" term of the province it merged
// into, or -1.
type facetMerges struct {
	succ []int32
	any  bool // some term has a successor
	all  facetSet
}

// mergesFor returns the facet merges of th for the index's terms, computed
// once per thesaurus.
func (ix *Index) mergesFor(th *Thesaurus) *facetMerges {
	if th == nil {
		return &facetMerges{}
	}
	if v, ok := ix.merges.Load(th); ok {
		return v.(*facetMerges)
	}
	t := ix.table
	idx := make(map[string]int32, len(t.terms))
	for i, term := range t.terms {
		idx[term] = int32(i)
	}
	fm := &facetMerges{succ: make([]int32, len(t.terms))}
	for i, term := range t.terms {
		fm.succ[i] = -1
		slug, ok := strings.CutPrefix(term, facetPrefixProvince)
		if !ok {
			continue
		}
		p, ok := th.bySlug(slug)
		if !ok || p.Current {
			continue
		}
		if m, ok := th.mergeOf(p); ok && m.Became != nil {
			if j, ok := idx[facetPrefixProvince+m.Became.Slug]; ok {
				fm.succ[i], fm.any = j, true
			}
		}
	}
	counts := make([]int32, len(t.terms))
	for row := range t.url {
		fm.count(t, counts, int32(row))
	}
	fm.all = t.facetSet(counts, ix.m)
	v, _ := ix.merges.LoadOrStore(th, fm)
	return v.(*facetMerges)
}

// count adds row's facet values to counts, and the successors of its
// merged provinces once each unless the row is filed under them already.
func (fm *facetMerges) count(t *docTable, counts []int32, row int32) {
	vals := t.facetVal[t.facetOff[row]:t.facetOff[row+1]]
	for _, v := range vals {
		counts[v]++
	}
	if !fm.any {
		return
	}
	for i, v := range vals {
		s := fm.succ[v]
		if s < 0 {
			continue
		}
		dup := false
		for j, u := range vals {
			if u == s || (j < i && fm.succ[u] == s) {
				dup = true
				break
			}
		}
		if !dup {
			counts[s]++
		}
	}
}
