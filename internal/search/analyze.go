package search

import (
	"bytes"
	"cmp"
	"slices"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
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
// text, the token stream after each filter (from the lower-case filter
// on: no analyzer takes the tokens before it, see firstStage), and
// analyzes a field by continuing from the longest stage its analyzer
// shares. The result is what bleve's own analysis gives, field by field
// (TestSharedAnalysisEqualsBleve).

// sharedAnalysis holds the analysis stages of one document's texts.
type sharedAnalysis struct {
	stages []analysisStage
	// nfc is set when every text analyzed is NFC already (a prepared
	// document's are: prepareDoc, withBody), so the NFC filter, which
	// would change no token, is skipped: a token of an NFC text, cut at
	// word boundaries, is NFC.
	nfc bool
	// words does the work of bleve's unicode tokenizer (words.go).
	words *wordSplitter
	// wordStages are the texts' words (wordsOf), their spans cut from
	// arena, which the document's analyzer reuses from one document to
	// the next.
	wordStages []wordStage
	arena      []wordSpan
	// termStages are the texts' terms, for the fields counted without
	// tokens (terms.go).
	termStages []termStage
}

// tokenize returns tok's tokens of text, from s.wordsOf when tok is
// bleve's unicode tokenizer.
func (s *sharedAnalysis) tokenize(tok analysis.Tokenizer, text []byte) analysis.TokenStream {
	if isWordTokenizer(tok) {
		return wordTokens(text, s.wordsOf(text))
	}
	return tok.Tokenize(text)
}

func isWordTokenizer(tok analysis.Tokenizer) bool {
	_, ok := tok.(*unicode.UnicodeTokenizer)
	return ok
}

// wordStage is a text's words, as the word tokenizer finds them.
type wordStage struct {
	text  []byte
	spans []wordSpan
}

// wordsOf returns the words of text (bleve's unicode tokenizer's, as
// spans of it; not to be changed by the caller), splitting each text of
// the document once: the body's words are listed as terms twice (body,
// all_f) and joined into compounds (body_c) without a token per word.
func (s *sharedAnalysis) wordsOf(text []byte) []wordSpan {
	for _, st := range s.wordStages {
		if bytes.Equal(st.text, text) {
			return st.spans
		}
	}
	n := len(s.arena)
	s.arena = s.words.appendWords(s.arena, text)
	spans := s.arena[n:len(s.arena):len(s.arena)]
	s.wordStages = append(s.wordStages, wordStage{text: text, spans: spans})
	return spans
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
		s.stages = append(s.stages, s.firstStage(da, text))
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

// firstStage is the first stage of da's tokens of text: its tokenizer's
// tokens, after the NFC filters da begins with when they change nothing
// (s.nfc) and, when the lower-case filter comes next, after it too: it
// runs on the new tokens, whose terms are slices of a copy of text, in
// place, rather than on a copy of them. No analyzer of the index takes
// the tokens before lower case (TestTokenStagesOfATitle).
func (s *sharedAnalysis) firstStage(da *analysis.DefaultAnalyzer, text []byte) analysisStage {
	own := append([]byte(nil), text...) // tokens are slices of it
	toks := s.tokenize(da.Tokenizer, own)
	k := 0
	for k < len(da.TokenFilters) && s.nfc {
		if _, ok := da.TokenFilters[k].(nfcFilter); !ok {
			break
		}
		k++
	}
	if k < len(da.TokenFilters) {
		if f, ok := da.TokenFilters[k].(*lowercase.LowerCaseFilter); ok {
			toks = f.Filter(toks)
			k++
		}
	}
	// text, not own, is the stage's key: own's bytes are the lower-case
	// filter's now.
	return analysisStage{text: text, tok: da.Tokenizer, filters: da.TokenFilters[:k], tokens: toks}
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
	set    *freqSet // where freqs is from when emit made it (nil: analysis.TokenFrequency did)
}

func (analyzedField) Analyze()                                           {}
func (f analyzedField) AnalyzedLength() int                              { return f.length }
func (f analyzedField) AnalyzedTokenFrequencies() index.TokenFrequencies { return f.freqs }

// analyzeFields analyzes doc's indexed fields, sharing work between the
// fields of one text, and marks them analyzed.
// Its texts must be NFC (those of a preparedDoc are).
//
// The fields of one name that keep no term vectors and are neither stored
// nor doc values (all_f, which every text goes into; head, head_f, pairs_f
// and topics, once per topic; the keyword filters) become one field: the
// first of them, with the terms of all of them counted in one map and
// their lengths added. The segment writer would do exactly that itself
// (it merges the frequencies of a document's fields of one name into the
// first one's, growing a map that was sized for a title by a body's
// terms); counted here, each name takes one map of the right size.
// A field without term vectors is counted from its list of terms when its
// analyzer allows (terms.go), from its tokens otherwise.
// TestSegmentEqualsBleveAnalysis checks that the segment's bytes do not
// change.
func (a *docAnalyzer) analyzeFields(doc *document.Document) {
	s := sharedAnalysis{nfc: true, words: &a.words, arena: a.arena[:0],
		stages: a.stages[:0], wordStages: a.wordStages[:0], termStages: a.termStages[:0]}
	out := doc.Fields[:0]      // each field is read before its slot is written
	groups := map[string]int{} // name → index in out of the field counting the name's fields
	pending := a.pending[:0]
	for _, f := range doc.Fields {
		opts := f.Options()
		if !opts.IsIndexed() {
			out = append(out, preAnalyzed{f})
			continue
		}
		tf, ok := f.(*document.TextField)
		if !ok || tf.Analyzer() == nil {
			f.Analyze()
			out = append(out, preAnalyzed{f})
			continue
		}
		if opts.IncludeTermVectors() {
			toks := s.analyze(tf.Analyzer(), tf.Value())
			set := a.tokenFrequency(toks, tf.ArrayPositions(), opts)
			out = append(out, analyzedField{Field: f, length: len(toks), freqs: set.m, set: set})
			continue
		}
		j, grouped := groups[f.Name()]
		if !grouped || !countedTogether(opts) {
			j = len(out)
			out = append(out, analyzedField{Field: f})
			if countedTogether(opts) {
				groups[f.Name()] = j
			}
		}
		pending = append(pending, countedField{at: j, an: tf.Analyzer(), text: tf.Value()})
	}
	// Count each field's terms (a group's fields one after the other).
	slices.SortStableFunc(pending, func(x, y countedField) int { return cmp.Compare(x.at, y.at) })
	for i := 0; i < len(pending); {
		at := pending[i].at
		length := 0
		for ; i < len(pending) && pending[i].at == at; i++ {
			p := pending[i]
			if da, ok := s.countable(p.an); ok {
				l := s.terms(a, da, p.text)
				for k := range l.ends {
					a.counts[l.term(k)]++
				}
				length += len(l.ends)
				continue
			}
			toks := s.analyze(p.an, p.text)
			for _, t := range toks {
				a.counts[string(t.Term)]++
			}
			length += len(toks)
		}
		af := out[at].(analyzedField)
		set := a.emit(af.Options())
		af.length, af.freqs, af.set = length, set.m, set
		out[at] = af
	}
	clear(doc.Fields[len(out):])
	doc.Fields = out
	// For the next document, holding nothing of this one's (spans are
	// offsets: nothing to clear).
	a.arena = s.arena[:0]
	clear(s.stages)
	clear(s.wordStages)
	clear(s.termStages)
	clear(pending)
	a.stages, a.wordStages, a.termStages, a.pending = s.stages[:0], s.wordStages[:0], s.termStages[:0], pending[:0]
}

// countedField is a field whose terms are counted, into the field at
// index at of the document's fields.
type countedField struct {
	at   int
	an   analysis.Analyzer
	text []byte
}

// countedTogether reports whether a document's fields of one name with
// options o can be one field: what the index keeps of them is each term's
// count and their total length.
func countedTogether(o index.FieldIndexingOptions) bool {
	return o.IsIndexed() && !o.IncludeTermVectors() && !o.IsStored() && !o.IncludeDocValues()
}

// compounds returns the compound runs of text through filters, taking the
// words from the text's word stage (wordsOf), so the text is not
// tokenized twice. The runs are new tokens, so the filters may
// change them in place.
func (s *sharedAnalysis) compounds(ct *compoundTokenizer, filters []analysis.TokenFilter, text []byte) analysis.TokenStream {
	var toks analysis.TokenStream
	if isWordTokenizer(ct.words) {
		toks = compoundRunSpans(text, s.wordsOf(text))
	} else {
		toks = compoundRuns(text, ct.words.Tokenize(text))
	}
	for _, f := range filters {
		if _, ok := f.(nfcFilter); !ok || !s.nfc {
			toks = f.Filter(toks)
		}
	}
	return toks
}

// tokenFrequency is analysis.TokenFrequency(toks, arrayPositions, o) for a
// field with term vectors (the same terms, counts and locations, in token
// order): its map and TokenFreqs from a.freqs, like emit's, for as many
// terms as tokens (bleve's map is made for as many), and its locations and
// their pointers in one slice each, where bleve allocates a TokenFreq and a
// growing list of locations per term besides its key
// (TestSharedAnalysisEqualsBleve compares the two).
func (a *docAnalyzer) tokenFrequency(toks analysis.TokenStream, arrayPositions []uint64, o index.FieldIndexingOptions) *freqSet {
	if len(toks) == 0 {
		return &freqSet{m: make(index.TokenFrequencies), class: -1}
	}
	set := a.freqs.get(len(toks))
	// Each term's TokenFreq, in the order of the terms' first tokens,
	// counting its tokens.
	n := 0
	for _, t := range toks {
		tf := set.m[string(t.Term)]
		if tf == nil {
			tf = &set.tfs[n]
			n++
			tf.Term = t.Term
			set.m[string(t.Term)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
	}
	locs := make([]index.TokenLocation, len(toks))
	ptrs := make([]*index.TokenLocation, len(toks))
	at := 0
	for i := range n {
		tf := &set.tfs[i]
		c := tf.Frequency()
		tf.Locations = ptrs[at : at : at+c]
		at += c
		if o.SkipFreqNorm() {
			tf.SetFrequency(0)
		}
	}
	for i, t := range toks {
		tf := set.m[string(t.Term)]
		locs[i] = index.TokenLocation{ArrayPositions: arrayPositions, Start: t.Start, End: t.End, Position: t.Position}
		tf.Locations = append(tf.Locations, &locs[i])
	}
	return set
}
