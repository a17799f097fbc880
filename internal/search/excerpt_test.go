package search

import (
	"html"
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
