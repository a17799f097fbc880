package search

import (
	"bytes"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// Shared analysis of a document's fields.
//
// Each text is indexed into several fields: an article's body into body
// (vi_exact), body_f and all_f (vi_folded); its title into six. bleve
// analyzes every field on its own, so the body was tokenized three times
// and folded twice. But vi_folded is vi_exact plus the fold filter, and
// vi_pairs is vi_folded plus the pairs filter: the analyzers share their
// tokenizer and a prefix of their filters. sharedAnalysis keeps, per
// text, the token stream after the tokenizer and after each filter, and
// analyzes a field by continuing from the longest stage its analyzer
// shares. The result is what bleve's own analysis gives, field by field
// (TestSharedAnalysisEqualsBleve).

// sharedAnalysis holds the analysis stages of one document's texts.
type sharedAnalysis struct {
	stages []analysisStage
	// nfc is set when every text analyzed is NFC already (a prepared
	// document's are: prepareDocs, withBody), so the NFC filter, which
	// would change no token, is skipped: a token of an NFC text, cut at
	// word boundaries, is NFC.
	nfc bool
}

// filter runs f on ts, a stored stage's tokens: on a copy of the tokens
// and their terms, of the tokens only for the fold filter, and not at all
// for the NFC filter on NFC text, which would return ts unchanged.
func (s *sharedAnalysis) filter(f analysis.TokenFilter, ts analysis.TokenStream) analysis.TokenStream {
	switch f.(type) {
	case nfcFilter:
		if s.nfc {
			return ts
		}
	case foldFilter: // sets each token's term, never writes into one
		all := make([]analysis.Token, len(ts))
		out := make(analysis.TokenStream, len(ts))
		for i, t := range ts {
			all[i] = *t
			out[i] = &all[i]
		}
		return f.Filter(out)
	}
	return f.Filter(copyTokens(ts))
}

// analysisStage is text after tok and filters. tokens is never changed
// once stored: a continuation works on a copy of the tokens and their
// terms.
type analysisStage struct {
	text    []byte
	tok     analysis.Tokenizer
	filters []analysis.TokenFilter
	tokens  analysis.TokenStream
}

// analyze returns an's tokens for text (not to be changed by the caller).
func (s *sharedAnalysis) analyze(an analysis.Analyzer, text []byte) analysis.TokenStream {
	da, ok := an.(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 || da.Tokenizer == nil {
		return an.Analyze(append([]byte(nil), text...))
	}
	if ct, ok := da.Tokenizer.(*compoundTokenizer); ok {
		return s.compounds(ct, da.TokenFilters, text)
	}
	var from *analysisStage
	for i := range s.stages {
		st := &s.stages[i]
		if len(st.filters) <= len(da.TokenFilters) && (from == nil || len(st.filters) > len(from.filters)) &&
			sameComponent(st.tok, da.Tokenizer) && prefixOf(st.filters, da.TokenFilters) && bytes.Equal(st.text, text) {
			from = st
		}
	}
	if from == nil {
		own := append([]byte(nil), text...) // tokens are slices of it
		s.stages = append(s.stages, analysisStage{text: own, tok: da.Tokenizer, tokens: da.Tokenizer.Tokenize(own)})
		from = &s.stages[len(s.stages)-1]
	}
	st := *from
	for i := len(st.filters); i < len(da.TokenFilters); i++ {
		st.tokens = s.filter(da.TokenFilters[i], st.tokens)
		st.filters = da.TokenFilters[:i+1]
		s.stages = append(s.stages, st)
	}
	return st.tokens
}

// copyTokens copies the tokens and their terms' bytes: some filters
// write into a term's bytes (bleve's lower-case filter does, when the
// lower-case letter is no longer), which must not change a stored stage.
func copyTokens(ts analysis.TokenStream) analysis.TokenStream {
	n := 0
	for _, t := range ts {
		n += len(t.Term)
	}
	buf := make([]byte, 0, n)
	all := make([]analysis.Token, len(ts))
	out := make(analysis.TokenStream, len(ts))
	for i, t := range ts {
		all[i] = *t
		start := len(buf)
		buf = append(buf, t.Term...)
		all[i].Term = buf[start:len(buf):len(buf)]
		out[i] = &all[i]
	}
	return out
}

// prefixOf reports whether a is a prefix of b, component by component.
func prefixOf(a, b []analysis.TokenFilter) bool {
	if len(a) > len(b) {
		return false
	}
	for i := range a {
		if !sameComponent(a[i], b[i]) {
			return false
		}
	}
	return true
}

// sameComponent reports whether two analysis components are the same
// one: equal interface values (a pointer to the same instance, or equal
// values of a comparable type). Values that cannot be compared are not
// the same.
func sameComponent(a, b any) (same bool) {
	defer func() {
		if recover() != nil {
			same = false
		}
	}()
	return a == b
}

// analyzedField is a text field analyzed by sharedAnalysis: bleve reads
// its length and token frequencies; its own Analyze must not run again.
type analyzedField struct {
	document.Field
	length int
	freqs  index.TokenFrequencies
}

func (analyzedField) Analyze()                                           {}
func (f analyzedField) AnalyzedLength() int                              { return f.length }
func (f analyzedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// analyzeFields analyzes doc's indexed fields, sharing work between the
// fields of one text, and marks them analyzed.
// Its texts must be NFC (those of a preparedDoc are).
func analyzeFields(doc *document.Document) {
	s := sharedAnalysis{nfc: true}
	for i, f := range doc.Fields {
		if !f.Options().IsIndexed() {
			doc.Fields[i] = preAnalyzed{f}
			continue
		}
		tf, ok := f.(*document.TextField)
		if !ok || tf.Analyzer() == nil {
			f.Analyze()
			doc.Fields[i] = preAnalyzed{f}
			continue
		}
		toks := s.analyze(tf.Analyzer(), tf.Value())
		doc.Fields[i] = analyzedField{Field: f, length: len(toks), freqs: analysis.TokenFrequency(toks, tf.ArrayPositions(), tf.Options())}
	}
}

// compounds returns the compound runs of text through filters, taking the
// words from the stage of ct's word tokenizer when there is one, so the
// text is not tokenized twice. The runs are new tokens, so the filters may
// change them in place.
func (s *sharedAnalysis) compounds(ct *compoundTokenizer, filters []analysis.TokenFilter, text []byte) analysis.TokenStream {
	var words *analysisStage
	for i := range s.stages {
		st := &s.stages[i]
		if len(st.filters) == 0 && sameComponent(st.tok, ct.words) && bytes.Equal(st.text, text) {
			words = st
			break
		}
	}
	if words == nil {
		own := append([]byte(nil), text...)
		s.stages = append(s.stages, analysisStage{text: own, tok: ct.words, tokens: ct.words.Tokenize(own)})
		words = &s.stages[len(s.stages)-1]
	}
	toks := compoundRuns(words.text, words.tokens)
	for _, f := range filters {
		if _, ok := f.(nfcFilter); !ok || !s.nfc {
			toks = f.Filter(toks)
		}
	}
	return toks
}
