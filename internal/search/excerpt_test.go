package search

import (
	"html"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	bsearch "github.com/blevesearch/bleve/v2/search"
)

func plain(s string) string {
	return html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(s))
}

// TestExcerptNeverCutsACharacter puts a hit at every possible offset of a
// text made of multi-byte letters, so that the window edges land at every
// byte offset of "ệ" (3 bytes) at some point.
func TestExcerptNeverCutsACharacter(t *testing.T) {
	text := strings.Repeat("ệệệ ", 150) + "nghiệp " + strings.Repeat("tiếp ệ ", 150)
	hit := strings.Index(text, "nghiệp")
	for shift := 0; shift < 12; shift++ {
		tx := strings.Repeat("ệ", shift) + text
		sp := []span{{hit + shift*len("ệ"), hit + shift*len("ệ") + len("nghiệp")}}
		got := string(excerptHTML(tx, sp))
		if !utf8.ValidString(got) {
			t.Fatalf("shift %d: invalid UTF-8: %q", shift, got)
		}
		if !strings.Contains(got, "<mark>nghiệp</mark>") {
			t.Fatalf("shift %d: hit not marked: %q", shift, got)
		}
		n := utf8.RuneCountInString(plain(got))
		if n < 160 || n > 240 {
			t.Errorf("shift %d: excerpt has %d characters: %q", shift, n, got)
		}
		if !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
			t.Errorf("shift %d: cut not shown: %q", shift, got)
		}
	}
	// A text with no spaces at all still gives a valid cut.
	solid := strings.Repeat("ệ", 1000)
	for _, sp := range [][]span{nil, {{300, 303}}, {{0, 3}}, {{len(solid) - 3, len(solid)}}} {
		got := string(excerptHTML(solid, sp))
		if !utf8.ValidString(got) || utf8.RuneCountInString(plain(got)) > 240 {
			t.Errorf("solid text with %v: %q", sp, got)
		}
	}
	// Spans that do not fall on character boundaries (never produced by
	// bleve, but the excerpt must not trust them) are dropped.
	locs := bsearch.FieldTermLocationMap{"body": {"x": {{Start: 1, End: 2}, {Start: 0, End: 9}}}}
	got := spansOf("ệ", locs, "body")
	if len(got) != 0 {
		t.Errorf("invalid span kept: %v", got)
	}
}

func TestExcerptPicksDensestCluster(t *testing.T) {
	filler := strings.Repeat("công việc thường ngày của cơ quan ", 20)
	text := "Hà Tĩnh mở đầu. " + filler + "Tỉnh Hà Tĩnh và nhân dân Hà Tĩnh cùng Hà Tĩnh. " + filler
	var sp []span
	for i := 0; ; {
		j := strings.Index(text[i:], "Hà Tĩnh")
		if j < 0 {
			break
		}
		sp = append(sp, span{i + j, i + j + len("Hà")}, span{i + j + len("Hà "), i + j + len("Hà Tĩnh")})
		i += j + 1
	}
	got := string(excerptHTML(text, mergeSpans(text, sp)))
	if strings.Count(got, "<mark>Hà Tĩnh</mark>") != 3 {
		t.Errorf("excerpt should show the cluster of three hits, merged: %s", got)
	}
}

func TestExcerptEscapesAndShortText(t *testing.T) {
	text := `a < b & "c" — <b>bold</b>`
	got := string(excerptHTML(text, []span{{strings.Index(text, "bold"), strings.Index(text, "bold") + 4}}))
	want := `a &lt; b &amp; &#34;c&#34; — &lt;b&gt;<mark>bold</mark>&lt;/b&gt;`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := excerptHTML("", nil); got != "" {
		t.Errorf("empty text: %q", got)
	}
}

// TestExcerptScope: the excerpt is the densest cluster among the matches
// within excerptScope bytes of the first one, and the marker analyzes a
// long text only that far; both ways give the same excerpt.
func TestExcerptScope(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	m := ix.idx.Mapping()
	mk := newMarker(m, analyzeQuery(m, "hà tĩnh"))
	filler := strings.Repeat("Hội nghị bàn về chuyển đổi số và cải cách hành chính. ", 60) // ≈3.5 KB
	text := "Đoàn công tác tỉnh Hà Tĩnh. " + filler + strings.Repeat("Hà Tĩnh có tin mới. ", 8) + filler + "Cuối bài: Hà Tĩnh."
	all := mk.spans(text)
	if len(all) != 1+8+1 { // "tỉnh" is not marked: the text has "Tĩnh", as typed (see exactFirst)
		t.Fatalf("%d matches in the whole text: %v", len(all), all)
	}
	some := mk.excerptSpans(text)
	if len(some) != 1 || some[0] != all[0] {
		t.Errorf("excerptSpans = %v, want only the first match %v: the dense cluster is %d bytes past it, beyond excerptScope", some, all[0], len(filler))
	}
	got, want := excerptHTML(text, some), excerptHTML(text, all)
	if got != want || !strings.Contains(string(got), "tỉnh <mark>Hà Tĩnh</mark>") {
		t.Errorf("excerpt from the first matches %q, from all %q", got, want)
	}
	// Within scope, the densest cluster wins.
	near := "Đoàn công tác tỉnh Hà Tĩnh. " + filler[:400] + strings.Repeat("Hà Tĩnh có tin mới. ", 8) + filler
	if ex := excerptHTML(near, mk.excerptSpans(near)); strings.Count(string(ex), "<mark>") < 8 {
		t.Errorf("the dense cluster within scope was not chosen: %q", ex)
	}
}

