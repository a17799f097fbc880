package search

import (
	"context"
	"errors"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

const (
	urlHaTinh   = "/tin-tuc/hoi-nghi-trien-khai-nhiem-vu-tinh-ha-tinh-2024/"
	urlHaTinhCa = "/tin-tuc/dem-nhac-ha-tinh-ca/"
	urlLamDong  = "/tin-tuc/lam-dong-phat-trien-du-lich-nong-nghiep/"
	urlDaNang   = "/tin-tuc/da-nang-khai-mac-le-hoi-phao-hoa/"
	urlND64a    = "/van-ban/huong-dan-nghi-dinh-64-2007/"
	urlND64b    = "/tin-tuc/kiem-tra-ung-dung-cntt/"
	urlKH64     = "/tin-tuc/tong-ket-ke-hoach-64-kh-ubnd/"
	urlQD2599   = "/van-ban/quyet-dinh-2599-qd-ubnd/"
	urlANM      = "/tin-tuc/tang-cuong-an-ninh-mang/"
	urlATTT     = "/tin-tuc/dien-tap-an-toan-thong-tin-2023/"
	urlToCT     = "/tin-tuc/to-cong-tac-lam-viec-tai-quang-ninh/"
	urlScript   = "/tin-tuc/canh-bao-ma-doc-gia-mao/"
)

func doSearch(t *testing.T, ix *Index, req Request) Result {
	t.Helper()
	res, err := ix.Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

// mustQuery is NewQuery for requests known to be valid.
func mustQuery(r Request) Query {
	q, err := NewQuery(r)
	if err != nil {
		panic(err)
	}
	return q
}

func TestSearchRanking(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	tests := []struct {
		query string
		first string
	}{
		{"ha tinh", urlHaTinh},
		{"HÀ TĨNH", urlHaTinh},
		{"Hà Tĩnh", urlHaTinh},
		{"hạ tình", urlHaTinhCa},
		{"lam dong", urlLamDong},
		{"Lâm Đồng", urlLamDong},
		{"da nang", urlDaNang},
		{"an ninh", urlANM},
		{"an toàn thông tin", urlATTT},
		{"to cong tac", urlToCT},
		{"tổ", urlToCT},
		{"2599/QĐ-UBND", urlQD2599},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := doSearch(t, ix, Request{Query: tt.query})
			if len(res.Hits) == 0 || res.Hits[0].URL != tt.first {
				t.Fatalf("first hit for %q = %v, want %s", tt.query, urls(res), tt.first)
			}
		})
	}
}

func TestExactDiacriticsOutrankFolded(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	for _, q := range []string{"Hà Tĩnh", "hà tĩnh", "tỉnh Hà Tĩnh"} {
		got := urls(doSearch(t, ix, Request{Query: q}))
		a, b := slices.Index(got, urlHaTinh), slices.Index(got, urlHaTinhCa)
		if a < 0 || (b >= 0 && b < a) {
			t.Errorf("%q: Hà Tĩnh article at %d, hạ tình article at %d (%v)", q, a, b, got)
		}
	}
	// Both are found: folding makes "hạ tình" a match for "Hà Tĩnh", just
	// a weaker one.
	got := urls(doSearch(t, ix, Request{Query: "Hà Tĩnh"}))
	if !slices.Contains(got, urlHaTinhCa) {
		t.Errorf("folded match missing: %v", got)
	}
}

func TestDocumentNumbers(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	two := []string{urlND64a, urlND64b}
	tests := []struct {
		query string
		want  []string
	}{
		{"nghị định 64", two},
		{"nghi dinh 64", two},
		{"64/2007/NĐ-CP", two},
		{"64/2007/nd-cp", two},
		{"Nghị định số 64/2007/NĐ-CP", two},
		{"2599/QĐ-UBND", []string{urlQD2599}},
		{"2599/qd-ubnd", []string{urlQD2599}},
		{"64/KH-UBND", []string{urlKH64}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			got := urls(doSearch(t, ix, Request{Query: tt.query}))
			sort.Strings(got)
			want := slices.Clone(tt.want)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("%q found %v, want exactly %v", tt.query, got, want)
			}
		})
	}
}

