package server

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
)

func apiGet(t *testing.T, c *http.Client, base string, q url.Values) (response, map[string]any) {
	t.Helper()
	res := do(t, c, "GET", base+"/api/search?"+q.Encode())
	var m map[string]any
	if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
		t.Fatalf("api body is not JSON: %v: %.200q", err, res.Body)
	}
	return res, m
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func TestAPIShape(t *testing.T) {
	f := newFixture(t, corpus(25, "alpha"))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, Logf: t.Logf})
	c := rawClient()
	res, m := apiGet(t, c, srv.URL, url.Values{"q": {"hội nghị"}, "size": {"5"}})
	if res.StatusCode != 200 {
		t.Fatalf("status %d: %s", res.StatusCode, res.Body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if got := keys(m); !slices.Equal(got, []string{"facets", "hits", "query", "took_ms", "total"}) {
		t.Errorf("top-level keys %v", got)
	}
	if m["query"] != "hội nghị" || m["total"].(float64) != 25 {
		t.Errorf("query %v total %v, want hội nghị 25", m["query"], m["total"])
	}
	hits := m["hits"].([]any)
	if len(hits) != 5 {
		t.Fatalf("%d hits, want 5 (size=5)", len(hits))
	}
	for _, h := range hits {
		hit := h.(map[string]any)
		if got := keys(hit); !slices.Equal(got, []string{"category", "date", "excerpt_html", "kind", "provinces", "title", "url"}) {
			t.Fatalf("hit keys %v", got)
		}
		if _, err := time.Parse(time.RFC3339, hit["date"].(string)); err != nil {
			t.Errorf("date %q is not RFC 3339", hit["date"])
		}
		if hit["kind"] != "tin-tuc" {
			t.Errorf("kind %v, want tin-tuc", hit["kind"])
		}
		if hit["category"] != "Hội nghị" {
			t.Errorf("category %v", hit["category"])
		}
		provs := hit["provinces"].([]any)
		if len(provs) != 1 || !slices.Equal(keys(provs[0].(map[string]any)), []string{"name", "slug"}) {
			t.Errorf("provinces %v", provs)
		}
		if !strings.HasPrefix(hit["url"].(string), "/tin-tuc/alpha-") || !strings.Contains(hit["title"].(string), "Hội nghị") {
			t.Errorf("hit %v", hit)
		}
		if ex := hit["excerpt_html"].(string); !strings.Contains(ex, "<mark>") {
			t.Errorf("excerpt without marks: %q", ex)
		}
	}
	facets := m["facets"].(map[string]any)
	if got := keys(facets); !slices.Equal(got, []string{"categories", "document_types", "issue_years", "issuers", "kinds", "provinces", "statuses", "years"}) {
		t.Fatalf("facet keys %v", got)
	}
	counts := map[string]float64{}
	for _, g := range []string{"provinces", "categories", "years"} {
		for _, it := range facets[g].([]any) {
			item := it.(map[string]any)
			if !slices.Equal(keys(item), []string{"count", "name", "slug"}) {
				t.Fatalf("facet item %v", item)
			}
			counts[g+":"+item["slug"].(string)] = item["count"].(float64)
		}
	}
	want := map[string]float64{"provinces:ha-tinh": 13, "provinces:nghe-an": 12, "categories:hoi-nghi": 25, "years:2024": 13, "years:2025": 12}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("facet %s = %v, want %v (all: %v)", k, counts[k], v, counts)
		}
	}

	// Filters: repeated values OR, different filters AND.
	_, m = apiGet(t, c, srv.URL, url.Values{"q": {"hoi nghi"}, "tinh": {"ha-tinh"}})
	if m["total"].(float64) != 13 {
		t.Errorf("tinh=ha-tinh total %v, want 13", m["total"])
	}
	_, m = apiGet(t, c, srv.URL, url.Values{"q": {"hội nghị"}, "tinh": {"ha-tinh", "nghe-an"}})
	if m["total"].(float64) != 25 {
		t.Errorf("tinh=ha-tinh&tinh=nghe-an total %v, want 25", m["total"])
	}
	_, m = apiGet(t, c, srv.URL, url.Values{"q": {"hội nghị"}, "tinh": {"ha-tinh"}, "nam": {"2025"}})
	if m["total"].(float64) != 0 {
		t.Errorf("tinh=ha-tinh&nam=2025 total %v, want 0", m["total"])
	}
	// Newest first.
	_, m = apiGet(t, c, srv.URL, url.Values{"q": {"hội nghị"}, "sap-xep": {"moi-nhat"}, "size": {"50"}})
	var dates []string
	for _, h := range m["hits"].([]any) {
		dates = append(dates, h.(map[string]any)["date"].(string))
	}
	if !slices.IsSortedFunc(dates, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("moi-nhat not newest first: %v", dates)
	}
	// Empty query: no hits, facets of everything.
	_, m = apiGet(t, c, srv.URL, url.Values{"q": {""}})
	if m["total"].(float64) != 0 || len(m["hits"].([]any)) != 0 || len(m["facets"].(map[string]any)["provinces"].([]any)) != 2 {
		t.Errorf("empty query: %v", m)
	}
}

