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
	"unicode/utf8"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/vietnamese"
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

// paramError is a bad query parameter; its message is shown to the citizen (400).
type paramError struct{ msg string }

func (e *paramError) Error() string { return e.msg }

// parseRequest reads the search parameters from a raw query string. One that does not
// decode (q=%zz) is refused, not searched as if empty. Repeated filters (tinh=a&tinh=b)
// are ORed; empty values are ignored; the query is NFC, trimmed and cut to
// search.MaxQueryRunes. allowSize accepts the API's size parameter.
func parseRequest(rawQuery string, allowSize bool) (search.Request, error) {
	var req search.Request
	v, err := url.ParseQuery(rawQuery)
	if err != nil {
		return req, &paramError{malformedMessage(err)}
	}
	req.Query = cutRunes(strings.TrimSpace(vietnamese.NFC(v.Get(paramQuery))), search.MaxQueryRunes)
	for _, s := range v[paramProvince] {
		if s = strings.TrimSpace(s); s != "" {
			req.Provinces = append(req.Provinces, s)
		}
	}
	for _, s := range v[paramCategory] {
		if s = strings.TrimSpace(s); s != "" {
			req.Categories = append(req.Categories, s)
		}
	}
	for _, s := range v[paramYear] {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		y, err := strconv.Atoi(s)
		if err != nil || y < 1 {
			return req, &paramError{fmt.Sprintf("Năm %q không hợp lệ: hãy dùng số, ví dụ nam=2025.", s)}
		}
		req.Years = append(req.Years, y)
	}
	switch s := v.Get(paramSort); s {
	case "", search.SortRelevance, search.SortNewest:
		req.Sort = s
	default:
		return req, &paramError{fmt.Sprintf("Cách sắp xếp %q không hợp lệ: hãy dùng %q (liên quan nhất) hoặc %q (mới nhất).", s, search.SortRelevance, search.SortNewest)}
	}
	if s := strings.TrimSpace(v.Get(paramPage)); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > search.MaxPage {
			return req, &paramError{fmt.Sprintf("Số trang %q không hợp lệ: trang phải từ 1 đến %d.", s, search.MaxPage)}
		}
		req.Page = n
	}
	if s := strings.TrimSpace(v.Get(paramSize)); allowSize && s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > search.MaxSize {
			return req, &paramError{fmt.Sprintf("Số kết quả mỗi trang %q không hợp lệ: size phải từ 1 đến %d.", s, search.MaxSize)}
		}
		req.Size = n
	}
	for _, s := range append(slices.Clone(req.Provinces), req.Categories...) {
		if !search.ValidSlug(s) {
			return req, &paramError{fmt.Sprintf("Bộ lọc %q không hợp lệ: chỉ dùng chữ thường không dấu, số và dấu gạch nối, ví dụ tinh=ha-tinh.", s)}
		}
	}
	if err := req.Validate(); err != nil {
		return req, &paramError{validationMessage(err)}
	}
	return req.Normalize(), nil
}

// malformedMessage explains an url.ParseQuery error to the citizen.
func malformedMessage(err error) string {
	var esc url.EscapeError
	if errors.As(err, &esc) {
		return fmt.Sprintf("Địa chỉ tìm kiếm bị lỗi mã hóa (%s): hãy gõ lại từ khóa.", string(esc))
	}
	return "Địa chỉ tìm kiếm không hợp lệ: hãy gõ lại từ khóa."
}

// validationMessage turns a search.Request.Validate error into a citizen's sentence.
func validationMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), search.ErrInvalidRequest.Error()+": ")
	if msg == "" {
		return "Yêu cầu tìm kiếm không hợp lệ."
	}
	r, n := utf8.DecodeRuneInString(msg)
	return strings.ToUpper(string(r)) + msg[n:] + "."
}

func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return strings.TrimSpace(s[:j])
		}
		i++
	}
	return s
}

// searchOutcome classifies a failed search: status and message for the citizen.
type searchOutcome struct {
	status     int
	msg        string
	retryAfter bool
}

// runSearch waits for a search slot (up to QueueWait), then searches with the request's
// deadline. A non-nil outcome means the search did not produce a result.
func (h *Handler) runSearch(ctx context.Context, req search.Request) (search.Result, *searchOutcome) {
	if h.searcher == nil {
		return search.Result{}, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgUnavailable, retryAfter: true}
	}
	if !h.acquire(ctx) {
		return search.Result{}, &searchOutcome{status: http.StatusServiceUnavailable, msg: msgOverloaded, retryAfter: true}
	}
	defer func() { <-h.sem }()
	ctx, cancel := context.WithTimeout(ctx, h.opts.SearchTimeout)
	defer cancel()
	res, err := h.searcher.Search(ctx, req)
	switch {
	case err == nil:
		return res, nil
	case errors.Is(err, search.ErrInvalidRequest):
		return res, &searchOutcome{status: http.StatusBadRequest, msg: validationMessage(err)}
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
	req, err := parseRequest(r.URL.RawQuery, false)
	view := &render.SearchView{Query: req.Query, Sort: req.Sort}
	if view.Sort == "" {
		view.Sort = search.SortRelevance
	}
	if err != nil {
		view.Message, view.Status = err.Error(), http.StatusBadRequest
		h.writeSearchPage(w, r, view, false)
		return
	}
	res, out := h.runSearch(r.Context(), req)
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
		body, err = builtinSearchPage(view)
	}
	if err != nil {
		h.logf("không kết xuất được trang tìm kiếm: %v", err)
		plain(w, http.StatusInternalServerError, "500 – Lỗi máy chủ khi hiển thị trang tìm kiếm.")
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
	st := pageState{query: res.Query, provinces: req.Provinces, categories: req.Categories, years: req.Years, sort: req.Sort, page: res.Page}
	v.Query, v.Total, v.TookMS = res.Query, res.Total, res.Took.Milliseconds()
	v.Page, v.Pages = res.Page, res.Pages

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
	v.Facets = []render.SearchFacetGroup{provinces, categories, years}
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
