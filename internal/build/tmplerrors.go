package build

import (
	"cmp"
	"errors"
	"slices"
	"sync"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/render"
)

// templateFailures gathers the template errors of a build's pages: one diagnostic per
// place and cause, saying how many pages met it and the first of them by address,
// instead of the same line for every page (a mistake in a partial fails every article
// that shows it). Safe for the rendering goroutines.
type templateFailures struct {
	mu    sync.Mutex
	byKey map[string]*templateFailure
}

type templateFailure struct {
	err   *render.TemplateError
	pages int
	first string // the smallest address among the pages, so that the report is stable
}

// add records that the page at url failed with err and reports whether err was a
// template error (the others are the caller's).
func (f *templateFailures) add(url string, err error) bool {
	var te *render.TemplateError
	if !errors.As(err, &te) {
		return false
	}
	key := te.Error()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.byKey == nil {
		f.byKey = map[string]*templateFailure{}
	}
	g, ok := f.byKey[key]
	if !ok {
		g = &templateFailure{err: te, first: url}
		f.byKey[key] = g
	}
	g.pages++
	g.first = min(g.first, url)
	return true
}

// any reports whether a page failed with a template error.
func (f *templateFailures) any() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.byKey) > 0
}

// diagnostics are the errors gathered, by place.
func (f *templateFailures) diagnostics() []diag.Diagnostic {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]diag.Diagnostic, 0, len(f.byKey))
	for _, g := range f.byKey {
		e := g.err
		if g.pages == 1 {
			out = append(out, diag.Errorf(e.Path, e.Line, e.Col, render.CodeTheme, "%v; ở trang %s", e.Text(), g.first))
		} else {
			out = append(out, diag.Errorf(e.Path, e.Line, e.Col, render.CodeTheme, "%v; ở %d trang, trang đầu là %s", e.Text(), g.pages, g.first))
		}
	}
	slices.SortFunc(out, func(a, b diag.Diagnostic) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Col, b.Col), cmp.Compare(a.Message, b.Message))
	})
	return out
}
