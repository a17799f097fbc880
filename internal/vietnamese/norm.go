// Package vietnamese holds the Vietnamese text rules shared by every part of
// portal: Unicode normalisation (NFC), diacritic folding, the one slug
// function used for articles, terms and heading IDs, Vietnamese collation and
// Vietnamese date formatting.
//
// All functions are safe for concurrent use except the methods of Collator,
// which wraps a stateful golang.org/x/text/collate.Collator.
package vietnamese

import (
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// NFC returns s in Unicode Normalization Form C. Text that is already NFC
// (including all ASCII text) is returned unchanged without allocating.
func NFC(s string) string {
	if IsNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// IsNFC reports whether s is already in Unicode Normalization Form C.
func IsNFC(s string) bool {
	return plainNFC(s) || norm.NFC.IsNormalString(s)
}

// CheckUTF8NFC reports whether b is valid UTF-8 and, if it is, whether it is NFC,
// in one pass for most Vietnamese text (plainNFC) and without copying b.
func CheckUTF8NFC(b []byte) (valid, nfc bool) {
	if plainNFCBytes(b) {
		return true, true
	}
	if !utf8.Valid(b) {
		return false, false
	}
	return true, norm.NFC.IsNormal(b)
}

// plainNFCBytes is plainNFC of a byte slice.
func plainNFCBytes(b []byte) bool { return plainText(b) }

// plainNFC reports whether s holds only runes below U+0300, Vietnamese
// letters (U+1E00–U+1EFF) and the dashes, quotation marks, bullets and
// ellipsis of U+2010–U+2027 (“ ” – …), as most Vietnamese text does. Such text is NFC:
// each of those runes is NFC by itself and none combines with the rune
// before it (TestPlainTextIsNFC), so the normalizer's check, about a tenth
// of a millisecond per article body, is skipped.
func plainNFC(s string) bool { return plainText(s) }

// plainText is plainNFC of a string or a byte slice: one body for both, each instantiated
// on its own (a string and a slice are different shapes), so neither pays for the other.
func plainText[T string | []byte](s T) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		var c1, c2 byte // 0 past the end
		if i+1 < len(s) {
			c1 = s[i+1]
		}
		if i+2 < len(s) {
			c2 = s[i+2]
		}
		if n := plainSeq(s[i], c1, c2); n > 0 {
			i += n
			continue
		}
		// The rune's bytes, at most utf8.UTFMax: a conversion of a few bytes that does
		// not escape is made on the stack.
		r, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		if r == utf8.RuneError && size == 1 || r >= 0x300 && (r < foldLo2 || r >= foldHi2) && (r < punctLo || r >= punctHi) {
			return false
		}
		i += size
	}
	return true
}

// plainSeq returns the length of the UTF-8 sequence c0 c1 c2 (bytes past the end of the
// text given as 0) when it encodes one of the runes plainNFC accepts that Vietnamese
// text is made of, read from its bytes without decoding it: U+0080–U+02FF (0xC2–0xCB and
// a continuation byte), U+1E00–U+1EFF (0xE1 0xB8–0xBB and a continuation byte),
// U+2010–U+2027 (0xE2 0x80 0x90–0xA7); else 0, and the rune is decoded.
func plainSeq(c0, c1, c2 byte) int {
	switch {
	case c0 >= 0xC2 && c0 <= 0xCB && c1&0xC0 == 0x80:
		return 2
	case c0 == 0xE1 && c1 >= 0xB8 && c1 <= 0xBB && c2&0xC0 == 0x80:
		return 3
	case c0 == 0xE2 && c1 == 0x80 && c2 >= 0x90 && c2 <= 0xA7:
		return 3
	}
	return 0
}

// punctLo and punctHi bound the general punctuation plainNFC accepts: U+2010–U+2027.
const punctLo, punctHi = 0x2010, 0x2028

// isASCII reports whether s contains only ASCII bytes. ASCII text is
// invariant under every normalisation form, so it takes the fast path.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
