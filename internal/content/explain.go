package content

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// This file turns the front matter parsers' messages ("found character that cannot
// start any token", "mapping values are not allowed in this context") into plain
// Vietnamese for the common mistakes, naming the character and the field: a tab used
// for indentation, a colon or # in an unquoted value, an unclosed quote or bracket, a
// date that does not exist. Anything else keeps the parser's words as a detail.

// frontLine is one line of the front matter with its 1-based line number in the file.
type frontLine struct {
	n    int
	text string
}

// frontMatterLines returns the lines of the front matter that starts at byte off of src.
func frontMatterLines(src []byte, off int, data []byte) []frontLine {
	start, _ := diag.Position(src, off)
	var out []frontLine
	for i, l := range strings.Split(string(data), "\n") {
		out = append(out, frontLine{start + i, l})
	}
	return out
}

// runeCol is the 1-based column in characters of byte i of s.
func runeCol(s string, i int) int { return len([]rune(s[:i])) + 1 }

var fmKeyValueRe = regexp.MustCompile(`^\s*-?\s*([^\s:#"'][^:]*?)\s*:\s+(\S.*)$`)

// keyValue splits a YAML line "key: value" into the key, the value and the byte
// offset of the value; ok is false for other lines.
func keyValue(l string) (key, value string, at int, ok bool) {
	m := fmKeyValueRe.FindStringSubmatchIndex(l)
	if m == nil {
		return "", "", 0, false
	}
	return l[m[2]:m[3]], l[m[4]:m[5]], m[4], true
}

func quoted(v string) bool { return strings.HasPrefix(v, `"`) || strings.HasPrefix(v, `'`) }

// explainYAML explains a yaml.v2 error message; line is the line it named (or the
// first line of the front matter). The column is 0 when the message does not pin it.
func explainYAML(lines []frontLine, line int, msg string) (int, int, message.Text) {
	switch {
	case strings.Contains(msg, "tab character") || strings.Contains(msg, "cannot start any token"):
		for _, l := range lines {
			indent := l.text[:len(l.text)-len(strings.TrimLeft(l.text, " \t"))]
			if i := strings.IndexByte(indent, '\t'); i >= 0 {
				return l.n, runeCol(l.text, i), message.New("dòng này thụt lề bằng phím Tab: phần đầu chỉ nhận dấu cách để thụt lề; xoá Tab và gõ hai dấu cách thay vào")
			}
		}
	case strings.Contains(msg, "mapping values are not allowed"):
		for _, l := range lines {
			key, value, at, ok := keyValue(l.text)
			if !ok || quoted(value) || strings.HasPrefix(value, "[") || strings.HasPrefix(value, "{") {
				continue
			}
			if i := strings.Index(value, ": "); i >= 0 || strings.HasSuffix(value, ":") {
				if i < 0 {
					i = len(value) - 1
				}
				return l.n, runeCol(l.text, at+i), message.New("giá trị của %s có dấu hai chấm (:) mà không nằm trong ngoặc kép: đặt cả giá trị trong ngoặc kép, ví dụ %s: \"%s\"", key, key, value)
			}
		}
	case strings.Contains(msg, "unexpected end of stream") || strings.Contains(msg, "did not find expected"):
		// An unclosed bracket or quote: the parser reads on to the end of the front
		// matter and names the place it gave up, not the place of the mistake.
		if n, col, text, ok := unclosedBracket(lines); ok {
			return n, col, text
		}
		if n, col, text, ok := unclosedQuote(lines); ok {
			return n, col, text
		}
	case strings.Contains(msg, "could not find expected ':'"):
		return line, 0, message.New("dòng này thiếu dấu hai chấm sau tên trường: viết theo dạng 'tên: giá trị', hoặc nối dòng này vào giá trị ở dòng trên")
	case strings.Contains(msg, "aliasing"):
		return line, 0, message.New("phần đầu dùng quá nhiều bí danh YAML (& và *): viết thẳng các giá trị thay vì lặp lại qua bí danh")
	case strings.Contains(msg, "max depth"):
		return line, 0, message.New("giá trị trong phần đầu lồng nhau quá sâu: kiểm tra dấu ngoặc và thụt lề ở đây")
	case strings.Contains(msg, "cannot unmarshal") && strings.Contains(msg, "into map"):
		return line, 0, message.New("phần đầu phải là các dòng 'tên: giá trị', ví dụ title: \"Hội nghị tập huấn\"")
	}
	return line, 0, message.New("phần đầu (YAML) viết sai ở đây: thụt lề chỉ bằng dấu cách (không dùng Tab) và đặt trong ngoặc kép giá trị có dấu ':' hoặc '#' (chi tiết kỹ thuật: %s)", msg)
}

