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

// typeRe is a type and an optional "số" right before a number.
var (
	typeRe = regexp.MustCompile(`(?i:(?:` + types + `)\s+(?:số\s+)?)$`)
)

// typeWindow is how far before a number its type may start (bytes): "thông tư liên tịch số ".
const typeWindow = 48

// Find returns the document numbers cited in text (NFC), in order, each with the type
// and "số" written before it. A number glued to a letter or digit on either side
// ("x64/2007/NĐ-CP", "64/2007/NĐ-CPa") is not a citation.
func Find(text string) []Match {
	if !hasCandidate(text) {
		return nil // most text: no digit followed by / or - and a capital
	}
	var out []Match
	for _, m := range numbers(text) {
		start, end := m[0], m[1]
		if start > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); isWord(r) {
				continue
			}
		}
		if end < len(text) {
			if r, _ := utf8.DecodeRuneInString(text[end:]); isWord(r) {
				continue
			}
		}
		num := text[start:end]
		from := max(0, start-typeWindow)
		for from < start && !utf8.RuneStart(text[from]) {
			from++
		}
		if t := typeRe.FindStringIndex(text[from:start]); t != nil {
			if t[0] == 0 && from > 0 {
				// the window may have cut a word: the type must start at a word's start
				if r, _ := utf8.DecodeLastRuneInString(text[:from]); !isWord(r) {
					start = from
				}
			} else if r, _ := utf8.DecodeLastRuneInString(text[:from+t[0]]); from+t[0] == 0 || !isWord(r) {
				start = from + t[0]
			}
		}
		out = append(out, Match{Start: start, End: end, Number: num, Key: Key(num)})
	}
	return out
}

// hasCandidate reports whether text has a digit followed by "/" or "-" and, in the same
// run of non-space bytes, a capital letter (ASCII or Đ): what every number has.
func hasCandidate(text string) bool {
	for i := 0; i+2 < len(text); i++ {
		if c := text[i]; c < '0' || c > '9' || (text[i+1] != '/' && text[i+1] != '-') {
			continue
		}
		for j := i + 2; j < len(text) && text[j] != ' ' && text[j] != '\n' && text[j] != '\t'; j++ {
			if c := text[j]; (c >= 'A' && c <= 'Z') || (c == 0xC4 && j+1 < len(text) && text[j+1] == 0x90) {
				return true
			}
		}
	}
	return false
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Is reports whether s, trimmed, is one document number and nothing else.
func Is(s string) bool {
	m := Find(s)
	return len(m) == 1 && m[0].Start == 0 && m[0].End == len(s) && m[0].Number == s
}

// numbers returns the byte ranges of the numbers in text: 1 to 6 digits, an optional
// "/" and 4 digits (the year), then groups of a capital followed by capitals and digits
// ("NĐ", "QH15"), joined by "/" or "-", the first after "/" or "-". A hand-written scan:
// Go's regexp took 280 ns a byte on news text, most of a body's rendering time.
func numbers(text string) [][2]int {
	var out [][2]int
	for i := 0; i < len(text); {
		if !isDigit(text[i]) || (i > 0 && isDigit(text[i-1])) {
			i++
			continue
		}
		start := i
		j := digits(text, i)
		if n := j - i; n > 6 {
			i = j
			continue
		}
		if j+5 <= len(text) && text[j] == '/' && digits(text, j+1) == j+5 {
			if k := group(text, j+6); j+5 < len(text) && (text[j+5] == '/' || text[j+5] == '-') && k > j+6 {
				j += 5
			}
		}
		end := -1
		for j < len(text) && (text[j] == '/' || text[j] == '-') {
			k := group(text, j+1)
			if k == j+1 {
				break
			}
			end, j = k, k
		}
		if end > 0 {
			out = append(out, [2]int{start, end})
			i = end
		} else {
			i = max(j, start+1)
		}
	}
	return out
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digits(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}

// group returns the end of a capital followed by capitals and digits at s[i:], or i.
func group(s string, i int) int {
	j := i
	for j < len(s) {
		if isDigit(s[j]) {
			if j == i {
				return i
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsUpper(r) {
			break
		}
		j += size
	}
	return j
}
