package search

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Counting the terms of the fields without term vectors.
//
// Most of what the index build analyzes is the body, into fields that keep
// no term vectors (body, all_f): what the segment needs of them is each
// term's count, not a token with its offsets and position per word. Such a
// field whose analyzer is the word tokenizer and filters that change one
// token at a time (NFC, lower case, fold) is analyzed as a list of terms:
// one string per stage, no token copies, each filter applied to the terms of
// the stage before (the lower-case filter is bleve's, run on each term that
// is not ASCII lower case already). Its counts go into a map the worker
// reuses, and the field gets a map of exactly the size it needs. The fields
// with term vectors (title_f, summary_f, topics_f: short texts) and the
// other analyzers go through sharedAnalysis's tokens, as before.
// TestSegmentEqualsBleveAnalysis checks that the segment's bytes are the
// same as with bleve's own analysis.

// docAnalyzer analyzes the documents of an index build one at a time (one
// per goroutine), keeping its scratch space from one document to the next.
type docAnalyzer struct {
	im    *mapping.IndexMappingImpl
	words wordSplitter
	arena []wordSpan // the words of the document's texts (sharedAnalysis.wordsOf)
	// The lists a document's analysis grows (sharedAnalysis's stages, the
	// fields to count), kept empty from one document to the next.
	stages     []analysisStage
	wordStages []wordStage
	termStages []termStage
	pending    []countedField
	counts     map[string]int32 // term counts of the field being counted
	freqs      *freqPool        // where emit takes its maps from (the segment writer gives them back)
	keys       []string         // scratch for emit
	buf        []byte           // scratch for one term
	// scratch is where a text's list of terms is written before its string
	// is made (firstStage, filterTerms), kept from one list to the next.
	scratch []byte
	lower   lowercase.LowerCaseFilter
	one     [1]*analysis.Token // a stream of one token, for bleve's lower-case filter
	tok     analysis.Token
}

func newDocAnalyzer(im *mapping.IndexMappingImpl, freqs *freqPool) *docAnalyzer {
	return &docAnalyzer{im: im, counts: make(map[string]int32), freqs: freqs}
}

// analyze maps and analyzes d, returning it with its fields marked as
// analyzed.
func (a *docAnalyzer) analyze(d preparedDoc) (index.Document, error) {
	doc := document.NewDocument(d.url)
	fields, err := d.fields()
	if err != nil {
		return nil, err
	}
	body, _ := fields[fieldBody].(string)
	fields[fieldBody] = "" // its fields get the text below, one copy for the three
	if err := a.im.MapDocument(doc, fields); err != nil {
		return nil, fmt.Errorf("search: indexing %s: %w", d.url, err)
	}
	if err := shareBody(doc, []byte(body)); err != nil {
		return nil, fmt.Errorf("search: indexing %s: %w", d.url, err)
	}
	a.analyzeFields(doc)
	return doc, nil
}

// shareBody gives the body's fields of doc, mapped from an empty body, the text body:
// bleve's mapping copies a text into a new slice for each field it goes into, and the
// body, an article's longest text by far, goes into three (≈ 0.4 GB of allocation per
// 20,000 template articles). No analysis writes into a field's text (sharedAnalysis
// copies what it changes), so the three can share one copy.
// TestSegmentEqualsBleveAnalysis checks the segment's bytes are bleve's own mapping's.
func shareBody(doc *document.Document, body []byte) error {
	bodyFields := [...]string{fieldBody, fieldBodyC, fieldAllF} // in the order newMapping adds them
	for i, f := range doc.Fields {
		if f.Name() != bodyFields[0] {
			continue
		}
		if i+len(bodyFields) > len(doc.Fields) {
			return fmt.Errorf("the body's fields are not where the mapping puts them")
		}
		for k, name := range bodyFields {
			tf, ok := doc.Fields[i+k].(*document.TextField)
			if !ok || tf.Name() != name || len(tf.Value()) != 0 {
				return fmt.Errorf("the body's fields are not where the mapping puts them (%s at %d)", doc.Fields[i+k].Name(), k)
			}
			doc.Fields[i+k] = document.NewTextFieldCustom(name, tf.ArrayPositions(), body, tf.Options(), tf.Analyzer())
		}
		return nil
	}
	return fmt.Errorf("the mapping made no field of the body")
}

// termList is the terms of a text at one stage of its analysis: term i is
// all[ends[i-1]:ends[i]].
type termList struct {
	all  string
	ends []int32
}

func (l termList) term(i int) string {
	start := int32(0)
	if i > 0 {
		start = l.ends[i-1]
	}
	return l.all[start:l.ends[i]]
}

// termStage is text's terms after tok and filters.
type termStage struct {
	text    []byte
	tok     analysis.Tokenizer
	filters []analysis.TokenFilter
	terms   termList
}

// countable reports whether an's terms can be listed without tokens: the
// word tokenizer and filters that change one token at a time.
func (s *sharedAnalysis) countable(an analysis.Analyzer) (*analysis.DefaultAnalyzer, bool) {
	da, ok := an.(*analysis.DefaultAnalyzer)
	if !ok || len(da.CharFilters) > 0 {
		return nil, false
	}
	if _, ok := da.Tokenizer.(*unicode.UnicodeTokenizer); !ok {
		return nil, false
	}
	for _, f := range da.TokenFilters {
		switch f.(type) {
		case nfcFilter:
			if !s.nfc {
				return nil, false
			}
		case *lowercase.LowerCaseFilter, foldFilter:
		default:
			return nil, false
		}
	}
	return da, true
}

