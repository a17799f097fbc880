package search

import (
	"cmp"
	"fmt"
	"slices"
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
	MinYear       = 1900
	MaxYear       = 2200
	maxTokens     = 32 // query tokens used; the rest are ignored
)

// Request is one search as the citizen asked it. The zero value of every
// field means "default": no filter, relevance order, page 1, DefaultSize.
type Request struct {
	Query      string   // any Unicode, NFC or NFD, with or without diacritics
	Provinces  []string // province slugs: OR within the list, AND with the other filters
	Categories []string // category slugs
	Years      []int
	// Kinds keeps KindArticle or KindDocument matches; DocTypes, Issuers,
	// DocYears and Statuses filter legal documents by their facets (slugs;
	// years of issue). Each is OR within its list and AND with the others.
	Kinds, DocTypes, Issuers, Statuses []string
	DocYears                           []int
	Sort                               string // SortRelevance (default, also "") or SortNewest
	Page                               int    // 1-based; 0 means 1
	Size                               int    // results per page; 0 means DefaultSize
	// Thesaurus expands the query with synonyms and merged provinces;
	// nil means DefaultThesaurus (the built-in ones).
	Thesaurus *Thesaurus
}

// Query is a Request that NewQuery has accepted, with its defaults filled in.
// NewQuery is the only way to make one, so Live.Search runs it as it is. The
// zero Query is the empty request: no words, no filter, page 1.
type Query struct{ r Request }

// InvalidError is why NewQuery refused a request (the server answers 400).
// Wording it for people is the caller's job: the server does, in Vietnamese.
type InvalidError struct {
	// Field is the Request field at fault: "Page", "Size", "Sort", "Provinces",
	// "Categories", "Years", "Kinds", "DocTypes", "Issuers", "Statuses" or
	// "DocYears"; or "Filters" when one has more than MaxFilters
	// values, Value then being how many.
	Field, Value string
}

func (e *InvalidError) Error() string {
	return fmt.Sprintf("invalid search request: %s %q", e.Field, e.Value)
}

// NewQuery checks r and returns it as a Query, or an *InvalidError naming the
// first problem: Page above MaxPage, Size above MaxSize (or either negative),
// an unknown Sort, more than MaxFilters values in a filter, a filter value that
// is not a slug (a–z, 0–9, hyphens), a year outside MinYear–MaxYear. A query
// longer than MaxQueryRunes is not an error: it is cut.
func NewQuery(r Request) (Query, error) {
	bad := func(field string, v any) (Query, error) {
		return Query{}, &InvalidError{Field: field, Value: fmt.Sprint(v)}
	}
	switch {
	case r.Page < 0 || r.Page > MaxPage:
		return bad("Page", r.Page)
	case r.Size < 0 || r.Size > MaxSize:
		return bad("Size", r.Size)
	case r.Sort != "" && r.Sort != SortRelevance && r.Sort != SortNewest:
		return bad("Sort", r.Sort)
	}
	if n := max(len(r.Provinces), len(r.Categories), len(r.Years), len(r.Kinds), len(r.DocTypes), len(r.Issuers), len(r.Statuses), len(r.DocYears)); n > MaxFilters {
		return bad("Filters", n)
	}
	if k, ok := validKinds(r.Kinds); !ok {
		return bad("Kinds", k)
	}
	for _, f := range []struct {
		name string
		vals []string
	}{{"DocTypes", r.DocTypes}, {"Issuers", r.Issuers}, {"Statuses", r.Statuses}} {
		for _, s := range f.vals {
			if !validSlug(s) {
				return bad(f.name, s)
			}
		}
	}
	for _, y := range r.DocYears {
		if y < MinYear || y > MaxYear {
			return bad("DocYears", y)
		}
	}
	for i, s := range slices.Concat(r.Provinces, r.Categories) {
		if field := "Provinces"; !validSlug(s) {
			if i >= len(r.Provinces) {
				field = "Categories"
			}
			return bad(field, s)
		}
	}
	for _, y := range r.Years {
		if y < MinYear || y > MaxYear {
			return bad("Years", y)
		}
	}
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
	return Query{Request{Query: q, Provinces: dedupe(r.Provinces), Categories: dedupe(r.Categories), Years: dedupe(r.Years),
		Kinds: dedupe(r.Kinds), DocTypes: dedupe(r.DocTypes), Issuers: dedupe(r.Issuers), Statuses: dedupe(r.Statuses), DocYears: dedupe(r.DocYears),
		Sort: cmp.Or(r.Sort, SortRelevance), Page: max(r.Page, 1), Size: cmp.Or(r.Size, DefaultSize), Thesaurus: cmp.Or(r.Thesaurus, DefaultThesaurus())}}, nil
}

