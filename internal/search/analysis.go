package search

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/shingle"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Analysis.
//
// Vietnamese is written with spaces between syllables, so bleve's "unicode"
// tokenizer (Unicode word boundaries, UAX #29) yields one token per syllable:
// "Hà Tĩnh" → hà | tĩnh. It splits document numbers at "/" and "-":
// "64/2007/NĐ-CP" → 64 | 2007 | nđ | cp at consecutive positions, so a document
// number is searched as a phrase of its parts (see buildTextQuery), which
// finds it exactly as typed ("64/2007/NĐ-CP") and also by a prefix of it
// ("64/2007") without a dedicated tokenizer.
//
// No stop words are removed: "an ninh", "an toàn" and the folded "to" of "tổ"
// are real Vietnamese words. The standard analyzer is never used.
//
// Four analyzers are defined in the index mapping:
//
//	vi_exact    = unicode tokenizer → NFC → lower case
//	vi_folded   = vi_exact → fold (diacritics removed, đ→d)
//	vi_pairs    = vi_folded → adjacent pairs ("hà tĩnh" → "ha tinh")
//	vi_compound = compound runs ("64 2007 nđ", see compound.go) → NFC → lower case → fold
//
// Folding is a token filter, never a char filter, so every token keeps the
// byte offsets of the original text and a match on a folded field can be
// highlighted in the stored, accented text.

// Analyzer and component names stored in the index mapping.
const (
	AnalyzerExact  = "vi_exact"
	AnalyzerFolded = "vi_folded"
	// AnalyzerPairs yields each pair of adjacent folded words as one term
	// ("ha tinh"): a phrase bonus at the cost of a term lookup.
	AnalyzerPairs = "vi_pairs"

	// pairFilterName is the shingle filter of AnalyzerPairs.
	pairFilterName = "portal_vi_pairs"

	// nfcFilterType is the NFC token filter: like bleve's unicodenorm
	// filter, but it leaves tokens that are already NFC untouched instead
	// of copying every one of them.
	nfcFilterType = "portal_vi_nfc"
	// foldFilterType is the bleve registry name of the folding token filter.
	// It is registered once, in init, because bleve resolves analysis
	// components through its own global registry when an index is opened.
	foldFilterType = "portal_vi_fold"
)

// Field names in the index. Text fields exist twice: the exact field stores
// the text and the folded "_f" field indexes the same text without
// diacritics (not stored: highlighting reads the exact field's text). The
// body has no folded twin: all_f has its folded words, body_c its
// compounds (compound.go).
const (
	fieldTitle    = "title"
	fieldTitleF   = "title_f"
	fieldSummary  = "summary"
	fieldSummaryF = "summary_f"
	fieldBody     = "body"
	// topics holds the names of the article's provinces, categories and
	// tags as searchable text, so "ha tinh" also finds articles filed under
	// Hà Tĩnh and ranks an article about Hà Tĩnh above one that merely
	// contains the words "hạ tình".
	fieldTopics  = "topics"
	fieldTopicsF = "topics_f"

	// all_f is the folded text of title, summary, topics and body together,
	// without term vectors: the one field a query word must match, so a
	// word costs one posting list however many fields it appears in. The
	// per-field clauses only add boosts (see buildTextQuery).
	fieldAllF = "all_f"
	// head and head_f are the title and topics together (exact and
	// folded, without term vectors), and pairs_f their adjacent word
	// pairs: the optional boost clauses of a query, one posting list each
	// per word or pair.
	fieldHead   = "head"
	fieldHeadF  = "head_f"
	fieldPairsF = "pairs_f"

	// Filters: indexed keyword terms, no doc values.
	fieldProvinces  = "provinces"
	fieldCategories = "categories"
	fieldTags       = "tags"
	fieldYear       = "year"
	fieldDate       = "date" // stored, for display
	fieldMeta       = "meta" // stored only: JSON of the province and category terms
	// facet holds every facet value of an article in doc values, prefixed
	// by its kind ("p:ha-tinh", "c:van-ban", "y:2007"): one doc-value visit
	// per matching article counts all three facets.
	fieldFacet = "facet"
	// newest is the sort key of SortNewest in doc values: the date
	// reversed, then the URL (see newestKey), so newest first and ties by
	// URL need no stored-field lookup.
	fieldNewest = "newest"
)

// Prefixes of the terms of fieldFacet.
const (
	facetPrefixProvince = "p:"
	facetPrefixCategory = "c:"
	facetPrefixYear     = "y:"
)

func init() {
	// bleve's registry is the only place custom analysis components can be
	// found when an index is opened from disk; registration is idempotent
	// per process because init runs once.
	if err := registry.RegisterTokenFilter(foldFilterType, newFoldFilter); err != nil {
		panic(err)
	}
	if err := registry.RegisterTokenFilter(nfcFilterType, newNFCFilter); err != nil {
		panic(err)
	}
}

// nfcFilter brings each token's term to Unicode NFC, keeping offsets.
type nfcFilter struct{}

func newNFCFilter(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return nfcFilter{}, nil
}

// Filter implements analysis.TokenFilter.
func (nfcFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if isASCIIBytes(tok.Term) || norm.NFC.IsNormal(tok.Term) {
			continue
		}
		tok.Term = norm.NFC.Bytes(tok.Term)
	}
	return input
}

// foldFilter replaces each token's term by its diacritic-free form
// (vietnamese.Fold: tone marks and vowel marks removed, đ→d), keeping the
// token's Start/End byte offsets and position untouched.
type foldFilter struct{}