// terms returns the terms da gives for text, continuing from the longest
// stage already listed, or from the text's word tokens.
func (s *sharedAnalysis) terms(a *docAnalyzer, da *analysis.DefaultAnalyzer, text []byte) termList {
	var from *termStage
	for i := range s.termStages {
		st := &s.termStages[i]
		if len(st.filters) <= len(da.TokenFilters) && (from == nil || len(st.filters) > len(from.filters)) &&
			sameComponent(st.tok, da.Tokenizer) && prefixOf(st.filters, da.TokenFilters) && bytes.Equal(st.text, text) {
			from = st
		}
	}
	if from == nil {
		words := s.wordsOf(text) // da's tokenizer is the word tokenizer (countable)
		s.termStages = append(s.termStages, a.firstStage(da, text, words))
		from = &s.termStages[len(s.termStages)-1]
	}
	st := *from
	for i := len(st.filters); i < len(da.TokenFilters); i++ {
		st.terms = a.filterTerms(da.TokenFilters[i], st.terms)
		st.filters = da.TokenFilters[:i+1]
		s.termStages = append(s.termStages, st)
	}
	return st.terms
}

// firstStage is the first stage of da's terms of text, whose words are
// words: the words themselves, after the NFC filters da begins with (which
// change nothing: the text is NFC, see countable) — or, when the lower-case
// filter comes next, the words in lower case, listed from the text at once,
// so that the words as they are (which no analyzer of the index counts)
// are not copied into a list of their own first.
func (a *docAnalyzer) firstStage(da *analysis.DefaultAnalyzer, text []byte, words []wordSpan) termStage {
	k := 0
	for k < len(da.TokenFilters) {
		if _, ok := da.TokenFilters[k].(nfcFilter); !ok {
			break
		}
		k++
	}
	ends := make([]int32, len(words))
	b := a.scratch[:0]
	lower := false
	if k < len(da.TokenFilters) {
		_, lower = da.TokenFilters[k].(*lowercase.LowerCaseFilter)
	}
	for i, w := range words {
		if lower {
			b = appendLower(a, b, text[w.start:w.end])
		} else {
			b = append(b, text[w.start:w.end]...)
		}
		ends[i] = int32(len(b))
	}
	if lower {
		k++
	}
	a.scratch = b[:0]
	return termStage{text: text, tok: da.Tokenizer, filters: da.TokenFilters[:k], terms: termList{string(b), ends}}
}

// filterTerms is f (see countable) on each term of l. The terms are
// written into a.scratch, then copied once into the list's string.
func (a *docAnalyzer) filterTerms(f analysis.TokenFilter, l termList) termList {
	if _, ok := f.(nfcFilter); ok { // the text is NFC (countable)
		return l
	}
	_, fold := f.(foldFilter)
	b := a.scratch[:0]
	ends := make([]int32, len(l.ends))
	for i := range l.ends {
		t := l.term(i)
		switch {
		case !fold:
			b = appendLower(a, b, t)
		case isASCII(t):
			b = append(b, t...)
		default:
			a.buf = append(a.buf[:0], t...)
			b = vietnamese.AppendFold(b, a.buf)
		}
		ends[i] = int32(len(b))
	}
	a.scratch = b[:0]
	return termList{string(b), ends}
}

// appendLower appends t in lower case, as bleve's lower-case filter gives
// it: ASCII here, anything else by the filter itself, on a copy (a's).
func appendLower[T string | []byte](a *docAnalyzer, dst []byte, t T) []byte {
	ascii, upper := true, false
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c >= 0x80 {
			ascii = false
			break
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if ascii {
		if !upper {
			return append(dst, t...)
		}
		for i := 0; i < len(t); i++ {
			c := t[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		return dst
	}
	start := len(dst)
	dst = append(dst, t...)
	a.tok = analysis.Token{Term: dst[start:len(dst):len(dst)]}
	a.one[0] = &a.tok
	a.lower.Filter(a.one[:])
	res := a.tok.Term
	a.tok, a.one[0] = analysis.Token{}, nil
	return append(dst[:start], res...) // res is dst[start:] shortened, or a new slice
}

// emit returns the counts of a.counts as a field's token frequencies (the
// counts left out when o skips them), and empties a.counts. The map and its
// TokenFreqs come from a.freqs (freqpool.go) and have room for the terms;
// its keys, and the terms, are copies in one string and one slice.
func (a *docAnalyzer) emit(o index.FieldIndexingOptions) *freqSet {
	keys := a.keys[:0]
	size := 0
	for k := range a.counts {
		keys = append(keys, k)
		size += len(k)
	}
	if len(keys) == 0 {
		return &freqSet{m: make(index.TokenFrequencies), class: -1}
	}
	var b strings.Builder
	b.Grow(size)
	for _, k := range keys {
		b.WriteString(k)
	}
	all := b.String()
	terms := []byte(all)
	set := a.freqs.get(len(keys))
	freqs, tfs := set.m, set.tfs
	count := !o.SkipFreqNorm()
	at := 0
	for i, k := range keys {
		end := at + len(k)
		tf := &tfs[i]
		tf.Term = terms[at:end:end]
		if count {
			tf.SetFrequency(int(a.counts[k]))
		}
		freqs[all[at:end]] = tf
		at = end
	}
	clear(keys)
	a.keys = keys[:0]
	clear(a.counts)
	return set
}
