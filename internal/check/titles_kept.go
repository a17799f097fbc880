package check

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
)

// TitleState keeps the near-duplicate title rule's work between builds: each title's
// folded form and the pairs found, held by the titles themselves (each title lists the
// ones it matches), in a long-lived process (the preview, `portal serve --watch`) or saved
// between processes (Save, RestoreTitles: a DiskCache's titles file). After an article is
// added, deleted or retitled, Update compares only the new titles with the others (one
// pass over the site) instead of every pair again, and returns exactly what
// DuplicateTitles returns for the same documents. The zero value is ready; use by one
// build at a time.
type TitleState struct {
	byPath map[string]*title
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
	old := s.byPath
	s.byPath = nil // until this call is done: the titles of old are changed in place
	// The titles now, by path; fresh ones are those whose folded title is new or not the
	// one compared last time. A title written otherwise but folded the same keeps its
	// pairs.
	now := make(map[string]*title, len(pages))
	var fresh []*title
	for _, d := range pages {
		t := old[d.Path]
		switch {
		case t != nil && t.raw == d.Title:
			t.doc = d // the line comes from d
		default:
			nt := newTitle(d)
			if nt == nil {
				continue
			}
			if t != nil && t.folded == nt.folded {
				t.doc, t.raw = d, d.Title
				break
			}
			t, nt.fresh = nt, true
			fresh = append(fresh, t)
		}
		now[d.Path] = t
	}
	// Pairs of a title gone or changed are forgotten (its partners' lists lose it); fresh
	// titles are compared with all.
	for p, t := range old {
		if now[p] != t {
			for _, o := range t.near {
				o.near = dropTitle(o.near, t)
			}
			t.near = nil
		}
	}
	defer func() {
		for _, t := range fresh {
			t.fresh = false
		}
	}()
	byLen := slices.Collect(maps.Values(now))
	slices.SortFunc(byLen, func(a, b *title) int { return a.n - b.n })
	consider := func(a, b *title) {
		if b.n-a.n > maxTitleDistance || a.n-b.n > maxTitleDistance || b == a || (b.fresh && b.path < a.path) {
			return // too far apart, itself, or a fresh pair already compared the other way
		}
		a.shaped()
		b.shaped()
		x, y := a, b
		if y.n < x.n {
			x, y = y, x // nearDuplicateTitles compares the shorter with the longer
		}
		if nearTitles(x, y) {
			a.near = append(a.near, b)
			b.near = append(b.near, a)
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
			return nil // s stays empty
		}
		neighbours(a, func(b *title) { consider(a, b) })
	}
	ts := make([]*title, 0, len(now))
	for _, d := range pages {
		if t := now[d.Path]; t != nil {
			ts = append(ts, t)
		}
	}
	return s.result(ctx, ts, now)
}

// dropTitle removes t from ts (in which it is at most once), in place.
func dropTitle(ts []*title, t *title) []*title {
	if i := slices.Index(ts, t); i >= 0 {
		ts[i] = ts[len(ts)-1]
		ts[len(ts)-1] = nil
		return ts[:len(ts)-1]
	}
	return ts
}

// result reports the pairs as nearDuplicateTitles reports them (reportPairs): in the order
// of the titles sorted by length (stable over the documents' order), each pair (i, j) of
// positions, i < j, warns on the one of the two files that sorts later, the first pair of
// that file naming the other file and the further ones counted.
func (s *TitleState) result(ctx context.Context, ts []*title, now map[string]*title) []diag.Diagnostic {
	if ctx.Err() != nil {
		return nil
	}
	slices.SortStableFunc(ts, func(a, b *title) int { return a.n - b.n })
	for i, t := range ts {
		t.pos = i
	}
	type finding struct {
		i, j          int    // the first pair's positions, i < j
		second, first *title // the file warned about, the file named
		others        int
	}
	var found []finding
	for _, t := range ts {
		var f finding
		for _, o := range t.near {
			if o.path > t.path {
				continue // warned about on o
			}
			i, j := min(o.pos, t.pos), max(o.pos, t.pos)
			switch {
			case f.second == nil:
				f = finding{i: i, j: j, second: t, first: o}
			case i < f.i || i == f.i && j < f.j:
				f.i, f.j, f.first = i, j, o
				f.others++
			default:
				f.others++
			}
		}
		if f.second != nil {
			found = append(found, f)
		}
	}
	slices.SortFunc(found, func(a, b finding) int { return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.j, b.j)) })
	ds := &diag.List{}
	ds.FormatLate() // formatted by the List they go to (Input.Titles)
	for _, f := range found {
		reportPair(f.first, f.second, f.others, ds)
	}
	s.byPath = now
	return ds.Sorted()
}

// SavedTitles is a TitleState as a cache between processes keeps it (a DiskCache's
// titles file): the titles by path, each as written and folded, and the matching pairs
// as positions in that order (i < j, sorted).
type SavedTitles struct {
	Paths, Titles, Folded []string
	Pairs                 [][2]int32
}

// Save returns the state for a later RestoreTitles.
func (s *TitleState) Save() SavedTitles {
	ts := slices.SortedFunc(maps.Values(s.byPath), func(a, b *title) int { return strings.Compare(a.path, b.path) })
	out := SavedTitles{Paths: make([]string, len(ts)), Titles: make([]string, len(ts)), Folded: make([]string, len(ts))}
	n := 0
	for i, t := range ts {
		out.Paths[i], out.Titles[i], out.Folded[i] = t.path, t.raw, t.folded
		t.pos = i
		n += len(t.near)
	}
	out.Pairs = make([][2]int32, 0, n/2)
	for i, t := range ts {
		from := len(out.Pairs)
		for _, o := range t.near {
			if o.pos > i {
				out.Pairs = append(out.Pairs, [2]int32{int32(i), int32(o.pos)})
			}
		}
		slices.SortFunc(out.Pairs[from:], func(a, b [2]int32) int { return cmp.Compare(a[1], b[1]) })
	}
	return out
}

// RestoreTitles returns the state saved by Save, made by the same program (the caller
// checks that): the titles and pairs are taken as they are (a title is shaped for the
// comparisons only when it is compared). A saved state that does not hold together
// (lengths, positions, order) restores as the empty state.
func RestoreTitles(saved SavedTitles) *TitleState {
	n := len(saved.Paths)
	if len(saved.Titles) != n || len(saved.Folded) != n {
		return &TitleState{}
	}
	all := make([]title, n)
	degree := make([]int32, n)
	last := [2]int32{-1, -1}
	for _, p := range saved.Pairs {
		if p[0] < 0 || p[0] >= p[1] || int(p[1]) >= n || (p[0] < last[0] || p[0] == last[0] && p[1] <= last[1]) {
			return &TitleState{}
		}
		last = p
		degree[p[0]]++
		degree[p[1]]++
	}
	near := make([]*title, 2*len(saved.Pairs))
	s := &TitleState{byPath: make(map[string]*title, n)}
	at := 0
	for i := range all {
		if i > 0 && saved.Paths[i] <= saved.Paths[i-1] || saved.Folded[i] == "" {
			return &TitleState{}
		}
		t := &all[i]
		*t = title{path: saved.Paths[i], raw: saved.Titles[i], folded: saved.Folded[i], n: utf8.RuneCountInString(saved.Folded[i])}
		t.near = near[at : at : at+int(degree[i])] // appended to below, within its room
		at += int(degree[i])
		s.byPath[t.path] = t
	}
	for _, p := range saved.Pairs {
		a, b := &all[p[0]], &all[p[1]]
		a.near = append(a.near, b)
		b.near = append(b.near, a)
	}
	return s
}
