package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// DefaultTimeout bounds a search whose context has no deadline.
const DefaultTimeout = 3 * time.Second

// Facet sizes (values kept per facet): enough for every province (63 before, 34 after the 2025
// merger, both may appear in archives) and every category.
const (
	facetProvinces  = 128
	facetCategories = 128
	facetYears      = 100
)

// Hit is one search result.
type Hit struct {
	URL        string
	Title      string
	TitleHTML  template.HTML // Title escaped, query words in <mark>
	Date       time.Time     // in Vietnam time (UTC+7); zero if the article has no date
	Provinces  []Term
	Categories []Term
	// ExcerptHTML is about 200 characters of the body around the best
	// cluster of matches (or of the summary when the body has none), HTML-
	// escaped, with matches in <mark>; it contains no other tags.
	ExcerptHTML template.HTML
	Score       float64
	// Kind is KindArticle or KindDocument; a document's number, type,
	// issuer and status are in Legal, its issue date in Date.
	Kind  string
	Legal Legal
}

// Facet is one value of a facet with the number of matching articles.
type Facet struct {
	Name, Slug string
	Count      int
}

// Result is one page of results.
type Result struct {
	Query string        // the normalized query actually searched (NFC, trimmed, cut to MaxQueryRunes)
	Total uint64        // matching articles (0 for an empty query)
	Took  time.Duration // time spent searching
	Hits  []Hit
	// Facets count the matching articles (with the filters applied). For an
	// empty query they count all articles matching the filters, so the page
	// can offer browsing by province, category and year.
	Provinces, Categories []Facet // most articles first, then by slug
	Years                 []Facet // newest year first; Name and Slug are "2007"
	Page, Size, Pages     int     // Pages is capped at MaxPage
	// Kinds count the matches of each kind (KindArticle, KindDocument:
	// Name "Tin bài", "Văn bản"); the document facets count the legal
	// documents among the matches by type, issuer, year of issue (newest
	// first) and status. They are empty when no legal document matches.
	Kinds                                 []Facet
	DocTypes, Issuers, DocYears, Statuses []Facet
	// Merges are the provinces named (in the query or a filter) that took
	// part in the 2025 merger: the predecessors whose articles were
	// included, or what a merged-away province became.
	Merges []Merge
	// Expanded are the query words also searched as other spellings.
	Expanded []Expanded
	// Suggestion is a corrected query that finds more, when this one
	// found little ("hooij nghij" → "hội nghị"); "" when there is none.
	Suggestion string
}

// Search checks req with NewQuery and runs it, for callers holding an Index
// (tools, tests); the server checks its requests once and searches through
// Live. An invalid request gives an *InvalidError.
func (ix *Index) Search(ctx context.Context, req Request) (Result, error) {
	q, err := NewQuery(req)
	if err != nil {
		return Result{}, err
	}
	return ix.search(ctx, q)
}

// search runs q. An empty query (or one without any word, like "!!!") gives
// Total 0 and no hits, but facets. Citizen input never reaches bleve's
// query-string syntax. Without a deadline in ctx, DefaultTimeout applies.
func (ix *Index) search(ctx context.Context, q Query) (Result, error) {
	start := time.Now()
	req := q.Request()
	res := Result{Query: req.Query, Page: req.Page, Size: req.Size}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, DefaultTimeout)
		defer cancel()
	}

	p, text, empty := ix.planFor(req)
	res.Merges, res.Expanded = text.notes.merges, text.notes.expanded
	if len(p.words) == 0 && p.filter == nil {
		// Nothing asked: the facets of the whole index.
		res.setFacets(ix.mergesFor(req.Thesaurus).all)
		res.Took = time.Since(start)
		return res, nil
	}

	// Phase 1: rank, count and facet without term locations or stored
	// fields (see collect).
	k := req.Page * req.Size
	if empty {
		k = 0
	}
	col, err := ix.collect(ctx, p, k)
	if err != nil {
		return res, searchErr(ctx, req, err)
	}
	res.setFacets(col.facets)
	var page []match
	if from := (req.Page - 1) * req.Size; from < len(col.top) {
		page = col.top[from:]
	}

	// Phase 2: stored fields for this page's hits only, highlighted from
	// term locations or by analyzing their text again, whichever costs
	// less (see highlightByLocations).
	details := map[string]*search.DocumentMatch{}
	var mk *marker
	locations := false
	if !empty && len(page) > 0 {
		ids := make([]string, len(page))
		for i, m := range page {
			ids[i] = ix.table.url[m.row]
		}
		var dq query.Query = query.NewDocIDQuery(ids)
		// Expanded spellings are marked by analysis only, and so is the
		// body, which keeps no term locations.
		locations = !text.expanded && ix.highlightByLocations(ctx, text.highlightTerms, len(page))
		if locations {
			// The ID list is the required clause, so only these few
			// articles are visited; the highlight clause is optional, so
			// every hit comes back even if its match was only in the topics.
			dq = query.NewBooleanQuery([]query.Query{dq}, []query.Query{text.highlight}, nil)
		}
		mk = newMarker(ix.idx.Mapping(), append(slices.Clone(text.groups), text.altGroups...))
		dr := bleve.NewSearchRequestOptions(dq, len(ids), 0, false)
		dr.Fields = []string{fieldTitle, fieldSummary, fieldBody, fieldDate, fieldMeta}
		dr.IncludeLocations = locations
		dr.SortBy([]string{"_id"})
		dres, err := ix.idx.SearchInContext(ctx, dr)
		if err != nil {
			return res, searchErr(ctx, req, err)
		}
		for _, h := range dres.Hits {
			details[h.ID] = h
		}
	}

	if !empty {
		if !text.notes.known {
			res.Suggestion = ix.suggest(ctx, req, text.groups, col.total)
		}
		res.Total = col.total
		res.Pages = int((col.total + uint64(req.Size) - 1) / uint64(req.Size))
		if res.Pages > MaxPage {
			res.Pages = MaxPage
		}
		res.Hits = make([]Hit, 0, len(page))
		pref := exactFirst(text.groups)
		for _, m := range page {
			d := details[ix.table.url[m.row]]
			if d == nil {
				continue // cannot happen: the index is read-only
			}
			h := toHit(d, mk, locations, pref)
			h.Score = m.score
			res.Hits = append(res.Hits, h)
		}
	}
	res.Took = time.Since(start)
	return res, nil
}

