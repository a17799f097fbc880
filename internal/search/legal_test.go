package search

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

var (
	tNghiDinh  = Term{"Nghị định", "nghi-dinh"}
	tQuyetDinh = Term{"Quyết định", "quyet-dinh"}
	iChinhPhu  = Term{"Chính phủ", "chinh-phu"}
	iUBND      = Term{"UBND tỉnh Lâm Đồng", "ubnd-tinh-lam-dong"}
	sCon       = Term{"còn hiệu lực", "con-hieu-luc"}
	sThayThe   = Term{"bị thay thế", "bi-thay-the"}
)

const (
	urlDocND64   = "/van-ban/64-2007-nd-cp/"
	urlDocND43   = "/van-ban/43-2011-nd-cp/"
	urlDocQD2599 = "/van-ban/2599-qd-ubnd/"
	urlCiteND64  = "/tin-tuc/cac-so-trien-khai-nghi-dinh-64-2007/"
	urlCite2ND64 = "/tin-tuc/so-ket-nghi-dinh-64-2007/"
)

// legalDocs is the article fixture plus three legal documents, made the
// way the build makes them (title "Type Number: trích yếu", summary with
// number, date, issuer and status), and two articles that cite
// 64/2007/NĐ-CP in their title, lead and body, more often than the
// document itself does.
func legalDocs() []Document {
	docs := fixtureDocs()
	return append(docs,
		Document{
			URL: urlDocND64, Title: "Nghị định 64/2007/NĐ-CP: Về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
			Summary: "Văn bản số 64/2007/NĐ-CP, ban hành 10/04/2007, Chính phủ. Tình trạng: bị thay thế.",
			Body:    "Nghị định này quy định về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước.",
			Date:    vnDate(2007, 4, 10), Kind: KindDocument,
			Legal: Legal{Number: "64/2007/NĐ-CP", Type: tNghiDinh, Issuer: iChinhPhu, Status: sThayThe},
		},
		Document{
			URL: urlDocND43, Title: "Nghị định 43/2011/NĐ-CP: Quy định về việc cung cấp thông tin và dịch vụ công trực tuyến",
			Summary: "Văn bản số 43/2011/NĐ-CP, ban hành 13/06/2011, Chính phủ. Tình trạng: còn hiệu lực.",
			Body:    "Nghị định quy định việc cung cấp thông tin và dịch vụ công trực tuyến trên trang thông tin điện tử của cơ quan nhà nước.",
			Date:    vnDate(2011, 6, 13), Kind: KindDocument,
			Legal: Legal{Number: "43/2011/NĐ-CP", Type: tNghiDinh, Issuer: iChinhPhu, Status: sCon},
		},
		Document{
			URL: urlDocQD2599, Title: "Quyết định 2599/QĐ-UBND: Phê duyệt quy hoạch vùng sản xuất rau an toàn",
			Summary: "Văn bản số 2599/QĐ-UBND, ban hành 30/09/2021, UBND tỉnh Lâm Đồng. Tình trạng: còn hiệu lực.",
			Date:    vnDate(2021, 9, 30), Kind: KindDocument,
			Legal: Legal{Number: "2599/QĐ-UBND", Type: tQuyetDinh, Issuer: iUBND, Status: sCon},
		},
		Document{
			URL: urlCiteND64, Title: "Các sở triển khai Nghị định 64/2007/NĐ-CP về ứng dụng công nghệ thông tin",
			Summary: "Thực hiện Nghị định 64/2007/NĐ-CP, các sở đã đưa dịch vụ công lên mạng.",
			Body:    "Theo Nghị định 64/2007/NĐ-CP, mỗi cơ quan nhà nước phải có kế hoạch ứng dụng công nghệ thông tin. Nghị định 64/2007/NĐ-CP cũng yêu cầu báo cáo hằng năm; việc thực hiện Nghị định 64/2007/NĐ-CP được kiểm tra định kỳ.",
			Date:    vnDate(2008, 5, 2), Provinces: []Term{pHaTinh}, Categories: []Term{cCNTT},
		},
		Document{
			URL: urlCite2ND64, Title: "Sơ kết 5 năm thực hiện Nghị định 64/2007/NĐ-CP",
			Summary: "Hội nghị sơ kết việc thực hiện Nghị định số 64/2007/NĐ-CP của Chính phủ.",
			Body:    "Nghị định 64/2007/NĐ-CP đã tạo nền tảng cho chính quyền điện tử. Các đại biểu kiến nghị sửa đổi Nghị định 64/2007/NĐ-CP.",
			Date:    vnDate(2012, 4, 10), Provinces: []Term{pDaNang}, Categories: []Term{cCNTT},
		},
	)
}

