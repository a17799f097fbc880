package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/province"
)

var (
	pPhuTho   = Term{"Phú Thọ", "phu-tho"}
	pVinhPhuc = Term{"Vĩnh Phúc", "vinh-phuc"}
	pHoaBinh  = Term{"Hòa Bình", "hoa-binh"}
)

// officialDocs are articles written the two ways the administrative press
// writes: abbreviated and in full, and about provinces before and after the
// 2025 merger.
func officialDocs() []Document {
	return []Document{
		{URL: "/a/ubnd-viet-tat/", Title: "Lãnh đạo UBND tỉnh làm việc với Sở TT&TT",
			Body: "Phó Chủ tịch UBND tỉnh nghe báo cáo về ứng dụng CNTT trong cơ quan nhà nước.",
			Date: vnDate(2008, 6, 4), Provinces: []Term{pVinhPhuc}},
		{URL: "/a/uy-ban-day-du/", Title: "Ủy ban nhân dân tỉnh ban hành kế hoạch chuyển đổi số",
			Body: "Kế hoạch của Ủy ban nhân dân tỉnh về công nghệ thông tin và chuyển đổi số đến năm 2030.",
			Date: vnDate(2024, 3, 1), Provinces: []Term{pPhuTho}},
		{URL: "/a/nghi-dinh/", Title: "Triển khai Nghị định số 64/2007/NĐ-CP",
			Body: "Các sở triển khai Nghị định số 64/2007/NĐ-CP của Chính phủ về ứng dụng công nghệ thông tin.",
			Date: vnDate(2007, 8, 22), Provinces: []Term{pHoaBinh}},
		{URL: "/a/tphcm/", Title: "TP.HCM đẩy mạnh dịch vụ công trực tuyến",
			Body: "Thành phố triển khai thêm 200 dịch vụ công trực tuyến toàn trình.",
			Date: vnDate(2023, 5, 2), Provinces: []Term{{"Hồ Chí Minh", "ho-chi-minh"}}},
		{URL: "/a/hai-duong/", Title: "Hải Dương mở rộng vùng vải thiều xuất khẩu",
			Body: "Diện tích vải thiều đạt chuẩn xuất khẩu tăng 20%.",
			Date: vnDate(2020, 6, 1), Provinces: []Term{{"Hải Dương", "hai-duong"}}},
		{URL: "/a/khac/", Title: "Hội nghị tổng kết công tác năm",
			Body: "Hội nghị được tổ chức tại Hà Tĩnh, không nói gì về ủy ban.",
			Date: vnDate(2025, 12, 1), Provinces: []Term{pHaTinh}},
	}
}

// TestSynonymsBothWays: an abbreviation finds the words it stands for and
// the words find the abbreviation, with or without diacritics; what was
// typed ranks first.
func TestSynonymsBothWays(t *testing.T) {
	ix, _ := buildFixture(t, officialDocs())
	for _, tt := range []struct {
		q     string
		first string
		want  []string
	}{
		{"ủy ban nhân dân", "/a/uy-ban-day-du/", []string{"/a/ubnd-viet-tat/", "/a/uy-ban-day-du/"}},
		{"uy ban nhan dan", "/a/uy-ban-day-du/", []string{"/a/ubnd-viet-tat/", "/a/uy-ban-day-du/"}},
		{"UBND", "/a/ubnd-viet-tat/", []string{"/a/ubnd-viet-tat/", "/a/uy-ban-day-du/"}},
		{"ubnd", "/a/ubnd-viet-tat/", []string{"/a/ubnd-viet-tat/", "/a/uy-ban-day-du/"}},
		{"CNTT", "/a/ubnd-viet-tat/", []string{"/a/ubnd-viet-tat/", "/a/uy-ban-day-du/", "/a/nghi-dinh/"}},
		{"thông tin và truyền thông", "", []string{"/a/ubnd-viet-tat/"}},
		{"TPHCM", "/a/tphcm/", []string{"/a/tphcm/"}},
		{"nghị định chính phủ", "/a/nghi-dinh/", []string{"/a/nghi-dinh/"}},
		{"NĐ-CP", "/a/nghi-dinh/", []string{"/a/nghi-dinh/"}},
	} {
		res := doSearch(t, ix, Request{Query: tt.q})
		got := urls(res)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: %v, want %s among them", tt.q, got, w)
			}
		}
		if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
			t.Errorf("%q: %v, want %s first", tt.q, got, tt.first)
		}
		if len(res.Expanded) == 0 {
			t.Errorf("%q: no expansion reported", tt.q)
		}
	}
	// Without the thesaurus, the words find only themselves.
	if got := urls(doSearch(t, ix, Request{Query: "ủy ban nhân dân", Thesaurus: &Thesaurus{}})); slices.Contains(got, "/a/ubnd-viet-tat/") {
		t.Errorf("without synonyms: %v", got)
	}
	// The other spellings are highlighted too.
	res := doSearch(t, ix, Request{Query: "ủy ban nhân dân"})
	for _, h := range res.Hits {
		if h.URL == "/a/ubnd-viet-tat/" && !strings.Contains(string(h.TitleHTML), "<mark>UBND</mark>") {
			t.Errorf("title %s: UBND not marked", h.TitleHTML)
		}
	}
}

