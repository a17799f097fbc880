package search

import (
	"testing"
)

func TestDecodeTyped(t *testing.T) {
	for _, tt := range []struct {
		in   string
		base string
		tone int
		ok   bool
	}{
		{"hooij", "hôi", 5, true},
		{"nghij", "nghi", 5, true},
		{"chuyeenr", "chuyên", 3, true},
		{"ddooir", "đôi", 3, true},
		{"soos", "sô", 1, true},
		{"nguowif", "ngươi", 2, true},
		{"ho6i5", "hôi", 5, true},
		{"d9o6i3", "đôi", 3, true},
		{"truwowngf", "trương", 2, true},
		{"wf", "", 0, false},
		{"hoi", "", 0, false},
		{"hội", "", 0, false},
		{"tr", "", 0, false},
	} {
		base, tone, ok := decodeTyped(tt.in)
		if ok != tt.ok || ok && (base != tt.base || tone != tt.tone) {
			t.Errorf("decodeTyped(%q) = %q, %d, %v; want %q, %d, %v", tt.in, base, tone, ok, tt.base, tt.tone, tt.ok)
		}
	}
}

// TestDidYouMean: a query that finds nothing gets a corrected one from the
// index's own words, which finds articles; a query that finds enough, or a
// correction that finds nothing more, gets none.
func TestDidYouMean(t *testing.T) {
	ix, _ := buildFixture(t, append(fixtureDocs(), officialDocs()...))
	for _, tt := range []struct{ q, want string }{
		{"hooij nghij", "hội nghị"},
		{"hoi nhgi", "hội nghị"},
		{"hoinghi", "hội nghị"},
		{"chuyeenr ddooir soos", "chuyển đổi số"},
		{"ho6i5 nghi5", "hội nghị"},
		{"hội nghị", ""},
		{"zzzzqqq", ""},
	} {
		res := doSearch(t, ix, Request{Query: tt.q})
		if res.Suggestion != tt.want {
			t.Errorf("%q: suggestion %q, want %q", tt.q, res.Suggestion, tt.want)
		}
		if tt.want != "" {
			if res.Total != 0 {
				t.Errorf("%q: found %d, the test needs a query finding nothing", tt.q, res.Total)
			}
			if n := doSearch(t, ix, Request{Query: tt.want}).Total; n == 0 {
				t.Errorf("%q: the suggestion %q finds nothing", tt.q, tt.want)
			}
		}
	}
}
