package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/province"
)

// officePrefixes start the names of offices that sign articles ("Sở BCVT Quảng Ngãi").
// They are compared case-insensitively as whole words.
var officePrefixes = []string{
	"Sở", "Ban", "UBND", "HĐND", "Ủy ban", "Uỷ ban", "Trung tâm", "Phòng", "Văn phòng", "Cục",
	"Chi cục", "Tổng cục", "Bộ", "Vụ", "Viện", "Học viện", "Trường", "Báo", "Đài", "Tạp chí",
	"Cổng thông tin", "Thông tấn xã", "TTXVN", "Tỉnh ủy", "Tỉnh uỷ", "Thành ủy", "Thành uỷ",
	"Huyện ủy", "Huyện uỷ", "Công ty", "Tập đoàn", "Bưu điện", "Liên đoàn", "Liên hiệp", "Hội Nông dân",
	"Hội Liên hiệp", "Hội Cựu chiến binh", "Hội Chữ thập đỏ", "Hội Nhà báo",
}

// isOffice reports whether s is the name of an office: it starts with one of
// officePrefixes followed by a space or the end.
func isOffice(s string) bool {
	if s == "" {
		return false
	}
	lower := strings.ToLower(s)
	for _, p := range officePrefixes {
		p = strings.ToLower(p)
		if rest, ok := strings.CutPrefix(lower, p); ok && (rest == "" || rest[0] == ' ') {
			return true
		}
	}
	return false
}

// byline classifies the last paragraph of an article. A person ("Trần Thị Huệ") gives an
// author; an office ("Sở BCVT Quảng Ngãi"), "Theo …" or "Nguồn: …" gives a source;
// "Minh Anh (TTXVN)" gives both. ok is false for anything else, such as an ordinary body
// paragraph, which then stays in the body.
func byline(s string, reg *province.Registry) (author, source string, ok bool) {
	if utf8.RuneCountInString(s) > 80 {
		return "", "", false
	}
	lower := strings.ToLower(s)
	for _, p := range []string{"theo ", "nguồn:", "nguồn "} {
		if rest, found := strings.CutPrefix(lower, p); found {
			src := strings.TrimSpace(s[len(s)-len(rest):])
			if src == "" || strings.ContainsAny(src, ".!?;…") && !strings.Contains(src, ".vn") {
				return "", "", false
			}
			return "", src, true
		}
	}
	if isOffice(s) {
		if len(strings.Fields(s)) > 15 || strings.ContainsAny(s, ".!?;:…") {
			return "", "", false
		}
		return "", s, true
	}
	if i := strings.LastIndex(s, "("); i > 0 && strings.HasSuffix(s, ")") {
		name, org := strings.TrimSpace(s[:i]), strings.TrimSpace(s[i+1:len(s)-1])
		if personName(name) && org != "" && !strings.ContainsAny(org, "()") {
			return name, org, true
		}
	}
	if personName(s) {
		if _, isPlace := reg.Lookup(s); isPlace {
			return "", "", false // a place name alone is not a byline we understand
		}
		return s, "", true
	}
	return "", "", false
}

// personName reports whether s looks like a Vietnamese person's name or pen name: one to
// six words, each starting with a capital letter and made of letters (and dots for
// initials), at most 40 characters.
func personName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 6 || utf8.RuneCountInString(s) > 40 {
		return false
	}
	for _, w := range words {
		first, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(first) {
			return false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '.' {
				return false
			}
		}
	}
	return !isOffice(s)
}

// foundDate is a date read from the text of an article.
type foundDate struct {
	t           time.Time
	text        string // as written: "29/05/2007", "10 và 11/06/2009", "17/8"
	note        string // how it was read, for DateSource
	guessedYear bool
	yearFrom    string // where the year came from when guessedYear
}

var (
	// rangeStartRe matches the first day of a range written before a date, at the end of
	// the text that precedes the date: "10 và " in "10 và 11/06/2009".
	rangeStartRe = regexp.MustCompile(`(?i)(?:^|[^\d/])(\d{1,2})\s*(?:và|đến|tới|-|–|—)\s*(?:ngày\s+)?$`)
	// dateWordRe matches the words that introduce a date: "Ngày ", "Sáng ngày ", "Trong 2 ngày ".
	dateWordRe = regexp.MustCompile(`(?i)(?:(?:sáng|chiều|tối|trưa|đêm)\s+(?:ngày\s+)?|(?:trong\s+\d+\s+)?ngày\s+)$`)
	yearRe     = regexp.MustCompile(`(?:^|\D)((?:19[5-9]|20\d)\d)(?:\D|$)`)
)

// textDate finds the first date in a paragraph: "Ngày 29/05/2007", "ngày 04/8/2007", "Sáng
// ngày 4/6/2008"; a range "10 và 11/06/2009" gives its first day; a date without a year
// ("Sáng 17/8") takes the first year written in the title, lead or body.
func textDate(lead, title, summary string, body []string) (foundDate, bool) {
	for i := 0; i < len(lead); {
		c := lead[i]
		if c < '0' || c > '9' {
			i++
			continue
		}
		j := i
		for j < len(lead) && (lead[j] >= '0' && lead[j] <= '9' || lead[j] == '/') {
			j++
		}
		run := lead[i:j]
		start := i
		i = j
		if start > 0 && (lead[start-1] == '/' || isWordByte(lead, start-1)) || j < len(lead) && isLetterAt(lead, j) {
			continue // part of a document number ("QĐ/12") or a word
		}
		parts := strings.Split(run, "/")
		if len(parts) < 2 || len(parts) > 3 || !digits(parts[0], 1, 2) || !digits(parts[1], 1, 2) {
			continue
		}
		day, month := atoi(parts[0]), atoi(parts[1])
		d := foundDate{text: run}
		year := 0
		if len(parts) == 3 {
			if !digits(parts[2], 4, 4) {
				continue
			}
			year = atoi(parts[2])
		} else {
			y, from, ok := firstYear(title, summary, body)
			if !ok {
				continue
			}
			year, d.guessedYear, d.yearFrom = y, true, from
			d.note = "năm " + strconv.Itoa(y) + " " + from
		}
		if m := rangeStartRe.FindStringSubmatch(lead[max(0, start-40):start]); m != nil {
			if first := atoi(m[1]); first >= 1 && first < day {
				d.text = trimRangePrefix(m[0]) + run
				day = first
				if d.note == "" {
					d.note = "ngày đầu của khoảng ngày"
				} else {
					d.note = "ngày đầu của khoảng ngày, " + d.note
				}
			}
		}
		t, ok := date(year, month, day)
		if !ok {
			continue
		}
		d.t = t
		textStart := strings.LastIndex(lead[:j], d.text)
		if m := dateWordRe.FindString(lead[:max(textStart, 0)]); m != "" {
			d.text = m + d.text
		}
		return d, true
	}
	return foundDate{}, false
}

