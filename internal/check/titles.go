package check

import (
	"context"

	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/suggest"
	"github.com/vnportal/portal/internal/vietnamese"
)

// maxTitleDistance is the largest edit distance (between titles folded to lowercase
// without diacritics) at which two titles count as near-duplicates.
const maxTitleDistance = 3

// minNearTitle is the length (in characters) below which only titles that are equal after
// folding are reported: "Hà Nội" and "Hà Tĩnh" are 3 edits apart and are not duplicates.
const minNearTitle = 15

// DuplicateTitles runs the near-duplicate title rule over docs (section indexes are not
// articles and are skipped, nor are legal documents: their number is what tells them
// apart, and two plans of two years may share their trích yếu) and returns its findings, for Input.Titles. They depend only
// on each document's path, title and title line: see TitlesKey.
func DuplicateTitles(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
	var pages []*content.Document
	for _, d := range docs {
		if d.Kind != content.SectionIndex && d.Kind != content.LegalDocument {
			pages = append(pages, d)
		}
	}
	ds := &diag.List{}
	nearDuplicateTitles(ctx, pages, ds)
	return ds.Items()
}

// SameTitles reports whether DuplicateTitles finds the same in docs as in prev: the same
// documents in the same order, with the same titles on the same lines (a document the
// cache did not parse again is the very same pointer).
func SameTitles(prev, docs []*content.Document) bool {
	if len(prev) != len(docs) {
		return false
	}
	for i, d := range docs {
		p := prev[i]
		if p != d && (p.Path != d.Path || p.Title != d.Title || p.Kind != d.Kind || p.Line("title") != d.Line("title")) {
			return false
		}
	}
	return true
}

type title struct {
	doc    *content.Document
	raw    string // the title as written
	folded string
	n      int        // runes in folded
	hist   [129]int32 // ASCII counts, non-ASCII in the last slot
	series string     // folded without digits
}

// nearDuplicateTitles warns about pairs of documents whose titles are equal after folding
// (case and diacritics ignored) or within maxTitleDistance edits of each other. Titles
// that differ only in their digits ("Bản tin tuần 12", "Bản tin tuần 13") are a series,
// not duplicates. Each pair is reported once, on the file that sorts later.
//
// To stay fast on large sites, pairs are compared only when their lengths are within the
// distance, and only when a letter-count bound (the bag distance, which never exceeds the
// edit distance) allows it.
func nearDuplicateTitles(ctx context.Context, docs []*content.Document, ds *diag.List) {
	ts := make([]*title, 0, len(docs))
	for _, d := range docs {
		if t := newTitle(d); t != nil {
			ts = append(ts, t)
		}
	}
	slices.SortStableFunc(ts, func(a, b *title) int { return a.n - b.n })
	// The comparisons of each title with the longer ones run on every core (at 10,000
	// articles about 0.7 CPU-s, on one core while the other idled); the pairs are
	// reported afterwards in the order of one loop, so the findings do not change.
	near := make([][]*title, len(ts))
	if err := parallel.Each(ctx, len(ts), func(i int) {
		a := ts[i]
		for _, b := range ts[i+1:] {
			if b.n-a.n > maxTitleDistance {
				break
			}
			if nearTitles(a, b) {
				near[i] = append(near[i], b)
			}
		}
	}); err != nil {
		return
	}
	for i, a := range ts {
		for _, b := range near[i] {
			reportPair(a, b, ds)
		}
	}
}

// newTitle prepares d's title for the comparisons (nil: nothing to compare).
func newTitle(d *content.Document) *title {
	f := strings.Join(strings.Fields(vietnamese.FoldLower(d.Title)), " ")
	if f == "" {
		return nil
	}
	t := &title{doc: d, raw: d.Title, folded: f, n: utf8.RuneCountInString(f)}
	for _, r := range f {
		t.hist[min(int(r), 128)]++
	}
	t.series = strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, f)
	return t
}

// nearTitles reports whether a and b (a no longer than b, by at most maxTitleDistance)
// are near-duplicates.
func nearTitles(a, b *title) bool {
	if a.folded == b.folded {
		return true
	}
	if a.n < minNearTitle || a.series == b.series || bagBound(a, b) > maxTitleDistance {
		return false
	}
	return suggest.Distance(a.folded, b.folded) <= maxTitleDistance
}

// reportPair warns about a pair, once, on the file that sorts later.
func reportPair(a, b *title, ds *diag.List) {
	first, second := a.doc, b.doc
	if second.Path < first.Path {
		first, second = second, first
	}
	how := message.New("gần giống")
	if a.folded == b.folded {
		how = message.New("giống (không kể chữ hoa và dấu)")
	}
	ds.Warnf(second.Path, second.Line("title"), 1, "duplicate-title",
		"tiêu đề %q %v tiêu đề của %s (%q): kiểm tra xem có phải một bài bị đăng hai lần", second.Title, how, first.Path, first.Title)
}

// bagBound is a lower bound of the edit distance: half the difference of the character
// counts, rounded up.
func bagBound(a, b *title) int {
	sum := 0
	for i := range a.hist {
		d := a.hist[i] - b.hist[i]
		if d < 0 {
			d = -d
		}
		sum += int(d)
	}
	return (sum + 1) / 2
}
