package pdftext

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/vietnamese"
)

// clean turns a page's text as the engine gives it into what the index wants: NFC; lines
// ending in "\n" (the engine writes "\r\n"); each run of spaces (tabs, no-break and other
// Unicode spaces) one space; no control characters, no private-use or replacement
// characters (what a font without a Unicode map yields), no empty lines, no spaces at the
// ends of lines.
func clean(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	space, line := false, false // a space or a line break is pending
	for _, r := range s {
		switch {
		case r == '\n' || r == '\r' || r == '\f' || r == '\v' || r == '\u2028' || r == '\u2029':
			line = b.Len() > 0
			space = false
		case unicode.IsSpace(r):
			space = b.Len() > 0 && !line
		case unicode.IsControl(r) || unicode.Is(unicode.Co, r) || r == utf8.RuneError ||
			r == '\ufffe' || r == '\uffff' || r == '\u00ad' || r == '\u200b' || r == '\ufeff':
			// dropped: soft hyphens and zero-width spaces too (they split words)
		default:
			if line {
				b.WriteByte('\n')
			} else if space {
				b.WriteByte(' ')
			}
			line, space = false, false
			b.WriteRune(r)
		}
	}
	return vietnamese.NFC(b.String())
}

// cut returns s cut to at most n bytes at a rune boundary; n ≤ 0 means no limit.
func cut(s string, n int) string {
	if n <= 0 || len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRightFunc(s[:n], unicode.IsSpace)
}
