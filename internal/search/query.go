package search

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Sort orders accepted in Request.Sort.
const (
	SortRelevance = "lien-quan" // best match first (default)
	SortNewest    = "moi-nhat"  // newest first, then by URL
)

// Limits of a Request.
const (
	DefaultSize   = 10
	MaxSize       = 50
	MaxPage       = 100 // deeper pages are refused: nobody reads them, crawlers do
	MaxQueryRunes = 200 // longer queries are cut, not refused
	MaxFilters    = 50  // values per filter
	maxTokens     = 32  // query tokens used; the rest are ignored
	minYear       = 1900
	maxYear       = 2200
)

// ErrInvalidRequest is wrapped by every error from Request.Validate (and
// returned by Search for an invalid request): the server answers 400.
var ErrInvalidRequest = errors.New("invalid search request")

// Request is one search as the citizen asked it. The zero value of every
// field means "default": no filter, relevance order, page 1, DefaultSize.
type Request struct {
	Query      string   // any Unicode, NFC or NFD, with or without diacritics
	Provinces  []string // province slugs: OR within the list, AND with the other filters
	Categories []string // category slugs
	Years      []int
	Sort       string // SortRelevance (default, also "") or SortNewest
	Page       int    // 1-based; 0 means 1
	Size       int    // results per page; 0 means DefaultSize
}

// invalid builds a bilingual validation error wrapping ErrInvalidRequest.
func invalid(vi, en string) error {
	return fmt.Errorf("%w: %s (%s)", ErrInvalidRequest, vi, en)
}

// Validate reports the first problem with r, as a message that can be shown
// to the citizen (Vietnamese, with English in parentheses). A query longer
// than MaxQueryRunes is not an error: Normalize cuts it.
func (r Request) Validate() error {
	if r.Page < 0 || r.Page > MaxPage {
		return invalid(fmt.Sprintf("số trang phải từ 1 đến %d", MaxPage), fmt.Sprintf("page must be between 1 and %d", MaxPage))
	}
	if r.Size < 0 || r.Size > MaxSize {
		return invalid(fmt.Sprintf("số kết quả mỗi trang phải từ 1 đến %d", MaxSize), fmt.Sprintf("size must be between 1 and %d", MaxSize))
	}
	switch r.Sort {
	case "", SortRelevance, SortNewest:
	default:
		return invalid(fmt.Sprintf("cách sắp xếp %q không hợp lệ, hãy chọn %q hoặc %q", r.Sort, SortRelevance, SortNewest),
			fmt.Sprintf("unknown sort %q, use %q or %q", r.Sort, SortRelevance, SortNewest))
	}
	if len(r.Provinces) > MaxFilters || len(r.Categories) > MaxFilters || len(r.Years) > MaxFilters {
		return invalid(fmt.Sprintf("chọn tối đa %d giá trị cho mỗi bộ lọc", MaxFilters), fmt.Sprintf("at most %d values per filter", MaxFilters))
	}
	for _, s := range append(append([]string(nil), r.Provinces...), r.Categories...) {
		if !ValidSlug(s) {
			return invalid(fmt.Sprintf("bộ lọc %q không hợp lệ", s), fmt.Sprintf("filter %q is not a slug (a-z, 0-9, -)", s))
		}
	}
	for _, y := range r.Years {
		if y < minYear || y > maxYear {
			return invalid(fmt.Sprintf("năm %d không hợp lệ", y), fmt.Sprintf("year %d is out of range %d–%d", y, minYear, maxYear))
		}
	}
	return nil
}

// ValidSlug reports whether s has the form of a term slug (the filter values a request
// may carry): 1–100 bytes of a–z, 0–9 and hyphens.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// Normalize returns r with defaults filled in: the query in NFC, trimmed and
// cut to MaxQueryRunes runes; Page ≥ 1; Size = DefaultSize when 0; Sort =
// SortRelevance when empty; duplicate filter values removed. Call Validate
// first: Normalize does not fix invalid values.
func (r Request) Normalize() Request {
	q := strings.TrimSpace(vietnamese.NFC(r.Query))
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		n := 0
		for i := range q {
			if n == MaxQueryRunes {
				q = strings.TrimSpace(q[:i])
				break
			}
			n++
		}
	}
	r.Query = q
	if r.Page == 0 {
		r.Page = 1
	}
	if r.Size == 0 {
		r.Size = DefaultSize
	}
	if r.Sort == "" {
		r.Sort = SortRelevance
	}
	r.Provinces = dedupe(r.Provinces)
	r.Categories = dedupe(r.Categories)
	r.Years = dedupe(r.Years)
	return r
}

