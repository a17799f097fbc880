package content

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v2"
)

// Front matter as most articles write it, decoded without the YAML library.
//
// Nearly every article's front matter is a few lines of `key: "text"`, `key: ["a", "b"]`
// and `date: 2024-05-01T08:00:00+07:00`; staff writing by hand leave the quotes out
// (`key: text`, `key: [a, b]`, a block list of `- a` lines under `key:`) and write dates
// alone (`issued: 2008-08-18`). yaml.v2 builds a token stream, a node tree and
// reflective values for them (≈ 6 % of a pages-only build's CPU on the prose corpus,
// with its allocations). decodeYAML reads exactly that shape itself and gives the values
// yaml.v2 gives for it (a string; a []any of strings; a timestamp or a date stays its
// text, as yaml.v2 keeps it when decoding into any); anything else, and any doubt (a
// comment, a blank line, an escape, a plain word that could be a number, a boolean or
// null, a colon or a '#' in a plain word, a repeated key), goes to yaml.v2 whole, so its
// values and errors (with their positions) are the same as before.

// decodeYAML decodes YAML front matter data into *out (a map[string]any).
func decodeYAML(data []byte, out any) error {
	if m, ok := out.(*map[string]any); ok && simpleYAML(data, *m) {
		return nil
	}
	return yaml.Unmarshal(data, out)
}

// simpleYAML fills m from data when data has only the simple shape; otherwise it leaves m
// as it was and returns false.
func simpleYAML(data []byte, m map[string]any) bool {
	type kv struct {
		k string
		v any
	}
	if len(data) == 0 {
		return false
	}
	var kvs [24]kv
	found := kvs[:0]
	for len(data) > 0 {
		line := nextLine(&data)
		var (
			k  []byte
			v  any
			ok bool
		)
		if colon := bytes.Index(line, []byte(": ")); colon > 0 {
			k = line[:colon]
			v, ok = simpleValue(line[colon+2:])
		} else if len(line) > 1 && line[len(line)-1] == ':' {
			// key: alone on its line, then a block list "- item" (indented or not).
			k = line[:len(line)-1]
			v, ok = blockList(&data)
		}
		if !ok || !simpleKey(k) {
			return false
		}
		key := string(k)
		for _, e := range found {
			if e.k == key { // yaml.v2 says "already set in map"
				return false
			}
		}
		found = append(found, kv{key, v})
	}
	for _, e := range found {
		m[e.k] = e.v
	}
	return true
}

// simpleKey: lower-case ASCII letters and underscores after a letter, not so long that
// YAML would refuse it as a simple key (1,024 characters; front matter keys are short), and
// not a word YAML reads as a boolean or null (which a map[string]any cannot hold as a key).
func simpleKey(k []byte) bool {
	if len(k) == 0 || len(k) > 64 || k[0] < 'a' || k[0] > 'z' {
		return false
	}
	for _, c := range k {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return false
		}
	}
	switch string(k) {
	case "y", "yes", "n", "no", "true", "false", "on", "off", "null":
		return false
	}
	return true
}

// simpleValue: "text" (no backslash, no quote, printable), a plain word (plainLen), a flow
// list of such strings and words ["a", b], or a timestamp 2006-01-02T15:04:05 with Z or a
// ±hh:mm offset or a date 2006-01-02, each alone on its line.
func simpleValue(v []byte) (any, bool) {
	switch {
	case len(v) == 0:
		return nil, false
	case v[0] == '"':
		s, rest, ok := simpleQuoted(v)
		if !ok || len(rest) != 0 {
			return nil, false
		}
		return s, true
	case v[0] == '[':
		rest := v[1:]
		var items []any
		for {
			var (
				s     string
				after []byte
				ok    bool
			)
			if len(rest) > 0 && rest[0] == '"' {
				s, after, ok = simpleQuoted(rest)
			} else if n := plainLen(rest, true); n > 0 {
				s, after, ok = string(rest[:n]), rest[n:], true
			}
			if !ok {
				return nil, false
			}
			items = append(items, s)
			switch {
			case len(after) == 1 && after[0] == ']':
				return items, true
			case len(after) > 2 && after[0] == ',' && after[1] == ' ':
				rest = after[2:]
			default:
				return nil, false
			}
		}
	case isTimestamp(v):
		return string(v), true
	}
	if n := plainLen(v, false); n == len(v) {
		return string(v), true
	}
	return nil, false
}

// nextLine cuts the first line off *data (without its line break).
func nextLine(data *[]byte) []byte {
	line := *data
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line, *data = line[:i], line[i+1:]
	} else {
		*data = nil
	}
	return line
}

