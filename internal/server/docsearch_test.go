package server

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
)

// docCorpus is corpus plus n legal documents about "hội nghị" (decrees by the
// government, even ones in force).
func docCorpus(n int) []search.Document {
	docs := corpus(5, "alpha")
	for i := range n {
		status := search.Term{Name: "còn hiệu lực", Slug: "con-hieu-luc"}
		if i%2 == 1 {
			status = search.Term{Name: "hết hiệu lực", Slug: "het-hieu-luc"}
		}
		num := fmt.Sprintf("%d/2020/NĐ-CP", 10+i)
		docs = append(docs, search.Document{
			URL: fmt.Sprintf("/van-ban/%d-2020-nd-cp/", 10+i), Title: "Nghị định " + num + ": Về tổ chức hội nghị",
			Summary: "Văn bản số " + num + ", Chính phủ.", Date: time.Date(2020, 3, 1+i, 0, 0, 0, 0, time.UTC),
			Kind:  search.KindDocument,
			Legal: search.Legal{Number: num, Type: search.Term{Name: "Nghị định", Slug: "nghi-dinh"}, Issuer: search.Term{Name: "Chính phủ", Slug: "chinh-phu"}, Status: status},
		})
	}
	return docs
}

func TestSearchPageDocumentFilters(t *testing.T) {
	f := newFixture(t, docCorpus(3))
	rec := &viewRecorder{}
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, SearchPage: rec.render})
	c := rawClient()
	const base = "/tim-kiem/?q=h%E1%BB%99i+ngh%E1%BB%8B"

	res := do(t, c, "GET", srv.URL+base)
	v := rec.get()
	if v.Total != 8 {
		t.Fatalf("total %d, want 5 articles and 3 documents", v.Total)
	}
	groups := map[string]render.SearchFacetGroup{}
	for _, g := range v.Facets {
		groups[g.Param] = g
	}
	if v.Facets[0].Param != paramKind {
		t.Errorf("first facet %q, want the kind", v.Facets[0].Param)
	}
	counts := func(param string) map[string]int {
		out := map[string]int{}
		for _, it := range groups[param].Items {
			out[it.Slug] = it.Count
		}
		return out
	}
	if got := counts(paramKind); got["van-ban"] != 3 || got["tin-tuc"] != 5 {
		t.Errorf("kind facet %v", got)
	}
	if got := counts(paramStatus); got["con-hieu-luc"] != 2 || got["het-hieu-luc"] != 1 {
		t.Errorf("status facet %v", got)
	}
	if got := counts(paramDocYear); got["2020"] != 3 {
		t.Errorf("year-of-issue facet %v", got)
	}
	if it := groups[paramStatus].Items[0]; it.URL != base+"&tinh-trang="+it.Slug {
		t.Errorf("status toggle %q", it.URL)
	}
	for _, h := range v.Hits {
		isDoc := strings.HasPrefix(h.URL, "/van-ban/")
		if (h.Kind == search.KindDocument) != isDoc || (h.Document.Number != "") != isDoc {
			t.Errorf("hit %s: kind %q document %+v", h.URL, h.Kind, h.Document)
		}
		if isDoc && (h.Document.Type.URL != "/van-ban/loai/nghi-dinh/" || h.Document.Issuer.URL != "/van-ban/co-quan/chinh-phu/" || h.Document.InForce != (h.Document.Status == "còn hiệu lực")) {
			t.Errorf("document hit %+v", h.Document)
		}
	}
	if !strings.Contains(res.Body, "Văn bản số 10/2020/NĐ-CP · Nghị định · Chính phủ · ban hành 01/03/2020 · còn hiệu lực") {
		t.Errorf("built-in page lacks the document's line")
	}

	// Filters are kept by every link of the page and listed as active.
	do(t, c, "GET", srv.URL+base+"&loai=van-ban&nam-ban-hanh=2020&tinh-trang=con-hieu-luc")
	v = rec.get()
	if v.Total != 2 || len(v.Filters) != 3 {
		t.Fatalf("filtered: total %d filters %+v", v.Total, v.Filters)
	}
	const kept = "&loai=van-ban&nam-ban-hanh=2020&tinh-trang=con-hieu-luc"
	if v.NewestURL != base+kept+"&sap-xep=moi-nhat" {
		t.Errorf("sort link %q drops the document filters", v.NewestURL)
	}
	if v.Filters[0].Label != labelKind || v.Filters[0].RemoveURL != base+"&nam-ban-hanh=2020&tinh-trang=con-hieu-luc" {
		t.Errorf("kind filter %+v", v.Filters[0])
	}

	// No document among the results: no kind or document facets.
	do(t, c, "GET", srv.URL+"/tim-kiem/?q=alpha")
	for _, g := range rec.get().Facets {
		switch g.Param {
		case paramKind, paramDocType, paramIssuer, paramDocYear, paramStatus:
			t.Errorf("results without documents offer the %s facet", g.Name)
		}
	}

	for _, tc := range []struct{ query, msg string }{
		{"q=x&loai=bai-viet", "Loại kết quả"},
		{"q=x&nam-ban-hanh=abc", "Năm ban hành"},
		{"q=x&nam-ban-hanh=1800", "Năm ban hành"},
		{"q=x&co-quan=Ch%C3%ADnh", "Bộ lọc văn bản"},
	} {
		res := do(t, c, "GET", srv.URL+"/tim-kiem/?"+tc.query)
		if res.StatusCode != 400 || !strings.HasPrefix(rec.get().Message, tc.msg) {
			t.Errorf("?%s: %d %q, want 400 %q", tc.query, res.StatusCode, rec.get().Message, tc.msg)
		}
	}
}

func TestAPIDocumentHits(t *testing.T) {
	f := newFixture(t, docCorpus(2))
	srv, _ := start(t, Options{Root: f.Root, IndexPath: f.Index, Logf: t.Logf})
	_, m := apiGet(t, rawClient(), srv.URL, url.Values{"q": {"11/2020/nd-cp"}})
	hits := m["hits"].([]any)
	if len(hits) != 1 {
		t.Fatalf("hits %v", hits)
	}
	h := hits[0].(map[string]any)
	if h["kind"] != "van-ban" {
		t.Errorf("kind %v", h["kind"])
	}
	d, _ := h["document"].(map[string]any)
	if got := keys(d); strings.Join(got, ",") != "in_force,issued,issuer,number,status,type" {
		t.Fatalf("document keys %v", got)
	}
	if d["number"] != "11/2020/NĐ-CP" || d["issued"] != "2020-03-02" || d["in_force"] != false || d["status"].(map[string]any)["slug"] != "het-hieu-luc" {
		t.Errorf("document %v", d)
	}
	facets := m["facets"].(map[string]any)
	for _, k := range []string{"kinds", "document_types", "issuers", "issue_years", "statuses"} {
		items := facets[k].([]any)
		if len(items) != 1 || items[0].(map[string]any)["count"] != 1.0 {
			t.Errorf("facet %s = %v", k, items)
		}
	}
}
