package search

import (
	"context"
	"testing"
	"unicode/utf8"
)

// FuzzQueryExpansion: any query, with synonyms, merged provinces and a
// suggestion in play, searches without error; a suggestion is never the
// query itself and always finds more than the query did.
func FuzzQueryExpansion(f *testing.F) {
	for _, s := range []string{"ủy ban nhân dân", "UBND tỉnh", "phu tho", "TP.HCM", "tp hcm tphcm", "NĐ-CP 64/2007/NĐ-CP",
		"hooij nghij", "hoi nhgi", "hoinghi", "ho6i5", "nghị định … chính phủ", "TT&TT&TT", "&&&", "vĩnh phúc hòa bình phú thọ", "ddd", "ư"} {
		f.Add(s)
	}
	ix, _ := buildFixture(f, append(fixtureDocs(), officialDocs()...))
	f.Fuzz(func(t *testing.T, q string) {
		if !utf8.ValidString(q) {
			return
		}
		res, err := ix.Search(context.Background(), Request{Query: q, Provinces: []string{"phu-tho"}})
		if err != nil {
			t.Fatalf("%q with a filter: %v", q, err)
		}
		res, err = ix.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatalf("%q: %v", q, err)
		}
		if res.Suggestion == "" {
			return
		}
		if res.Suggestion == res.Query {
			t.Fatalf("%q: suggests itself", q)
		}
		alt, err := ix.Search(context.Background(), Request{Query: res.Suggestion})
		if err != nil || alt.Total <= res.Total {
			t.Fatalf("%q: suggestion %q finds %d (%v), the query %d", q, res.Suggestion, alt.Total, err, res.Total)
		}
	})
}
