package check

import (
	"cmp"
	"context"
	"slices"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
)

// TitleState keeps the near-duplicate title rule's work between the builds of a
// long-lived process (the preview, `portal serve --watch`): each title's folded form and
// the pairs found. After an article is added, deleted or retitled, Update compares only
// the new titles with the others (one pass over the site) instead of every pair again,
// and returns exactly what DuplicateTitles returns for the same documents. The zero
// value is ready; use by one build at a time.
type TitleState struct {
	byPath map[string]*title
	pairs  map[[2]string]bool // matching pairs by path, the shorter path first
}

// manyFreshTitles is the number of new or retitled titles above which Update finds their
// candidates through a titleIndex rather than among all titles of about their length.
const manyFreshTitles = 64

// Update returns DuplicateTitles(ctx, docs), reusing what the last call found. A call
// stopped by ctx returns what it found so far, and the state is left empty (the next
// call compares every pair).
func (s *TitleState) Update(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
	var pages []*content.Document
	for _, d := range docs {
		if d.Kind != content.SectionIndex && d.Kind != content.LegalDocument {
			pages = append(pages, d)
		}
	}
	old, pairs := s.byPath, s.pairs
	s.byPath, s.pairs = nil, nil // until this call is done
	if old == nil {
		old, pairs = map[string]*title{}, map[[2]string]bool{}
	}
	// The titles now, in the order of pages; fresh ones are those whose folded title is
	// new or not the one compared last time.
	ts := make([]*title, 0, len(pages))
	now := make(map[string]*title, len(pages))
	var fresh []*title
	for _, d := range pages {
		t, ok := old[d.Path]
		if ok && t.raw == d.Title {
			t.doc = d // the line comes from d (old is not used again)
		} else if t = newTitle(d); t == nil {
			continue
		} else if prev := old[d.Path]; prev == nil || prev.folded != t.folded {
			fresh = append(fresh, t)
		}
		now[d.Path] = t
	}
	// Pairs of a title gone or changed are forgotten; fresh titles are compared with all.
	isFresh := make(map[string]bool, len(fresh))
	for _, t := range fresh {
		isFresh[t.doc.Path] = true
	}
	for p := range pairs {
		if now[p[0]] == nil || now[p[1]] == nil || isFresh[p[0]] || isFresh[p[1]] {
			delete(pairs, p)
		}
	}
	byLen := slices.Collect(func(yield func(*title) bool) {
		for _, t := range now {
			if !yield(t) {
				return
			}
		}
	})
	slices.SortFunc(byLen, func(a, b *title) int { return a.n - b.n })
	consider := func(a, b *title) {
		if b.n-a.n > maxTitleDistance || a.n-b.n > maxTitleDistance || b.doc.Path == a.doc.Path || (isFresh[b.doc.Path] && b.doc.Path < a.doc.Path) {
			return // too far apart, itself, or a fresh pair already compared the other way
		}
		x, y := a, b
		if y.n < x.n {
			x, y = y, x // nearDuplicateTitles compares the shorter with the longer
		}
		if nearTitles(x, y) {
			pairs[pairKey(a, b)] = true
		}
	}
	// A few fresh titles (an edit) are compared with the titles of about their length; many
	// (the first build of a process) only with the candidates of a titleIndex, as
	// nearDuplicateTitles does, since every title against its neighbours grows with the
	// square of the site.
	neighbours := func(a *title, fn func(*title)) { // the titles of about a's length
		lo, _ := slices.BinarySearchFunc(byLen, a.n-maxTitleDistance, func(t *title, n int) int { return cmp.Compare(t.n, n) })
		for _, b := range byLen[lo:] {
			if b.n-a.n > maxTitleDistance {
				break
			}
			fn(b)
		}
	}
	if len(fresh) > manyFreshTitles {
		index := newTitleIndex(byLen)
		probe := index.newProbe()
		neighbours = func(a *title, fn func(*title)) {
			index.candidates(probe, a, func(j int) { fn(byLen[j]) })
		}
	}
	for i, a := range fresh {
		if i%64 == 0 && ctx.Err() != nil {
			return s.result(ctx, ts, now, pairs)
		}
		neighbours(a, func(b *title) { consider(a, b) })
	}
	for _, d := range pages {
		if t := now[d.Path]; t != nil {
			ts = append(ts, t)
		}
	}
	return s.result(ctx, ts, now, pairs)
}

// result reports the pairs in the order nearDuplicateTitles reports them: by the
// titles' order sorted by length (stable over the documents' order).
func (s *TitleState) result(ctx context.Context, ts []*title, now map[string]*title, pairs map[[2]string]bool) []diag.Diagnostic {
	if ctx.Err() != nil {
		return nil
	}
	slices.SortStableFunc(ts, func(a, b *title) int { return a.n - b.n })
	pos := make(map[string]int, len(ts))
	for i, t := range ts {
		pos[t.doc.Path] = i
	}
	list := make([]titlePair, 0, len(pairs))
	for p := range pairs {
		i, j := pos[p[0]], pos[p[1]]
		if j < i {
			i, j = j, i
		}
		list = append(list, titlePair{i, j})
	}
	slices.SortFunc(list, func(a, b titlePair) int { return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j)) })
	ds := &diag.List{}
	reportPairs(ts, list, ds)
	s.byPath, s.pairs = now, pairs
	return ds.Items()
}

func pairKey(a, b *title) [2]string {
	if b.doc.Path < a.doc.Path {
		a, b = b, a
	}
	return [2]string{a.doc.Path, b.doc.Path}
}

// SavedTitles is a TitleState as a long-lived cache keeps it (a DiskCache's titles.gob):
// each document's title as written, by path, and the pairs found.
type SavedTitles struct {
	Titles map[string]string
	Pairs  [][2]string
}

// Save returns the state for a later RestoreTitles (nil titles: nothing to keep).
func (s *TitleState) Save() SavedTitles {
	out := SavedTitles{Titles: make(map[string]string, len(s.byPath)), Pairs: make([][2]string, 0, len(s.pairs))}
	for p, t := range s.byPath {
		out.Titles[p] = t.raw
	}
	for p := range s.pairs {
		out.Pairs = append(out.Pairs, p)
	}
	slices.SortFunc(out.Pairs, func(a, b [2]string) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(a[1], b[1])) })
	return out
}

// RestoreTitles returns the state saved by Save, made by the same program (the caller
// checks that): the titles are folded again, the pairs are taken as they are.
func RestoreTitles(saved SavedTitles) *TitleState {
	s := &TitleState{byPath: make(map[string]*title, len(saved.Titles)), pairs: make(map[[2]string]bool, len(saved.Pairs))}
	for p, raw := range saved.Titles {
		if t := newTitle(&content.Document{Path: p, Title: raw}); t != nil {
			s.byPath[p] = t
		}
	}
	for _, p := range saved.Pairs {
		if s.byPath[p[0]] != nil && s.byPath[p[1]] != nil {
			s.pairs[p] = true
		}
	}
	return s
}