func TestNFDQueryEqualsNFC(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	for _, q := range []string{"Hà Tĩnh", "Lâm Đồng", "nghị định 64", "an toàn thông tin", "Đà Nẵng"} {
		nfd := norm.NFD.String(q)
		if nfd == q {
			t.Fatalf("test query %q has no decomposable characters", q)
		}
		a := doSearch(t, ix, Request{Query: q})
		b := doSearch(t, ix, Request{Query: nfd})
		if len(a.Hits) == 0 {
			t.Errorf("%q: no hits", q)
		}
		if !slices.Equal(urls(a), urls(b)) || a.Total != b.Total {
			t.Errorf("%q: NFC %v, NFD %v", q, urls(a), urls(b))
		}
		for i := range a.Hits {
			if a.Hits[i].Score != b.Hits[i].Score || a.Hits[i].ExcerptHTML != b.Hits[i].ExcerptHTML {
				t.Errorf("%q hit %d differs between NFC and NFD", q, i)
			}
		}
		if b.Query != q {
			t.Errorf("normalized query = %q, want NFC %q", b.Query, q)
		}
	}
}

func TestFiltersAndFacets(t *testing.T) {
	docs := fixtureDocs()
	ix, _ := buildFixture(t, docs)

	// Empty query: no hits, facets over all documents, counted from the
	// fixture itself.
	res := doSearch(t, ix, Request{Query: "   "})
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Fatalf("empty query: total %d hits %d", res.Total, len(res.Hits))
	}
	wantProv := map[string]int{}
	wantYear := map[string]int{}
	for _, d := range docs {
		for _, p := range d.Provinces {
			wantProv[p.Slug]++
		}
		wantYear[yearString(d.Date.Year())]++
	}
	if got := facetMap(res.Provinces); !reflect.DeepEqual(got, wantProv) {
		t.Errorf("province facets = %v, want %v", got, wantProv)
	}
	if got := facetMap(res.Years); !reflect.DeepEqual(got, wantYear) {
		t.Errorf("year facets = %v, want %v", got, wantYear)
	}
	for i := 1; i < len(res.Provinces); i++ {
		if res.Provinces[i-1].Count < res.Provinces[i].Count {
			t.Errorf("province facets not by count: %v", res.Provinces)
		}
	}
	for i := 1; i < len(res.Years); i++ {
		if res.Years[i-1].Slug < res.Years[i].Slug {
			t.Errorf("year facets not newest first: %v", res.Years)
		}
	}
	for _, f := range res.Provinces {
		if f.Slug == "lam-dong" && f.Name != "Lâm Đồng" {
			t.Errorf("facet name for lam-dong = %q", f.Name)
		}
	}

	// Query + facets.
	res = doSearch(t, ix, Request{Query: "nghị định 64"})
	if got := facetMap(res.Provinces); !reflect.DeepEqual(got, map[string]int{"ha-tinh": 1, "lam-dong": 1}) {
		t.Errorf("facets for nghị định 64 = %v", got)
	}
	if got := facetMap(res.Categories); !reflect.DeepEqual(got, map[string]int{"van-ban": 1, "cong-nghe": 1}) {
		t.Errorf("category facets = %v", got)
	}

	tests := []struct {
		name string
		req  Request
		want []string
	}{
		{"province", Request{Query: "nghị định 64", Provinces: []string{"lam-dong"}}, []string{urlND64b}},
		{"province OR", Request{Query: "nghị định 64", Provinces: []string{"lam-dong", "ha-tinh"}}, []string{urlND64a, urlND64b}},
		{"province AND category", Request{Query: "nghị định 64", Provinces: []string{"lam-dong", "ha-tinh"}, Categories: []string{"van-ban"}}, []string{urlND64a}},
		{"year", Request{Query: "nghị định 64", Years: []int{2008}}, []string{urlND64a}},
		{"no match", Request{Query: "nghị định 64", Provinces: []string{"da-nang"}}, nil},
		{"category only", Request{Query: "thông tin", Categories: []string{"cong-nghe"}}, nil}, // want filled below
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := urls(doSearch(t, ix, tt.req))
			sort.Strings(got)
			want := tt.want
			if tt.name == "category only" {
				// every cong-nghe article that mentions "thông tin"
				want = nil
				for _, d := range docs {
					if d.Categories[0].Slug == "cong-nghe" && strings.Contains(strings.ToLower(d.Title+" "+d.Summary+" "+d.Body), "thông tin") {
						want = append(want, d.URL)
					}
				}
				if len(want) < 2 {
					t.Fatalf("fixture should have several cong-nghe articles about thông tin")
				}
			}
			want = slices.Clone(want)
			sort.Strings(want)
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}
}

