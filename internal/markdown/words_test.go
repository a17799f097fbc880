package markdown

import (
	"strings"
	"testing"
	"unicode"
)

// countWordsByRune is countWords as it was before its ASCII fast path: one rune at a
// time through the unicode tables.
func countWordsByRune(s string) int {
	n := 0
	counted := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			n++
			counted = true
		}
	}
	return n
}

// TestCountWordsMatchesTheUnicodeRules: the byte-wise ASCII path of countWords counts
// as the unicode tables do, for every ASCII byte and the non-ASCII spaces, letters and
// marks Vietnamese text holds, between and inside words.
func TestCountWordsMatchesTheUnicodeRules(t *testing.T) {
	var runes []string
	for r := rune(0); r < 0x250; r++ {
		runes = append(runes, string(r))
	}
	for r := rune(0x1e00); r < 0x1f00; r++ { // Vietnamese letters: countWords' lookup-free path
		runes = append(runes, string(r))
	}
	for r := rune(0x2000); r < 0x2070; r++ { // the spaces, and what is not one, after 0xE2
		runes = append(runes, string(r))
	}
	runes = append(runes, "\u0301", "\u1680", "\u1681", "\u2013", "\u201c", "\u2026", "\u2028", "\u3000", "\u3001", "\uFFFD",
		// invalid sequences: a byte the rune-wise count reads as U+FFFD must not hide a space after it
		"\xff", "\xe1\xbb", "\xe1\xbb ", "\xe1\xba\xc2\xa0", "\xe1\xbb\xff", "\xc3", "\xc3 ", "\xc2\x85", "\xc2 ", "\xe2\x80", "\xe2\x80 ",
		"\xf0\x9f", "\xf0\x9f\x98\x80", "\x80\x80 ", "\xed\xa0\x80", "\xe0\x80\xa0")
	for _, a := range runes {
		for _, s := range []string{a, "x" + a + "y", a + " " + a, "Hà" + a + "Tĩnh 2025", " " + a + "1"} {
			if got, want := countWords(s), countWordsByRune(s); got != want {
				t.Fatalf("countWords(%q) = %d, want %d", s, got, want)
			}
		}
	}
	prose := "Ngày 29/05/2007, UBND tỉnh Hà Tĩnh ban hành Quyết định số 64/2007/QĐ-UBND – “về việc…”\n\n\tBảng\t1 2 3"
	if got, want := countWords(prose), countWordsByRune(prose); got != want || got != 18 {
		t.Errorf("countWords(prose) = %d, the rune-wise count %d, want 18", got, want)
	}
	if got := countWords(strings.Repeat("a ", 1000)); got != 1000 {
		t.Errorf("countWords of 1000 words = %d", got)
	}
}

// FuzzCountWords: countWords, which decodes a rune only where a word can start or end,
// counts as the rune-wise loop does, for any bytes (invalid UTF-8 included).
func FuzzCountWords(f *testing.F) {
	for _, s := range []string{"", "Hà Tĩnh", "Ủy ban\u00a0nhân dân", "a\u2003b", "x\xe1\xbb y", "\xc3 \xe1\xba\xa1", "1/7/2025 – “về”"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := countWords(s), countWordsByRune(s); got != want {
			t.Fatalf("countWords(%q) = %d, want %d", s, got, want)
		}
	})
}

// BenchmarkCountWords counts the words of a Vietnamese article's plain text (benchArticle).
func BenchmarkCountWords(b *testing.B) {
	res, err := New(Options{}).Render([]byte(benchArticle()))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(res.Text)))
	for b.Loop() {
		if countWords(res.Text) != res.WordCount {
			b.Fatal("count changed")
		}
	}
}