func newFoldFilter(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
	return foldFilter{}, nil
}

// Filter implements analysis.TokenFilter.
// The folded terms share one buffer per stream; a term is never changed
// in place, since it may be a slice of the analyzed text.
func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	n := 0
	for _, tok := range input {
		if !isASCIIBytes(tok.Term) {
			n += len(tok.Term)
		}
	}
	buf := make([]byte, 0, n)
	for _, tok := range input {
		if isASCIIBytes(tok.Term) {
			continue
		}
		start := len(buf)
		buf = vietnamese.AppendFold(buf, tok.Term)
		tok.Term = buf[start:len(buf):len(buf)]
	}
	return input
}

func isASCIIBytes(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// newMapping returns the index mapping: analyzers, and one static document
// mapping (nothing is indexed dynamically, nothing goes to the _all field).
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomAnalyzer(AnalyzerExact, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []interface{}{nfcFilterType, lowercase.Name},
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(AnalyzerFolded, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []interface{}{nfcFilterType, lowercase.Name, foldFilterType},
	}); err != nil {
		return nil, err
	}

	if err := im.AddCustomTokenFilter(pairFilterName, map[string]interface{}{
		"type":            shingle.Name,
		"min":             2.0,
		"max":             2.0,
		"output_original": false,
		"separator":       " ",
		"filler":          "",
	}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(AnalyzerPairs, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []interface{}{nfcFilterType, lowercase.Name, foldFilterType, pairFilterName},
	}); err != nil {
		return nil, err
	}

	if err := im.AddCustomAnalyzer(AnalyzerCompound, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     compoundTokenizerType,
		"token_filters": []interface{}{nfcFilterType, lowercase.Name, foldFilterType},
	}); err != nil {
		return nil, err
	}

	im.DefaultAnalyzer = AnalyzerExact
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	text := func(name, analyzer string, store bool) *mapping.FieldMapping {
		fm := bleve.NewTextFieldMapping()
		fm.Name = name
		fm.Analyzer = analyzer
		fm.Store = store
		fm.IncludeTermVectors = true // positions for phrases, offsets for excerpts
		fm.IncludeInAll = false
		fm.DocValues = false
		return fm
	}
	kw := func(docValues bool) *mapping.FieldMapping {
		fm := bleve.NewKeywordFieldMapping()
		fm.Analyzer = keyword.Name
		fm.Store = false
		fm.IncludeTermVectors = false
		fm.IncludeInAll = false
		fm.DocValues = docValues
		return fm
	}
	// Matching and boosting only (no phrases, no excerpts): no term vectors.
	plain := func(name, analyzer string) *mapping.FieldMapping {
		fm := text(name, analyzer, false)
		fm.IncludeTermVectors = false
		return fm
	}
	allF := plain(fieldAllF, AnalyzerFolded)
	head, headF, pairsF := plain(fieldHead, AnalyzerExact), plain(fieldHeadF, AnalyzerFolded), plain(fieldPairsF, AnalyzerPairs)

	// The exact fields keep no term vectors: phrases and highlighting use
	// the folded fields' positions and offsets (see phraseQuery), which
	// took a third of the index (136 → 93 MB at 10,000 articles).
	exact := func(name string, store bool) *mapping.FieldMapping {
		fm := text(name, AnalyzerExact, store)
		fm.IncludeTermVectors = false
		return fm
	}

	dm := bleve.NewDocumentStaticMapping()
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping()) // no composite _all field
	// Each text property is indexed exactly and folded, and into the
	// shared folded field all_f; title and topics also into head, head_f
	// and pairs_f.
	dm.AddFieldMappingsAt(fieldTitle, exact(fieldTitle, true), text(fieldTitleF, AnalyzerFolded, false), allF, head, headF, pairsF)
	dm.AddFieldMappingsAt(fieldSummary, exact(fieldSummary, true), text(fieldSummaryF, AnalyzerFolded, false), allF)
	// The body keeps no term positions (see compound.go): its compounds
	// are terms of body_c, its excerpts are highlighted by analysis.
	dm.AddFieldMappingsAt(fieldBody, exact(fieldBody, true), plain(fieldBodyC, AnalyzerCompound), allF)
	dm.AddFieldMappingsAt(fieldTopics, exact(fieldTopics, false), text(fieldTopicsF, AnalyzerFolded, false), allF, head, headF, pairsF)
	dm.AddFieldMappingsAt(fieldNumber, plain(fieldNumber, AnalyzerCompound))
	dm.AddFieldMappingsAt(fieldProvinces, kw(false))
	dm.AddFieldMappingsAt(fieldCategories, kw(false))
	dm.AddFieldMappingsAt(fieldTags, kw(false))
	dm.AddFieldMappingsAt(fieldYear, kw(false))
	dm.AddFieldMappingsAt(fieldFacet, kw(true))
	dm.AddFieldMappingsAt(fieldNewest, kw(true)) // bleve writes doc values only for indexed fields

	date := bleve.NewDateTimeFieldMapping()
	date.Store = true
	date.Index = false
	date.DocValues = false
	date.IncludeInAll = false
	dm.AddFieldMappingsAt(fieldDate, date)

	meta := bleve.NewTextFieldMapping()
	meta.Index = false
	meta.Store = true
	meta.IncludeTermVectors = false
	meta.IncludeInAll = false
	meta.DocValues = false
	dm.AddFieldMappingsAt(fieldMeta, meta)

	im.DefaultMapping = dm
	if err := im.Validate(); err != nil {
		return nil, err
	}
	return im, nil
}