// unclosedBracket finds a "key: [value" line whose [ or { is not closed on it.
func unclosedBracket(lines []frontLine) (int, int, message.Text, bool) {
	for _, l := range lines {
		key, value, at, ok := keyValue(l.text)
		if !ok {
			continue
		}
		for _, p := range [][2]string{{"[", "]"}, {"{", "}"}} {
			if strings.HasPrefix(value, p[0]) && strings.Count(value, p[0]) > strings.Count(value, p[1]) {
				return l.n, runeCol(l.text, at), message.New("danh sách của %s mở bằng %s nhưng không đóng: thêm %s ở cuối, ví dụ %s: [\"Hà Tĩnh\", \"Gia Lai\"]", key, p[0], p[1], key), true
			}
		}
	}
	return 0, 0, message.Text{}, false
}

// unclosedQuote finds a "key: "value" line whose quote is not closed on it, or that
// has text after the closing quote.
func unclosedQuote(lines []frontLine) (int, int, message.Text, bool) {
	for _, l := range lines {
		key, value, at, ok := keyValue(l.text)
		if !ok || !quoted(value) {
			continue
		}
		q := value[:1]
		end := strings.Index(value[1:], q)
		if q == "'" {
			end = strings.Index(strings.ReplaceAll(value[1:], "''", "  "), q)
		}
		if end < 0 {
			return l.n, runeCol(l.text, at), message.New("giá trị của %s mở dấu ngoặc %s nhưng không đóng: thêm dấu %s ở cuối giá trị", key, q, q), true
		}
		if rest := strings.TrimSpace(value[end+2:]); rest != "" && !strings.HasPrefix(rest, "#") {
			return l.n, runeCol(l.text, at+end+2), message.New("giá trị của %s còn chữ sau dấu ngoặc %s đóng: đặt cả giá trị trong một cặp ngoặc kép", key, q), true
		}
	}
	return 0, 0, message.Text{}, false
}

// hashWarnings finds YAML values cut short by a comment: in "title: Tin số #5" YAML
// reads everything from " #" on as a comment, silently.
func hashWarnings(rel string, lines []frontLine, ds *diag.List) {
	for _, l := range lines {
		if strings.HasPrefix(l.text, " ") || strings.HasPrefix(l.text, "\t") || strings.IndexByte(l.text, '#') < 0 {
			continue // nested, or no '#' for the value to hold (most lines: no regexp then)
		}
		key, value, at, ok := keyValue(l.text)
		if !ok || quoted(value) || strings.HasPrefix(value, "[") || strings.HasPrefix(value, "{") {
			continue
		}
		i := strings.Index(value, " #")
		if strings.HasPrefix(value, "#") {
			i = -1
		} else if i < 0 {
			continue
		}
		ds.Warnf(rel, l.n, runeCol(l.text, at+i+1), "front-matter-comment", "phần từ dấu # trong giá trị của %s bị coi là ghi chú và bị bỏ đi: nếu # là một phần của giá trị, đặt cả giá trị trong ngoặc kép, ví dụ %s: \"%s\"", key, key, value)
	}
}

var (
	tomlFoundRe = regexp.MustCompile(`^expected value but found "(.*)" instead`)
	tomlDateRe  = regexp.MustCompile(`^invalid datetime: "(.*)"`)
	tomlKeyRe2  = regexp.MustCompile(`^Key '(.*)' has already been defined`)
)

