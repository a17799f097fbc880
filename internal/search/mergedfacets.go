package search

import "strings"

// Facet counts of merged provinces.
//
// A province filter naming a province that absorbed others lets their
// articles through (see filterTerms), so the count shown next to it in the
// province facet is the number of articles filed under it or any of its
// predecessors: what clicking it finds. It is listed even when no article
// is filed under it yet (an archive older than the merger). The
// predecessors keep their own counts.

// facetMerges is the facet terms for one thesaurus: the index's terms plus
// the successors no article is filed under, and, per term, which term's
// count an article filed under it also adds to (the "p:" term of the
// province it merged into) or -1.
type facetMerges struct {
	terms []string
	names map[string]string // province slug → display name, the successors' included
	succ  []int32
	any   bool // some term has a successor
	all   facetSet
	// bits are, per term, the rows counted under it: the table's, and for
	// a successor also its predecessors' (nil when the table has none).
	bits []bitset
}

// mergesFor returns the facet merges of th for the index's terms, computed
// once per thesaurus.
func (ix *Index) mergesFor(th *Thesaurus) *facetMerges {
	t := ix.table
	if th == nil {
		return &facetMerges{terms: t.terms, names: ix.m.Provinces, all: t.all, bits: t.bits}
	}
	if v, ok := ix.merges.Load(th); ok {
		return v.(*facetMerges)
	}
	fm := &facetMerges{terms: t.terms, names: ix.m.Provinces, succ: make([]int32, len(t.terms))}
	idx := make(map[string]int32, len(t.terms))
	for i, term := range t.terms {
		idx[term] = int32(i)
	}
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
		m, ok := th.mergeOf(p)
		if !ok || m.Became == nil {
			continue
		}
		key := facetPrefixProvince + m.Became.Slug
		j, ok := idx[key]
		if !ok {
			if len(fm.terms) == len(t.terms) { // the first one: copy
				fm.terms = append([]string(nil), t.terms...)
				names := make(map[string]string, len(ix.m.Provinces)+1)
				for k, v := range ix.m.Provinces {
					names[k] = v
				}
				fm.names = names
			}
			j = int32(len(fm.terms))
			fm.terms = append(fm.terms, key)
			fm.names[m.Became.Slug] = m.Became.Name
			idx[key] = j
		}
		fm.succ[i], fm.any = j, true
	}
	counts := make([]int32, len(fm.terms))
	for row := range t.url {
		fm.count(t, counts, int32(row))
	}
	fm.all = fm.facetSet(counts, ix.m)
	fm.bits = fm.unionBits(t)
	v, _ := ix.merges.LoadOrStore(th, fm)
	return v.(*facetMerges)
}

// facetSet is docTable.facetSet over fm's terms.
func (fm *facetMerges) facetSet(counts []int32, m manifest) facetSet {
	return facetSetOf(fm.terms, counts, fm.names, m)
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

// unionBits returns the bitmaps of fm's terms: the table's, and for a
// successor the union of its own and its predecessors'; nil when the
// table has none.
func (fm *facetMerges) unionBits(t *docTable) []bitset {
	if t.bits == nil {
		return nil
	}
	out := make([]bitset, len(fm.terms))
	copy(out, t.bits)
	words := (len(t.url) + 63) / 64
	own := make([]bool, len(fm.terms)) // out[i] is fm's own copy
	for i := len(t.bits); i < len(out); i++ {
		out[i], own[i] = make(bitset, words), true
	}
	for i, s := range fm.succ {
		if s < 0 {
			continue
		}
		if !own[s] {
			out[s], own[s] = append(bitset(nil), out[s]...), true
		}
		for w, x := range t.bits[i] {
			out[s][w] |= x
		}
	}
	return out
}
