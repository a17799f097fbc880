package vietnamese

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Ranges of precomposed Latin letters covered by the fold table: Latin-1
// Supplement, Latin Extended-A and -B (0x80–0x24F) and Latin Extended
// Additional (0x1E00–0x1EFF, which holds most Vietnamese letters with tones).
const (
	foldLo1, foldHi1 = 0x80, 0x250
	foldLo2, foldHi2 = 0x1E00, 0x1F00
)

// foldTables maps a precomposed Latin letter to its base letter, or 0 when
// the rune is not a Latin letter with diacritics. It is built once from the
// canonical decompositions (NFD) so that no hand-written table can drift from
// Unicode, and never modified afterwards.
var foldTables = sync.OnceValue(func() [2][]rune {
	build := func(lo, hi rune) []rune {
		t := make([]rune, hi-lo)
		for r := lo; r < hi; r++ {
			t[r-lo] = latinBase(r)
		}
		return t
	}
	return [2][]rune{build(foldLo1, foldHi1), build(foldLo2, foldHi2)}
})

// latinBase returns the base letter of r when r canonically decomposes into
// a Latin letter followed only by combining marks; otherwise 0. đ and Đ have
// no decomposition (the stroke is part of the letter) and are handled here
// explicitly, as Vietnamese treats them as d/D with a diacritic.
func latinBase(r rune) rune {
	switch r {
	case 'đ':
		return 'd'
	case 'Đ':
		return 'D'
	}
	d := norm.NFD.String(string(r))
	base, size := utf8.DecodeRuneInString(d)
	if size == len(d) || !unicode.Is(unicode.Latin, base) {
		return 0
	}
	for _, m := range d[size:] {
		if !unicode.Is(unicode.Mn, m) {
			return 0
		}
	}
	return base
}

// foldRune returns the base letter of r with all diacritics removed, or r
// itself when r carries no removable diacritic.
func foldRune(r rune) rune {
	var b rune
	switch {
	case r < foldLo1:
		return r
	case r < foldHi1:
		b = foldTables()[0][r-foldLo1]
	case r >= foldLo2 && r < foldHi2:
		b = foldTables()[1][r-foldLo2]
	default:
		return r
	}
	if b == 0 {
		return r
	}
	return b
}

// isCombiningDiacritic reports whether r is in the Combining Diacritical
// Marks block (U+0300–U+036F). Such marks survive NFC only when no
// precomposed letter exists (for example "x" + U+0301); Fold drops them.
func isCombiningDiacritic(r rune) bool {
	return r >= 0x300 && r <= 0x36F
}

// Fold returns s in NFC with every diacritic removed: Vietnamese tone marks,
// the breve, circumflex and horn of ă â ê ô ơ ư, and the accents of other
// Latin letters (é, ü, ñ …); đ becomes d and Đ becomes D. Case and all other
// characters (punctuation, digits, spaces, non-Latin scripts, letters such as
// ß or ø that have no canonical decomposition) are kept. NFD input gives the
// same result as NFC input.
//
//	Fold("Đà Nẵng")        == "Da Nang"
//	Fold("Thừa Thiên Huế") == "Thua Thien Hue"
func Fold(s string) string {
	if isASCII(s) {
		return s
	}
	s = NFC(s)
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if isCombiningDiacritic(r) {
			continue
		}
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// AppendFold appends Fold(s) to dst and returns the extended buffer. It
// gives the same bytes as Fold but skips the NFC pass, and allocates
// nothing beyond dst, when s holds only runes below U+0300 and Vietnamese
// letters (U+1E00–U+1EFF): such text is already NFC, since nothing in it
// can combine with what precedes it. Anything else goes through Fold.
// The search analyzer folds every token with it.
func AppendFold(dst, s []byte) []byte {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 || r >= 0x300 && (r < foldLo2 || r >= foldHi2) {
			return append(dst, Fold(string(s))...)
		}
		i += size
	}
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			dst = append(dst, s[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		dst = utf8.AppendRune(dst, foldRune(r))
		i += size
	}
	return dst
}

// FoldLower returns Fold(s) in lower case, the form used to compare names
// regardless of diacritics and case ("Đà Nẵng" → "da nang").
func FoldLower(s string) string {
	return strings.ToLower(Fold(s))
}
