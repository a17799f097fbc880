package search

import (
	"bytes"
	"slices"
	"strings"
)

// Excerpts of queries of plain words only (no compound such as a
// document number, whose words are matched at consecutive token
// positions) are found without tokenizing the body piece by piece: the
// places where a query word may stand (standing alone in the folded copy
// of firstCandidate) are listed first, and only the space-separated run of
// text around each is analyzed, in order, until the matches reach
// excerptScope past the first one kept. A run between spaces is analyzed
// the same alone as within the text (the pieces of excerptSpans are cut at
// spaces for the same reason), and every token that folds to a query word
// is such a place, so the matches are those of analyzing the text.

// excerptSlack is how far past excerptScope runs are still analyzed, so
// that a match just past it that would merge with one before it (see
// mergeSpans) is there as when the whole text is analyzed.
const excerptSlack = 64

const spaces = " \t\n\r"

// candidates returns the byte offsets in text, ascending, of every place
// where a plain word looked for or the first word of a compound may start
// (see firstCandidate), and false when text cannot be folded that way.
func (mk *marker) candidates(text string) ([]int, bool) {
	folded := mk.buf.folded[:0]
	offs := mk.buf.offs[:0] // offs[i]: the rune of text that folded[i] comes from
	defer func() { mk.buf.folded, mk.buf.offs = folded, offs }()
	for i, r := range text {
		n := len(folded)
		var ok bool
		if folded, ok = appendFoldedRuneFast(folded, r); !ok {
			return nil, false
		}
		for range len(folded) - n {
			offs = append(offs, int32(i))
		}
	}
	alnum := func(i int) bool {
		if i < 0 || i >= len(folded) {
			return false
		}
		c := folded[i]
		return 'a' <= c && c <= 'z' || '0' <= c && c <= '9'
	}
	out := mk.buf.cands[:0]
	defer func() { mk.buf.cands = out }()
	look := func(w string) {
		for off := 0; off < len(folded); {
			i := bytes.Index(folded[off:], []byte(w))
			if i < 0 {
				break
			}
			i += off
			if !alnum(i-1) && !alnum(i+len(w)) {
				out = append(out, int(offs[i]))
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
	slices.Sort(out)
	out = slices.Compact(out)
	return out, true
}

// excerptBuffers are a marker's scratch slices for candidates and
// excerptRuns.
type excerptBuffers struct {
	folded, lower []byte
	offs          []int32
	cands         []int
	tags          []tagged
	analyzed      int // bytes of text analyzed so far (TestExcerptAnalyzesLittle)
}

// excerptRuns is excerptSpans for a marker without compounds, given the
// candidates of text.
func (mk *marker) excerptRuns(text string, cands []int) []span {
	var lower []byte
	exists := map[string]bool{} // answered words: has a match typed (see excerptSpans)
	out := mk.buf.tags[:0]
	defer func() { mk.buf.tags = out }()
	done := 0 // end of the last run analyzed
	for _, c := range cands {
		if c < done {
			continue
		}
		if kept := keepExact(out, exists); len(kept) > 0 && c >= kept[0].start+excerptScope+excerptSlack {
			break
		}
		a := 0
		if j := strings.LastIndexAny(text[:c], spaces); j >= 0 {
			a = j + 1
		}
		b := len(text)
		if j := strings.IndexAny(text[c:], spaces); j >= 0 {
			b = c + j
		}
		n := len(out)
		out = mk.piece(text, a, b, out)
		done = b
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
				if lower, ok = appendLowerSameOffsets(mk.buf.lower[:0], text); !ok {
					return mergeSpans(text, preferExact(mk.piece(text, 0, len(text), nil)))
				}
				mk.buf.lower = lower
			}
			exists[t.word] = mk.exactAfter(text, lower, 0, t.word, nil)
		}
	}
	return mergeSpans(text, keepExact(out, exists))
}

// keepExact returns the spans of ts, leaving out the matches of a word
// known to have a match with a typed spelling that are not one.
func keepExact(ts []tagged, exists map[string]bool) []span {
	out := make([]span, 0, len(ts))
	for _, t := range ts {
		if t.word != "" && !t.exact && exists[t.word] {
			continue
		}
		out = append(out, t.span)
	}
	return out
}

// foldTable holds appendFoldedRune's answer for every rune below
// foldTableSize and every rune of the Latin Extended Additional block
// (the Vietnamese letters with tone marks), which are nearly all the runes
// of an article: the byte appended, or foldSlow where the rune has no
// one-byte answer. It is computed once from appendFoldedRune and never
// changed.
type foldTable struct{ low, vi [256]byte }

const (
	foldTableSize = 256
	foldSlow      = 0xFF
)

var latinFolds = func() *foldTable {
	t := &foldTable{}
	for i := range 2 * foldTableSize {
		r, dst := rune(i), &t.low[i%foldTableSize]
		if i >= foldTableSize {
			r, dst = 0x1E00+rune(i-foldTableSize), &t.vi[i-foldTableSize]
		}
		*dst = foldSlow
		if b, ok := appendFoldedRune(nil, r); ok && len(b) == 1 && b[0] < 0x80 {
			*dst = b[0]
		}
	}
	return t
}()

// appendFoldedRuneFast is appendFoldedRune with the answers of foldTable
// looked up.
func appendFoldedRuneFast(dst []byte, r rune) ([]byte, bool) {
	var c byte = foldSlow
	switch {
	case r < foldTableSize:
		c = latinFolds.low[r]
	case r >= 0x1E00 && r < 0x1E00+foldTableSize:
		c = latinFolds.vi[r-0x1E00]
	}
	if c != foldSlow {
		return append(dst, c), true
	}
	return appendFoldedRune(dst, r)
}