// TestSiteSynonyms: a site's own set works like a built-in one.
func TestSiteSynonyms(t *testing.T) {
	ix, _ := buildFixture(t, officialDocs())
	th, err := NewThesaurus([][]string{{"DVC", "dịch vụ công"}}, province.Default())
	if err != nil {
		t.Fatal(err)
	}
	if got := urls(doSearch(t, ix, Request{Query: "dvc", Thesaurus: th})); !slices.Contains(got, "/a/tphcm/") {
		t.Errorf("dvc: %v", got)
	}
	if got := urls(doSearch(t, ix, Request{Query: "dvc"})); len(got) != 0 {
		t.Errorf("dvc without the site's set: %v", got)
	}
	for _, bad := range [][]string{{"DVC"}, {"DVC", "…"}, {"", "x"}} {
		if _, err := NewThesaurus([][]string{bad}, nil); err == nil {
			t.Errorf("NewThesaurus(%q): no error", bad)
		}
	}
}

// TestMergedProvinces: naming Phú Thọ also finds the articles of Vĩnh Phúc
// and Hòa Bình, after its own, and says so; naming Vĩnh Phúc says what it
// became; a province filter and its facet count follow the same rule.
func TestMergedProvinces(t *testing.T) {
	ix, _ := buildFixture(t, officialDocs())
	for _, q := range []string{"phu tho", "Phú Thọ", "PHU THO"} {
		res := doSearch(t, ix, Request{Query: q})
		got := urls(res)
		if len(got) != 3 || got[0] != "/a/uy-ban-day-du/" {
			t.Errorf("%q: %v, want the Phú Thọ article first, then Vĩnh Phúc's and Hòa Bình's", q, got)
		}
		if len(res.Merges) != 1 || res.Merges[0].Province != pPhuTho || len(res.Merges[0].Included) != 2 || !res.Merges[0].On.Equal(province.ReformDate()) {
			t.Errorf("%q: merges %+v", q, res.Merges)
		}
	}
	res := doSearch(t, ix, Request{Query: "vinh phuc"})
	if got := urls(res); len(got) != 1 || got[0] != "/a/ubnd-viet-tat/" {
		t.Errorf("vinh phuc: %v", got)
	}
	if len(res.Merges) != 1 || res.Merges[0].Became == nil || *res.Merges[0].Became != pPhuTho {
		t.Errorf("vinh phuc: merges %+v", res.Merges)
	}
	// The filter.
	res = doSearch(t, ix, Request{Query: "tỉnh", Provinces: []string{"phu-tho"}})
	got := urls(res)
	if len(got) != 2 || got[0] != "/a/uy-ban-day-du/" {
		t.Errorf("tỉnh in Phú Thọ: %v", got)
	}
	if len(res.Merges) != 1 {
		t.Errorf("filter: merges %+v", res.Merges)
	}
	// Facets: Phú Thọ counts its predecessors' articles too.
	all := doSearch(t, ix, Request{})
	want := map[string]Facet{
		"phu-tho":     {Name: "Phú Thọ", Slug: "phu-tho", Count: 3},     // its own and its predecessors'
		"vinh-phuc":   {Name: "Vĩnh Phúc", Slug: "vinh-phuc", Count: 1}, // its own
		"hai-phong":   {Name: "Hải Phòng", Slug: "hai-phong", Count: 1}, // no article of its own yet
		"hai-duong":   {Name: "Hải Dương", Slug: "hai-duong", Count: 1},
		"ho-chi-minh": {Name: "Hồ Chí Minh", Slug: "ho-chi-minh", Count: 1},
	}
	facets := map[string]Facet{}
	for _, f := range all.Provinces {
		facets[f.Slug] = f
	}
	for slug, w := range want {
		if facets[slug] != w {
			t.Errorf("facet %s: %+v, want %+v", slug, facets[slug], w)
		}
	}
	// A query's facets follow the same rule.
	res = doSearch(t, ix, Request{Query: "vải thiều"})
	if len(res.Provinces) != 2 || res.Provinces[0].Count != 1 || res.Provinces[1].Count != 1 {
		t.Errorf("vải thiều: facets %+v, want Hải Dương and Hải Phòng, 1 each", res.Provinces)
	}
}