// Request returns the request q stands for, with its defaults filled in: the
// query in NFC, trimmed and cut to MaxQueryRunes runes; Page ≥ 1; Size =
// DefaultSize when 0; Sort = SortRelevance when empty; duplicate filter values
// removed. It is a copy: changing it does not change q.
func (q Query) Request() Request {
	r := q.r
	if r.Size == 0 { // the zero Query
		return Request{Page: 1, Size: DefaultSize, Sort: SortRelevance, Thesaurus: DefaultThesaurus()}
	}
	r.Provinces, r.Categories, r.Years = slices.Clone(r.Provinces), slices.Clone(r.Categories), slices.Clone(r.Years)
	r.Kinds, r.DocTypes, r.Issuers, r.Statuses, r.DocYears = slices.Clone(r.Kinds), slices.Clone(r.DocTypes), slices.Clone(r.Issuers), slices.Clone(r.Statuses), slices.Clone(r.DocYears)
	return r
}

// validSlug reports whether s has the form of a term slug: 1–100 bytes of a–z,
// 0–9 and hyphens.
func validSlug(s string) bool {
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

// Field boosts. A word must be in the article's folded text (all_f,
// weight boostAll); being in the title or topics adds boostHead, with the
// exact diacritics exactFactor times that; each pair of adjacent query
// words found adjacent in the title or topics adds boostPair. The per-field
// boosts (title > topics > summary > body) weigh compound phrases.
const (
	boostAll     = 1.0
	boostHead    = 4.0
	boostPair    = 6.0
	boostTitle   = 6.0
	boostSummary = 3.0
	boostTopics  = 4.0
	boostBody    = 1.0
	exactFactor  = 2.0 // exact field boost = folded boost × exactFactor
)

// textField is a text's fields: exact, and either folded (with term
// positions: compounds are phrases there) or compound (its compounds'
// runs, see compound.go).
type textField struct {
	exact, folded string
	boost         float64
	compound      string
}

var textFields = [...]textField{
	{fieldTitle, fieldTitleF, boostTitle, ""},
	{fieldSummary, fieldSummaryF, boostSummary, ""},
	{fieldTopics, fieldTopicsF, boostTopics, ""},
	{fieldBody, "", boostBody, fieldBodyC},
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
func joined[T string | []byte](q T, from, to int) bool {
	if from >= to || to-from > 3 {
		return false
	}
	for _, r := range string(q[from:to]) {
		if unicode.IsSpace(r) || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// textQuery is a citizen's query as bleve queries. match ranks the
// results: the required clauses (must) and, when scored, the optional
// boost clauses (should). The parts are kept apart so that collect can
// count and facet the matches without scoring them and bound the score of
// a match that has none of the boosts (see collect.go). groups are the
// query words, for highlighting the page's hits (see marker).
type textQuery struct {
	match  query.Query
	must   []query.Query
	should []termClause
	// mustUnits are the required clauses, each made of terms (see unit):
	// a plain word is one term in all_f, an expansion a choice of
	// conjunctions of terms, a compound (a document number) one clause
	// of field compoundPrefix standing for its query, compounds[key]
	// (see compoundPostings).
	mustUnits []unit
	compounds map[string]query.Query
	groups    []group
	// highlight finds the query words' term locations in the shown
	// fields (see Index.Search), and highlightTerms are its terms.
	highlight      query.Query
	highlightTerms []termClause
	// altGroups are the other spellings searched for expansions, for
	// highlighting; expanded reports whether there were any expansions.
	altGroups []group
	expanded  bool
	notes     queryNotes
}

// termClause is a term query's parts: its score is at most
// boost × idf² × queryNorm (see scoreBound).
type termClause struct {
	term, field string
	boost       float64
}

func (c termClause) query() query.Query { return term(c.term, c.field, c.boost) }

// buildTextQuery turns query groups into bleve queries, or returns false
// when there is no word to search. Citizen input is never parsed as query
// syntax: only term, phrase, disjunction and conjunction queries are built,
// from analyzed tokens.
//
// Every group is required (AND). A plain word must be in all_f, the folded
// text of the whole article: one posting list per word, whatever the
// number of fields, which keeps a query cheap even when a common syllable
// like "các" matches nearly every article. A compound (a document number)
// must match as a phrase in some text field. When scored, optional clauses
// add boosts: each word in the title or topics (head_f, and head when the
// word has diacritics, so "Hà Tĩnh" ranks above "hạ tình"), and each pair
// of adjacent query words adjacent there too (pairs_f: the phrase bonus).
// Unscored queries (sorted by date) leave the boosts out: they would cost
// without changing anything.
func buildTextQuery(groups []group, exps []expansion, scored bool) (textQuery, bool) {
	if len(groups) == 0 {
		return textQuery{}, false
	}
	var tq textQuery
	var should []termClause
	var active []expansion
	for _, e := range exps {
		if len(e.alts) > 0 || len(e.included) > 0 {
			active = append(active, e)
		}
	}
	exps = active
	var light []query.Query
	seen := map[string]bool{}
	// word is one group's required clause, its boosts and highlighting.
	word := func(g group, inExpansion bool) (query.Query, bool) {
		key := groupKey(g)
		if seen[key] && !inExpansion {
			return nil, false
		}
		seen[key] = true
		tq.groups = append(tq.groups, g)
		// Term locations exist only in the folded fields, which mark
		// every word the exact ones would (their matches are a subset).
		if len(g) == 1 {
			light = append(light, foldedTerms(g[0], shownFields)...)
		} else {
			light = append(light, foldedPhrases(g, shownFields)...)
		}
		for _, w := range g {
			for _, f := range shownFields {
				tq.highlightTerms = append(tq.highlightTerms, termClause{w.folded, f.folded, 1})
			}
		}
		if len(g) > 1 {
			q := phraseQuery(g, textFields[:])
			key := groupKey(g)
			if tq.compounds == nil {
				tq.compounds = map[string]query.Query{}
			}
			tq.compounds[key] = q
			if !inExpansion {
				tq.mustUnits = append(tq.mustUnits, unit{{{key, compoundPrefix, 1}}})
			}
			return q, true
		}
		w := g[0]
		c := termClause{w.folded, fieldAllF, boostAll}
		if !inExpansion {
			tq.mustUnits = append(tq.mustUnits, unit{{c}})
		}
		if w.hasMarks() {
			should = append(should, termClause{w.exact, fieldHead, boostHead * exactFactor})
		}
		should = append(should, termClause{w.folded, fieldHeadF, boostHead})
		return c.query(), true
	}
	ei := 0
	for gi := 0; gi < len(groups); gi++ {
		if ei < len(exps) && exps[ei].from == gi {
			e := exps[ei]
			ei++
			var typed []query.Query
			var u unit
			var typedTerms []termClause
			for _, g := range groups[e.from:e.to] {
				if q, ok := word(g, true); ok {
					typed = append(typed, q)
					c := termClause{g[0].folded, fieldAllF, boostAll}
					if len(g) > 1 {
						c = termClause{groupKey(g), compoundPrefix, 1}
					}
					typedTerms = append(typedTerms, c)
				}
			}
			u = append(u, typedTerms)
			alts := []query.Query{and(typed...)}
			for _, f := range e.alts {
				alts = append(alts, formQuery(f))
				u = append(u, formTerms(f))
				tq.altGroups = append(tq.altGroups, formGroups(f)...)
				if t := f.tokens(); len(t) == 1 {
					should = append(should, termClause{t[0], fieldHeadF, boostHead * altFactor})
				}
			}
			for _, p := range e.included {
				alts = append(alts, term(p.Slug, fieldProvinces, boostAll*altFactor))
				u = append(u, []termClause{{p.Slug, fieldProvinces, boostAll * altFactor}})
				if f, ok := e.includedForms[p.Slug]; ok {
					alts = append(alts, formQuery(f))
					tq.altGroups = append(tq.altGroups, formGroups(f)...)
					u = append(u, formTerms(f))
				}
			}
			tq.mustUnits = append(tq.mustUnits, u)
			tq.must = append(tq.must, query.NewDisjunctionQuery(alts))
			gi = e.to - 1
			continue
		}
		if q, ok := word(groups[gi], false); ok {
			tq.must = append(tq.must, q)
		}
	}
	tq.expanded = len(exps) > 0

	tq.highlight = query.NewDisjunctionQuery(light)
	var all group
	for _, g := range groups {
		all = append(all, g...)
	}
	for i := 1; i < len(all); i++ {
		pair := all[i-1].folded + " " + all[i].folded
		if !seen[pair] {
			seen[pair] = true
			should = append(should, termClause{pair, fieldPairsF, boostPair})
		}
	}
	if len(tq.must) == 1 {
		tq.match = tq.must[0]
	} else {
		tq.match = query.NewConjunctionQuery(tq.must)
	}
	if scored && len(should) > 0 {
		tq.should = should
		qs := make([]query.Query, len(should))
		for i, c := range should {
			qs[i] = c.query()
		}
		tq.match = query.NewBooleanQuery([]query.Query{tq.match}, qs, nil)
	}
	return tq, true
}

// formQuery finds another spelling of an expansion, weighing altFactor of
// the typed words: every folded word of it in all_f, one posting list per
// word like the typed words (a phrase would read positions in every text
// field, ten to a hundred times slower for common words such as "ủy ban
// nhân dân"). The words of a long form almost always stand together in
// an article that has them all, and such an article ranks below one with
// the spelling typed.
func formQuery(f form) query.Query {
	ts := formTerms(f)
	qs := make([]query.Query, len(ts))
	for i, c := range ts {
		qs[i] = c.query()
	}
	return and(qs...)
}

// formTerms are formQuery's terms.
func formTerms(f form) []termClause {
	var out []termClause
	seen := map[string]bool{}
	for _, t := range f.tokens() {
		if !seen[t] {
			seen[t] = true
			out = append(out, termClause{t, fieldAllF, boostAll * altFactor})
		}
	}
	return out
}

// unit is a required clause made of terms: any one of its alternatives,
// each a conjunction of terms. A plain word is one alternative of one
// term; scored as bleve scores the same query (see collectTerms).
type unit [][]termClause

// formGroups are the parts of f as query groups, for highlighting.
func formGroups(f form) []group {
	gs := make([]group, 0, len(f.parts))
	for _, p := range f.parts {
		g := make(group, len(p))
		for i, t := range p {
			g[i] = qword{exact: t, folded: t}
		}
		gs = append(gs, g)
	}
	return gs
}

// foldedTerms: the word's folded form in each of fields.
func foldedTerms(w qword, fields []textField) []query.Query {
	ds := make([]query.Query, len(fields))
	for i, f := range fields {
		ds[i] = term(w.folded, f.folded, f.boost)
	}
	return ds
}

// foldedPhrases: the folded words of g adjacent and in order, one phrase
// per field.
func foldedPhrases(g group, fields []textField) []query.Query {
	folded := make([]string, len(g))
	for i, w := range g {
		folded[i] = w.folded
	}
	ds := make([]query.Query, len(fields))
	for i, f := range fields {
		p := query.NewPhraseQuery(folded, f.folded)
		p.SetBoost(f.boost)
		ds[i] = p
	}
	return ds
}

// shownFields are the fields shown with their matches marked whose term
// locations can be looked up for the page's hits. The body is shown too,
// but it has no term locations: its matches are always found by analysis
// (see marker).
var shownFields = []textField{textFields[0], textFields[1]}

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

// phraseQuery: the words of g adjacent and in order, in any of fields:
// a phrase of a folded field, or the compound's runs in a compound field.
// Only the folded fields have term positions; a compound typed with
// diacritics ("NĐ-CP") also weighs exactFactor more in a field that has
// the folded phrase and every one of its exact words, which is the exact
// phrase in all but contrived texts.
func phraseQuery(g group, fields []textField) query.Query {
	marks := false
	for _, w := range g {
		marks = marks || w.hasMarks()
	}
	var ds []query.Query
	for _, f := range fields {
		folded := func() query.Query {
			if f.compound != "" {
				return compoundQuery(g, f.compound, f.boost)
			}
			return foldedPhrases(g, []textField{f})[0]
		}
		if marks {
			must := []query.Query{folded()}
			for _, w := range g {
				must = append(must, term(w.exact, f.exact, f.boost*exactFactor))
			}
			ds = append(ds, query.NewConjunctionQuery(must))
		}
		ds = append(ds, folded())
	}
	return query.NewDisjunctionQuery(ds)
}

// compoundQuery finds the compound g in a compound field: its folded
// words as one run term, or, when g is longer than the longest run
// indexed, as overlapping runs of that length, all required.
func compoundQuery(g group, field string, boost float64) query.Query {
	ts := compoundTerms(g)
	qs := make([]query.Query, len(ts))
	for i, t := range ts {
		qs[i] = term(t, field, boost)
	}
	return and(qs...)
}

// compoundTerms are the run terms compoundQuery looks up for g (of at
// least two words).
func compoundTerms(g group) []string {
	join := func(ws group) string {
		var b strings.Builder
		for i, w := range ws {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w.folded)
		}
		return b.String()
	}
	if len(g) <= maxCompoundRun {
		return []string{join(g)}
	}
	var out []string
	for a := 0; ; a += maxCompoundRun - 1 {
		b := min(a+maxCompoundRun, len(g))
		out = append(out, join(g[a:b]))
		if b == len(g) {
			return out
		}
	}
}

func term(t, field string, boost float64) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

// filterTerms are the request's filters: one group per filter asked
// (provinces, categories, years), any term of a group will do.
//
// A province that absorbed others in the 2025 merger also lets through
// the articles filed under them (see Thesaurus).
func filterTerms(r Request) [][]termClause {
	var gs [][]termClause
	add := func(field string, vals []string) {
		if len(vals) == 0 {
			return
		}
		g := make([]termClause, 0, len(vals))
		for _, v := range vals {
			g = append(g, termClause{v, field, 0}) // weight 0: filters do not score
		}
		gs = append(gs, g)
	}
	provs := slices.Clone(r.Provinces)
	if r.Thesaurus != nil {
		for _, s := range r.Provinces {
			for _, p := range r.Thesaurus.predecessors(s) {
				if !slices.Contains(provs, p.Slug) {
					provs = append(provs, p.Slug)
				}
			}
		}
	}
	add(fieldProvinces, provs)
	add(fieldCategories, r.Categories)
	years := make([]string, 0, len(r.Years))
	for _, y := range r.Years {
		years = append(years, yearString(y))
	}
	add(fieldYear, years)
	return append(gs, docFilterTerms(r)...)
}

// filterQuery is the conjunction of the filter groups gs, or nil. Its
// term clauses have boost 0, so adding it to a scored query leaves the
// scores unchanged.
func filterQuery(gs [][]termClause) query.Query {
	if len(gs) == 0 {
		return nil
	}
	cs := make([]query.Query, len(gs))
	for i, g := range gs {
		ds := make([]query.Query, len(g))
		for j, c := range g {
			ds[j] = c.query()
		}
		cs[i] = query.NewDisjunctionQuery(ds)
	}
	return query.NewConjunctionQuery(cs)
}
