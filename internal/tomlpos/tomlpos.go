// Package tomlpos finds where the keys of a TOML document are written, so that a
// data file's messages can point at the line and column of the value they are about
// (BurntSushi/toml keeps key positions to itself). It reads lines, not the grammar:
// table headers ([a], [[a]]) and "key = value" lines at the start of a line; values
// inside multi-line strings and arrays are not keys.
package tomlpos

import (
	"regexp"
	"strconv"
	"strings"
)

// Pos is a 1-based line and column; the zero Pos means "not found".
type Pos struct{ Line, Col int }

// Index holds the positions of a document's keys by path: "revision" for a top-level
// key, "event[2]" for the header of the third [[event]] table, "event[2].date" for a
// key in it, "org.phone" for a key under [org].
type Index struct{ m map[string]Pos }

var (
	headerRe = regexp.MustCompile(`^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?`)
	keyRe    = regexp.MustCompile(`^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=\s*`)
)

// Scan indexes src.
func Scan(src string) Index {
	ix := Index{m: map[string]Pos{}}
	counts := map[string]int{}
	prefix := ""
	var inString string // the delimiter of the multi-line string being read
	for i, line := range strings.Split(src, "\n") {
		if inString != "" {
			if strings.Contains(line, inString) {
				inString = ""
			}
			continue
		}
		if m := headerRe.FindStringSubmatchIndex(line); m != nil && strings.HasPrefix(strings.TrimSpace(line), "[") {
			name := normKey(line[m[4]:m[5]])
			if line[m[2]:m[3]] == "[[" {
				n := counts[name]
				counts[name] = n + 1
				prefix = name + "[" + strconv.Itoa(n) + "]"
			} else {
				prefix = name
			}
			ix.put(prefix, Pos{i + 1, m[2] + 1})
			continue
		}
		m := keyRe.FindStringSubmatchIndex(line)
		if m == nil {
			continue
		}
		key := normKey(line[m[2]:m[3]])
		if prefix != "" {
			key = prefix + "." + key
		}
		ix.put(key, Pos{i + 1, runeCol(line, m[1])})
		rest := line[m[1]:]
		for _, d := range []string{`"""`, `'''`} {
			if strings.HasPrefix(rest, d) && !strings.Contains(rest[3:], d) {
				inString = d
			}
		}
	}
	return ix
}

func (ix Index) put(k string, p Pos) {
	if _, ok := ix.m[k]; !ok {
		ix.m[k] = p
	}
}

// runeCol is the 1-based column, in characters, of byte offset off in line.
func runeCol(line string, off int) int { return len([]rune(line[:off])) + 1 }

// normKey writes a dotted key without spaces or quotes around its parts.
func normKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// Key returns where the value of the key path is written, or where the nearest
// enclosing table's header is when the key is not (a missing key is reported at its
// table), or the zero Pos.
func (ix Index) Key(path string) Pos {
	for {
		if p, ok := ix.m[path]; ok {
			return p
		}
		i := strings.LastIndexAny(path, ".")
		if i < 0 {
			return Pos{}
		}
		path = path[:i]
	}
}

// Table returns the path of the n-th (0-based) [[name]] table, for Key.
func Table(name string, n int) string { return name + "[" + strconv.Itoa(n) + "]" }