func TestAPILimits(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index})
	c := rawClient()
	bad := []url.Values{
		{"q": {"x"}, "size": {"1000"}}, // refused, not capped
		{"q": {"x"}, "size": {"51"}},
		{"q": {"x"}, "size": {"0"}},
		{"q": {"x"}, "size": {"abc"}},
		{"q": {"x"}, "trang": {"101"}},
		{"q": {"x"}, "trang": {"0"}},
		{"q": {"x"}, "trang": {"-1"}},
		{"q": {"x"}, "trang": {"hai"}},
		{"q": {"x"}, "sap-xep": {"ngau-nhien"}},
		{"q": {"x"}, "nam": {"abc"}},
		{"q": {"x"}, "nam": {"1800"}},
		{"q": {"x"}, "tinh": {"Hà Tĩnh"}},
		{"q": {"x"}, "chuyen-muc": {"../x"}},
	}
	for _, q := range bad {
		res, m := apiGet(t, c, srv.URL, q)
		msg, _ := m["error"].(string)
		if res.StatusCode != 400 || msg == "" || len(m) != 1 {
			t.Errorf("%s: %d %v, want 400 with {\"error\"}", q.Encode(), res.StatusCode, m)
		}
	}
	// size ≤ 50 is fine, trang = 100 is fine (just empty).
	for _, q := range []url.Values{{"q": {"hội nghị"}, "size": {"50"}}, {"q": {"hội nghị"}, "trang": {"100"}}} {
		if res, _ := apiGet(t, c, srv.URL, q); res.StatusCode != 200 {
			t.Errorf("%s: %d, want 200", q.Encode(), res.StatusCode)
		}
	}
	// Long queries are cut to 200 runes, not refused.
	long := strings.Repeat("hội nghị ", 100)
	res, m := apiGet(t, c, srv.URL, url.Values{"q": {long}})
	if res.StatusCode != 200 {
		t.Fatalf("long query: %d %s", res.StatusCode, res.Body)
	}
	if n := utf8.RuneCountInString(m["query"].(string)); n > search.MaxQueryRunes || n < search.MaxQueryRunes-10 {
		t.Errorf("long query echoed with %d runes, want about %d", n, search.MaxQueryRunes)
	}
}

// viewRecorder is a SearchPage that keeps the last view and renders the built-in page.
type viewRecorder struct {
	mu   sync.Mutex
	last *render.SearchView
}

func (v *viewRecorder) render(view *render.SearchView) ([]byte, error) {
	v.mu.Lock()
	v.last = view
	v.mu.Unlock()
	return BuiltinSearchPage(view)
}