// trimRangePrefix drops the character before the first day that rangeStartRe consumed.
func trimRangePrefix(m string) string {
	for i, r := range m {
		if r >= '0' && r <= '9' {
			return m[i:]
		}
	}
	return m
}

// firstYear returns the first plausible year (1950–2099) written in the title, the lead
// or the body, and where it was found.
func firstYear(title, lead string, body []string) (int, string, bool) {
	try := func(s string) (int, bool) {
		if m := yearRe.FindStringSubmatch(s); m != nil {
			return atoi(m[1]), true
		}
		return 0, false
	}
	if y, ok := try(title); ok {
		return y, "theo tiêu đề", true
	}
	if y, ok := try(lead); ok {
		return y, "theo đoạn mở đầu", true
	}
	for _, p := range body {
		if y, ok := try(p); ok {
			return y, "theo nội dung bài", true
		}
	}
	return 0, "", false
}

func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isWordByte reports whether the character ending at byte i of s is a letter.
func isWordByte(s string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(s[:i+1])
	return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r)
}

// isLetterAt reports whether the character starting at byte i of s is a letter.
func isLetterAt(s string, i int) bool {
	r, _ := utf8.DecodeRuneInString(s[i:])
	return unicode.IsLetter(r)
}

// categoryRules map keywords to categories. category picks the keyword that occurs first.
var categoryRules = []struct {
	category string
	keywords []string
}{
	{"Hội nghị", []string{"hội nghị"}},
	{"Hội thảo", []string{"hội thảo", "tọa đàm", "toạ đàm", "diễn đàn"}},
	{"Tập huấn", []string{"tập huấn", "đào tạo", "bồi dưỡng"}},
	{"Kiểm tra", []string{"kiểm tra", "thanh tra", "giám sát"}},
	{"Làm việc", []string{"làm việc"}},
	{"Hội thi", []string{"hội thi", "cuộc thi"}},
	{"Triển lãm", []string{"triển lãm", "hội chợ"}},
	{"Khai trương", []string{"khai trương", "khánh thành", "ra mắt"}},
	{"Ký kết", []string{"ký kết", "kí kết"}},
	{"Tổng kết", []string{"tổng kết", "sơ kết"}},
}

// category returns the category whose keyword occurs first in s (whole words, ignoring
// case); a tie goes to the earlier rule.
func category(s string) (string, bool) {
	lower := strings.ToLower(s)
	best, bestAt := "", -1
	for _, rule := range categoryRules {
		for _, k := range rule.keywords {
			at := wordIndex(lower, k)
			if at >= 0 && (bestAt < 0 || at < bestAt) {
				best, bestAt = rule.category, at
			}
		}
	}
	return best, bestAt >= 0
}

// wordIndex returns the first index of word in s where it is not part of a longer word.
func wordIndex(s, word string) int {
	for off := 0; off < len(s); {
		i := strings.Index(s[off:], word)
		if i < 0 {
			return -1
		}
		i += off
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(word):])
		if (i == 0 || !unicode.IsLetter(before)) && (i+len(word) == len(s) || !unicode.IsLetter(after) && !unicode.Is(unicode.Mn, after)) {
			return i
		}
		off = i + len(word)
	}
	return -1
}

// legalRe matches a cited legal document: its kind, an optional "số", and a number with
// at least one slash ("64/2007/NĐ-CP", "2599/QĐ-UBND", "16/NQ-TU").
var legalRe = regexp.MustCompile(`(?i)(nghị định|quyết định|nghị quyết|thông tư|chỉ thị|công văn)(?:\s+số)?\s*:?\s+(\d+(?:/[\p{L}\p{N}]+(?:[-–][\p{L}\p{N}]+)*)+)`)

var legalKinds = map[string]string{
	"nghị định": "Nghị định", "quyết định": "Quyết định", "nghị quyết": "Nghị quyết",
	"thông tư": "Thông tư", "chỉ thị": "Chỉ thị", "công văn": "Công văn",
}

// legalDocuments returns the legal documents cited in the texts, normalized as "Nghị định
// 64/2007/NĐ-CP" (kind capitalized, "số" dropped, symbol in capitals), each once, in order
// of first mention.
func legalDocuments(texts []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, t := range texts {
		for _, m := range legalRe.FindAllStringSubmatch(t, -1) {
			kind := legalKinds[strings.ToLower(m[1])]
			if kind == "" {
				continue
			}
			num := strings.ToUpper(strings.ReplaceAll(m[2], "–", "-"))
			tag := kind + " " + num
			if !seen[tag] {
				seen[tag] = true
				out = append(out, tag)
			}
		}
	}
	return out
}
