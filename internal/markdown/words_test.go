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
	runes = append(runes, "\u0301", "\u1ec7", "\u2013", "\u201c", "\u2026", "\u2028", "\u3000", "\uFFFD", "\xff", "\xe1\xbb")
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
