package render_test

import (
	"bytes"
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
	"github.com/vnportal/portal/internal/vietnamese"
)

// TestCompiledLayoutsMatchTextTemplate: every layout of the default theme, executed by
// the compiled executor and by text/template on every page of the repository's sample
// site, gives the same bytes (or both fail), partials included (each renderer renders its
// own cards). The sample site's pages reach the compiled layouts through every kind.
func TestCompiledLayoutsMatchTextTemplate(t *testing.T) {
	g, compiled, text := sampleRenderers(t)
	names := render.CompiledLayouts(compiled)
	if len(names) < 30 {
		t.Fatalf("only %d layouts and partials compiled: %v", len(names), names)
	}
	layouts := render.Layouts(compiled)
	slices.Sort(layouts)
	rendered := map[string]int{}
	for _, name := range layouts {
		for _, p := range g.Pages {
			a, errA := render.ExecuteLayout(compiled, name, p)
			b, errB := render.ExecuteLayout(text, name, p)
			if (errA == nil) != (errB == nil) || errA != nil && errA.Error() != errB.Error() {
				t.Fatalf("%s %s: compiled error %v, text/template error %v", name, p.URL, errA, errB)
			}
			if !bytes.Equal(a, b) {
				t.Fatalf("%s %s: the compiled executor's page differs from text/template's\n--- compiled\n%s\n--- text/template\n%s", name, p.URL, a, b)
			}
			if errA == nil {
				rendered[name]++
			}
		}
	}
	for _, name := range layouts {
		if names[name] && rendered[name] == 0 {
			t.Errorf("compiled layout %s rendered no page of the sample site", name)
		}
	}
	t.Logf("%d layouts, %d pages; rendered per layout: %v", len(layouts), len(g.Pages), rendered)
}

// sampleRenderers loads the repository's sample site and makes two renderers of it: the
// compiled executor's, and one that runs text/template only.
func sampleRenderers(t *testing.T) (g *site.Graph, compiled, text *render.Renderer) {
	t.Helper()
	root := sitetest.RepoRoot(t)
	var ds diag.List
	l, err := build.Load(context.Background(), build.Options{SiteDir: root, NoSearch: true, Cache: build.NewMemoryCache(),
		Now: time.Date(2026, 11, 1, 0, 0, 0, 0, vietnamese.Location())}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	static, err := render.StaticFiles(root, l.Config.Theme)
	if err != nil {
		t.Fatal(err)
	}
	assets := publish.Assets{}
	for _, f := range static {
		if publish.IsAsset(f.Rel) {
			assets[f.Rel] = publish.Asset{URL: "/" + f.Rel + "?v", Integrity: "sha256-" + f.Rel}
		}
	}
	opts := render.Options{SiteDir: root, Config: l.Config, Graph: l.Graph, Assets: assets}
	compiled, err = render.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	text, err = render.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	render.TextTemplateOnly(text)
	return l.Graph, compiled, text
}
