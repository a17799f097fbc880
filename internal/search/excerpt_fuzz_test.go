package search

import (
	"testing"
	"unicode/utf8"
)

// FuzzExcerptSpans: the excerpt found by analyzing only around the
// candidate places (excerptSpans) is the one found by analyzing the whole
// text, for any query and text (texts up to excerptPiece bytes, within
// which the pieces of excerptSpans never cut).
func FuzzExcerptSpans(f *testing.F) {
	m, err := newMapping()
	if err != nil {
		f.Fatal(err)
	}
	f.Add("nghị định 64", "Đồng chí Nguyễn Đình Phú trình bày Nghị định số 64.")
	f.Add("ha tinh", "Thanh Hóa – “Hà Nội” và Hạ Long; HÀ TĨNH, Hà\tTĩnh.")
	f.Add("64/2007/NĐ-CP", "Có 64 hộ. Nghị định 64/2007/NĐ-CP; 64 / 2007 / NĐ - CP")
	f.Add("cải cách", "Cái cách làm hay. Cải cách hành chính. CẢI CÁCH")
	f.Add("xã hội", "Straße ẞ xa hội, Xã hội\n\nxã-hội")
	f.Fuzz(func(t *testing.T, q, text string) {
		if !utf8.ValidString(q) || !utf8.ValidString(text) || len(text) > excerptPiece || len(q) > 100 {
			return
		}
		mk := newMarker(m, analyzeQuery(m, q))
		if mk == nil {
			return
		}
		got := excerptHTML(text, mk.excerptSpans(text))
		want := excerptHTML(text, mergeSpans(text, preferExact(mk.piece(text, 0, len(text), nil))))
		if got != want {
			t.Errorf("%q in %q:\nexcerptSpans %s\nwhole text   %s", q, text, got, want)
		}
	})
}