func facetMap(fs []Facet) map[string]int {
	m := map[string]int{}
	for _, f := range fs {
		m[f.Slug] = f.Count
		if f.Name == "" {
			m["<no name for "+f.Slug+">"] = 1
		}
	}
	return m
}

func TestSortNewest(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	res := doSearch(t, ix, Request{Query: "nghị định 64", Sort: SortNewest})
	if got := urls(res); !slices.Equal(got, []string{urlND64a, urlND64b}) {
		t.Fatalf("newest first = %v", got)
	}
	res = doSearch(t, ix, Request{Query: "cơ quan", Sort: SortNewest, Size: 50})
	if len(res.Hits) < 4 {
		t.Fatalf("too few hits for cơ quan: %v", urls(res))
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i-1].Date.Before(res.Hits[i].Date) {
			t.Errorf("not newest first at %d: %v before %v", i, res.Hits[i-1].Date, res.Hits[i].Date)
		}
	}
	if h := res.Hits[0]; h.Date.Location() != vnZone || h.Date.Hour() != 8 {
		t.Errorf("hit date %v, want 08:30 Vietnam time", h.Date)
	}
}

func TestPaging(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	all := doSearch(t, ix, Request{Query: "các", Size: 50})
	if all.Total < 5 {
		t.Fatalf("fixture needs more hits for các, got %d", all.Total)
	}
	var paged []string
	for p := 1; p <= all.Pages*0+int((all.Total+1)/2); p++ {
		r := doSearch(t, ix, Request{Query: "các", Size: 2, Page: p})
		if r.Pages != int((all.Total+1)/2) {
			t.Fatalf("Pages = %d, want %d", r.Pages, (all.Total+1)/2)
		}
		paged = append(paged, urls(r)...)
	}
	if !slices.Equal(paged, urls(all)) {
		t.Errorf("pages %v != all %v", paged, urls(all))
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func checkSafeHTML(t *testing.T, what string, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("%s is not valid UTF-8: %q", what, s)
	}
	for _, tag := range tagRE.FindAllString(s, -1) {
		if tag != "<mark>" && tag != "</mark>" {
			t.Errorf("%s contains tag %q: %s", what, tag, s)
		}
	}
	if strings.Count(s, "<mark>") != strings.Count(s, "</mark>") {
		t.Errorf("%s has unbalanced marks: %s", what, s)
	}
}

func TestExcerpts(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	tests := []struct {
		query, url, want string
	}{
		// Folded query, highlight on the original accented words.
		{"ha tinh", urlHaTinh, "<mark>Hà Tĩnh</mark>"},
		{"lam dong", urlLamDong, "<mark>Lâm Đồng</mark>"},
		{"HÀ TĨNH", urlHaTinh, "<mark>Hà Tĩnh</mark>"},
		{"64/2007/NĐ-CP", urlND64b, "<mark>64/2007/NĐ-CP</mark>"},
		// No body hit: start of the summary, with its match marked.
		{"tám đội", urlDaNang, "Lễ hội pháo hoa quốc tế Đà Nẵng năm nay có sự tham gia của <mark>tám đội</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res := doSearch(t, ix, Request{Query: tt.query})
			i := slices.Index(urls(res), tt.url)
			if i < 0 {
				t.Fatalf("%s not found: %v", tt.url, urls(res))
			}
			h := res.Hits[i]
			ex := string(h.ExcerptHTML)
			if !strings.Contains(ex, tt.want) {
				t.Errorf("excerpt %q lacks %q", ex, tt.want)
			}
			checkSafeHTML(t, "excerpt", ex)
			checkSafeHTML(t, "title", string(h.TitleHTML))
			if n := utf8.RuneCountInString(tagRE.ReplaceAllString(ex, "")); n > 240 {
				t.Errorf("excerpt has %d characters", n)
			}
		})
	}
	// The title is marked too.
	res := doSearch(t, ix, Request{Query: "da nang"})
	if got := string(res.Hits[0].TitleHTML); got != "<mark>Đà Nẵng</mark> khai mạc Lễ hội pháo hoa quốc tế" {
		t.Errorf("TitleHTML = %q", got)
	}
}