// TestMarkerShortcut: skipping the filters for tokens that cannot match
// marks exactly what analyzing every token marks, also for text with
// combining marks (NFD, stray accents) and Hangul jamo.
func TestMarkerShortcut(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	m := ix.idx.Mapping()
	texts := []string{
		"Ha\u0300 Ti\u0303nh (NFD) và Hà Tĩnh, tinh\u0301 lạ, ĐÀ NẴNG, đà nẵng; 64/2007/NĐ-CP ở Hà Tĩnh.",
		"\u1112\u1161\u11ab ha tinh \u1100\u1161 y tế, Y TẾ, yte, ý tế.",
	}
	for _, d := range rankCorpus()[:300] {
		texts = append(texts, d.Title+" "+d.Summary+" "+d.Body)
	}
	for _, q := range []string{"Hà Tĩnh", "ha tinh", "tinh", "đà nẵng", "y tế", "64/2007/NĐ-CP", "các", "ubnd tinh", "an ninh mạng", "\u1112\u1161\u11ab"} {
		fast := newMarker(m, analyzeQuery(m, q))
		if fast.tok == nil {
			t.Fatal("the folded analyzer should allow the shortcut")
		}
		full := *fast
		full.tok = nil
		marked := 0
		for _, text := range texts {
			a, b := fast.spans(text), full.spans(text)
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%q in %q:\nshortcut %v\nfull     %v", q, text, a, b)
			}
			marked += len(a)
		}
		if marked == 0 {
			t.Errorf("%q: nothing marked in any text", q)
		}
	}
}

// TestMarkerFirstCandidate: the byte search that spares analyzing a text
// without the query's words says "none" only when the folded text lacks
// them, never when the text has letters it cannot fold safely, and
// otherwise points at or before the first match.
func TestMarkerFirstCandidate(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		query, text string
		want        bool
	}{
		{"hà tĩnh", "“Tỉnh” – HÀ TĨNH phát triển", true},
		{"ha tinh", "ĐÊM NHẠC HẠ TÌNH CA", true},
		{"đà nẵng", "Hội nghị tại Hà Nội – “Thủ đô”.", false},
		{"64/2007/NĐ-CP", "Nghị định 64/2007/NĐ-CP", true},
		{"64/2007/NĐ-CP", "Nghị định số 65/2008", false},
		{"москва", "Москва и Hà Nội", true}, // Cyrillic: analyzed, not guessed
		{"tĩnh", "Hội nghị – “Thường trực” tỉnh ủy, TỈNH đoàn", true},
		{"ubnd", "Sở A, sở B và UBND", true},
		{"ha", "Thanh Hóa, thành phố", false}, // "ha" only inside words
		{"ha", "Thanh Hóa – Hà Nội", true},
		{"1", "quy định 1.5 và 2_1", true}, // one token each for the analyzer: a superset is fine
	} {
		mk := newMarker(m, analyzeQuery(m, c.query))
		first := mk.firstCandidate(c.text)
		if got := first >= 0; got != c.want {
			t.Errorf("firstCandidate(%q in %q) = %d, want a match: %v", c.query, c.text, first, c.want)
		}
		all := mk.piece(c.text, 0, len(c.text), nil) // the analysis firstCandidate spares
		if !c.want && len(all) != 0 {
			t.Errorf("%q has matches of %q, yet firstCandidate says none", c.text, c.query)
		}
		if len(all) > 0 && first > all[0].start {
			t.Errorf("%q: first candidate at %d, after the first match at %d", c.text, first, all[0].start)
		}
	}
}

// TestExcerptFromFirstCandidate: starting the analysis of a body where a
// query word first stands alone (or skipping a body without one) gives
// the excerpt that analyzing the whole body gives.
func TestExcerptFromFirstCandidate(t *testing.T) {
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, d := range rankCorpus()[:300] {
		texts = append(texts, d.Body)
	}
	texts = append(texts, "Thanh Hóa – “Hà Nội” và Hạ Long; Nghị định 64/2007/NĐ-CP. "+strings.Repeat("Thành phố thanh bình. ", 100)+"Hà Tĩnh cuối bài.")
	excerpts := 0
	for _, q := range []string{"Hà Tĩnh", "ha tinh", "tinh", "đà nẵng", "y tế", "64/2007/NĐ-CP", "các", "ubnd tinh", "an ninh mạng", "thủy sản", "hạ long"} {
		mk := newMarker(m, analyzeQuery(m, q))
		for _, text := range texts {
			got := excerptHTML(text, mk.excerptSpans(text))
			want := excerptHTML(text, mergeSpans(text, preferExact(mk.piece(text, 0, len(text), nil))))
			if got != want {
				t.Fatalf("%q in %.80q…:\nfrom the first candidate %s\nwhole text              %s", q, text, got, want)
			}
			if strings.Contains(string(got), "<mark>") {
				excerpts++
			}
		}
	}
	if excerpts < 100 {
		t.Errorf("only %d excerpts mark anything", excerpts)
	}
}
