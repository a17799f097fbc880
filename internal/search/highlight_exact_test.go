package search

import (
	"strings"
	"testing"
)

// TestExactFirstHighlight (issue 17, item 5): a query typed with diacritics
// marks its exact spellings; the folded ones only in a text that has none.
// "nghị định 64" marks "định", not the "Đình" of "Nguyễn Đình Phú".
func TestExactFirstHighlight(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	m := ix.idx.Mapping()
	cases := []struct{ query, text, want string }{
		{"nghị định 64", "Đồng chí Nguyễn Đình Phú trình bày Nghị định số 64.",
			"Đồng chí Nguyễn Đình Phú trình bày <mark>Nghị định</mark> số <mark>64</mark>."},
		// No exact "định" here: the folded match is marked.
		{"nghị định 64", "Đồng chí Nguyễn Đình Phú.", "Đồng chí Nguyễn <mark>Đình</mark> Phú."},
		// Typed without diacritics: every folded match.
		{"nghi dinh", "Nguyễn Đình Phú, Nghị định", "Nguyễn <mark>Đình</mark> Phú, <mark>Nghị định</mark>"},
		// Typed both ways: no preference.
		{"định dinh", "Đình và định", "<mark>Đình</mark> và <mark>định</mark>"},
	}
	for _, c := range cases {
		mk := newMarker(m, analyzeQuery(m, c.query))
		if got := string(markAll(c.text, mk.spans(c.text))); got != c.want {
			t.Errorf("%q in %q:\n got %s\nwant %s", c.query, c.text, got, c.want)
		}
	}

	// Through a search, both highlighting methods.
	docs := []Document{{
		URL: "/a/nd64/", Title: "Hội nghị hướng dẫn ứng dụng CNTT",
		Body: "Theo hướng dẫn do đồng chí Nguyễn Đình Phú trình bày, các đơn vị cần đáp ứng yêu cầu của Nghị định số 64/2007/NĐ-CP.",
		Date: vnDate(2007, 8, 22),
	}}
	ix2, _ := buildFixture(t, docs)
	for _, per := range []int{0, 1 << 30} {
		ix2.postingsPerHit = per
		res := doSearch(t, ix2, Request{Query: "nghị định 64"})
		if len(res.Hits) != 1 {
			t.Fatalf("postingsPerHit %d: %d hits", per, len(res.Hits))
		}
		ex := string(res.Hits[0].ExcerptHTML)
		if strings.Contains(ex, "<mark>Đình</mark>") || !strings.Contains(ex, "<mark>Nghị định</mark>") {
			t.Errorf("postingsPerHit %d: excerpt %s", per, ex)
		}
	}
}
