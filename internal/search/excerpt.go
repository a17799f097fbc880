package search

import (
	"html"
	"html/template"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Excerpt length in runes (characters): the target, and how far a cut may
// move to land between words instead of inside one.
const (
	excerptRunes = 200
	excerptSnap  = 20
	maxSpans     = 256
)

// excerptScope is how far past the first match (in bytes) the matches
// compete for the excerpt: the excerpt shows the densest cluster of the
// matches that start within excerptScope bytes of the first one. A long
// article's later matches are not looked for, which keeps highlighting
// by analysis (see marker.excerptSpans) from reading whole articles.
const excerptScope = 1024

// span is a matched term as a byte range of a stored text.
type span struct{ start, end int }

// spansOf collects the term locations of the given fields (an exact field
// and its folded twin index the same text, so their byte offsets refer to
// the same stored string) and returns them sorted, valid for text, and with
// overlapping or nearly adjacent spans merged.
func spansOf(text string, locs search.FieldTermLocationMap, fields ...string) []span {
	var out []span
	for _, f := range fields {
		for _, ls := range locs[f] {
			for _, l := range ls {
				s, e := int(l.Start), int(l.End)
				if s < 0 || e > len(text) || s >= e || !boundary(text, s) || !boundary(text, e) {
					continue
				}
				out = append(out, span{s, e})
			}
		}
	}
	return mergeSpans(text, out)
}

// spansExactFirst is spansOf for a folded field (only the folded fields
// keep term locations), except that a folded term with one of its typed
// spellings in pref (see exactFirst) is marked only where the text has
// that spelling, when it has it anywhere, like marker.spans.
func spansExactFirst(text string, locs search.FieldTermLocationMap, folded string, pref map[string][]string) []span {
	if len(pref) == 0 {
		return spansOf(text, locs, folded)
	}
	valid := func(l *search.Location) bool {
		s, e := int(l.Start), int(l.End)
		return s >= 0 && e <= len(text) && s < e && boundary(text, s) && boundary(text, e)
	}
	var out []span
	for term, ls := range locs[folded] {
		forms := pref[term]
		var all, exact []span
		for _, l := range ls {
			if !valid(l) {
				continue
			}
			sp := span{int(l.Start), int(l.End)}
			all = append(all, sp)
			if len(forms) > 0 && slices.Contains(forms, strings.ToLower(vietnamese.NFC(text[sp.start:sp.end]))) {
				exact = append(exact, sp)
			}
		}
		if len(exact) > 0 {
			all = exact
		}
		out = append(out, all...)
	}
	return mergeSpans(text, out)
}

// boundary reports whether byte offset i of s starts a UTF-8 character (or
// is the end of s).
func boundary(s string, i int) bool {
	return i == len(s) || (i >= 0 && i < len(s) && utf8.RuneStart(s[i]))
}

func mergeSpans(text string, spans []span) []span {
	if len(spans) == 0 {
		return nil
	}
	sort.Slice(spans, func(i, j int) bool {
		if spans[i].start != spans[j].start {
			return spans[i].start < spans[j].start
		}
		return spans[i].end > spans[j].end
	})
	out := spans[:1]
	for _, s := range spans[1:] {
		last := &out[len(out)-1]
		if s.start <= last.end || smallGap(text[last.end:s.start]) {
			if s.end > last.end {
				last.end = s.end
			}
			continue
		}
		out = append(out, s)
		if len(out) == maxSpans {
			break
		}
	}
	return out
}

// smallGap reports whether the text between two hits is one or two
// characters of space or punctuation ("Hà Tĩnh", "64/2007"), so the hits
// read better as one highlight.
func smallGap(gap string) bool {
	if utf8.RuneCountInString(gap) > 2 || strings.ContainsAny(gap, "\n\r") {
		return false
	}
	for _, r := range gap {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// excerptHTML returns about excerptRunes characters of text around the
// densest cluster of spans, with each span in <mark> and everything else
// HTML-escaped. Without spans it returns the start of text. Cuts fall on
// character boundaries (preferably between words) and are shown as "…".
func excerptHTML(text string, spans []span) template.HTML {
	if text == "" {
		return ""
	}
	if len(spans) == 0 {
		end := advanceRunes(text, 0, excerptRunes)
		end = snapBack(text, 0, end)
		return render(text, 0, end, nil)
	}

	// Only the matches within excerptScope of the first one compete.
	for i, sp := range spans {
		if sp.start >= spans[0].start+excerptScope {
			spans = spans[:i]
			break
		}
	}

	// Best window: the run of spans starting at spans[i] that fits in
	// excerptRunes characters and contains the most spans.
	bestI, bestJ := 0, 0
	for i := range spans {
		limit := advanceRunes(text, spans[i].start, excerptRunes)
		j := i
		for j+1 < len(spans) && spans[j+1].end <= limit {
			j++
		}
		if j-i > bestJ-bestI {
			bestI, bestJ = i, j
		}
	}
	ws, we := spans[bestI].start, spans[bestJ].end
	used := utf8.RuneCountInString(text[ws:we])
	rest := excerptRunes - used
	if rest < 0 {
		rest = 0
	}
	before := rest / 3
	if before > 60 {
		before = 60
	}
	start := backRunes(text, ws, before)
	gotBefore := utf8.RuneCountInString(text[start:ws])
	end := advanceRunes(text, we, rest-gotBefore)
	if end == len(text) {
		// Text ended early: give the unused budget to the context before.
		gotAfter := utf8.RuneCountInString(text[we:end])
		start = backRunes(text, ws, rest-gotAfter)
	}
	start = snapForward(text, start, ws)
	end = snapBack(text, we, end)
	return render(text, start, end, spans)
}

// advanceRunes returns the byte offset n characters after i (or len(s)).
func advanceRunes(s string, i, n int) int {
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// backRunes returns the byte offset n characters before i (or 0).
func backRunes(s string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return i
}

// snapForward moves a cut at start (not at 0) forward to the beginning of
// the next word if one begins within excerptSnap characters and before
// limit, so the excerpt does not open in the middle of a word.
func snapForward(s string, start, limit int) int {
	if start == 0 {
		return 0
	}
	i := start
	for n := 0; n < excerptSnap && i < limit; n++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			return i + size
		}
		i += size
	}
	return start
}

// snapBack moves a cut at end (not at len(s)) back to the end of the
// previous word if it is within excerptSnap characters and after limit.
func snapBack(s string, limit, end int) int {
	if end >= len(s) {
		return len(s)
	}
	i := end
	for n := 0; n < excerptSnap && i > limit; n++ {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if unicode.IsSpace(r) {
			return i - size
		}
		i -= size
	}
	return end
}

// render escapes text[start:end], wraps the parts covered by spans in
// <mark>, and adds "…" where the text was cut.
func render(text string, start, end int, spans []span) template.HTML {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	pos := start
	for _, sp := range spans {
		s, e := sp.start, sp.end
		if e <= start || s >= end {
			continue
		}
		if s < start {
			s = start
		}
		if e > end {
			e = end
		}
		if s < pos {
			continue
		}
		b.WriteString(html.EscapeString(text[pos:s]))
		b.WriteString("<mark>")
		b.WriteString(html.EscapeString(text[s:e]))
		b.WriteString("</mark>")
		pos = e
	}
	b.WriteString(html.EscapeString(text[pos:end]))
	if end < len(text) {
		b.WriteString("…")
	}
	return template.HTML(strings.TrimSpace(b.String()))
}

// markAll returns the whole text HTML-escaped with spans in <mark>.
func markAll(text string, spans []span) template.HTML {
	return render(text, 0, len(text), spans)
}
