package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// Query parameters of the search page and the API.
const (
	paramQuery    = "q"
	paramProvince = "tinh"
	paramCategory = "chuyen-muc"
	paramYear     = "nam"
	paramSort     = "sap-xep"
	paramPage     = "trang"
	paramSize     = "size" // API only
)

// Messages shown to citizens.
const (
	msgEmptyQuery  = "Hãy nhập từ khóa để tìm kiếm. Mẹo: gõ có dấu hoặc không dấu đều được (ví dụ “giáo dục” hay “giao duc”), và dùng bộ lọc tỉnh, thành phố, chuyên mục, năm để thu hẹp kết quả."
	msgUnavailable = "Tìm kiếm tạm thời không hoạt động. Vui lòng thử lại sau ít phút."
	msgOverloaded  = "Hệ thống tìm kiếm đang quá tải. Vui lòng thử lại sau ít giây."
	msgTimeout     = "Tìm kiếm mất quá nhiều thời gian. Hãy thử từ khóa ngắn hơn hoặc thêm bộ lọc."
	msgInternal    = "Đã xảy ra lỗi khi tìm kiếm. Vui lòng thử lại sau."
)

// Facet group names on the search page.
const (
	labelProvince = "Tỉnh, thành phố"
	labelCategory = "Chuyên mục"
	labelYear     = "Năm"
)

// parseQuery reads the search parameters of a raw query string into a search.Query,
// which search.NewQuery checks. Repeated filters (tinh=a&tinh=b) are ORed; empty values
// are ignored; allowSize accepts the API's size parameter. A query string that does not
// decode (q=%zz) is refused, not searched as if empty. A refusal's message is for the
// citizen (400); with it comes the Query of the words alone, for the page to show again.
func parseQuery(rawQuery string, allowSize bool, th *search.Thesaurus) (search.Query, error) {
	v, malformed := url.ParseQuery(rawQuery)
	req := search.Request{Query: v.Get(paramQuery), Provinces: nonEmpty(v[paramProvince]), Categories: nonEmpty(v[paramCategory]), Sort: v.Get(paramSort), Thesaurus: th}
	readDocFilters(v, &req)
	var bad *search.InvalidError
	number := func(field, s string) int { // numbers are positive; search checks the ranges
		n, err := strconv.Atoi(s)
		if (err != nil || n < 1) && bad == nil {
			bad = &search.InvalidError{Field: field, Value: s}
		}
		return n
	}
	for _, s := range nonEmpty(v[paramYear]) {
		req.Years = append(req.Years, number("Years", s))
	}
	for _, s := range nonEmpty(v[paramDocYear]) {
		req.DocYears = append(req.DocYears, number("DocYears", s))
	}
	if s := strings.TrimSpace(v.Get(paramPage)); s != "" {
		req.Page = number("Page", s)
	}
	if s := strings.TrimSpace(v.Get(paramSize)); allowSize && s != "" {
		req.Size = number("Size", s)
	}
	q, err := search.NewQuery(req)
	var msg string
	switch {
	case malformed != nil:
		msg = "Địa chỉ tìm kiếm không hợp lệ: hãy gõ lại từ khóa."
		if esc := url.EscapeError(""); errors.As(malformed, &esc) {
			msg = fmt.Sprintf("Địa chỉ tìm kiếm bị lỗi mã hóa (%s): hãy gõ lại từ khóa.", string(esc))
		}
	case bad != nil || errors.As(err, &bad):
		msg = refusal(bad)
	default:
		return q, nil
	}
	q, _ = search.NewQuery(search.Request{Query: req.Query, Thesaurus: th})
	return q, errors.New(msg)
}

