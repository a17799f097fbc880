package search

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/registry"
)

// Compounds of the body.
//
// A document number ("64/2007/NĐ-CP") is several tokens joined by
// punctuation without spaces (see joined). The title, summary and topics
// find it as a phrase of their folded fields, which keep term positions.
// The body does not keep them: its positions and offsets were 40 % of the
// index, and its excerpts are highlighted by analyzing the page's few hits
// again (see marker). Instead, the body's compounds are indexed as terms of
// their own, in body_c: every run of 2 to maxCompoundRun consecutive tokens
// of a compound, folded and joined by a space ("64 2007", "64 2007 nd",
// "2007 nd cp", …). A compound typed in a query is then one term lookup
// (compoundTerms), which finds it as typed and by any part of it
// ("64/2007", "NĐ-CP"), like the phrase did, but only inside one compound
// of the text: "64/2007" no longer matches "khoản 64 2007".
//
// The query side joins the same folded tokens the same way: the
// analyzer is vi_compound = compound tokenizer → NFC → lower case → fold,
// one term per run, so the query's folded words joined by spaces are the
// run's term.

const (
	// AnalyzerCompound yields the runs of consecutive tokens of each
	// compound of a text (see above).
	AnalyzerCompound = "vi_compound"
	// compoundTokenizerType is the bleve registry name of the compound
	// tokenizer.
	compoundTokenizerType = "portal_vi_compounds"
	// maxCompoundRun is the longest run indexed: document numbers have at
	// most six parts ("1234/2024/QĐ-UBND-VX" has five); a longer compound
	// typed in a query is looked up as overlapping runs of this length.
	maxCompoundRun = 6
	// fieldBodyC holds the body's compound runs (no term vectors).
	fieldBodyC = "body_c"
)

func init() {
	if err := registry.RegisterTokenizer(compoundTokenizerType, newCompoundTokenizer); err != nil {
		panic(err)
	}
}

// compoundTokenizer tokenizes with words (bleve's unicode tokenizer) and
// yields the compounds' runs. Each run's term is the text's tokens joined
// by one space; Start and End are the run's byte offsets in the text.
type compoundTokenizer struct {
	words analysis.Tokenizer
}

func newCompoundTokenizer(_ map[string]interface{}, cache *registry.Cache) (analysis.Tokenizer, error) {
	words, err := cache.TokenizerNamed(unicode.Name)
	if err != nil {
		return nil, fmt.Errorf("search: compound tokenizer: %w", err)
	}
	return &compoundTokenizer{words: words}, nil
}

// Tokenize implements analysis.Tokenizer.
func (c *compoundTokenizer) Tokenize(text []byte) analysis.TokenStream {
	return compoundRuns(text, c.words.Tokenize(text))
}

// compoundRuns returns the runs of the compounds among words, the tokens
// of text (terms that are slices of it, as the word tokenizer's are).
func compoundRuns(text []byte, words analysis.TokenStream) analysis.TokenStream {
	spans := make([]wordSpan, len(words))
	for i, w := range words {
		spans[i] = wordSpan{w.Start, w.End, w.Type}
	}
	return compoundRunSpans(text, spans)
}

// compoundRunSpans returns the runs of the compounds among words, the
// words of text.
func compoundRunSpans(text []byte, words []wordSpan) analysis.TokenStream {
	var out analysis.TokenStream
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && joined(text, words[j-1].end, words[j].start) {
			j++
		}
		// words[i:j] is a compound when j-i ≥ 2.
		for a := i; a < j-1; a++ {
			for b := a + 2; b <= j && b-a <= maxCompoundRun; b++ {
				out = append(out, runToken(text, words[a:b], len(out)+1))
			}
		}
		i = j
	}
	return out
}

// runToken is the token of the run ws, words of text, at position pos.
func runToken(text []byte, ws []wordSpan, pos int) *analysis.Token {
	n := len(ws) - 1
	for _, w := range ws {
		n += w.end - w.start
	}
	term := make([]byte, 0, n)
	for k, w := range ws {
		if k > 0 {
			term = append(term, ' ')
		}
		term = append(term, text[w.start:w.end]...)
	}
	return &analysis.Token{Term: term, Start: ws[0].start, End: ws[len(ws)-1].end, Position: pos, Type: analysis.AlphaNumeric}
}