func TestQueryInjectionIsPlainText(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	for _, q := range []string{"<script>", "title:x", "title:hội", "+a -b", "/regex/", "a*", "a~2", `"unclosed`, "(", "field:>5", "*", "?", "\\", "&amp;", "hội^10"} {
		res, err := ix.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Errorf("%q: %v", q, err)
			continue
		}
		for _, h := range res.Hits {
			checkSafeHTML(t, q+" excerpt", string(h.ExcerptHTML))
			checkSafeHTML(t, q+" title", string(h.TitleHTML))
		}
	}
	// "title:hội" is a word, not a field query: nothing contains it.
	if res := doSearch(t, ix, Request{Query: "title:hội"}); res.Total != 0 {
		t.Errorf("title:hội was interpreted as query syntax: %v", urls(res))
	}
	// "*" matches nothing instead of everything.
	if res := doSearch(t, ix, Request{Query: "*"}); res.Total != 0 {
		t.Errorf("* matched %d articles", res.Total)
	}
	// "+a -b" requires both words (no exclusion).
	res := doSearch(t, ix, Request{Query: "+hội -nghị"})
	if !slices.Contains(urls(res), urlHaTinh) {
		t.Errorf("+hội -nghị should find the hội nghị article: %v", urls(res))
	}
	// The text of a <script> in an article is escaped in the excerpt.
	res = doSearch(t, ix, Request{Query: "<script>"})
	if len(res.Hits) != 1 || res.Hits[0].URL != urlScript {
		t.Fatalf("<script> found %v", urls(res))
	}
	ex := string(res.Hits[0].ExcerptHTML)
	if !strings.Contains(ex, "&lt;<mark>script</mark>&gt;alert(&#39;x&#39;)&lt;/<mark>script</mark>&gt;") || !strings.Contains(ex, "&amp;") {
		t.Errorf("excerpt not escaped: %s", ex)
	}
}

