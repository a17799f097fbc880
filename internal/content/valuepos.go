package content

import (
	"bytes"
	"strings"
)

// Pos is a 1-based line and column in a file.
type Pos struct{ Line, Col int }

// Where the values of a legal document's front matter are written, so that its messages
// point at the value (the number, the date, the attachment's name) rather than at column
// 1 of the key's line. Only legal documents keep them (Document.ValueAt): there are few,
// and their messages come after parsing; an article's are found while it is parsed, only
// when a message about a value needs them (valueFinder).

// Pos returns where the value of front matter key is written: its line and column, or
// the key's line and column 1 when the value's place is not known.
func (d *Document) Pos(key string) (line, col int) {
	if p, ok := d.ValueAt[key]; ok {
		return p.Line, p.Col
	}
	return d.Line(key), 1
}

// ItemPos returns where the item v of the list key is written ("files", "a.pdf"), or
// where the list is (Pos) when that item's place is not known.
func (d *Document) ItemPos(key, v string) (line, col int) {
	if p, ok := d.ValueAt[key+"="+v]; ok {
		return p.Line, p.Col
	}
	return d.Pos(key)
}

// valuePositions finds, in a file's front matter, the start of each top-level key's
// value (under the key) and of each item of a list value (under "key=item", the item as
// written without quotes and with its spaces joined): a flow list ([a, "b"]) on the
// key's line, or a YAML block list ("- a" lines below the key). A value that starts on a
// later line (a block list, a multi-line string) is placed at its first line.
func valuePositions(src []byte, format fmFormat) map[string]Pos {
	out := map[string]Pos{}
	re := yamlKeyRe
	switch format {
	case fmTOML:
		re = tomlKeyRe
	case fmJSON:
		re = jsonKeyRe
	}
	delims, i := 0, -1
	block := "" // the key whose YAML block list is being read
	put := func(k string, p Pos) {
		if _, ok := out[k]; !ok {
			out[k] = p
		}
	}
	for line := range bytes.Lines(src) {
		i++
		l := strings.TrimSuffix(string(line), "\n")
		t := strings.TrimSpace(l)
		if format != fmJSON && (t == "---" || t == "+++") {
			if delims++; delims == 2 {
				break
			}
			continue
		}
		if format == fmJSON && i > 0 && t == "}" {
			break
		}
		if block != "" {
			indent := len(l) - len(strings.TrimLeft(l, " \t"))
			if rest, ok := strings.CutPrefix(t, "- "); ok {
				at := Pos{i + 1, runeCol(l, indent+2+len(rest)-len(strings.TrimLeft(rest, " ")))}
				put(block, at)
				put(block+"="+item(rest), at)
				continue
			}
			if indent > 0 && t != "" { // a value on the lines below its key
				put(block, Pos{i + 1, runeCol(l, indent)})
				continue
			}
		}
		block = ""
		if format != fmJSON && l != strings.TrimLeft(l, " \t") {
			continue // nested
		}
		m := re.FindStringSubmatchIndex(l)
		if m == nil {
			continue
		}
		key := l[m[2]:m[3]]
		rest := l[m[1]:]
		off := m[1] + len(rest) - len(strings.TrimLeft(rest, " \t"))
		rest = strings.TrimSpace(rest)
		if rest == "" || strings.HasPrefix(rest, "#") {
			block = key // the value follows (a YAML block list)
			continue
		}
		put(key, Pos{i + 1, runeCol(l, off)})
		if strings.HasPrefix(rest, "[") {
			flowItems(l, off+1, key, i+1, put)
		}
	}
	return out
}

// flowItems records the items of a flow list that starts at byte from of line l.
func flowItems(l string, from int, key string, line int, put func(string, Pos)) {
	start, quote := -1, byte(0)
	for j := from; j <= len(l); j++ {
		var c byte = ']'
		if j < len(l) {
			c = l[j]
		}
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			if start < 0 {
				start = j
			}
		case c == ',' || c == ']':
			if start >= 0 {
				put(key+"="+item(l[start:j]), Pos{line, runeCol(l, start)})
			}
			start = -1
			if c == ']' {
				return
			}
		case c != ' ' && c != '\t' && start < 0:
			start = j
		}
	}
}

// item is a list item as stringList keeps it: without quotes, spaces joined.
func item(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.Index(s, " #"); i >= 0 && !strings.HasPrefix(s, `"`) && !strings.HasPrefix(s, `'`) {
		s = s[:i]
	}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		s = s[1 : len(s)-1]
	}
	return strings.Join(strings.Fields(s), " ")
}