func (v *viewRecorder) get() *render.SearchView {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.last
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t, corpus(25, "alpha"))
	rec := &viewRecorder{}
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, SearchPage: rec.render,
		TermURL: TermURLs(map[string]string{"provinces": "tinh-thanh"})})
	c := rawClient()

	res := do(t, c, "GET", srv.URL+"/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B&tinh=ha-tinh")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("status %d type %q", res.StatusCode, res.Header.Get("Content-Type"))
	}
	v := rec.get()
	if v.Query != "hội nghị" || v.Total != 13 || len(v.Hits) != 10 || v.Page != 1 || v.Pages != 2 || v.Status != 200 || v.Message != "" {
		t.Fatalf("view: query %q total %d hits %d page %d/%d status %d msg %q", v.Query, v.Total, len(v.Hits), v.Page, v.Pages, v.Status, v.Message)
	}
	const base = "/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B"
	if v.NextURL != base+"&tinh=ha-tinh&trang=2" || v.PrevURL != "" {
		t.Errorf("pagination: prev %q next %q", v.PrevURL, v.NextURL)
	}
	if v.RelevanceURL != base+"&tinh=ha-tinh" || v.NewestURL != base+"&tinh=ha-tinh&sap-xep=moi-nhat" {
		t.Errorf("sort URLs: %q %q", v.RelevanceURL, v.NewestURL)
	}
	if len(v.Filters) != 1 || v.Filters[0].Label != "Tỉnh, thành phố" || v.Filters[0].Value != "Hà Tĩnh" || v.Filters[0].RemoveURL != base {
		t.Errorf("filters %+v", v.Filters)
	}
	hit := v.Hits[0]
	if len(hit.Provinces) != 1 || hit.Provinces[0].URL != "/tinh-thanh/ha-tinh/" || len(hit.Categories) != 1 || hit.Categories[0].URL != "/chuyen-muc/hoi-nghi/" {
		t.Errorf("hit links %+v %+v", hit.Provinces, hit.Categories)
	}
	groups := map[string]render.SearchFacetGroup{}
	for _, g := range v.Facets {
		groups[g.Param] = g
	}
	prov := groups["tinh"].Items
	if len(prov) != 1 || prov[0].Name != "Hà Tĩnh" || !prov[0].Active || prov[0].URL != base || prov[0].Count != 13 {
		t.Errorf("province facet %+v", prov)
	}
	years := groups["nam"].Items
	if len(years) != 1 || years[0].Active || years[0].URL != base+"&tinh=ha-tinh&nam=2024" {
		t.Errorf("year facet %+v", years)
	}
	// With JavaScript off the page itself carries the links.
	for _, want := range []string{
		`href="/tim-kiem/?q=h%E1%BB%99i&#43;ngh%E1%BB%8B&amp;tinh=ha-tinh&amp;trang=2"`,
		`href="/tim-kiem/?q=h%E1%BB%99i&#43;ngh%E1%BB%8B&amp;tinh=ha-tinh&amp;nam=2024"`,
		`rel="next"`, "Hà Tĩnh", "<mark>",
	} {
		if !strings.Contains(res.Body, want) {
			t.Errorf("page lacks %s", want)
		}
	}

	// Page 2 links back; a page past the end offers the last page.
	do(t, c, "GET", srv.URL+v.NextURL)
	if v2 := rec.get(); v2.Page != 2 || len(v2.Hits) != 3 || v2.PrevURL != base+"&tinh=ha-tinh" || v2.NextURL != "" {
		t.Errorf("page 2: page %d hits %d prev %q next %q", v2.Page, len(v2.Hits), v2.PrevURL, v2.NextURL)
	}
	do(t, c, "GET", srv.URL+base+"&trang=9")
	if v3 := rec.get(); len(v3.Hits) != 0 || v3.PrevURL != base+"&trang=3" {
		t.Errorf("past the end: hits %d prev %q", len(v3.Hits), v3.PrevURL)
	}

	// Toggling a facet off: the selected value is listed even with no match.
	do(t, c, "GET", srv.URL+base+"&tinh=ha-tinh&nam=2025")
	v4 := rec.get()
	if v4.Total != 0 || len(v4.Filters) != 2 {
		t.Fatalf("no-match filters: total %d filters %+v", v4.Total, v4.Filters)
	}
	if v4.Filters[1].Value != "2025" || v4.Filters[1].RemoveURL != base+"&tinh=ha-tinh" {
		t.Errorf("year filter %+v", v4.Filters[1])
	}

	cases := []struct {
		query  string
		status int
		msg    string
	}{
		{"q=", 200, "Hãy nhập từ khóa"},
		{"q=+++&tinh=ha-tinh", 200, "Hãy nhập từ khóa"},
		{"trang=2", 200, "Hãy nhập từ khóa"},
		{"q=x&trang=abc", 400, "Số trang"},
		{"q=x&trang=101", 400, "Số trang"},
		{"q=x&sap-xep=abc", 400, "Cách sắp xếp"},
		{"q=x&nam=hai-nghin", 400, "Năm"},
		{"q=x&tinh=H%C3%A0", 400, "Bộ lọc"},
	}
	for _, tc := range cases {
		res := do(t, c, "GET", srv.URL+"/tim-kiem/?"+tc.query)
		v := rec.get()
		if res.StatusCode != tc.status || v.Status != tc.status || !strings.HasPrefix(v.Message, tc.msg) || !strings.Contains(res.Body, tc.msg) {
			t.Errorf("?%s: status %d (view %d), message %q; want %d %q", tc.query, res.StatusCode, v.Status, v.Message, tc.status, tc.msg)
		}
	}
	// An empty query still offers facets for browsing.
	do(t, c, "GET", srv.URL+"/tim-kiem/?q=")
	if v := rec.get(); len(v.Facets) != 3 || len(v.Facets[0].Items) != 2 {
		t.Errorf("empty query facets %+v", v.Facets)
	}
}

