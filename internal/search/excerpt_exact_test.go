package search

import (
	"strings"
	"testing"
)

// TestExcerptExactLookahead: analyzing only the runs of text around the
// places a query word may stand (see excerptRuns), skipping the pieces
// without any when the query has a compound, and answering "does this word have a match with
// its typed spelling anywhere?" from the places the spelling occurs (see
// marker.exactAfter), instead of analyzing the text up to such a match,
// gives the excerpt that analyzing the whole text gives: on the generated
// corpus of the benchmarks with the queries typed with diacritics, and on
// texts where the typed spelling comes late, only inside another word,
// in capitals, or next to a letter whose lower case has another length.
func TestExcerptExactLookahead(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range genRealisticDocs(300, 3) {
		texts = append(texts, d.Body)
	}
	filler := strings.Repeat("Thành phố thanh bình, mọi người vui vẻ. ", 80) // ≈ 3.5 KB
	late := "Đồng chí Nguyễn Đình Phú phát biểu. " + filler + "Nghị định số 64 quy định rõ."
	texts = append(texts,
		late,
		strings.ToUpper(late),
		"Đồng chí Nguyễn Đình Phú. "+filler+"Văn bản quyđịnh, nghịđịnh chưa rõ.",
		"Ông Đình. "+filler+"Straße ẞ định mức. "+filler+"Nghị định.",
		"Cái cách làm hay. "+filler+"Cải cách hành chính tỉnh.",
		"Xa hội xà hồi. "+filler+"Xã hội "+filler+"XÃ HỘI",
		"Năm 64 người, 2007 hộ. "+filler+"Theo Nghị định 64/2007/NĐ-CP và Quyết định 1234/QĐ-UBND. "+filler+"64 / 2007 / NĐ - CP",
	)
	excerpts, differ := 0, 0
	for _, q := range []string{"nghị định 64", "cải cách hành chính", "giải ngân vốn đầu tư công", "huyện kỳ anh", "xã hội", "phòng chống thiên tai bão lũ", "thủy sản", "định dinh", "Hà Tĩnh", "các", "64/2007/NĐ-CP", "quyết định 1234/QĐ-UBND", "nghị định 64/2007/NĐ-CP"} {
		mk := newMarker(m, analyzeQuery(m, q))
		for _, text := range texts {
			got := excerptHTML(text, mk.excerptSpans(text))
			want := excerptHTML(text, mergeSpans(text, preferExact(mk.piece(text, 0, len(text), nil))))
			if got != want {
				t.Fatalf("%q in %.80q…:\nexcerptSpans %s\nwhole text   %s", q, text, got, want)
			}
			if strings.Contains(string(got), "<mark>") {
				excerpts++
			}
			// The case this is about: the exact spelling decides.
			var all []span
			for _, tg := range mk.piece(text, 0, len(text), nil) {
				all = append(all, tg.span)
			}
			if folded := excerptHTML(text, mergeSpans(text, all)); folded != want {
				differ++
			}
		}
	}
	if excerpts < 300 || differ < 20 {
		t.Errorf("%d excerpts mark anything, %d differ when the typed spellings are not preferred: the texts do not exercise the look-ahead", excerpts, differ)
	}
	// The late exact spelling is the one marked, the early folded one not.
	mk := newMarker(m, analyzeQuery(m, "nghị định 64"))
	if ex := string(excerptHTML(late, mk.excerptSpans(late))); strings.Contains(ex, "<mark>Đình</mark>") || !strings.Contains(ex, "<mark>Nghị định</mark>") {
		t.Errorf("excerpt of late: %s", ex)
	}
}

// TestFoldTable: the looked-up folding gives appendFoldedRune's answer for
// every rune.
func TestFoldTable(t *testing.T) {
	for r := rune(0); r <= 0x2FFFF; r++ {
		want, wok := appendFoldedRune([]byte("x"), r)
		got, gok := appendFoldedRuneFast([]byte("x"), r)
		if string(got) != string(want) || gok != wok {
			t.Fatalf("%U: %q %v, want %q %v", r, got, gok, want, wok)
		}
	}
}

// TestExcerptAnalyzesLittle: the excerpt of a long body analyzes a few
// words around each candidate place, not the body up to a match with the
// typed spelling, nor the whole of a body holding only part of a compound.
func TestExcerptAnalyzesLittle(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	filler := strings.Repeat("Thành phố thanh bình, mọi người vui vẻ. ", 2500) // ≈ 110 KB
	cases := []struct {
		query, text string
		max         int // bytes analyzed at most
	}{
		// Folded "Đình" first, the typed "định" 110 KB later.
		{"nghị định", "Ông Nguyễn Đình Phú dự hội nghị. " + filler + "Nghị định mới.", 200},
		// Plain words: only the runs around them.
		{"hội nghị", "Hội nghị tỉnh. " + filler + "Hội nghị.", 200},
		// A compound's first word early, no compound anywhere.
		{"64/2007/NĐ-CP", "Có 64 hộ dân. " + filler + "Nghị định 64 năm 2007.", 2*excerptPiece + 200},
	}
	for _, c := range cases {
		mk := newMarker(m, analyzeQuery(m, c.query))
		got := excerptHTML(c.text, mk.excerptSpans(c.text))
		want := excerptHTML(c.text, mergeSpans(c.text, preferExact(mk.piece(c.text, 0, len(c.text), nil))))
		if got != want {
			t.Errorf("%q: excerpt %s, want %s", c.query, got, want)
		}
		mk = newMarker(m, analyzeQuery(m, c.query))
		mk.excerptSpans(c.text)
		if mk.buf.analyzed > c.max {
			t.Errorf("%q: analyzed %d bytes of a %d-byte body, want at most %d", c.query, mk.buf.analyzed, len(c.text), c.max)
		}
	}
}