func TestNewQuery(t *testing.T) {
	bad := []struct {
		r    Request
		want InvalidError
	}{
		{Request{Page: 101}, InvalidError{Field: "Page", Value: "101"}},
		{Request{Page: -1}, InvalidError{Field: "Page", Value: "-1"}},
		{Request{Size: 51}, InvalidError{Field: "Size", Value: "51"}},
		{Request{Size: -1}, InvalidError{Field: "Size", Value: "-1"}},
		{Request{Sort: "oldest"}, InvalidError{Field: "Sort", Value: "oldest"}},
		{Request{Provinces: []string{"Hà Tĩnh"}}, InvalidError{Field: "Provinces", Value: "Hà Tĩnh"}},
		{Request{Categories: []string{"a b"}}, InvalidError{Field: "Categories", Value: "a b"}},
		{Request{Years: []int{20}}, InvalidError{Field: "Years", Value: "20"}},
		{Request{Provinces: make([]string, MaxFilters+1)}, InvalidError{Field: "Filters", Value: "51"}},
		{Request{Years: make([]int, MaxFilters+1)}, InvalidError{Field: "Filters", Value: "51"}},
	}
	for _, tt := range bad {
		_, err := NewQuery(tt.r)
		var ie *InvalidError
		if !errors.As(err, &ie) || *ie != tt.want {
			t.Errorf("NewQuery(%+v) = %v, want %+v", tt.r, err, tt.want)
		}
	}
	good := []Request{{}, {Page: 100, Size: 50, Sort: SortNewest, Provinces: []string{"ha-tinh"}, Years: []int{2007}}, {Sort: SortRelevance}, {Query: strings.Repeat("ạ", 1000)}}
	for _, r := range good {
		if _, err := NewQuery(r); err != nil {
			t.Errorf("NewQuery(%+v) = %v", r, err)
		}
	}
	// The zero Query is the empty request; Request gives a copy.
	if got, want := (Query{}).Request(), (Request{Page: 1, Size: DefaultSize, Sort: SortRelevance, Thesaurus: DefaultThesaurus()}); !reflect.DeepEqual(got, want) {
		t.Errorf("zero Query: %+v, want %+v", got, want)
	}
	q, _ := NewQuery(Request{Query: " Ha\u0300 ", Provinces: []string{"ha-tinh", "ha-tinh"}})
	r := q.Request()
	r.Provinces[0] = "Hà Tĩnh"
	if got := q.Request(); got.Query != "Hà" || !reflect.DeepEqual(got.Provinces, []string{"ha-tinh"}) {
		t.Errorf("normalized: %+v", got)
	}
	ix, _ := buildFixture(t, fixtureDocs())
	if _, err := ix.Search(context.Background(), Request{Page: 101}); !errors.As(err, new(*InvalidError)) {
		t.Errorf("Search with page 101: %v", err)
	}
	long := strings.Repeat("hà tĩnh ", 100)
	res := doSearch(t, ix, Request{Query: long})
	if n := utf8.RuneCountInString(res.Query); n > MaxQueryRunes {
		t.Errorf("query kept %d runes", n)
	}
	if res.Page != 1 || res.Size != DefaultSize {
		t.Errorf("defaults: page %d size %d", res.Page, res.Size)
	}
}

func TestSearchDeadline(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ix.Search(ctx, Request{Query: "các"}); err == nil {
		t.Errorf("search with a cancelled context succeeded")
	}
}

// Equal scores and equal dates are ordered by URL, whatever the order the
// articles were indexed in, so pages do not shuffle between builds.
func TestTiesOrderedByURL(t *testing.T) {
	var docs []Document
	for _, u := range []string{"/tin-tuc/c/", "/tin-tuc/a/", "/tin-tuc/d/", "/tin-tuc/b/"} {
		docs = append(docs, Document{URL: u, Title: "Tiếp dân định kỳ", Body: "Lịch tiếp công dân tháng này.", Date: vnDate(2024, 5, 1)})
	}
	ix, _ := buildFixture(t, docs)
	want := []string{"/tin-tuc/a/", "/tin-tuc/b/", "/tin-tuc/c/", "/tin-tuc/d/"}
	for _, sort := range []string{SortRelevance, SortNewest} {
		res := doSearch(t, ix, Request{Query: "tiếp dân", Sort: sort})
		if got := urls(res); !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", sort, got, want)
		}
		page2 := doSearch(t, ix, Request{Query: "tiếp dân", Sort: sort, Page: 2, Size: 2})
		if got := urls(page2); !slices.Equal(got, want[2:]) {
			t.Errorf("%s page 2: %v, want %v", sort, got, want[2:])
		}
	}
}