func dedupe[T comparable](in []T) []T {
	if len(in) == 0 {
		return nil
	}
	seen := make(map[T]bool, len(in))
	out := make([]T, 0, len(in))
	for _, v := range in {
		if !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// Field boosts. Exact-diacritic matches count twice as much as folded ones,
// and title > summary > body. Phrase clauses are optional extras on top of
// the required per-word clauses.
const (
	boostTitle   = 6.0
	boostSummary = 3.0
	boostTopics  = 4.0
	boostBody    = 1.0
	exactFactor  = 2.0 // exact field boost = folded boost × exactFactor
	phraseFactor = 2.0 // phrase clause boost = word boost × phraseFactor
)

type textField struct {
	exact, folded string
	boost         float64
}

var textFields = [...]textField{
	{fieldTitle, fieldTitleF, boostTitle},
	{fieldSummary, fieldSummaryF, boostSummary},
	{fieldTopics, fieldTopicsF, boostTopics},
	{fieldBody, fieldBodyF, boostBody},
}

// qword is one analyzed query token.
type qword struct {
	exact, folded string
	start, end    int // byte offsets in the query
}

// group is a run of query tokens joined only by punctuation (a document
// number such as "64/2007/NĐ-CP" → 64 2007 nđ cp); a plain word is a group
// of one.
type group []qword

// analyzeQuery splits the (normalized) query into groups using the index's
// own analyzers, so query and documents are tokenized identically.
func analyzeQuery(m mapping.IndexMapping, q string) []group {
	exact := m.AnalyzerNamed(AnalyzerExact)
	folded := m.AnalyzerNamed(AnalyzerFolded)
	if exact == nil || folded == nil {
		return nil
	}
	et := exact.Analyze([]byte(q))
	ft := folded.Analyze([]byte(q))
	if len(et) != len(ft) {
		return nil // cannot happen: folding is one token in, one token out
	}
	var groups []group
	var words int
	for i, t := range et {
		if words == maxTokens {
			break
		}
		w := qword{exact: string(t.Term), folded: string(ft[i].Term), start: t.Start, end: t.End}
		if n := len(groups); n > 0 && joined(q, groups[n-1][len(groups[n-1])-1].end, t.Start) {
			groups[n-1] = append(groups[n-1], w)
		} else {
			groups = append(groups, group{w})
		}
		words++
	}
	return groups
}

// joined reports whether q[from:to], the text between two tokens, is a
// short run of punctuation with no space ("/", "-", "."), meaning the two
// tokens belong to one compound such as a document number.
func joined(q string, from, to int) bool {
	if from >= to || to-from > 3 {
		return false
	}
	for _, r := range q[from:to] {
		if unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// buildTextQuery turns query groups into a bleve query. Citizen input is
// never parsed as query syntax: only term, phrase, disjunction and
// conjunction queries are built, from analyzed tokens.
//
// Every group is required (AND): a plain word must match some text field,
// exactly or folded; a compound must match as a phrase. Phrase clauses over
// the whole query are optional and only raise the score.
func buildTextQuery(groups []group) query.Query {
	if len(groups) == 0 {
		return nil
	}
	must := make([]query.Query, 0, len(groups))
	seen := map[string]bool{}
	for _, g := range groups {
		key := groupKey(g)
		if seen[key] {
			continue
		}
		seen[key] = true
		if len(g) == 1 {
			must = append(must, wordQuery(g[0]))
		} else {
			must = append(must, phraseQuery(g, 1, textFields[:]))
		}
	}
	bq := query.NewBooleanQuery(must, nil, nil)
	// Optional phrase bonus: the whole query as a phrase when it has more
	// than one token, so "hà tĩnh" next to each other beats scattered words.
	// Only in titles and summaries: checking positions in every matching
	// body costs more than the bonus is worth.
	var all group
	for _, g := range groups {
		all = append(all, g...)
	}
	if len(all) > 1 && len(groups) > 1 {
		bq.AddShould(phraseQuery(all, phraseFactor, bonusPhraseFields))
	}
	return bq
}

func groupKey(g group) string {
	var b strings.Builder
	for _, w := range g {
		b.WriteString(w.exact)
		b.WriteByte(0)
	}
	return b.String()
}

// hasMarks reports whether the query word carries diacritics; only then
// do the exact fields add information beyond the folded ones.
func (w qword) hasMarks() bool { return w.exact != w.folded }

// wordQuery: the word in any text field; exact fields only when the word
// has diacritics (a citizen typing "ha" has said nothing about marks).
func wordQuery(w qword) query.Query {
	var ds []query.Query
	for _, f := range textFields {
		if w.hasMarks() {
			ds = append(ds, term(w.exact, f.exact, f.boost*exactFactor))
		}
		ds = append(ds, term(w.folded, f.folded, f.boost))
	}
	return query.NewDisjunctionQuery(ds)
}

// bonusPhraseFields are the fields of the optional whole-query phrase.
var bonusPhraseFields = []textField{textFields[0], textFields[1]}

// phraseQuery: the words of g adjacent and in order, in any of fields.
func phraseQuery(g group, factor float64, fields []textField) query.Query {
	marks := false
	exact := make([]string, len(g))
	folded := make([]string, len(g))
	for i, w := range g {
		exact[i], folded[i] = w.exact, w.folded
		marks = marks || w.hasMarks()
	}
	var ds []query.Query
	for _, f := range fields {
		if marks {
			p := query.NewPhraseQuery(exact, f.exact)
			p.SetBoost(f.boost * exactFactor * factor)
			ds = append(ds, p)
		}
		p := query.NewPhraseQuery(folded, f.folded)
		p.SetBoost(f.boost * factor)
		ds = append(ds, p)
	}
	return query.NewDisjunctionQuery(ds)
}

func term(t, field string, boost float64) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// filterQuery is the conjunction of the request's filters, or nil.
func filterQuery(r Request) query.Query {
	var cs []query.Query
	add := func(field string, vals []string) {
		if len(vals) == 0 {
			return
		}
		ds := make([]query.Query, 0, len(vals))
		for _, v := range vals {
			ds = append(ds, term(v, field, 1))
		}
		cs = append(cs, query.NewDisjunctionQuery(ds))
	}
	add(fieldProvinces, r.Provinces)
	add(fieldCategories, r.Categories)
	years := make([]string, 0, len(r.Years))
	for _, y := range r.Years {
		years = append(years, yearString(y))
	}
	add(fieldYear, years)
	if len(cs) == 0 {
		return nil
	}
	return query.NewConjunctionQuery(cs)
}
