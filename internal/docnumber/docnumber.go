// Package docnumber recognises Vietnamese legal document numbers (số ký hiệu:
// "64/2007/NĐ-CP", "2599/QĐ-UBND", "57-NQ/TW") in text and keys them. It is the one
// recogniser: the legal-document library keys its documents with Key, the Markdown
// renderer finds citations with Find, and the search folds a number typed in any
// spelling to the same Key.
package docnumber

import (
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Key is the library's key and URL slug of a document number: the one slug function,
// so that "64/2007/NĐ-CP", "64/2007/nđ-cp", "64/2007/ND-CP" and an NFD spelling all give
// "64-2007-nd-cp".
func Key(number string) string { return vietnamese.Slug(number) }

// Match is one citation found by Find: text[Start:End] is what becomes a link
// ("Nghị định số 64/2007/NĐ-CP"), Number the number alone ("64/2007/NĐ-CP").
type Match struct {
	Start, End int
	Number     string
	Key        string
}

// types are the document types a citation may name before its number.
const types = `nghị định|nghị quyết|quyết định|thông tư liên tịch|thông tư|chỉ thị|kế hoạch|công văn|công điện|` +
	`thông báo|hướng dẫn|báo cáo|luật|pháp lệnh|lệnh|quy định|quy chế|chương trình|đề án|tờ trình`

// citeRe: an optional type and "số", then the number: digits, an optional "/year",
// then groups of capitals (and digits after them: QH15) joined by "/" or "-".
var citeRe = regexp.MustCompile(`(?i:(?:` + types + `)\s+(?:số\s+)?)?` +
	`(\d{1,6}(?:/\d{4})?[/-]\p{Lu}[\p{Lu}\d]*(?:[-/]\p{Lu}[\p{Lu}\d]*)*)`)

// Find returns the document numbers cited in text (NFC), in order. A number glued to
// a letter or digit on either side ("x64/2007/NĐ-CPa") is not a citation.
func Find(text string) []Match {
	var out []Match
	for _, m := range citeRe.FindAllStringSubmatchIndex(text, -1) {
		start, end := m[0], m[1]
		if start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); isWord(r) {
				// "a64/…": glued before the match; a type word may still have begun mid-word
				continue
			}
		}
		if end < len(text) {
			if r, _ := utf8.DecodeRuneInString(text[end:]); isWord(r) {
				continue
			}
		}
		num := text[m[2]:m[3]]
		out = append(out, Match{Start: start, End: end, Number: num, Key: Key(num)})
	}
	return out
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Is reports whether s, trimmed, is one document number and nothing else.
func Is(s string) bool {
	m := Find(s)
	return len(m) == 1 && m[0].Start == 0 && m[0].End == len(s) && m[0].Number == s
}
