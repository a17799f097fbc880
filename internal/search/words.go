package search

import (
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/segment"
)

// Word tokens of the index build.
//
// bleve's unicode tokenizer (the analyzers' word tokenizer, UAX #29 word
// boundaries by github.com/blevesearch/segment) asks the segmenter for one
// segment at a time, and each request allocates the segmenter's two result
// slices and restarts its state machine: an article's body is some 4,000
// segments (words, spaces, punctuation). wordSplitter asks for every segment
// of a text in one call and makes the same tokens: the same terms (slices
// of the text), offsets, positions and types (TestWordSplitterEqualsBleve, FuzzWordSplitter).
// When the segmenter does not take the whole text in one call (it stops
// early on bytes that are not UTF-8, which a prepared document has none
// of), bleve's tokenizer does the text.

// wordSplitter splits texts into word tokens, reusing its segment lists
// from one text to the next (one per goroutine).
type wordSplitter struct {
	vals  [][]byte
	types []int
}

// split returns the word tokens of text, as unicode.UnicodeTokenizer's
// Tokenize does.
func (w *wordSplitter) split(text []byte) analysis.TokenStream {
	if want := len(text)/2 + 8; cap(w.vals) < want {
		w.vals, w.types = make([][]byte, 0, want), make([]int, 0, want)
	}
	vals, types, n, err := segment.SegmentWordsDirect(text, w.vals[:0], w.types[:0])
	defer func() {
		clear(vals) // the segments are slices of text: do not keep it
		w.vals, w.types = vals[:0], types[:0]
	}()
	if err != nil || n != len(text) {
		return unicode.NewUnicodeTokenizer().Tokenize(text)
	}
	words := 0
	for _, t := range types {
		if t != segment.None {
			words++
		}
	}
	if words == 0 {
		return make(analysis.TokenStream, 0, 1) // as bleve's: empty, not nil
	}
	all := make([]analysis.Token, words)
	out := make(analysis.TokenStream, words)
	start, k := 0, 0
	for i, v := range vals {
		end := start + len(v)
		if types[i] != segment.None {
			all[k] = analysis.Token{Term: v, Start: start, End: end, Position: k + 1, Type: tokenType(types[i])}
			out[k] = &all[k]
			k++
		}
		start = end
	}
	return out
}

// tokenType is the analysis token type of a segment type, as bleve's
// unicode tokenizer gives it.
func tokenType(t int) analysis.TokenType {
	switch t {
	case segment.Ideo, segment.Kana:
		return analysis.Ideographic
	case segment.Number:
		return analysis.Numeric
	}
	return analysis.AlphaNumeric
}