// nonEmpty returns the values trimmed, leaving out empty ones.
func nonEmpty(values []string) []string {
	var out []string
	for _, s := range values {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// refusal words a refused parameter for the citizen.
func refusal(e *search.InvalidError) string {
	switch {
	case e.Field == "Filters":
		return fmt.Sprintf("Chọn tối đa %d giá trị cho mỗi bộ lọc.", search.MaxFilters)
	case e.Field == "Page":
		return fmt.Sprintf("Số trang %q không hợp lệ: trang phải từ 1 đến %d.", e.Value, search.MaxPage)
	case e.Field == "Size":
		return fmt.Sprintf("Số kết quả mỗi trang %q không hợp lệ: size phải từ 1 đến %d.", e.Value, search.MaxSize)
	case e.Field == "Sort":
		return fmt.Sprintf("Cách sắp xếp %q không hợp lệ: hãy dùng %q (liên quan nhất) hoặc %q (mới nhất).", e.Value, search.SortRelevance, search.SortNewest)
	case docRefusal(e) != "":
		return docRefusal(e)
	case e.Field == "Years":
		return fmt.Sprintf("Năm %q không hợp lệ: hãy dùng số từ %d đến %d, ví dụ nam=2025.", e.Value, search.MinYear, search.MaxYear)
	default: // Provinces, Categories
		return fmt.Sprintf("Bộ lọc %q không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ tinh=ha-tinh.", e.Value)
	}
}

// searchOutcome classifies a failed search: status and message for the citizen.
type searchOutcome struct {
	status     int
	msg        string
	retryAfter bool
}

// runSearch waits for a search slot (up to QueueWait), then searches with the request's
// deadline. A non-nil outcome means the search did not produce a result.
func (h *Handler) runSearch(ctx context.Context, q search.Query) (search.Result, *searchOutcome) {
	if h.searcher == nil {
		return search.Result{}, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgUnavailable, retryAfter: true}
	}
	if !h.acquire(ctx) {
		return search.Result{}, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgOverloaded, retryAfter: true}
	}
	defer func() { <-h.sem }()
	ctx, cancel := context.WithTimeout(ctx, h.opts.SearchTimeout)
	defer cancel()
	res, err := h.searcher.Search(ctx, q)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, search.ErrUnavailable):
		// The searcher (search.Live) logs why, once per reason.
		return res, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgUnavailable, retryAfter: true}
	case errors.Is(err, context.DeadlineExceeded):
		h.logf("tìm kiếm quá thời hạn %s: %v", h.opts.SearchTimeout, err)
		return res, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgTimeout, retryAfter: true}
	case errors.Is(err, context.Canceled):
		// The client went away; nobody reads the answer.
		return res, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgUnavailable}
	default:
		h.logf("lỗi tìm kiếm: %v", err)
		return res, &searchOutcome{status: http.StatusInternalServerError, msg: msgInternal}
	}
}

// acquire takes a search slot, waiting at most QueueWait.
func (h *Handler) acquire(ctx context.Context) bool {
	select {
	case h.sem <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(h.opts.QueueWait)
	defer t.Stop()
	select {
	case h.sem <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-ctx.Done():
		return false
	}
}

// serveSearchPage renders the theme's search layout with results. Without JavaScript the
// page is complete: facets, filters, sort and pagination are plain links.
func (h *Handler) serveSearchPage(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r.URL.RawQuery, false, h.opts.Thesaurus)
	req := q.Request()
	view := &render.SearchView{Query: req.Query, Sort: req.Sort}
	if err != nil {
		view.Message, view.Status = err.Error(), http.StatusBadRequest
		h.writeSearchPage(w, r, view, false)
		return
	}
	res, out := h.runSearch(r.Context(), q)
	if out != nil {
		view.Message, view.Status = out.msg, out.status
		h.writeSearchPage(w, r, view, out.retryAfter)
		return
	}
	h.fillView(view, req, res)
	if res.Query == "" {
		view.Message = msgEmptyQuery
	}
	view.Status = http.StatusOK
	h.writeSearchPage(w, r, view, false)
}