func TestLegalKindAndFacetsRoundTrip(t *testing.T) {
	ix, _ := buildFixture(t, legalDocs())
	res := doSearch(t, ix, Request{Query: "nghị định"})
	var doc *Hit
	for i := range res.Hits {
		h := &res.Hits[i]
		want := KindArticle
		if h.URL == urlDocND64 || h.URL == urlDocND43 || h.URL == urlDocQD2599 {
			want = KindDocument
		}
		if h.Kind != want {
			t.Errorf("%s: kind %q, want %q", h.URL, h.Kind, want)
		}
		if h.URL == urlDocND64 {
			doc = h
		}
		if h.Kind == KindArticle && h.Legal != (Legal{}) {
			t.Errorf("article %s has legal facets %+v", h.URL, h.Legal)
		}
	}
	if doc == nil {
		t.Fatalf("%s not found by “nghị định”: %v", urlDocND64, urls(res))
	}
	if want := (Legal{Number: "64/2007/NĐ-CP", Type: tNghiDinh, Issuer: iChinhPhu, Status: sThayThe}); doc.Legal != want {
		t.Errorf("legal facets %+v, want %+v", doc.Legal, want)
	}
	if y, m, d := doc.Date.Date(); y != 2007 || m != 4 || d != 10 {
		t.Errorf("issue date %v, want 2007-04-10", doc.Date)
	}
	// The facets of the whole result: both kinds, and the two decrees
	// (the Quyết định does not contain "nghị định").
	if got, want := facetMap(res.Kinds), map[string]int{KindArticle: int(res.Total) - 2, KindDocument: 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("kinds %v, want %v", got, want)
	}
	if got, want := res.DocTypes, []Facet{{"Nghị định", "nghi-dinh", 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("types %v, want %v", got, want)
	}
	if got, want := res.Issuers, []Facet{{"Chính phủ", "chinh-phu", 2}}; !reflect.DeepEqual(got, want) {
		t.Errorf("issuers %v, want %v", got, want)
	}
	if got, want := res.DocYears, []Facet{{"2011", "2011", 1}, {"2007", "2007", 1}}; !reflect.DeepEqual(got, want) {
		t.Errorf("years of issue %v, want %v (newest first)", got, want)
	}
	if got, want := facetMap(res.Statuses), map[string]int{"con-hieu-luc": 1, "bi-thay-the": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
	for _, f := range res.Kinds {
		if want := map[string]string{KindArticle: "Tin bài", KindDocument: "Văn bản"}[f.Slug]; f.Name != want {
			t.Errorf("kind %s named %q, want %q", f.Slug, f.Name, want)
		}
	}

	// No document matches: no document facets, only the articles' kind.
	res = doSearch(t, ix, Request{Query: "pháo hoa"})
	if len(res.DocTypes)+len(res.Issuers)+len(res.DocYears)+len(res.Statuses) != 0 {
		t.Errorf("“pháo hoa” matches no document but has document facets %v %v %v %v", res.DocTypes, res.Issuers, res.DocYears, res.Statuses)
	}
	if got, want := facetMap(res.Kinds), map[string]int{KindArticle: int(res.Total)}; res.Total == 0 || !reflect.DeepEqual(got, want) {
		t.Errorf("kinds of “pháo hoa”: %v (total %d), want %v", got, res.Total, want)
	}

	// An empty query: the facets of the whole index.
	res = doSearch(t, ix, Request{})
	if got, want := facetMap(res.Kinds), map[string]int{KindArticle: len(legalDocs()) - 3, KindDocument: 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("kinds of the whole index %v, want %v", got, want)
	}
	if got, want := facetMap(res.DocTypes), map[string]int{"nghi-dinh": 2, "quyet-dinh": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("types of the whole index %v, want %v", got, want)
	}
}

func TestLegalFilters(t *testing.T) {
	ix, _ := buildFixture(t, legalDocs())
	tests := []struct {
		name string
		req  Request
		want []string // URLs, in any order
	}{
		{"documents only", Request{Query: "64/2007/NĐ-CP", Kinds: []string{KindDocument}}, []string{urlDocND64}},
		{"articles only", Request{Query: "64/2007/NĐ-CP", Kinds: []string{KindArticle}}, []string{urlND64a, urlND64b, urlCiteND64, urlCite2ND64}},
		{"both kinds", Request{Query: "quy hoạch rau", Kinds: []string{KindArticle, KindDocument}}, []string{urlQD2599, urlDocQD2599}},
		{"type", Request{Query: "cơ quan nhà nước", DocTypes: []string{"nghi-dinh"}}, []string{urlDocND64, urlDocND43}},
		{"issuer", Request{Query: "quy hoạch", Issuers: []string{"ubnd-tinh-lam-dong"}}, []string{urlDocQD2599}},
		{"year of issue", Request{Query: "nghị định", DocYears: []int{2011}}, []string{urlDocND43}},
		{"status", Request{Query: "nghị định", Statuses: []string{"con-hieu-luc"}}, []string{urlDocND43}},
		{"status and type", Request{Query: "văn bản", Statuses: []string{"con-hieu-luc"}, DocTypes: []string{"quyet-dinh"}}, []string{urlDocQD2599}},
		{"sorted newest", Request{Query: "nghị định", Kinds: []string{KindDocument}, Sort: SortNewest}, []string{urlDocND43, urlDocND64}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := doSearch(t, ix, tt.req)
			got := urls(res)
			if !sameSet(got, tt.want) {
				t.Fatalf("found %v, want %v", got, tt.want)
			}
			if res.Total != uint64(len(tt.want)) {
				t.Errorf("total %d, want %d", res.Total, len(tt.want))
			}
		})
	}
	// Filters alone (no words) count without listing.
	res := doSearch(t, ix, Request{Kinds: []string{KindDocument}})
	if got, want := facetMap(res.Statuses), map[string]int{"con-hieu-luc": 2, "bi-thay-the": 1}; !reflect.DeepEqual(got, want) {
		t.Errorf("statuses of every document %v, want %v", got, want)
	}
	if got, want := facetMap(res.Kinds), map[string]int{KindDocument: 3}; !reflect.DeepEqual(got, want) {
		t.Errorf("kinds with the document filter %v, want %v", got, want)
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, s := range a {
		m[s]++
	}
	for _, s := range b {
		m[s]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

// A query that is a document's number, as typed or folded, or with its
// type in front, finds the document itself first, above the articles that
// cite it in their title, lead and body.
func TestNumberQueryRanksDocumentFirst(t *testing.T) {
	ix, _ := buildFixture(t, legalDocs())
	for _, q := range []string{"64/2007/NĐ-CP", "64/2007/nd-cp", "nghị định 64/2007", "Nghị định số 64/2007/NĐ-CP", "nghi dinh 64/2007/nd-cp"} {
		res := doSearch(t, ix, Request{Query: q})
		if len(res.Hits) < 3 || res.Hits[0].URL != urlDocND64 {
			t.Errorf("%q: hits %v, want %s first, then the articles citing it", q, urls(res), urlDocND64)
		}
	}
	for _, q := range []string{"2599/QĐ-UBND", "quyết định 2599/qd-ubnd"} {
		res := doSearch(t, ix, Request{Query: q})
		if len(res.Hits) < 2 || res.Hits[0].URL != urlDocQD2599 {
			t.Errorf("%q: hits %v, want %s first", q, urls(res), urlDocQD2599)
		}
	}
}

func TestNewQueryChecksDocumentFilters(t *testing.T) {
	for _, r := range []Request{
		{Kinds: []string{"bai-viet"}},
		{DocTypes: []string{"Nghị định"}},
		{Issuers: []string{"UBND"}},
		{Statuses: []string{"con hieu luc"}},
		{DocYears: []int{1800}},
	} {
		var bad *InvalidError
		if _, err := NewQuery(r); !errors.As(err, &bad) {
			t.Errorf("NewQuery(%+v) = %v, want an InvalidError", r, err)
		}
	}
	q, err := NewQuery(Request{Kinds: []string{KindDocument, KindDocument}, DocYears: []int{2007, 2007}})
	if err != nil {
		t.Fatal(err)
	}
	if r := q.Request(); len(r.Kinds) != 1 || len(r.DocYears) != 1 {
		t.Errorf("duplicates kept: %+v", r)
	}
}

// A legal document needs a number and a type.
func TestBuildRefusesDocumentWithoutNumber(t *testing.T) {
	docs := []Document{{URL: "/van-ban/x/", Title: "X", Kind: KindDocument, Legal: Legal{Type: tNghiDinh}}}
	if _, err := Build(context.Background(), t.TempDir()+"/ix", "", docs); err == nil {
		t.Fatal("Build accepted a legal document without a number")
	}
}

// A document whose status changes (a newer one replaced it) is updated by an
// incremental build: its hit and the facets say the new status.
func TestIncrementalBuildUpdatesDocumentFacets(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	docs := legalDocs()
	gen1 := root + "/gen1/index"
	if _, err := Build(ctx, gen1, "", docs); err != nil {
		t.Fatal(err)
	}
	for i := range docs {
		if docs[i].URL == urlDocND43 {
			docs[i].Legal.Status = sThayThe
		}
	}
	gen2 := root + "/gen2/index"
	st, err := Build(ctx, gen2, gen1, docs)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Incremental || st.Updated != 1 {
		t.Fatalf("stats %+v, want one document updated incrementally", st)
	}
	ix, err := Open(gen2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res := doSearch(t, ix, Request{Query: "43/2011/NĐ-CP", Kinds: []string{KindDocument}})
	if len(res.Hits) != 1 || res.Hits[0].Legal.Status != sThayThe {
		t.Fatalf("hits %+v, want the decree with its new status", res.Hits)
	}
	if got, want := facetMap(doSearch(t, ix, Request{Kinds: []string{KindDocument}}).Statuses), map[string]int{"con-hieu-luc": 1, "bi-thay-the": 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("statuses %v, want %v", got, want)
	}
}
