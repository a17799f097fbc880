// Package docnumber recognises Vietnamese legal document numbers (số ký hiệu:
// "64/2007/NĐ-CP", "2599/QĐ-UBND", "57-NQ/TW") in text and keys them. It is the one
// recogniser: the legal-document library keys its documents with Key, the Markdown
// renderer finds citations with Find, and the search folds a number typed in any
// spelling to the same Key.
package docnumber

import (
	"strings"
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

// typeNames are the types, one string each.
var typeNames = strings.Split(types, "|")

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
		if t := typeBefore(text[from:start]); t != nil {
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

// typeBefore is the regular expression `(?i:(?:types)\s+(?:số\s+)?)$`'s FindStringIndex
// of w, a type and an optional "số" that end w (TestTypeBeforeAsRegexp,
// FuzzTypeBeforeAsRegexp), matched backwards from w's end instead of tried at each of
// its bytes: the match ends at len(w), and its start is the leftmost of a type (in any
// case, as (?i) folds: unicode.SimpleFold) that ends where the white space (\s:
// [\t\n\f\r ]) before w's end starts, or where that before "số" and the white space
// that ends w starts.
func typeBefore(w string) []int {
	e := trimSpaceEnd(w, len(w))
	if e == len(w) {
		return nil // \s+ must end w
	}
	ends, k := [2]int{e}, 1
	if r, n := utf8.DecodeLastRuneInString(w[:e]); foldEq(r, 'ố') {
		if r, m := utf8.DecodeLastRuneInString(w[:e-n]); foldEq(r, 's') {
			if e2 := trimSpaceEnd(w, e-n-m); e2 < e-n-m {
				ends[1], k = e2, 2
			}
		}
	}
	best := -1
	for _, end := range ends[:k] {
		for _, name := range typeNames {
			if a := foldSuffix(w[:end], name); a >= 0 && (best < 0 || a < best) {
				best = a
			}
		}
	}
	if best < 0 {
		return nil
	}
	return []int{best, len(w)}
}

// trimSpaceEnd returns the start of the run of \s (\t \n \f \r space) that ends w[:e].
func trimSpaceEnd(w string, e int) int {
	for e > 0 {
		switch w[e-1] {
		case ' ', '\t', '\n', '\f', '\r':
			e--
			continue
		}
		break
	}
	return e
}

// foldSuffix returns where w ends with name in any case (rune by rune under simple case
// folding), or -1.
func foldSuffix(w, name string) int {
	i := len(w)
	for j := len(name); j > 0; {
		r, n := utf8.DecodeLastRuneInString(name[:j])
		if i == 0 {
			return -1
		}
		c, m := utf8.DecodeLastRuneInString(w[:i])
		if c == utf8.RuneError && m <= 1 || !foldEq(c, r) {
			return -1
		}
		i, j = i-m, j-n
	}
	return i
}

// foldEq reports whether a and b are the same letter under simple case folding, as (?i)
// compares a literal.
func foldEq(a, b rune) bool {
	if a == b {
		return true
	}
	for f := unicode.SimpleFold(a); f != a; f = unicode.SimpleFold(f) {
		if f == b {
			return true
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
