package search

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/vnportal/portal/internal/vietnamese"
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
	r, err := ix.reader()
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
//
// It analyzes text as the folded analyzer does, but runs the analyzer's
// token filters only on tokens that can fold to a word it looks for:
// the filters (NFC, lower case, folding) turn each token into one token,
// never longer in runes, and shorter only when it holds a combining mark
// (or a Hangul jamo, which NFC composes); so a token of another length
// without those cannot match, and most tokens of a text are skipped at
// the cost of counting their runes.
type marker struct {
	an      analysis.Analyzer  // the folded analyzer
	tok     analysis.Tokenizer // its tokenizer, when the shortcut applies
	filters []analysis.TokenFilter
	sizes   map[int]bool    // rune counts of the folded words looked for
	words   map[string]bool // folded plain words
	phrases [][]string      // folded words of compounds
	// exact are the spellings typed with diacritics of a folded word (see
	// exactFirst): where a text has them, only they are marked.
	exact map[string][]string
}

// exactFirst maps each folded plain word of groups to the spellings typed
// with diacritics ("định" for "dinh"), unless it was also typed without:
// a text holding one of those spellings has only them marked, so "nghị
// định 64" marks "định" and not the "Đình" of "Nguyễn Đình Phú". Folded
// matches are marked only in a text without the exact ones.
func exactFirst(groups []group) map[string][]string {
	out := map[string][]string{}
	bare := map[string]bool{}
	for _, g := range groups {
		if len(g) != 1 {
			continue
		}
		w := g[0]
		if !w.hasMarks() {
			bare[w.folded] = true
			continue
		}
		out[w.folded] = append(out[w.folded], w.exact)
	}
	for k := range bare {
		delete(out, k)
	}
	return out
}

// tagged is a match found by a marker: its span, the folded word it
// matched (for plain words) and whether its spelling is one typed.
type tagged struct {
	span
	word  string
	exact bool
}

// resolved reports whether every word of ts with a typed spelling to
// prefer has a match with that spelling.
func resolved(ts []tagged) bool {
	need := map[string]bool{}
	for _, t := range ts {
		if t.word != "" {
			need[t.word] = need[t.word] || t.exact
		}
	}
	for _, ok := range need {
		if !ok {
			return false
		}
	}
	return true
}

// preferExact keeps, for each folded word with exact matches in ts, only
// those, and returns the spans.
func preferExact(ts []tagged) []span {
	has := map[string]bool{}
	for _, t := range ts {
		if t.exact {
			has[t.word] = true
		}
	}
	out := make([]span, 0, len(ts))
	for _, t := range ts {
		if t.word != "" && has[t.word] && !t.exact {
			continue
		}
		out = append(out, t.span)
	}
	return out
}

// newMarker returns the marker for the query groups, or nil when the
// mapping lacks the folded analyzer (cannot happen for an index of this
// package).
func newMarker(m mapping.IndexMapping, groups []group) *marker {
	an := m.AnalyzerNamed(AnalyzerFolded)
	if an == nil {
		return nil
	}
	mk := &marker{an: an, words: map[string]bool{}, sizes: map[int]bool{}, exact: exactFirst(groups)}
	if da, ok := an.(*analysis.DefaultAnalyzer); ok && len(da.CharFilters) == 0 && da.Tokenizer != nil {
		mk.tok, mk.filters = da.Tokenizer, da.TokenFilters
	}
	for _, g := range groups {
		for _, w := range g {
			mk.sizes[utf8.RuneCountInString(w.folded)] = true
		}
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

// analyze returns the folded tokens of b; a token that cannot match has
// a nil Term.
func (mk *marker) analyze(b []byte) analysis.TokenStream {
	if mk.tok == nil {
		return mk.an.Analyze(b)
	}
	toks := mk.tok.Tokenize(b)
	one := make(analysis.TokenStream, 1)
	for _, t := range toks {
		if !mk.mayMatch(t.Term) {
			t.Term = nil
			continue
		}
		one[0] = t
		ts := one
		for _, f := range mk.filters {
			ts = f.Filter(ts)
		}
		if len(ts) == 1 {
			t.Term = ts[0].Term
		} else {
			t.Term = nil // cannot happen: the filters map a token to a token
		}
	}
	return toks
}

// mayMatch reports whether the token term can fold to one of the words
// looked for: it has as many runes as one of them, or may lose some.
func (mk *marker) mayMatch(term []byte) bool {
	n := 0
	for i := 0; i < len(term); n++ {
		if term[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(term[i:])
		i += size
		if r < 0x300 || r >= 0x1E00 && r <= 0x1EFF { // Latin letters, Vietnamese ones included
			continue
		}
		if unicode.Is(unicode.M, r) || r >= 0x1100 && r <= 0x11FF {
			return true
		}
	}
	return mk.sizes[n]
}

// spans returns the matches in text, sorted and merged like spansOf.
func (mk *marker) spans(text string) []span {
	if mk == nil || text == "" {
		return nil
	}
	return mergeSpans(text, preferExact(mk.piece(text, 0, len(text), nil)))
}

// excerptPiece is how much text excerptSpans analyzes at a time.
const excerptPiece = 1024

// excerptSpans returns the matches in text that excerptHTML uses: those
// within excerptScope bytes of the first one (and maybe a few more). The
// text is analyzed a piece at a time, cut between words, until that far.
func (mk *marker) excerptSpans(text string) []span {
	if mk == nil || text == "" {
		return nil
	}
	var out []tagged
	for from := 0; from < len(text); {
		to := len(text)
		if from+excerptPiece < len(text) {
			// Cut at a space: no word or compound spans one.
			if i := strings.IndexAny(text[from+excerptPiece:], " \t\n\r"); i >= 0 {
				to = from + excerptPiece + i
			}
		}
		out = mk.piece(text, from, to, out)
		from = to
		// Far enough past the first match kept, and no word waiting for
		// a spelling typed (see exactFirst) that would drop matches.
		if kept := preferExact(out); len(kept) > 0 && from >= kept[0].start+excerptScope && resolved(out) {
			break
		}
	}
	return mergeSpans(text, preferExact(out))
}

// piece appends to out the matches in text[from:to], whose ends are word
// boundaries.
func (mk *marker) piece(text string, from, to int, out []tagged) []tagged {
	toks := mk.analyze([]byte(text[from:to]))
	add := func(t *analysis.Token, word string) {
		start, end := from+t.Start, from+t.End
		if t.Start >= 0 && end <= to && start < end && boundary(text, start) && boundary(text, end) {
			tg := tagged{span: span{start, end}}
			if forms := mk.exact[word]; len(forms) > 0 {
				got := strings.ToLower(vietnamese.NFC(text[start:end]))
				tg.word, tg.exact = word, slices.Contains(forms, got)
			}
			out = append(out, tg)
		}
	}
	for i, t := range toks {
		if t.Term == nil {
			continue
		}
		if mk.words[string(t.Term)] {
			add(t, string(t.Term))
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
				add(toks[i+j], "")
			}
		}
	}
	return out
}
