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
	if isASCII(s) || norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// IsNFC reports whether s is already in Unicode Normalization Form C.
func IsNFC(s string) bool {
	return isASCII(s) || norm.NFC.IsNormalString(s)
}

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