func (h *Handler) writeSearchPage(w http.ResponseWriter, r *http.Request, view *render.SearchView, retryAfter bool) {
	var (
		body []byte
		err  error
	)
	if h.opts.SearchPage != nil {
		body, err = h.opts.SearchPage(view)
	} else {
		body, err = BuiltinSearchPage(view)
	}
	if err != nil {
		h.logf("không kết xuất được trang tìm kiếm: %v", err)
		Plain(w, http.StatusInternalServerError, "500 – Lỗi máy chủ khi hiển thị trang tìm kiếm.")
		return
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "text/html; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Length", strconv.Itoa(len(body)))
	if retryAfter {
		hdr.Set("Retry-After", "1")
	}
	w.WriteHeader(view.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// pageState is the part of a request that search page links carry.
type pageState struct {
	query                 string
	provinces, categories []string
	years                 []int
	sort                  string
	page                  int
	docs                  docFilters
}

// url encodes the state as a search page URL, parameters in a fixed order and defaults
// (relevance, page 1) left out.
func (s pageState) url(base string) string {
	var parts []string
	add := func(k, v string) { parts = append(parts, url.QueryEscape(k)+"="+url.QueryEscape(v)) }
	add(paramQuery, s.query)
	for _, p := range s.provinces {
		add(paramProvince, p)
	}
	for _, c := range s.categories {
		add(paramCategory, c)
	}
	for _, y := range s.years {
		add(paramYear, strconv.Itoa(y))
	}
	s.docs.addTo(add)
	if s.sort != "" && s.sort != search.SortRelevance {
		add(paramSort, s.sort)
	}
	if s.page > 1 {
		add(paramPage, strconv.Itoa(s.page))
	}
	return base + "?" + strings.Join(parts, "&")
}

// toggle returns list with v removed if present, appended otherwise.
func toggle[T comparable](list []T, v T) []T {
	if i := slices.Index(list, v); i >= 0 {
		return slices.Delete(slices.Clone(list), i, i+1)
	}
	return append(slices.Clone(list), v)
}

// fillView turns a result into the search layout's view: hits, facets with toggle links,
// active filters with remove links, sort and pagination links.
func (h *Handler) fillView(v *render.SearchView, req search.Request, res search.Result) {
	base := h.opts.SearchURL
	st := pageState{query: res.Query, provinces: req.Provinces, categories: req.Categories, years: req.Years, sort: req.Sort, page: res.Page, docs: docFiltersOf(req)}
	v.Query, v.Total, v.TookMS = res.Query, res.Total, res.Took.Milliseconds()
	v.Page, v.Pages = res.Page, res.Pages
	v.Notes = searchNotes(res)
	if res.Suggestion != "" {
		sug := pageState{query: res.Suggestion, provinces: req.Provinces, categories: req.Categories, years: req.Years, sort: req.Sort, page: 1, docs: st.docs}
		v.Suggestion, v.SuggestionURL = res.Suggestion, sug.url(base)
	}

	first := st
	first.page = 1
	rel, newest := first, first
	rel.sort, newest.sort = search.SortRelevance, search.SortNewest
	v.RelevanceURL, v.NewestURL = rel.url(base), newest.url(base)
	if res.Page > 1 {
		prev := st
		prev.page = min(res.Page-1, max(res.Pages, 1))
		v.PrevURL = prev.url(base)
	}
	if res.Page < res.Pages {
		next := st
		next.page = res.Page + 1
		v.NextURL = next.url(base)
	}

	for _, hit := range res.Hits {
		sh := render.SearchHit{URL: hit.URL, Title: hit.Title, Date: hit.Date, ExcerptHTML: hit.ExcerptHTML}
		for _, t := range hit.Provinces {
			sh.Provinces = append(sh.Provinces, render.SearchLink{Name: t.Name, URL: h.opts.TermURL("provinces", t.Slug)})
		}
		for _, t := range hit.Categories {
			sh.Categories = append(sh.Categories, render.SearchLink{Name: t.Name, URL: h.opts.TermURL("categories", t.Slug)})
		}
		sh.Kind, sh.Document = hit.Kind, searchDocument(hit)
		v.Hits = append(v.Hits, sh)
	}

	provinces := facetGroup(labelProvince, paramProvince, res.Provinces, req.Provinces, func(slug string) string {
		s := first
		s.provinces = toggle(first.provinces, slug)
		return s.url(base)
	})
	categories := facetGroup(labelCategory, paramCategory, res.Categories, req.Categories, func(slug string) string {
		s := first
		s.categories = toggle(first.categories, slug)
		return s.url(base)
	})
	yearSlugs := make([]string, len(req.Years))
	for i, y := range req.Years {
		yearSlugs[i] = strconv.Itoa(y)
	}
	years := facetGroup(labelYear, paramYear, res.Years, yearSlugs, func(slug string) string {
		y, _ := strconv.Atoi(slug)
		s := first
		s.years = toggle(first.years, y)
		return s.url(base)
	})
	v.Facets = withDocFacets(res, first, base, []render.SearchFacetGroup{provinces, categories, years})
	for _, g := range v.Facets {
		for _, it := range g.Items {
			if it.Active {
				v.Filters = append(v.Filters, render.SearchFilter{Label: g.Name, Value: it.Name, Param: g.Param, Slug: it.Slug, RemoveURL: it.URL})
			}
		}
	}
}

// facetGroup builds one facet: every value with its toggle link; selected values missing
// from the result (no matching article) are listed too, so they can be removed.
func facetGroup(name, param string, facets []search.Facet, selected []string, toggleURL func(slug string) string) render.SearchFacetGroup {
	g := render.SearchFacetGroup{Name: name, Param: param}
	seen := map[string]bool{}
	for _, f := range facets {
		seen[f.Slug] = true
		g.Items = append(g.Items, render.SearchFacetItem{Name: f.Name, Slug: f.Slug, Count: f.Count, URL: toggleURL(f.Slug), Active: slices.Contains(selected, f.Slug)})
	}
	for _, s := range selected {
		if !seen[s] {
			g.Items = append(g.Items, render.SearchFacetItem{Name: s, Slug: s, URL: toggleURL(s), Active: true})
		}
	}
	return g
}

// PageRenderer returns an Options.SearchPage that renders the graph's search page
// (Kind site.KindSearch) with the theme's layout.
func PageRenderer(r *render.Renderer, g *site.Graph) (func(*render.SearchView) ([]byte, error), error) {
	for _, p := range g.Pages {
		if p.Kind == site.KindSearch {
			return func(v *render.SearchView) ([]byte, error) { return r.RenderWith(p, v) }, nil
		}
	}
	return nil, errors.New("server: the site has no search page to render results with")
}
