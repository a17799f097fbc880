package check

import (
	"context"
	"runtime"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/parallel"
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
// on each document's path, title and title line: see TitlesKey. Their messages are not
// formatted (diag.List.Sorted): at 100,000 articles, 62,856 findings, 30 MB of text in
// the checks stage, where a build also holds the loaded site; the List they are added to
// formats them when it hands them out, and Diagnostic.Text formats one.
func DuplicateTitles(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
	var pages []*content.Document
	for _, d := range docs {
		if d.Kind != content.SectionIndex && d.Kind != content.LegalDocument {
			pages = append(pages, d)
		}
	}
	ds := &diag.List{}
	ds.FormatLate() // formatted by the List they go to (Input.Titles)
	nearDuplicateTitles(ctx, pages, ds)
	return ds.Sorted()
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
	path   string // doc's (a restored title has no doc until TitleState.Update finds it)
	raw    string // the title as written
	folded string
	n      int // runes in folded
	// shape is what the comparisons read beyond the folded form: made with the title, or
	// for a title restored from a saved state (RestoreTitles), the first time it is
	// compared (shaped).
	*shape
	// near holds the titles this one matches (TitleState only; each pair is in both
	// lists), fresh marks a title new to the state during an Update, and pos is scratch
	// space for TitleState's result and Save.
	near  []*title
	fresh bool
	pos   int
}

// shape is a title's folded form as the comparisons read it.
type shape struct {
	runes []rune // folded
	// hist counts each ASCII character, non-ASCII in the last slot, up to 255: a count
	// that stops there only lowers bagBound, which stays a lower bound. Bytes, not int32:
	// 129 bytes a title instead of 516 (at 100,000 articles the check held ~130 MB of
	// titles while the loaded site was live).
	hist   [129]uint8
	series string // folded without digits
}

// nearDuplicateTitles warns about pairs of documents whose titles are equal after folding
// (case and diacritics ignored) or within maxTitleDistance edits of each other. Titles
// that differ only in their digits ("Bản tin tuần 12", "Bản tin tuần 13") are a series,
// not duplicates. Each pair is reported on the file that sorts later, one warning per
// file (reportPairs).
//
// To stay fast on large sites, a title is compared only with the candidates titleIndex
// finds (equal, or sharing pieces at about the same place), whose lengths are within the
// distance, and only when a letter-count bound (the bag distance, which never exceeds the
// edit distance) allows it. The pairs are reported in the order of the titles sorted by
// length (stable over the documents' order), the shorter first.
func nearDuplicateTitles(ctx context.Context, docs []*content.Document, ds *diag.List) {
	ts := make([]*title, 0, len(docs))
	for _, d := range docs {
		if t := newTitle(d); t != nil {
			ts = append(ts, t)
		}
	}
	slices.SortStableFunc(ts, func(a, b *title) int { return a.n - b.n })
	x := newTitleIndex(ts)
	// The titles are probed on all cores, a block at a time, each goroutine with its own
	// probe; the pairs are then reported in order.
	const block = 256
	found := make([][]int32, len(ts))
	probes := make(chan *titleProbe, runtime.GOMAXPROCS(0))
	for range cap(probes) {
		probes <- x.newProbe()
	}
	if parallel.Each(ctx, (len(ts)+block-1)/block, func(b int) {
		p := <-probes
		defer func() { probes <- p }()
		for i := b * block; i < min(len(ts), (b+1)*block); i++ {
			a := ts[i]
			x.candidates(p, a, func(j int) {
				if j > i && ts[j].n-a.n <= maxTitleDistance && nearTitles(a, ts[j]) {
					found[i] = append(found[i], int32(j))
				}
			})
		}
	}) != nil {
		return
	}
	var pairs []titlePair
	for i, js := range found {
		slices.Sort(js)
		for _, j := range js {
			pairs = append(pairs, titlePair{i, int(j)})
		}
	}
	reportPairs(ts, pairs, ds)
}

// newTitle prepares d's title for the comparisons (nil: nothing to compare).
func newTitle(d *content.Document) *title {
	f := strings.Join(strings.Fields(vietnamese.FoldLower(d.Title)), " ")
	if f == "" {
		return nil
	}
	t := &title{doc: d, path: d.Path, raw: d.Title, folded: f, n: utf8.RuneCountInString(f)}
	t.shaped()
	return t
}

// shaped makes t's shape when it has none (a title restored from a saved state).
func (t *title) shaped() {
	if t.shape != nil {
		return
	}
	sh := &shape{runes: []rune(t.folded)}
	for _, r := range t.folded {
		if i := min(int(r), 128); sh.hist[i] < 255 {
			sh.hist[i]++
		}
	}
	sh.series = strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return -1
		}
		return r
	}, t.folded)
	t.shape = sh
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
	return withinDistance(a.runes, b.runes, maxTitleDistance)
}

