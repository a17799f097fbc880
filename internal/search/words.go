package search

import (
	"strings"
	"unicode/utf8"

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
// Text that is not UTF-8 (a prepared document's is), or that the segmenter
// does not take whole in one call, goes to bleve's tokenizer.

// wordSplitter splits texts into word tokens, reusing its lists from one
// text to the next (one per goroutine).
//
// Most of a Vietnamese text is plain words between spaces, which need no
// state machine: split cuts the text at spaces, tabs and line breaks into
// chunks, takes a chunk of Latin letters (Vietnamese ones included), or of
// ASCII digits, with only punctuation before or after it (" (Hà, " →
// "Hà") as one word, and asks the segmenter for the words of any other
// chunk ("64/2007/NĐ-CP", "kinh-tế", "5G"). A chunk's words do not depend
// on the text around it: UAX #29 never joins across a space or line break,
// except for marks and format characters, which attach to what precedes
// them; so a text with a chunk that begins with anything but an ASCII
// character, a Latin letter or common punctuation is segmented whole.
type wordSplitter struct {
	vals  [][]byte
	types []int
	spans []wordSpan
}

// wordSpan is a word of a text: text[start:end], of token type typ.
type wordSpan struct {
	start, end int
	typ        analysis.TokenType
}

// appendWords appends the words of text to dst, as spans: the words
// unicode.UnicodeTokenizer's Tokenize finds, without a token each (an
// index build lists most texts' terms, and joins a few into compounds,
// from the spans alone: sharedAnalysis.wordsOf).
func (w *wordSplitter) appendWords(dst []wordSpan, text []byte) []wordSpan {
	n := len(dst)
	if utf8.Valid(text) { // a prepared document's text is; the segmenter does odd things with bytes that are not
		spans, ok := w.chunks(text, dst)
		if !ok {
			spans, ok = w.segment(text, 0, spans[:n])
		}
		if ok {
			return spans
		}
		dst = spans[:n]
	}
	for _, t := range unicode.NewUnicodeTokenizer().Tokenize(text) {
		dst = append(dst, wordSpan{t.Start, t.End, t.Type})
	}
	return dst
}

// wordTokens is the token stream of the words spans of text, as bleve's
// unicode tokenizer gives it: terms are slices of text, positions count
// from 1, and no words is an empty stream, not nil.
func wordTokens(text []byte, spans []wordSpan) analysis.TokenStream {
	if len(spans) == 0 {
		return make(analysis.TokenStream, 0, 1)
	}
	all := make([]analysis.Token, len(spans))
	out := make(analysis.TokenStream, len(spans))
	for k, sp := range spans {
		all[k] = analysis.Token{Term: text[sp.start:sp.end:len(text)], Start: sp.start, End: sp.end, Position: k + 1, Type: sp.typ}
		out[k] = &all[k]
	}
	return out
}

// chunks appends the words of text to spans chunk by chunk (see
// wordSplitter), or reports false when the text must be segmented whole.
func (w *wordSplitter) chunks(text []byte, spans []wordSpan) ([]wordSpan, bool) {
	for i := 0; i < len(text); {
		if isWordSeparator(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && !isWordSeparator(text[j]) {
			j++
		}
		r, _ := utf8.DecodeRune(text[i:j])
		if !safeChunkStart(r) {
			return spans, false
		}
		if sp, simple := plainWord(text, i, j); simple {
			if sp.end > sp.start {
				spans = append(spans, sp)
			}
		} else {
			var ok bool
			if spans, ok = w.segment(text[i:j], i, spans); !ok {
				return spans, false
			}
		}
		i = j
	}
	return spans, true
}

// segment appends the words the segmenter finds in chunk, which starts at
// offset off of the text.
func (w *wordSplitter) segment(chunk []byte, off int, spans []wordSpan) ([]wordSpan, bool) {
	if want := len(chunk)/2 + 8; cap(w.vals) < want {
		w.vals, w.types = make([][]byte, 0, want), make([]int, 0, want)
	}
	vals, types, n, err := segment.SegmentWordsDirect(chunk, w.vals[:0], w.types[:0])
	start := off
	for i, v := range vals {
		end := start + len(v)
		if types[i] != segment.None {
			spans = append(spans, wordSpan{start, end, tokenType(types[i])})
		}
		start = end
	}
	clear(vals) // the segments are slices of the text: do not keep it
	w.vals, w.types = vals[:0], types[:0]
	return spans, err == nil && n == len(chunk)
}

func isWordSeparator(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// safeChunkStart reports whether a chunk beginning with r is segmented the
// same alone as in its text: r is none of the marks and format characters
// that UAX #29 attaches to the character before them.
func safeChunkStart(r rune) bool {
	return r < utf8.RuneSelf || latinLetter(r) || strings.ContainsRune("“”‘’«»–—…•", r)
}

// latinLetter reports whether r is a letter of the Latin blocks up to
// Latin Extended-B, or of Latin Extended Additional (Vietnamese's
// precomposed letters): all of them word letters (ALetter) in UAX #29.
func latinLetter(r rune) bool {
	return r >= 0xC0 && r <= 0x24F && r != 0xD7 && r != 0xF7 || r >= 0x1E00 && r <= 0x1EFF
}

// plainWord reports whether text[i:j], a chunk, is at most one plain word
// with punctuation around it (see wordSplitter), and returns the word (an
// empty span when there is none).
func plainWord(text []byte, i, j int) (wordSpan, bool) {
	k := i
	for k < j && strings.IndexByte("([{\"'", text[k]) >= 0 {
		k++
	}
	for k < j {
		r, size := utf8.DecodeRune(text[k:j])
		if !strings.ContainsRune("“‘«", r) {
			break
		}
		k += size
	}
	start, typ := k, segment.None
	switch {
	case k < j && isDigit(text[k]):
		for k < j && isDigit(text[k]) {
			k++
		}
		typ = segment.Number
	default:
		for k < j {
			c := text[k]
			if c < utf8.RuneSelf {
				if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
					k++
					continue
				}
				break
			}
			r, size := utf8.DecodeRune(text[k:j])
			if !latinLetter(r) {
				break
			}
			k += size
		}
		if k > start {
			typ = segment.Letter
		}
	}
	end := k
	for k < j {
		c := text[k]
		if c < utf8.RuneSelf {
			if strings.IndexByte(".,;:!?)]}\"'%", c) < 0 {
				return wordSpan{}, false
			}
			k++
			continue
		}
		r, size := utf8.DecodeRune(text[k:j])
		if !strings.ContainsRune("”’»…", r) {
			return wordSpan{}, false
		}
		k += size
	}
	return wordSpan{start, end, tokenType(typ)}, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

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
