package server

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// Legal documents in search.
//
// A result is an article or a legal document of the library (its kind). The kind
// filter (loai=van-ban, loai=tin-tuc) and the document filters (loai-van-ban,
// co-quan, nam-ban-hanh, tinh-trang; the same words as the library's own filter
// pages) are parameters of the page and the API like tinh and chuyen-muc. The page
// shows the kind and document facets only when the results hold documents (or one
// of those filters is on, so it can be removed).

// Query parameters of the kind and document filters.
const (
	paramKind    = "loai"
	paramDocType = "loai-van-ban"
	paramIssuer  = "co-quan"
	paramDocYear = "nam-ban-hanh"
	paramStatus  = "tinh-trang"
)

// Facet group names of the kind and document facets.
const (
	labelKind    = "Loại kết quả"
	labelDocType = "Loại văn bản"
	labelIssuer  = "Cơ quan ban hành"
	labelDocYear = "Năm ban hành"
	labelStatus  = "Tình trạng"
)

// statusInForce is the slug of the status "còn hiệu lực".
const statusInForce = "con-hieu-luc"

// readDocFilters reads the kind and document filters except the years of issue
// (numbers, read with the other numbers by parseQuery).
func readDocFilters(v url.Values, req *search.Request) {
	req.Kinds = nonEmpty(v[paramKind])
	req.DocTypes = nonEmpty(v[paramDocType])
	req.Issuers = nonEmpty(v[paramIssuer])
	req.Statuses = nonEmpty(v[paramStatus])
}

// docRefusal words a refused kind or document filter for the citizen, or "" for
// the other fields.
func docRefusal(e *search.InvalidError) string {
	switch e.Field {
	case "Kinds":
		return fmt.Sprintf("Loại kết quả %q không hợp lệ: hãy dùng %s=%s (văn bản) hoặc %s=%s (tin bài).", e.Value, paramKind, search.KindDocument, paramKind, search.KindArticle)
	case "DocYears":
		return fmt.Sprintf("Năm ban hành %q không hợp lệ: hãy dùng số từ %d đến %d, ví dụ %s=2007.", e.Value, search.MinYear, search.MaxYear, paramDocYear)
	case "DocTypes", "Issuers", "Statuses":
		return fmt.Sprintf("Bộ lọc văn bản %q không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ %s=nghi-dinh.", e.Value, paramDocType)
	}
	return ""
}

// docFilters is the part of the page state for the kind and document filters.
type docFilters struct {
	kinds, types, issuers, statuses []string
	years                           []int
}

func docFiltersOf(r search.Request) docFilters {
	return docFilters{kinds: r.Kinds, types: r.DocTypes, issuers: r.Issuers, statuses: r.Statuses, years: r.DocYears}
}

// any reports whether a filter is on.
func (d docFilters) any() bool {
	return len(d.kinds)+len(d.types)+len(d.issuers)+len(d.statuses)+len(d.years) > 0
}

// addTo adds the filters as URL parameters, in a fixed order.
func (d docFilters) addTo(add func(k, v string)) {
	for _, p := range []struct {
		param string
		vals  []string
	}{{paramKind, d.kinds}, {paramDocType, d.types}, {paramIssuer, d.issuers}} {
		for _, v := range p.vals {
			add(p.param, v)
		}
	}
	for _, y := range d.years {
		add(paramDocYear, strconv.Itoa(y))
	}
	for _, v := range d.statuses {
		add(paramStatus, v)
	}
}

// hasDocuments reports whether some legal document matched.
func hasDocuments(res search.Result) bool {
	return slices.ContainsFunc(res.Kinds, func(f search.Facet) bool { return f.Slug == search.KindDocument && f.Count > 0 })
}

// withDocFacets returns the page's facet groups: the kind first and the document
// facets after groups, when the results hold documents or such a filter is on;
// groups alone otherwise. first is the state of the results' first page.
func withDocFacets(res search.Result, first pageState, base string, groups []render.SearchFacetGroup) []render.SearchFacetGroup {
	d := first.docs
	if !hasDocuments(res) && !d.any() {
		return groups
	}
	link := func(change func(*docFilters)) string {
		s := first
		change(&s.docs)
		return s.url(base)
	}
	kind := facetGroup(labelKind, paramKind, res.Kinds, d.kinds, func(slug string) string {
		return link(func(f *docFilters) { f.kinds = toggle(d.kinds, slug) })
	})
	types := facetGroup(labelDocType, paramDocType, res.DocTypes, d.types, func(slug string) string {
		return link(func(f *docFilters) { f.types = toggle(d.types, slug) })
	})
	issuers := facetGroup(labelIssuer, paramIssuer, res.Issuers, d.issuers, func(slug string) string {
		return link(func(f *docFilters) { f.issuers = toggle(d.issuers, slug) })
	})
	yearSlugs := make([]string, len(d.years))
	for i, y := range d.years {
		yearSlugs[i] = strconv.Itoa(y)
	}
	years := facetGroup(labelDocYear, paramDocYear, res.DocYears, yearSlugs, func(slug string) string {
		y, _ := strconv.Atoi(slug)
		return link(func(f *docFilters) { f.years = toggle(d.years, y) })
	})
	statuses := facetGroup(labelStatus, paramStatus, res.Statuses, d.statuses, func(slug string) string {
		return link(func(f *docFilters) { f.statuses = toggle(d.statuses, slug) })
	})
	out := append([]render.SearchFacetGroup{kind}, groups...)
	return append(out, types, issuers, years, statuses)
}

// searchDocument is what a legal document's hit shows; the zero value for an article.
func searchDocument(h search.Hit) render.SearchDocument {
	if h.Kind != search.KindDocument {
		return render.SearchDocument{}
	}
	l := h.Legal
	filterURL := func(filter, slug string) string {
		if slug == "" {
			return ""
		}
		return site.LibraryURL + filter + "/" + slug + "/"
	}
	return render.SearchDocument{
		Number:  l.Number,
		Type:    render.SearchLink{Name: l.Type.Name, URL: filterURL(site.FilterType, l.Type.Slug)},
		Issuer:  render.SearchLink{Name: l.Issuer.Name, URL: filterURL(site.FilterIssuer, l.Issuer.Slug)},
		Status:  l.Status.Name,
		InForce: l.Status.Slug == statusInForce,
	}
}

// apiDocument is a legal document's hit in /api/search: its number, type, issuer,
// issue date (the hit's date) and status.
type apiDocument struct {
	Number  string  `json:"number"`
	Type    apiTerm `json:"type"`
	Issuer  apiTerm `json:"issuer"`
	Issued  string  `json:"issued"` // YYYY-MM-DD, in Vietnam
	Status  apiTerm `json:"status"`
	InForce bool    `json:"in_force"`
}

// toAPIDocument is h's document part, nil for an article.
func toAPIDocument(h search.Hit) *apiDocument {
	if h.Kind != search.KindDocument {
		return nil
	}
	l := h.Legal
	d := &apiDocument{Number: l.Number, Type: apiTerm(l.Type), Issuer: apiTerm(l.Issuer), Status: apiTerm(l.Status), InForce: l.Status.Slug == statusInForce}
	if !h.Date.IsZero() {
		d.Issued = h.Date.Format("2006-01-02")
	}
	return d
}
