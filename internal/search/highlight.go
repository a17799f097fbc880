package search

import (
	"context"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
)

// Highlighting.
//
// The page's hits are highlighted in one of two ways that mark the same
// words. From the index's term locations: cheap when the query's words
// are rare, but reading them means walking the posting list of every
// query word in every shown field up to each hit (scorch advances a list
// with locations one entry at a time), which for common words cost more
// than the search itself on a large index. Or by analyzing the hits'
// stored text again with the folded analyzer and marking the tokens that
// match the query: a plain word wherever its folded form occurs, a
// compound (a document number) where its words occur in a row, which is
// what the term locations mark (the exact-diacritics clauses only ever
// match a subset of the folded ones), at a cost that depends only on the
// length of the page's texts. highlightByLocations picks the cheaper.

// postingsPerHit is about how many posting-list entries can be walked in
// the time it takes to analyze one hit's text (≈3 KB).
// Index.postingsPerHit is this, but tests change it.
const postingsPerHit = 4096

// highlightByLocations reports whether reading term locations is likely
// cheaper than analyzing the hits' texts: the query's highlight terms
// together are in at most postingsPerHit × hits documents.
func (ix *Index) highlightByLocations(ctx context.Context, terms []termClause, hits int) bool {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return false
	}
	r, err := adv.Reader()
	if err != nil {
		return false
	}
	defer r.Close()
	budget := uint64(ix.postingsPerHit * hits)
	var n uint64
	for _, c := range terms {
		tfr, err := r.TermFieldReader(ctx, []byte(c.term), c.field, false, false, false)
		if err != nil {
			return false
		}
		n += tfr.Count()
		_ = tfr.Close()
		if n > budget {
			return false
		}
	}
	return true
}

// marker finds a query's words in stored text.
type marker struct {
	an      analysis.Analyzer
	words   map[string]bool // folded plain words
	phrases [][]string      // folded words of compounds
}

// newMarker returns the marker for the query groups, or nil when the
// mapping lacks the folded analyzer (cannot happen for an index of this
// package).
func newMarker(m mapping.IndexMapping, groups []group) *marker {
	an := m.AnalyzerNamed(AnalyzerFolded)
	if an == nil {
		return nil
	}
	mk := &marker{an: an, words: map[string]bool{}}
	for _, g := range groups {
		if len(g) == 1 {
			mk.words[g[0].folded] = true
			continue
		}
		p := make([]string, len(g))
		for i, w := range g {
			p[i] = w.folded
		}
		mk.phrases = append(mk.phrases, p)
	}
	return mk
}

// spans returns the matches in text, sorted and merged like spansOf.
func (mk *marker) spans(text string) []span {
	if mk == nil || text == "" {
		return nil
	}
	toks := mk.an.Analyze([]byte(text))
	var out []span
	add := func(t *analysis.Token) {
		if t.Start >= 0 && t.End <= len(text) && t.Start < t.End && boundary(text, t.Start) && boundary(text, t.End) {
			out = append(out, span{t.Start, t.End})
		}
	}
	for i, t := range toks {
		if mk.words[string(t.Term)] {
			add(t)
		}
	phrases:
		for _, p := range mk.phrases {
			if i+len(p) > len(toks) {
				continue
			}
			for j, w := range p {
				u := toks[i+j]
				if string(u.Term) != w || u.Position != t.Position+j {
					continue phrases
				}
			}
			for j := range p {
				add(toks[i+j])
			}
		}
	}
	return mergeSpans(text, out)
}