// explainTOML explains a TOML parse error.
func explainTOML(pe toml.ParseError) message.Text {
	key, msg := pe.LastKey, pe.Message
	if m := tomlDateRe.FindStringSubmatch(msg); m != nil {
		if t, ok := impossibleDate(m[1]); ok {
			return t
		}
		return message.New("%q không phải ngày: viết theo dạng 2007-05-29 hoặc 2007-05-29T15:17:00+07:00", m[1])
	}
	switch m := tomlFoundRe.FindStringSubmatch(msg); {
	case m != nil:
		return message.New("giá trị của %s phải đặt trong ngoặc kép, ví dụ %s = \"%s …\"", key, key, m[1])
	case strings.Contains(msg, "strings cannot contain newlines") || strings.Contains(msg, "unexpected EOF"):
		return message.New("giá trị của %s mở dấu ngoặc kép nhưng không đóng: thêm dấu \" ở cuối giá trị", key)
	case strings.Contains(msg, "array terminator"):
		return message.New("danh sách của %s thiếu dấu ] đóng, hoặc thiếu dấu phẩy giữa hai phần tử, ví dụ %s = [\"Hà Tĩnh\", \"Gia Lai\"]", key, key)
	case strings.Contains(msg, "expected '.' or '=', but got ':'"):
		return message.New("phần đầu mở bằng +++ là TOML: viết 'tên = giá trị' thay vì 'tên: giá trị' (hoặc mở và đóng phần đầu bằng --- để viết kiểu YAML)")
	}
	if m := tomlKeyRe2.FindStringSubmatch(msg); m != nil {
		return message.New("trường %s được viết hai lần: xoá một trong hai dòng", m[1])
	}
	return message.New("phần đầu (TOML) viết sai ở đây (chi tiết kỹ thuật: %s); xem cách viết ở https://toml.io", msg)
}

var jsonCharRe = regexp.MustCompile(`^invalid character '(.*)' (.*)$`)

// explainJSON explains an encoding/json error.
func explainJSON(err error) message.Text {
	msg := err.Error()
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return message.New("phần đầu (JSON) viết sai (chi tiết kỹ thuật: %s)", msg)
	}
	if strings.Contains(msg, "unexpected end of JSON input") {
		return message.New("phần đầu (JSON) kết thúc giữa chừng: thiếu dấu ngoặc kép, ] hoặc } đóng")
	}
	if m := jsonCharRe.FindStringSubmatch(msg); m != nil {
		c := m[1]
		switch {
		case strings.HasPrefix(m[2], "looking for beginning of value"):
			return message.New("ký tự %s không đúng chỗ: trong phần đầu JSON, giá trị chữ phải đặt trong ngoặc kép, ví dụ \"title\": \"Hội nghị\"", c)
		case strings.HasPrefix(m[2], "after object key:value pair"):
			return message.New("thiếu dấu phẩy giữa hai trường (trước ký tự %s)", c)
		case strings.HasPrefix(m[2], "after object key"):
			return message.New("thiếu dấu hai chấm (:) sau tên trường (trước ký tự %s)", c)
		case strings.HasPrefix(m[2], "looking for beginning of object key string"):
			return message.New("ký tự %s không đúng chỗ: tên trường phải đặt trong ngoặc kép, và không có dấu phẩy sau trường cuối cùng", c)
		}
		return message.New("ký tự %s không đúng chỗ trong phần đầu (JSON)", c)
	}
	return message.New("phần đầu (JSON) viết sai (chi tiết kỹ thuật: %s)", msg)
}

var (
	isoDateRe = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})`)
	viDateRe  = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})`)
)

// impossibleDate explains a date written in the right shape that does not exist
// ("2026-02-30", "31/04/2025"); ok is false for anything else.
func impossibleDate(s string) (message.Text, bool) {
	var y, m, d int
	if g := isoDateRe.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else if g := viDateRe.FindStringSubmatch(s); g != nil {
		d, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		y, _ = strconv.Atoi(g[3])
	} else {
		return message.Text{}, false
	}
	if m < 1 || m > 12 {
		return message.New("ngày %q không có thật: không có tháng %d (tháng từ 1 đến 12); viết theo dạng năm-tháng-ngày, ví dụ 2007-05-29", s, m), true
	}
	days := time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if d < 1 || d > days {
		return message.New("ngày %q không có thật: tháng %d năm %d chỉ có %d ngày", s, m, y, days), true
	}
	return message.Text{}, false
}

// lineOf returns the text of line n (1-based) of src.
func lineOf(src []byte, n int) string {
	for i, l := range bytes.Split(src, []byte("\n")) {
		if i == n-1 {
			return string(l)
		}
	}
	return ""
}
