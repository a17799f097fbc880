package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// Issue 20, search: through portal serve on the sample site, legal documents are
// results of their own kind, with their number, type, issuer, date and status, and
// the page (without JavaScript) offers the kind and document facets with counts.
func TestServeSampleDocumentSearch(t *testing.T) {
	base := serveSample(t, "")
	hitURLs := func(page string) []string {
		var out []string
		for _, m := range regexp.MustCompile(`<h2 class="hit__title"><a href="([^"]+)"`).FindAllStringSubmatch(page, -1) {
			out = append(out, m[1])
		}
		return out
	}

	// The number as typed and folded finds the document first.
	for _, q := range []string{"64/2007/NĐ-CP", "64/2007/nd-cp", "nghị định 64/2007"} {
		page := getBody(t, base+"/tim-kiem/?q="+url.QueryEscape(q))
		got := hitURLs(page)
		if len(got) < 2 || got[0] != "/van-ban/64-2007-nd-cp/" {
			t.Errorf("%q: hits %v, want /van-ban/64-2007-nd-cp/ first, then the articles citing it", q, got)
		}
	}

	page := getBody(t, base+"/tim-kiem/?q="+url.QueryEscape("nghị định"))
	for _, want := range []string{
		`<p class="meta hit__doc"><span class="hit__kind">Văn bản</span>`,
		`Số ký hiệu: <strong>64/2007/NĐ-CP</strong>`,
		`<a href="/van-ban/loai/nghi-dinh/">Nghị định</a>`,
		`<a href="/van-ban/co-quan/chinh-phu/">Chính phủ</a>`,
		`Ngày ban hành <time datetime="2007-04-10`,
		`class="doc-status doc-status--`,
		`<h3 id="loc-0">Loại kết quả</h3>`,
		`>Văn bản <span class="count">(`,
		`<h3 id="loc-4">Loại văn bản</h3>`, `>Nghị định <span class="count">(3)</span>`,
		`Cơ quan ban hành</h3>`, `Năm ban hành</h3>`, `Tình trạng</h3>`,
		`loai=van-ban"`, `loai-van-ban=nghi-dinh"`, `co-quan=chinh-phu"`, `nam-ban-hanh=2007"`, `tinh-trang=`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the results of “nghị định” lack %s", want)
		}
	}

	// The kind filter keeps the documents only, and shows as an active filter.
	docs := getBody(t, base+"/tim-kiem/?q="+url.QueryEscape("nghị định")+"&loai=van-ban")
	got := hitURLs(docs)
	if len(got) < 3 {
		t.Errorf("loai=van-ban: hits %v, want the three decrees", got)
	}
	for _, u := range got {
		if !strings.HasPrefix(u, "/van-ban/") {
			t.Errorf("loai=van-ban lists %s", u)
		}
	}
	if !strings.Contains(docs, `Loại kết quả: Văn bản`) || !strings.Contains(docs, `name="loai" value="van-ban"`) {
		t.Errorf("loai=van-ban: no active filter kept in the form")
	}
	// A document facet filter.
	inForce := getBody(t, base+"/tim-kiem/?q="+url.QueryEscape("nghị định")+"&tinh-trang=con-hieu-luc")
	for _, u := range hitURLs(inForce) {
		if !strings.HasPrefix(u, "/van-ban/") {
			t.Errorf("tinh-trang=con-hieu-luc lists %s", u)
		}
	}
	if strings.Contains(inForce, "doc-status--off") {
		t.Errorf("tinh-trang=con-hieu-luc lists a document not in force")
	}

	// Results without documents show no document facets.
	news := getBody(t, base+"/tim-kiem/?q=phu+tho")
	for _, absent := range []string{"Loại văn bản</h3>", "Loại kết quả</h3>", "hit__doc"} {
		if strings.Contains(news, absent) {
			t.Errorf("results without documents show %s", absent)
		}
	}
	// A bad kind is explained.
	if bad := getBodyStatus(t, base+"/tim-kiem/?q=x&loai=bai"); !strings.Contains(bad, "Loại kết quả") {
		t.Errorf("loai=bai: no explanation")
	}

	// The API says what each hit is.
	var a struct {
		Hits []struct {
			URL      string `json:"url"`
			Kind     string `json:"kind"`
			Document *struct {
				Number  string            `json:"number"`
				Type    map[string]string `json:"type"`
				Issuer  map[string]string `json:"issuer"`
				Issued  string            `json:"issued"`
				Status  map[string]string `json:"status"`
				InForce bool              `json:"in_force"`
			} `json:"document"`
		} `json:"hits"`
		Facets map[string][]struct {
			Slug  string `json:"slug"`
			Count int    `json:"count"`
		} `json:"facets"`
	}
	if err := json.Unmarshal([]byte(getBody(t, base+"/api/search?q="+url.QueryEscape("64/2007/nd-cp"))), &a); err != nil {
		t.Fatal(err)
	}
	if len(a.Hits) < 2 || a.Hits[0].Kind != "van-ban" || a.Hits[0].Document == nil {
		t.Fatalf("api hits %+v", a.Hits)
	}
	d := a.Hits[0].Document
	if d.Number != "64/2007/NĐ-CP" || d.Type["slug"] != "nghi-dinh" || d.Issuer["name"] != "Chính phủ" || d.Issued != "2007-04-10" || d.Status["name"] == "" || d.InForce != (d.Status["slug"] == "con-hieu-luc") {
		t.Errorf("api document %+v", d)
	}
	for _, h := range a.Hits[1:] {
		if h.Kind != "tin-tuc" || h.Document != nil {
			t.Errorf("citing article %s: kind %q document %v", h.URL, h.Kind, h.Document)
		}
	}
	kinds := map[string]int{}
	for _, f := range a.Facets["kinds"] {
		kinds[f.Slug] = f.Count
	}
	if kinds["van-ban"] != 1 || kinds["tin-tuc"] != len(a.Hits)-1 {
		t.Errorf("api kinds %v for %d hits", kinds, len(a.Hits))
	}
	for _, k := range []string{"document_types", "issuers", "issue_years", "statuses"} {
		if len(a.Facets[k]) != 1 || a.Facets[k][0].Count != 1 {
			t.Errorf("api facet %s = %+v, want the one document", k, a.Facets[k])
		}
	}
}

// getBodyStatus is getBody for an answer that must be 400 Bad Request.
func getBodyStatus(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("GET %s: %d, want 400", u, resp.StatusCode)
	}
	return string(b)
}
