package search

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// sameTokens reports how got differs from want, bleve's tokens, or "".
func sameTokens(got, want analysis.TokenStream) string {
	if len(got) != len(want) {
		return "different numbers of tokens"
	}
	for i := range got {
		g, w := got[i], want[i]
		if !bytes.Equal(g.Term, w.Term) || g.Start != w.Start || g.End != w.End || g.Position != w.Position || g.Type != w.Type {
			return "token " + string(w.Term) + " differs"
		}
	}
	return ""
}

// wordAlphabet is what the generated texts are made of: Vietnamese letters in both
// cases, digits, the punctuation of news text and of document numbers, spaces of several
// kinds, combining marks, joiners, and letters of other scripts.
var wordAlphabet = []string{
	"a", "B", "đ", "Đ", "ệ", "Ấ", "ư", "Ơ", "n", "g", "h", "0", "7", "2024", "tỉnh", "Hà", "NĐ", "CP",
	" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2003",
	".", ",", ";", ":", "!", "?", "/", "-", "–", "—", "…", "'", "’", "\"", "“", "”", "(", ")", "%", "_", "#", "@", "&",
	"\u0301", "\u0323", "\u200d", "\u200b", "\u00ad", "\ufe0f", "👍", "🏽", "🇻", "🇳",
	"東", "京", "タ", "ひ", "한", "\u1112\u1161\u11ab", "Σ", "ς", "א", "ב", "\u05f3", "٣", "ǅ", "ﬃ",
}

func randomText(r *rand.Rand, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteString(wordAlphabet[r.IntN(len(wordAlphabet))])
	}
	return b.String()
}

// TestWordSplitterEqualsBleve: the index build's word tokens are bleve's unicode
// tokenizer's, on the golden documents' texts and on generated texts of tricky
// characters, with one splitter reused from text to text.
func TestWordSplitterEqualsBleve(t *testing.T) {
	bleve := unicode.NewUnicodeTokenizer()
	var w wordSplitter
	check := func(s string) {
		t.Helper()
		want := bleve.Tokenize([]byte(s))
		if d := sameTokens(splitWords(&w, []byte(s)), want); d != "" {
			t.Fatalf("%q: %s", s, d)
		}
	}
	for _, d := range goldenDocs() {
		check(d.Title)
		check(d.Summary)
		check(d.Body)
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 20000; i++ {
		check(randomText(r, r.IntN(60)))
	}
	check("")
	check(strings.Repeat("Hà Tĩnh, 64/2007/NĐ-CP. ", 2000)) // more segments than the first guess
}

func FuzzWordSplitter(f *testing.F) {
	for _, s := range []string{"Hà Tĩnh 64/2007/NĐ-CP", "1.000,5 a'b", "东京 タワー", "e\u0301 \u0301x", ""} {
		f.Add(s)
	}
	bleve := unicode.NewUnicodeTokenizer()
	var w wordSplitter
	f.Fuzz(func(t *testing.T, s string) {
		want := bleve.Tokenize([]byte(s))
		if d := sameTokens(splitWords(&w, []byte(s)), want); d != "" {
			t.Fatalf("%q: %s", s, d)
		}
	})
}

// splitWords returns the word tokens of text, as unicode.UnicodeTokenizer's Tokenize does,
// through w's spans.
func splitWords(w *wordSplitter, text []byte) analysis.TokenStream {
	spans := w.appendWords(w.spans[:0], text)
	w.spans = spans[:0]
	return wordTokens(text, spans)
}