func TestSearchPageRenderError(t *testing.T) {
	f := newFixture(t, corpus(2, "alpha"))
	logs := &logRecorder{}
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, Logf: logs.logf,
		SearchPage: func(*render.SearchView) ([]byte, error) { return nil, os.ErrInvalid }})
	res := do(t, rawClient(), "GET", srv.URL+"/tim-kiem/?q=x")
	if res.StatusCode != 500 || logs.count("trang tìm kiếm") != 1 {
		t.Errorf("status %d, logs %v", res.StatusCode, logs.lines)
	}
}

func TestSearchUnavailable(t *testing.T) {
	f := newFixture(t, nil) // no index
	logs := &logRecorder{}
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, Logf: logs.logf})
	c := rawClient()
	for range 5 {
		res, m := apiGet(t, c, srv.URL, url.Values{"q": {"hội nghị"}})
		if res.StatusCode != 503 || m["error"] != msgUnavailable || res.Header.Get("Retry-After") == "" {
			t.Errorf("api: %d %v Retry-After %q", res.StatusCode, m, res.Header.Get("Retry-After"))
		}
		page := do(t, c, "GET", srv.URL+"/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B")
		if page.StatusCode != 503 || !strings.Contains(page.Body, "Tìm kiếm tạm thời không hoạt động") {
			t.Errorf("page: %d %.200q", page.StatusCode, page.Body)
		}
	}
	for _, p := range []string{"/", "/tin-tuc/", "/tim-kiem/"} {
		if res := do(t, c, "GET", srv.URL+p); res.StatusCode != 200 {
			t.Errorf("static %s: %d while search is down", p, res.StatusCode)
		}
	}
	if n := logs.count(f.Index); n != 1 {
		t.Errorf("the missing index was logged %d times, want once: %q", n, logs.lines)
	}

	// A build that later writes the index makes search work without a restart.
	buildIndex(t, f.Index, corpus(2, "alpha"))
	deadline := time.Now().Add(5 * time.Second)
	for {
		res, m := apiGet(t, c, srv.URL, url.Values{"q": {"alpha"}})
		if res.StatusCode == 200 && m["total"].(float64) == 3 { // 2 + the school article
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("index never picked up: %d %v", res.StatusCode, m)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSearchDisabled(t *testing.T) {
	f := newFixture(t, nil)
	logs := &logRecorder{}
	srv, _ := start(t, Options{Root: f.Root, Logf: logs.logf})
	if res, _ := apiGet(t, rawClient(), srv.URL, url.Values{"q": {"x"}}); res.StatusCode != 503 {
		t.Errorf("status %d, want 503", res.StatusCode)
	}
	if logs.count("không hoạt động") != 1 {
		t.Errorf("logs %q", logs.lines)
	}
}

// TestLiveSwap swaps a new index generation in with renames while searches run: every
// request succeeds and the new content shows up without a restart.
func TestLiveSwap(t *testing.T) {
	f := newFixture(t, corpus(5, "alpha"))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, Logf: t.Logf})
	c := rawClient()
	if _, m := apiGet(t, c, srv.URL, url.Values{"q": {"alpha"}}); m["total"].(float64) != 6 { // 5 + the school article
		t.Fatalf("index A: %v", m)
	}
	next := filepath.Join(f.Dir, ".search-new")
	buildIndex(t, next, corpus(7, "beta"))

	var (
		stop   atomic.Bool
		failed atomic.Int64
		done   sync.WaitGroup
		seenB  atomic.Bool
	)
	for range 4 {
		done.Add(1)
		go func() {
			defer done.Done()
			for !stop.Load() {
				res, err := c.Get(srv.URL + "/api/search?q=beta")
				if err != nil {
					failed.Add(1)
					continue
				}
				var m map[string]any
				err = json.NewDecoder(res.Body).Decode(&m)
				res.Body.Close()
				if err != nil || res.StatusCode != 200 {
					failed.Add(1)
					continue
				}
				if m["total"].(float64) == 8 { // 7 + the school article
					seenB.Store(true)
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	old := filepath.Join(f.Dir, ".search-old")
	if err := os.Rename(f.Index, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(next, f.Index); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !seenB.Load() && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	stop.Store(true)
	done.Wait()
	if !seenB.Load() {
		t.Fatal("index B never served")
	}
	if n := failed.Load(); n != 0 {
		t.Errorf("%d requests failed during the swap", n)
	}
	if _, m := apiGet(t, c, srv.URL, url.Values{"q": {"alpha"}}); m["total"].(float64) != 0 {
		t.Errorf("index A still answers: %v", m)
	}
}

// gate is a Searcher that holds every search until released, to fill the slots.
type gate struct {
	inner    Searcher
	release  chan struct{}
	running  atomic.Int64
	maxSeen  atomic.Int64
	finished atomic.Int64
}

func (g *gate) Search(ctx context.Context, q search.Query) (search.Result, error) {
	n := g.running.Add(1)
	defer g.running.Add(-1)
	for {
		m := g.maxSeen.Load()
		if n <= m || g.maxSeen.CompareAndSwap(m, n) {
			break
		}
	}
	select {
	case <-g.release:
	case <-ctx.Done():
		return search.Result{}, ctx.Err()
	}
	defer g.finished.Add(1)
	return g.inner.Search(ctx, q)
}

func TestConcurrencyLimit(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	live := search.NewLive(f.Index, t.Logf)
	defer live.Close()
	g := &gate{inner: live, release: make(chan struct{})}
	srv, _ := start(t, Options{Root: f.Root, Searcher: g, MaxConcurrent: 8, QueueWait: 100 * time.Millisecond})
	c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}, Timeout: 10 * time.Second}

	const n = 200
	statuses := make(chan int, n)
	retry := make(chan string, n)
	var wg sync.WaitGroup
	startAt := time.Now()
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			path := "/api/search?q=alpha"
			if i%2 == 1 {
				path = "/tim-kiem/?q=alpha"
			}
			res, err := c.Get(srv.URL + path)
			if err != nil {
				statuses <- -1
				return
			}
			res.Body.Close()
			if res.StatusCode == 503 {
				retry <- res.Header.Get("Retry-After")
			}
			statuses <- res.StatusCode
		}()
	}
	// All but the 8 held searches must be turned away quickly.
	counts := map[int]int{}
	timeout := time.After(5 * time.Second)
	for got := 0; got < n-8; got++ {
		select {
		case s := <-statuses:
			counts[s]++
		case <-timeout:
			t.Fatalf("only %d of %d requests answered while the slots were full: %v", got, n-8, counts)
		}
	}
	turnedAway := time.Since(startAt)
	close(g.release)
	wg.Wait()
	close(statuses)
	for s := range statuses {
		counts[s]++
	}
	if counts[200] != 8 || counts[503] != n-8 {
		t.Errorf("statuses %v, want 8×200 and %d×503", counts, n-8)
	}
	if m := g.maxSeen.Load(); m != 8 {
		t.Errorf("%d searches ran at once, want 8", m)
	}
	close(retry)
	for ra := range retry {
		if ra == "" {
			t.Fatal("503 without Retry-After")
		}
	}
	if turnedAway > 3*time.Second {
		t.Errorf("turning away took %s", turnedAway)
	}
}

func TestSearchTimeout(t *testing.T) {
	f := newFixture(t, corpus(2, "alpha"))
	live := search.NewLive(f.Index, nil)
	defer live.Close()
	g := &gate{inner: live, release: make(chan struct{})} // never released: the deadline fires
	logs := &logRecorder{}
	srv, _ := start(t, Options{Root: f.Root, Searcher: g, SearchTimeout: 50 * time.Millisecond, Logf: logs.logf})
	res, m := apiGet(t, rawClient(), srv.URL, url.Values{"q": {"alpha"}})
	if res.StatusCode != 503 || m["error"] != msgTimeout || logs.count("quá thời hạn") != 1 {
		t.Errorf("%d %v logs %q", res.StatusCode, m, logs.lines)
	}
}

func TestParseQuery(t *testing.T) {
	v := url.Values{"q": {"  Ho\u0302\u0323i nghị  "}, "tinh": {"ha-tinh", "", "nghe-an", "ha-tinh"}, "nam": {"2024", " "}, "sap-xep": {"moi-nhat"}, "trang": {"3"}, "size": {"20"}}
	q, err := parseQuery(v.Encode(), false, nil)
	if err != nil {
		t.Fatal(err)
	}
	req := q.Request()
	if req.Size != search.DefaultSize {
		t.Errorf("size without allowSize: %d", req.Size)
	}
	if !slices.Equal(req.Provinces, []string{"ha-tinh", "nghe-an"}) || !slices.Equal(req.Years, []int{2024}) || req.Sort != "moi-nhat" || req.Page != 3 {
		t.Errorf("parsed %+v", req)
	}
	if req.Query != "Hội nghị" { // NFC, trimmed
		t.Errorf("query %q", req.Query)
	}
	if q, _ := parseQuery(v.Encode(), true, nil); q.Request().Size != 20 {
		t.Errorf("size with allowSize: %d", q.Request().Size)
	}
	// A refusal keeps the words, for the page to show them again.
	v.Set("trang", "0")
	if q, err := parseQuery(v.Encode(), false, nil); err == nil || q.Request().Query != "Hội nghị" {
		t.Errorf("trang=0: %v, query %q", err, q.Request().Query)
	}
}

// TestMalformedQueryString: a query string that does not decode (q=%zz) is refused with
// 400 and a message saying so, on the API and the search page, instead of being searched
// as an empty query.
func TestMalformedQueryString(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	rec := &viewRecorder{}
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, SearchPage: rec.render})
	c := rawClient()
	const want = "Địa chỉ tìm kiếm bị lỗi mã hóa (%zz)"
	for _, raw := range []string{"q=%zz", "q=alpha&tinh=%zz", "q=%zz&q=alpha"} {
		res := do(t, c, "GET", srv.URL+"/api/search?"+raw)
		var m map[string]any
		_ = json.Unmarshal([]byte(res.Body), &m)
		if msg, _ := m["error"].(string); res.StatusCode != 400 || !strings.HasPrefix(msg, want) || len(m) != 1 {
			t.Errorf("/api/search?%s: %d %.200s, want 400 {\"error\": %q…}", raw, res.StatusCode, res.Body, want)
		}
		res = do(t, c, "GET", srv.URL+"/tim-kiem/?"+raw)
		v := rec.get()
		if res.StatusCode != 400 || v.Status != 400 || !strings.HasPrefix(v.Message, want) || !strings.Contains(res.Body, want) {
			t.Errorf("/tim-kiem/?%s: status %d (view %d), message %q; want 400 %q…", raw, res.StatusCode, v.Status, v.Message, want)
		}
	}
}

