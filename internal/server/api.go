package server

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
)

// apiResult is the JSON body of /api/search.
type apiResult struct {
	Query  string    `json:"query"`
	Total  uint64    `json:"total"`
	TookMS int64     `json:"took_ms"`
	Hits   []apiHit  `json:"hits"`
	Facets apiFacets `json:"facets"`
	// Suggestion is a corrected query that finds more; absent when none.
	Suggestion string `json:"suggestion,omitempty"`
	// ProvincesIncluded are the provinces whose articles were included
	// because the query or a filter named the province they merged into.
	ProvincesIncluded []apiTerm `json:"provinces_included,omitempty"`
	// Merges are the provinces named that took part in the 2025 merger.
	Merges []apiMerge `json:"merges,omitempty"`
	// Expanded are the query words also searched as other spellings.
	Expanded []apiExpanded `json:"expanded,omitempty"`
	// Notes are Merges and Expanded as sentences for the citizen.
	Notes []string `json:"notes,omitempty"`
}

type apiMerge struct {
	Province apiTerm   `json:"province"`
	Included []apiTerm `json:"included,omitempty"`
	Became   *apiTerm  `json:"became,omitempty"`
	On       string    `json:"on"` // YYYY-MM-DD
}

type apiExpanded struct {
	Words string   `json:"words"`
	Also  []string `json:"also"`
}

type apiHit struct {
	URL         string    `json:"url"`
	Title       string    `json:"title"`
	Date        string    `json:"date"` // RFC 3339; "" when the article has no date
	Provinces   []apiTerm `json:"provinces"`
	Category    string    `json:"category"` // the first category's name, or ""
	ExcerptHTML string    `json:"excerpt_html"`
	// Kind is "tin-tuc" (article or page) or "van-ban" (legal document).
	Kind string `json:"kind"`
	// Document describes a legal document (kind "van-ban"); absent for articles.
	Document *apiDocument `json:"document,omitempty"`
}

type apiTerm struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

type apiFacets struct {
	Provinces  []apiFacet `json:"provinces"`
	Categories []apiFacet `json:"categories"`
	Years      []apiFacet `json:"years"`
	// Kinds count the hits of each kind; the document facets count the legal
	// documents among them (empty when none matched).
	Kinds      []apiFacet `json:"kinds"`
	DocTypes   []apiFacet `json:"document_types"`
	Issuers    []apiFacet `json:"issuers"`
	IssueYears []apiFacet `json:"issue_years"`
	Statuses   []apiFacet `json:"statuses"`
}

type apiFacet struct {
	Name  string `json:"name"`
	Slug  string `json:"slug"`
	Count int    `json:"count"`
}

type apiError struct {
	Error string `json:"error"`
}

// serveAPI answers /api/search with JSON. An empty query is not an error: it gives no
// hits and the facets of all articles matching the filters. size above search.MaxSize
// is refused with 400 (not capped), so a client never silently gets fewer results.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	q, err := parseQuery(r.URL.RawQuery, true, h.opts.Thesaurus)
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, apiError{err.Error()}, false)
		return
	}
	res, out := h.runSearch(r.Context(), q)
	if out != nil {
		writeJSON(w, r, out.status, apiError{out.msg}, out.retryAfter)
		return
	}
	writeJSON(w, r, http.StatusOK, toAPI(res), false)
}

func toAPI(res search.Result) apiResult {
	out := apiResult{Query: res.Query, Total: res.Total, TookMS: res.Took.Milliseconds(), Hits: []apiHit{},
		Facets: apiFacets{Provinces: apiFacetList(res.Provinces), Categories: apiFacetList(res.Categories), Years: apiFacetList(res.Years),
			Kinds: apiFacetList(res.Kinds), DocTypes: apiFacetList(res.DocTypes), Issuers: apiFacetList(res.Issuers), IssueYears: apiFacetList(res.DocYears), Statuses: apiFacetList(res.Statuses)},
		Suggestion: res.Suggestion, Notes: searchNotes(res)}
	for _, m := range res.Merges {
		am := apiMerge{Province: apiTerm(m.Province), On: m.On.Format("2006-01-02")}
		for _, t := range m.Included {
			am.Included = append(am.Included, apiTerm(t))
			out.ProvincesIncluded = append(out.ProvincesIncluded, apiTerm(t))
		}
		if m.Became != nil {
			b := apiTerm(*m.Became)
			am.Became = &b
		}
		out.Merges = append(out.Merges, am)
	}
	for _, e := range res.Expanded {
		out.Expanded = append(out.Expanded, apiExpanded{Words: e.Words, Also: e.Also})
	}
	for _, h := range res.Hits {
		ah := apiHit{URL: h.URL, Title: h.Title, Provinces: []apiTerm{}, ExcerptHTML: string(h.ExcerptHTML)}
		if !h.Date.IsZero() {
			ah.Date = h.Date.Format(time.RFC3339)
		}
		for _, t := range h.Provinces {
			ah.Provinces = append(ah.Provinces, apiTerm{Name: t.Name, Slug: t.Slug})
		}
		if len(h.Categories) > 0 {
			ah.Category = h.Categories[0].Name
		}
		ah.Kind, ah.Document = h.Kind, toAPIDocument(h)
		out.Hits = append(out.Hits, ah)
	}
	return out
}

