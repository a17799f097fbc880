package province

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// pattern is one spelling of a unit as a sequence of words, for FindIn.
type pattern struct {
	words []string // NFC, traditional tone placement, case as written
	gaps  []string // gapClass of the separator after each word but the last
	size  int      // runes in words, to prefer longer spellings
	entry int      // index into Registry.entries
}

// tokens splits s into maximal runs of letters, marks and digits (words) and
// the text between consecutive words (gaps; len(gaps) == len(words)-1 when
// there are words).
func tokens(s string) (words, gaps []string) {
	start, prevEnd := -1, -1
	for i, r := range s {
		if isWordRune(r) {
			if start < 0 {
				start = i
				if prevEnd >= 0 {
					gaps = append(gaps, s[prevEnd:i])
				}
			}
			continue
		}
		if start >= 0 {
			words = append(words, s[start:i])
			prevEnd, start = i, -1
		}
	}
	if start >= 0 {
		words = append(words, s[start:])
	}
	return words, gaps
}

// gapClass reduces a separator between two words to what matters for a name:
// whitespace is dropped and every dash becomes "-". ok is false for a gap no
// name can span (a blank line).
func gapClass(g string) (class string, ok bool) {
	if strings.Count(g, "\n") > 1 {
		return "", false
	}
	var b strings.Builder
	for _, r := range g {
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune(dashRunes, r):
			b.WriteByte('-')
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), true
}

// gapsMatch reports whether a separator in the text may stand where a name
// has the given separator class: spaces and a single dash are
// interchangeable ("Bà Rịa – Vũng Tàu", "Bà Rịa-Vũng Tàu"); other
// punctuation must be the same ("TP.HCM").
func gapsMatch(text, name string) bool {
	c, ok := gapClass(text)
	if !ok {
		return false
	}
	if (c == "" || c == "-") && (name == "" || name == "-") {
		return true
	}
	return c == name
}

// buildPatterns indexes every spelling of every entry, as written and in
// capitals, by its first word; each list is ordered longest first.
func buildPatterns(entries []Province) map[string][]pattern {
	out := make(map[string][]pattern)
	seen := make(map[string]bool)
	for i, p := range entries {
		for _, s := range p.spellings() {
			s = normalizeSurface(s)
			for _, form := range []string{s, strings.ToUpper(s)} {
				words, gaps := tokens(form)
				if len(words) == 0 {
					continue
				}
				classes := make([]string, len(gaps))
				for j, g := range gaps {
					classes[j], _ = gapClass(g)
				}
				id := strings.Join(words, "\x00") + "\x01" + strings.Join(classes, "\x00")
				if seen[id] {
					continue
				}
				seen[id] = true
				out[words[0]] = append(out[words[0]], pattern{
					words: words,
					gaps:  classes,
					size:  utf8.RuneCountInString(strings.Join(words, "")),
					entry: i,
				})
			}
		}
	}
	for _, ps := range out {
		slices.SortStableFunc(ps, func(a, b pattern) int {
			if c := cmp.Compare(len(b.words), len(a.words)); c != 0 {
				return c
			}
			if c := cmp.Compare(b.size, a.size); c != 0 {
				return c
			}
			return cmp.Compare(a.entry, b.entry)
		})
	}
	return out
}

// isPersonNameMarker reports whether w is the middle name "Thị" or "Văn". A
// match right after one is a person ("Nguyễn Thị Huế"), not a place.
func isPersonNameMarker(w string) bool {
	switch w {
	case "Thị", "THỊ", "Văn", "VĂN":
		return true
	}
	return false
}

// FindIn returns the units mentioned in free text, in order of first
// mention, each once. Matching is on whole words, longest spelling first (so
// "Bà Rịa – Vũng Tàu" wins over anything shorter and "Thừa Thiên Huế" is one
// mention of Huế), and case-sensitive: a name must be written as listed or in
// capitals ("Hà Tĩnh", "HÀ TĨNH"), so lowercase common words never match.
// NFD text, either tone placement ("Khánh Hoà") and a hyphen or en dash in
// place of a space are tolerated. Any prefix is ignored: "tỉnh Gia Lai",
// "Sở BCVT Hà Tĩnh", "thành phố Quảng Ngãi" all count. "Việt Nam" is not a
// unit, and "Nam" alone never matches. A name right after the middle name
// "Thị" or "Văn" is taken to be a person's name and skipped. Merged units are
// returned as themselves ("tỉnh Vĩnh Phúc" → Vĩnh Phúc); use
// [Registry.Successor] for today's unit.
func (r *Registry) FindIn(text string) []Province {
	words, gaps := tokens(normalizeSurface(text))
	var out []Province
	found := make(map[int]bool)
	for i := 0; i < len(words); {
		n := 1
		for _, p := range r.patterns[words[i]] {
			if !matchAt(words, gaps, i, p) {
				continue
			}
			n = len(p.words)
			person := i > 0 && isPersonNameMarker(words[i-1]) && strings.TrimSpace(gaps[i-1]) == ""
			if !person && !found[p.entry] {
				found[p.entry] = true
				out = append(out, r.entries[p.entry].clone())
			}
			break
		}
		i += n
	}
	return out
}

// matchAt reports whether pattern p occurs at words[i:].
func matchAt(words, gaps []string, i int, p pattern) bool {
	if i+len(p.words) > len(words) {
		return false
	}
	for k, w := range p.words {
		if words[i+k] != w {
			return false
		}
		if k > 0 && !gapsMatch(gaps[i+k-1], p.gaps[k-1]) {
			return false
		}
	}
	return true
}