// planFor returns what collect runs for the normalized request req (no
// required clause when req asks for nothing: no word, no filter), its
// text query, and whether it has no word.
func (ix *Index) planFor(req Request) (p plan, text textQuery, empty bool) {
	groups := analyzeQuery(ix.idx.Mapping(), req.Query)
	var exps []expansion
	if req.Thesaurus != nil {
		exps = req.Thesaurus.expand(req.Query, groups)
	}
	text, ok := buildTextQuery(groups, exps, req.Sort != SortNewest)
	text.notes = notesFor(req, exps, len(groups))
	fts := filterTerms(req)
	// Filters are required clauses, not bleve's BooleanQuery.Filter: that
	// one scores every text match first and filters afterwards, while a
	// conjunction skips straight to the articles the filter allows. Filter
	// clauses weigh 0, so they do not change scores.
	p = plan{words: text.must, filter: filterQuery(fts), filterTerms: fts, newest: req.Sort == SortNewest, should: text.should, mustUnits: text.mustUnits, compounds: text.compounds, thesaurus: req.Thesaurus}
	if ok && req.Sort != SortNewest {
		p.should = append(p.should, ix.numberBoosts(groups)...)
	}
	if p.filterTerms != nil && req.Sort != SortNewest {
		// A province filter let its predecessors' articles through: its
		// own rank first.
		for _, s := range req.Provinces {
			if req.Thesaurus != nil && len(req.Thesaurus.predecessors(s)) > 0 {
				p.should = append(p.should, termClause{s, fieldProvinces, boostHead})
			}
		}
	}
	return p, text, !ok
}

// and is the conjunction of qs (qs[0] itself when alone).
func and(qs ...query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

func searchErr(ctx context.Context, req Request, err error) error {
	if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		return fmt.Errorf("search: query %q did not finish in time: %w", req.Query, errors.Join(ctx.Err(), err))
	}
	return fmt.Errorf("search: query %q failed: %w", req.Query, err)
}

// facetSet is the facets of a result: the three of every document, the
// kinds, and the four of legal documents (see legal.go).
type facetSet struct {
	provinces, categories, years                 []Facet
	kinds, docTypes, issuers, docYears, statuses []Facet
}

// setFacets copies fs into res.
func (res *Result) setFacets(fs facetSet) {
	res.Provinces, res.Categories, res.Years = fs.provinces, fs.categories, fs.years
	res.Kinds, res.DocTypes, res.Issuers, res.DocYears, res.Statuses = fs.kinds, fs.docTypes, fs.issuers, fs.docYears, fs.statuses
}

// toHit turns a stored document into a hit, its matches found by mk or,
// in the title and summary when locations is set, from dm's term
// locations (the typed spellings first: see exactFirst). The body's
// matches are always found by mk.
func toHit(dm *search.DocumentMatch, mk *marker, locations bool, pref map[string][]string) Hit {
	str := func(f string) string {
		s, _ := dm.Fields[f].(string)
		return s
	}
	h := Hit{URL: dm.ID, Title: str(fieldTitle), Score: dm.Score}
	if d := str(fieldDate); d != "" {
		if t, err := time.Parse(time.RFC3339Nano, d); err == nil {
			h.Date = t.In(vnZone)
		}
	}
	var meta docMeta
	if m := str(fieldMeta); m != "" && json.Unmarshal([]byte(m), &meta) == nil {
		h.Provinces = pairsToTerms(meta.P)
		h.Categories = pairsToTerms(meta.C)
	}
	h.Kind = KindArticle
	if meta.L != nil {
		h.Kind, h.Legal = KindDocument, meta.L.legal()
	}
	// spans are all of a text's matches; excerpt needs only the first
	// ones (see excerptScope).
	spans := func(text, folded string, excerpt bool) []span {
		switch {
		case locations && folded != "":
			return spansExactFirst(text, dm.Locations, folded, pref)
		case excerpt:
			return mk.excerptSpans(text)
		default:
			return mk.spans(text)
		}
	}
	h.TitleHTML = markAll(h.Title, spans(h.Title, fieldTitleF, false))

	body, summary := str(fieldBody), str(fieldSummary)
	if sp := spans(body, "", true); len(sp) > 0 {
		h.ExcerptHTML = excerptHTML(body, sp)
	} else if summary != "" {
		h.ExcerptHTML = excerptHTML(summary, spans(summary, fieldSummaryF, true))
	} else {
		h.ExcerptHTML = excerptHTML(body, nil)
	}
	return h
}

func pairsToTerms(ps [][2]string) []Term {
	if len(ps) == 0 {
		return nil
	}
	out := make([]Term, len(ps))
	for i, p := range ps {
		out[i] = Term{Name: p[0], Slug: p[1]}
	}
	return out
}

// yearString formats a year for the year field and facet.
func yearString(y int) string { return strconv.Itoa(y) }