// blockList reads the lines "- item" that follow a key alone on its line, all indented
// by the same number of spaces (none included), each item a simple quoted string or a
// plain word (plainLen); it stops before the first line that is not such an item. No
// item at all, or an item line of another shape or indentation, is not simple.
func blockList(data *[]byte) (any, bool) {
	var items []any
	indent := -1
	for len(*data) > 0 {
		rest := *data
		n := 0
		for n < len(rest) && rest[n] == ' ' {
			n++
		}
		if n == 0 && (len(rest) < 2 || rest[0] != '-' || rest[1] != ' ') {
			break // the next key, at the start of its line
		}
		if indent >= 0 && n != indent {
			return nil, false
		}
		indent = n
		line := nextLine(data)[n:]
		if len(line) < 3 || line[0] != '-' || line[1] != ' ' {
			return nil, false
		}
		item := line[2:]
		if item[0] == '"' {
			s, after, ok := simpleQuoted(item)
			if !ok || len(after) != 0 {
				return nil, false
			}
			items = append(items, s)
			continue
		}
		if plainLen(item, false) != len(item) {
			return nil, false
		}
		items = append(items, string(item))
	}
	return items, len(items) > 0
}

// plainLen is the length of the plain (unquoted) word at the start of v that yaml.v2
// reads as that very text: it starts with a letter, holds no '#', ':', control character,
// tab or what simpleQuoted refuses, and does not end with a space; in a flow list (flow)
// it ends before ", " or "]" and holds none of ",?[]{}" (libyaml ends a plain scalar in
// a flow at each). Words YAML 1.1 reads as a
// boolean or null (yes, No, ON, null …) are not plain text. 0: no such word.
func plainLen(v []byte, flow bool) int {
	if len(v) == 0 {
		return 0
	}
	if c := v[0]; c < utf8.RuneSelf {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return 0
		}
	} else if r, _ := utf8.DecodeRune(v); !unicode.IsLetter(r) {
		return 0
	}
	n := 0
	for n < len(v) {
		c := v[n]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '#' || c == ':' {
				return 0
			}
			if flow && (c == ',' || c == ']') {
				break
			}
			if flow && (c == '[' || c == '{' || c == '}' || c == '?') {
				return 0
			}
			n++
			continue
		}
		r, size := utf8.DecodeRune(v[n:])
		if r == utf8.RuneError || r < 0xa0 || r == 0xfeff || r >= 0xd800 && r <= 0xdfff || r == 0xfffe || r == 0xffff || r == 0x2028 || r == 0x2029 {
			return 0
		}
		n += size
	}
	if v[n-1] == ' ' {
		return 0
	}
	switch string(v[:n]) {
	case "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
		"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
		"null", "Null", "NULL":
		return 0
	}
	return n
}

// simpleQuoted reads a double-quoted string at the start of v whose text needs no unescaping.
func simpleQuoted(v []byte) (string, []byte, bool) {
	if len(v) < 2 || v[0] != '"' {
		return "", nil, false
	}
	end := bytes.IndexByte(v[1:], '"')
	if end < 0 {
		return "", nil, false
	}
	text := v[1 : 1+end]
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f || c == '\\' {
				return "", nil, false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		// What YAML does not allow in a document (C1 controls, the byte order mark,
		// surrogates, non-characters) or what might need its attention (the line and
		// paragraph separators, line breaks to YAML 1.1, around which it trims and folds
		// spaces): yaml.v2 decides.
		if r == utf8.RuneError || r < 0xa0 || r == 0xfeff || r >= 0xd800 && r <= 0xdfff || r == 0xfffe || r == 0xffff || r == 0x2028 || r == 0x2029 {
			return "", nil, false
		}
		i += size
	}
	return string(text), v[2+end:], true
}

// isTimestamp: 2006-01-02T15:04:05Z or 2006-01-02T15:04:05+07:00 exactly, or the date
// 2006-01-02 alone (yaml.v2 keeps the text of each, valid date or not: not a number).
func isTimestamp(v []byte) bool {
	const layout = "dddd-dd-ddTdd:dd:dd"
	if len(v) == len("dddd-dd-dd") {
		for i, c := range v {
			if (i == 4 || i == 7) != (c == '-') || c != '-' && !isDigit(c) {
				return false
			}
		}
		return true
	}
	if len(v) != len(layout)+1 && len(v) != len(layout)+6 {
		return false
	}
	for i := 0; i < len(layout); i++ {
		if layout[i] == 'd' {
			if v[i] < '0' || v[i] > '9' {
				return false
			}
		} else if v[i] != layout[i] {
			return false
		}
	}
	z := v[len(layout):]
	if len(z) == 1 {
		return z[0] == 'Z'
	}
	return (z[0] == '+' || z[0] == '-') && isDigit(z[1]) && isDigit(z[2]) && z[3] == ':' && isDigit(z[4]) && isDigit(z[5])
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
