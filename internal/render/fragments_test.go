package render_test

import (
	"bytes"
	"testing"

	"github.com/vnportal/portal/internal/site"
)

// TestRenderFragmentsFindsCachedPartials: on the sample site's pages, RenderFragments
// gives the page RenderTo gives and, in order, where each partialCached fragment printed
// in HTML text lies: the site header and footer on every page, an article's related
// items, a list's cards. text/template (the layouts the compiled executor does not
// take) says nothing.
func TestRenderFragmentsFindsCachedPartials(t *testing.T) {
	g, r, text := sampleRenderers(t)
	starts := map[string]int{}
	pages, withSpans := 0, 0
	for _, p := range g.Pages {
		if p.Kind == site.KindFeed || p.Kind == site.KindSitemap || p.Kind == site.KindRobots || p.Kind == site.KindAlias || p.Kind == site.KindSitemapIndex {
			continue
		}
		pages++
		b, spans, err := r.RenderFragments(nil, p)
		if err != nil {
			t.Fatal(err)
		}
		want, err := r.Render(p)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b, want) {
			t.Fatalf("%s: RenderFragments' page is not Render's", p.URL)
		}
		last, header, footer := 0, false, false
		for _, sp := range spans {
			if sp.Start < last || sp.End <= sp.Start || sp.End > len(b) {
				t.Fatalf("%s: span %v after %d in %d bytes", p.URL, sp, last, len(b))
			}
			f := bytes.TrimSpace(b[sp.Start:sp.End])
			switch {
			case bytes.HasPrefix(f, []byte(`<header class="site-header"`)) && bytes.HasSuffix(f, []byte("</header>")):
				header = true
				starts["header"]++
			case bytes.HasPrefix(f, []byte(`<footer class="site-footer"`)) && bytes.HasSuffix(f, []byte("</footer>")):
				footer = true
				starts["footer"]++
			case bytes.HasPrefix(f, []byte(`<article class="card`)) && bytes.HasSuffix(f, []byte("</article>")):
				starts["card"]++
			case bytes.HasPrefix(f, []byte(`<a href="`)) && bytes.HasSuffix(f, []byte("</span>")) && bytes.HasPrefix(b[sp.Start-4:], []byte("<li>")):
				starts["related"]++
			case bytes.HasPrefix(f, []byte(`<link rel="stylesheet"`)):
				starts["head-assets"]++
			case bytes.HasPrefix(f, []byte(`<aside class="home-aside"`)):
				starts["home-aside"]++
			default:
				t.Errorf("%s: span %v is not a cached partial's output: %.80q", p.URL, sp, f)
			}
			last = sp.End
		}
		if len(spans) > 0 {
			withSpans++
		}
		if len(spans) > 0 && (!header || !footer) {
			t.Errorf("%s: header %v, footer %v among %d spans", p.URL, header, footer, len(spans))
		}
		if _, spans, err := text.RenderFragments(nil, p); err != nil || spans != nil {
			t.Errorf("%s: text/template gave spans %v (%v)", p.URL, spans, err)
		}
	}
	for _, k := range []string{"header", "footer", "card", "related", "head-assets"} {
		if starts[k] == 0 {
			t.Errorf("no %s fragment found: %v", k, starts)
		}
	}
	if withSpans < pages/2 {
		t.Errorf("%d of %d pages with fragments", withSpans, pages)
	}
	t.Logf("%d of %d pages with fragments (the others' layouts are text/template's); fragments: %v", withSpans, pages, starts)
}