// titlePair is a matching pair of titles, as indexes into the titles sorted by length
// (i < j).
type titlePair struct{ i, j int }

// reportPairs warns about the pairs, given in the order of the titles sorted by length:
// each file whose title matches the title of a file that sorts before it gets one
// warning, which names the first such file (in that order) and counts the others. A
// title shared by k articles is k-1 warnings, not k(k-1)/2: a generated archive of
// 100,000 articles had 846,719 pairs, whose warnings held about 750 MB through the whole
// build while a build prints 20 of them.
func reportPairs(ts []*title, pairs []titlePair, ds *diag.List) {
	type finding struct {
		second, first *title // the file warned about, the file named
		others        int    // further earlier files with a matching title
	}
	var order []*finding
	by := map[*title]*finding{}
	for _, p := range pairs {
		first, second := ts[p.i], ts[p.j]
		if second.doc.Path < first.doc.Path {
			first, second = second, first
		}
		if f := by[second]; f != nil {
			f.others++
			continue
		}
		f := &finding{second: second, first: first}
		by[second] = f
		order = append(order, f)
	}
	for _, f := range order {
		reportPair(f.first, f.second, f.others, ds)
	}
}

// reportPair warns on second (the file that sorts later) that its title matches first's
// and, when others > 0, the titles of others more files.
func reportPair(first, second *title, others int, ds *diag.List) {
	how := message.New("gần giống")
	if first.folded == second.folded {
		how = message.New("giống (không kể chữ hoa và dấu)")
	}
	a, b := first.doc, second.doc
	if others == 0 {
		ds.Warnf(b.Path, b.Line("title"), 1, "duplicate-title",
			"tiêu đề %q %v tiêu đề của %s (%q): kiểm tra xem có phải một bài bị đăng hai lần", b.Title, how, a.Path, a.Title)
		return
	}
	ds.Warnf(b.Path, b.Line("title"), 1, "duplicate-title",
		"tiêu đề %q %v tiêu đề của %s (%q) và của %d bài khác: kiểm tra xem có phải một bài bị đăng nhiều lần", b.Title, how, a.Path, a.Title, others)
}

// bagBound is a lower bound of the edit distance: half the difference of the character
// counts, rounded up.
func bagBound(a, b *title) int {
	sum := 0
	for i := range a.hist {
		d := int(a.hist[i]) - int(b.hist[i])
		if d < 0 {
			d = -d
		}
		sum += int(d)
	}
	return (sum + 1) / 2
}

// withinDistance reports whether the edit distance of a and b (Levenshtein's: insertions,
// deletions and substitutions) is at most k, computing only the cells within k of the
// diagonal (Ukkonen's band): a path through any other cell already costs more than k.
func withinDistance(a, b []rune, k int) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(b)-len(a) > k {
		return false
	}
	const far = 1 << 30
	width := 2*k + 1
	// The rule's own distance fits two rows on the stack: the check compares hundreds
	// of thousands of candidate pairs at 100,000 articles, and two small slices each
	// were most of what it allocated.
	var prevRow, curRow [2*maxTitleDistance + 3]int
	prev, cur := prevRow[:], curRow[:]
	if width+2 > len(prevRow) {
		prev, cur = make([]int, width+2), make([]int, width+2)
	} else {
		prev, cur = prev[:width+2], cur[:width+2]
	}
	// cell (i, j) of the full table is at index j-i+k+1 of row i; index 0 and width+1
	// stay far (outside the band).
	for x := range prev {
		prev[x] = far
		cur[x] = far
	}
	for j := 0; j <= min(k, len(b)); j++ {
		prev[j+k+1] = j
	}
	for i := 1; i <= len(a); i++ {
		best := far
		for x := 1; x <= width; x++ {
			j := i + x - k - 1
			if j < 0 || j > len(b) {
				cur[x] = far
				continue
			}
			v := far
			if j == 0 {
				v = i
			} else {
				cost := 1
				if a[i-1] == b[j-1] {
					cost = 0
				}
				v = prev[x] + cost      // (i-1, j-1)
				v = min(v, prev[x+1]+1) // (i-1, j): deletion
				v = min(v, cur[x-1]+1)  // (i, j-1): insertion
			}
			cur[x] = v
			best = min(best, v)
		}
		if best > k {
			return false
		}
		prev, cur = cur, prev
	}
	return prev[len(b)-len(a)+k+1] <= k
}