func apiFacetList(fs []search.Facet) []apiFacet {
	out := make([]apiFacet, 0, len(fs))
	for _, f := range fs {
		out = append(out, apiFacet{Name: f.Name, Slug: f.Slug, Count: f.Count})
	}
	return out
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any, retryAfter bool) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(true)
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"lỗi máy chủ"}` + "\n")
	}
	hdr := w.Header()
	hdr.Set("Content-Type", "application/json; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("Content-Length", strconv.Itoa(buf.Len()))
	if retryAfter {
		hdr.Set("Retry-After", "1")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
}

// builtinSearchTmpl is the results page used when no theme layout is given (Options.SearchPage nil).
var builtinSearchTmpl = template.Must(template.New("search").Parse(`<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Tìm kiếm{{ with .Query }}: {{ . }}{{ end }}</title></head>
<body><main>
<h1>Tìm kiếm</h1>
<form action="" method="get" role="search"><label for="q">Từ khóa</label> <input id="q" type="search" name="q" value="{{ .Query }}"> <button type="submit">Tìm</button></form>
{{ with .Message }}<p role="status">{{ . }}</p>{{ end }}
{{ with .Suggestion }}<p>Có phải bạn muốn tìm: <a href="{{ $.SuggestionURL }}">{{ . }}</a></p>{{ end }}
{{ range .Notes }}<p>{{ . }}</p>{{ end }}
{{ if .Filters }}<ul class="filters">{{ range .Filters }}<li><a href="{{ .RemoveURL }}">{{ .Label }}: {{ .Value }} ×</a></li>{{ end }}</ul>{{ end }}
{{ if .Hits }}<p>Tìm thấy {{ .Total }} kết quả. Sắp xếp: <a href="{{ .RelevanceURL }}">liên quan nhất</a> · <a href="{{ .NewestURL }}">mới nhất</a></p>
<ol>{{ range .Hits }}<li><a href="{{ .URL }}">{{ .Title }}</a>{{ if eq .Kind "van-ban" }}{{ with .Document }} <p>Văn bản số {{ .Number }} · {{ .Type.Name }}{{ with .Issuer.Name }} · {{ . }}{{ end }}{{ end }}{{ if not .Date.IsZero }} · ban hành {{ .Date.Format "02/01/2006" }}{{ end }} · {{ .Document.Status }}</p>{{ end }} {{ with .ExcerptHTML }}<p>{{ . }}</p>{{ end }}</li>{{ end }}</ol>
{{ if gt .Pages 1 }}<nav aria-label="Phân trang">{{ with .PrevURL }}<a href="{{ . }}" rel="prev">‹ Trang trước</a>{{ end }} Trang {{ .Page }} / {{ .Pages }} {{ with .NextURL }}<a href="{{ . }}" rel="next">Trang sau ›</a>{{ end }}</nav>{{ end }}
{{ end }}
{{ range .Facets }}{{ if .Items }}<section><h2>{{ .Name }}</h2><ul>{{ range .Items }}<li><a href="{{ .URL }}"{{ if .Active }} aria-current="true"{{ end }}>{{ .Name }} ({{ .Count }})</a></li>{{ end }}</ul></section>{{ end }}{{ end }}
</main></body></html>
`))

// BuiltinSearchPage renders the minimal results page: the one used without a theme
// layout (Options.SearchPage nil) or while the theme cannot be loaded.
func BuiltinSearchPage(v *render.SearchView) ([]byte, error) {
	var buf bytes.Buffer
	err := builtinSearchTmpl.Execute(&buf, v)
	return buf.Bytes(), err
}