// TestRefusalsInVietnamese: every refusal of bad parameters a citizen can meet, on the API
// and the search page, is worded in Vietnamese only.
func TestRefusalsInVietnamese(t *testing.T) {
	f := newFixture(t, corpus(3, "alpha"))
	rec := &viewRecorder{}
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, SearchPage: rec.render})
	c := rawClient()
	many := func(param string, value func(i int) string) url.Values {
		v := url.Values{"q": {"x"}}
		for i := range search.MaxFilters + 1 {
			v.Add(param, value(i))
		}
		return v
	}
	slug := func(i int) string { return fmt.Sprintf("tinh-%d", i) }
	year := func(i int) string { return strconv.Itoa(2000 + i) }
	english := regexp.MustCompile(`(?i)\b(at most|values|per filter|must|between|out of range|unknown|use|slug|year|page|invalid|filter)\b`)
	cases := []struct {
		q    url.Values
		want string
	}{
		{many("tinh", slug), "Chọn tối đa 50 giá trị cho mỗi bộ lọc"},
		{many("chuyen-muc", slug), "Chọn tối đa 50 giá trị cho mỗi bộ lọc"},
		{many("nam", year), "Chọn tối đa 50 giá trị cho mỗi bộ lọc"},
		{url.Values{"q": {"x"}, "nam": {"1800"}}, "Năm"},
		{url.Values{"q": {"x"}, "nam": {"0"}}, "Năm"},
		{url.Values{"q": {"x"}, "trang": {"101"}}, "Số trang"},
		{url.Values{"q": {"x"}, "trang": {"0"}}, "Số trang"},
		{url.Values{"q": {"x"}, "size": {"51"}}, "Số kết quả mỗi trang"},
		{url.Values{"q": {"x"}, "sap-xep": {"ngau-nhien"}}, "Cách sắp xếp"},
		{url.Values{"q": {"x"}, "tinh": {"Hà Tĩnh"}}, "Bộ lọc"},
		{url.Values{"q": {"x"}, "chuyen-muc": {"../x"}}, "Bộ lọc"},
	}
	for _, tc := range cases {
		res, m := apiGet(t, c, srv.URL, tc.q)
		msg, _ := m["error"].(string)
		if res.StatusCode != 400 || !strings.HasPrefix(msg, tc.want) || english.MatchString(msg) {
			t.Errorf("/api/search?%.80s: %d %q, want 400 in Vietnamese only, starting %q", tc.q.Encode(), res.StatusCode, msg, tc.want)
		}
		if tc.q.Has("size") {
			continue // API only
		}
		res = do(t, c, "GET", srv.URL+"/tim-kiem/?"+tc.q.Encode())
		if v := rec.get(); res.StatusCode != 400 || !strings.HasPrefix(v.Message, tc.want) || english.MatchString(v.Message) {
			t.Errorf("/tim-kiem/?%.80s: %d %q, want 400 in Vietnamese only, starting %q", tc.q.Encode(), res.StatusCode, v.Message, tc.want)
		}
	}
}
