package search

import (
	"bytes"
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
	// buf is the scratch space of excerptSpans, reused from hit to hit
	// (a marker serves one search).
	buf excerptBuffers
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
	mk.buf.analyzed += len(b)
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
	if mk == nil || text == "" || mk.firstCandidate(text) < 0 {
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
	// The places where a query word or a compound's first word may stand
	// (see candidates): a piece of text without any holds no match, and
	// is not analyzed.
	cands, ok := mk.candidates(text)
	if ok && len(mk.phrases) == 0 {
		return mk.excerptRuns(text, cands)
	}
	if ok && len(cands) == 0 {
		return nil
	}
	// Whether a word with typed spellings (see exactFirst) has a match
	// with one of them anywhere in the text decides whether its other
	// matches are marked. Rather than analyzing the text up to such a
	// match (often to its end), each word's question is answered when it
	// first arises, from the places where a typed spelling occurs in a
	// lower-case copy of the text: only the words around them are analyzed
	// (see exactAfter).
	var lower []byte
	exists := map[string]bool{} // answered words: has an exact match
	keep := func(out []tagged) []span { return keepExact(out, exists) }
	var out []tagged
	for from, ci := 0, 0; from < len(text); {
		if ok {
			// On to the word boundary before the next candidate.
			for ci < len(cands) && cands[ci] < from {
				ci++
			}
			if ci == len(cands) {
				break
			}
			if i := strings.LastIndexAny(text[from:cands[ci]], " \t\n\r"); i >= 0 {
				from += i + 1
			}
		}
		to := len(text)
		if from+excerptPiece < len(text) {
			// Cut at a space: no word or compound spans one.
			if i := strings.IndexAny(text[from+excerptPiece:], " \t\n\r"); i >= 0 {
				to = from + excerptPiece + i
			}
		}
		n := len(out)
		out = mk.piece(text, from, to, out)
		from = to
		for _, t := range out[n:] {
			if _, asked := exists[t.word]; t.word == "" || asked {
				continue
			}
			if t.exact {
				exists[t.word] = true
				continue
			}
			if lower == nil {
				var ok bool
				if lower, ok = appendLowerSameOffsets(nil, text); !ok {
					// Offsets of the copy differ: analyze it all.
					return mergeSpans(text, preferExact(mk.piece(text, from, len(text), out)))
				}
			}
			exists[t.word] = mk.exactAfter(text, lower, from, t.word, out[n:])
		}
		// Far enough past the first match kept.
		if kept := keep(out); len(kept) > 0 && from >= kept[0].start+excerptScope {
			break
		}
	}
	return mergeSpans(text, keep(out))
}

// exactAfter reports whether word has a match with one of its typed
// spellings in recent (the matches of the piece just analyzed) or in
// text[from:], where from is a word boundary: it looks for the spellings
// in lower (text in lower case, at the same offsets) and analyzes only the
// space-separated run of text around each place found.
func (mk *marker) exactAfter(text string, lower []byte, from int, word string, recent []tagged) bool {
	for _, t := range recent {
		if t.word == word && t.exact {
			return true
		}
	}
	for _, f := range mk.exact[word] {
		for off := from; off < len(lower); {
			i := bytes.Index(lower[off:], []byte(f))
			if i < 0 {
				break
			}
			i += off
			a := from
			if j := strings.LastIndexAny(text[from:i], " \t\n\r"); j >= 0 {
				a = from + j + 1
			}
			b := len(text)
			if j := strings.IndexAny(text[i+len(f):], " \t\n\r"); j >= 0 {
				b = i + len(f) + j
			}
			for _, t := range mk.piece(text, a, b, nil) {
				if t.word == word && t.exact {
					return true
				}
			}
			off = b
		}
	}
	return false
}

// appendLowerSameOffsets appends text in lower case (as strings.ToLower
// does it rune by rune) to b, and returns false when a rune's lower case
// has another UTF-8 length, so that offsets in the copy would not be
// offsets in text.
func appendLowerSameOffsets(b []byte, text string) ([]byte, bool) {
	for _, r := range text {
		if r < utf8.RuneSelf {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
			b = append(b, byte(r))
			continue
		}
		l := unicode.ToLower(r)
		if r == utf8.RuneError || utf8.RuneLen(l) != utf8.RuneLen(r) {
			return nil, false
		}
		b = utf8.AppendRune(b, l)
	}
	return b, true
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

// firstCandidate returns the byte offset in text of the first place where
// a word looked for (the first word of a compound) may start, or -1 when
// there is none: it searches a folded, lower-case copy of text for the
// words standing alone (not inside a longer run of ASCII letters and
// digits), which is far cheaper than tokenizing text, so a body
// matched only by its title or topics costs no analysis and a long one is
// analyzed from near its first match (the body keeps no term locations:
// see compound.go). It returns 0 (analyze it all) when text has a letter,
// mark or digit outside Latin (Vietnamese included) that does not fold to
// one ASCII letter, for which the copy could differ from the analyzer's
// folding; punctuation such as "–" and quotes is left as it is by both.
func (mk *marker) firstCandidate(text string) int {
	folded := make([]byte, 0, len(text))
	for _, r := range text {
		var ok bool
		if folded, ok = appendFoldedRuneFast(folded, r); !ok {
			return 0
		}
	}
	first := -1
	alnum := func(i int) bool {
		if i < 0 || i >= len(folded) {
			return false
		}
		c := folded[i]
		return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
	}
	// look finds w standing alone: not inside a longer run of letters
	// and digits (a token equal to w is such a place).
	look := func(w string) {
		for off := 0; off < len(folded); {
			i := bytes.Index(folded[off:], []byte(w))
			if i < 0 {
				return
			}
			i += off
			if first >= 0 && i >= first {
				return
			}
			if !alnum(i-1) && !alnum(i+len(w)) {
				first = i
				return
			}
			off = i + 1
		}
	}
	for w := range mk.words {
		look(w)
	}
	for _, p := range mk.phrases {
		look(p[0])
	}
	if first < 0 {
		return -1
	}
	// The rune of text whose folded bytes hold folded[first].
	n := 0
	for i, r := range text {
		folded, _ = appendFoldedRuneFast(folded[:0], r)
		if n += len(folded); n > first {
			return i
		}
	}
	return 0 // cannot happen
}

// appendFoldedRune appends r to dst as firstCandidate's folded copy has
// it: ASCII lower-cased, Latin and Vietnamese letters folded to one
// lower-case ASCII letter, other non-letters as they are; ok is false for
// a letter, mark or digit it cannot fold that way.
func appendFoldedRune(dst []byte, r rune) (_ []byte, ok bool) {
	if r < utf8.RuneSelf {
		c := byte(r)
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return append(dst, c), true
	}
	if r < 0x250 || r >= 0x1E00 && r <= 0x1EFF {
		var one, f [utf8.UTFMax]byte
		n := utf8.EncodeRune(one[:], r)
		if b := vietnamese.AppendFold(f[:0], one[:n]); len(b) == 1 && b[0] < utf8.RuneSelf {
			c := b[0]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			return append(dst, c), true
		}
	}
	if unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r) {
		return dst, false
	}
	return utf8.AppendRune(dst, r), true
}
