package search

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// facetDocs are the official and legal fixtures plus generated articles
// filed under merged provinces, their successors, or both at once (an
// article under Vĩnh Phúc and Hòa Bình counts once under Phú Thọ; one
// under Phú Thọ and Vĩnh Phúc too), in several categories.
func facetDocs() []Document {
	docs := append(officialDocs(), legalDocs()...)
	provs := [][]Term{
		{pPhuTho}, {pVinhPhuc}, {pHoaBinh}, {pVinhPhuc, pHoaBinh}, {pPhuTho, pVinhPhuc},
		{{"Hải Dương", "hai-duong"}}, {{"Hải Phòng", "hai-phong"}, {"Hải Dương", "hai-duong"}}, {pHaTinh}, nil,
	}
	r := rand.New(rand.NewPCG(18, 100))
	for i := range 400 {
		docs = append(docs, Document{
			URL:        fmt.Sprintf("/g/bai-%03d/", i),
			Title:      "Bản tin chung số " + fmt.Sprint(i),
			Body:       "Nội dung bản tin chung.",
			Date:       vnDate(2000+r.IntN(26), time.Month(1+r.IntN(12)), 1+r.IntN(28)),
			Provinces:  provs[r.IntN(len(provs))],
			Categories: genCategories[:r.IntN(3)],
		})
	}
	return docs
}

// TestFacetCountsFromBitmapsAreRowCounts: the facet counts read from the
// bitmaps are those counted row by row, merged provinces included, for any
// set of matches; and a query matching many articles, counted from the
// bitmaps, gets the facets the index computes row by row.
func TestFacetCountsFromBitmapsAreRowCounts(t *testing.T) {
	ix, _ := buildFixture(t, facetDocs())
	tab := ix.table
	if tab.bits == nil {
		t.Fatal("the index has no facet bitmaps")
	}
	n := len(tab.url)
	r := rand.New(rand.NewPCG(1, 2))
	for _, th := range []*Thesaurus{nil, DefaultThesaurus()} {
		fm := ix.mergesFor(th)
		if th != nil && !fm.any {
			t.Fatal("the default thesaurus merges none of the fixture's provinces")
		}
		for _, share := range []int{0, 1, 10, 50, 90, 100} {
			for range 5 {
				m := newBitset(n)
				for row := range n {
					if r.IntN(100) < share {
						m.set(int32(row))
					}
				}
				if got, want := fm.countBits(m), fm.countRows(tab, m); !slices.Equal(got, want) {
					t.Errorf("thesaurus %v, %d %% of the rows: from bitmaps %v, row by row %v (terms %v)", th != nil, share, got, want, fm.terms)
				}
			}
		}
	}

	// End to end: every generated article, through Search; total ≫
	// terms × words, so the bitmaps count.
	res := doSearch(t, ix, Request{Query: "bản tin chung"})
	if res.Total != 400 {
		t.Fatalf("bản tin chung: %d matches, want 400", res.Total)
	}
	fm := ix.mergesFor(DefaultThesaurus())
	if res.Total*rowCountCost <= uint64(len(fm.terms)*len(newBitset(n))) {
		t.Fatal("the query does not take the bitmap path")
	}
	m := newBitset(n)
	for row, u := range tab.url {
		if strings.HasPrefix(u, "/g/") {
			m.set(int32(row))
		}
	}
	want := fm.facetSet(fm.countRows(tab, m), ix.m)
	got := facetSet{provinces: res.Provinces, categories: res.Categories, years: res.Years, kinds: res.Kinds}
	want.docTypes, want.issuers, want.docYears, want.statuses = nil, nil, nil, nil
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("facets of bản tin chung:\n got %+v\nwant %+v", got, want)
	}
	if c := facetCount(res.Provinces, "phu-tho"); c == 0 {
		t.Errorf("no Phú Thọ count in %+v", res.Provinces)
	}
}

func facetCount(fs []Facet, slug string) int {
	for _, f := range fs {
		if f.Slug == slug {
			return f.Count
		}
	}
	return 0
}
