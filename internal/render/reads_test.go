package render

import (
	"testing"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestDefaultThemeReads: what each layout of the default theme shows of the site's
// structure. An article's page shows only the library link of the menu (whether the site
// has documents), so a new article does not render every article's page again; the home
// page shows the sections' and provinces' counts; a term's page its own term's count.
func TestDefaultThemeReads(t *testing.T) {
	r, err := New(Options{SiteDir: t.TempDir(), Config: config.Default()})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]Reads{
		"article.html":            ReadsLibrary,
		"section.html":            ReadsLibrary,
		"page.html":               ReadsLibrary,
		"home.html":               ReadsSections | ReadsTaxonomies | ReadsLibrary,
		"archive.html":            ReadsSections | ReadsYears | ReadsLibrary,
		"term.html":               ReadsOwnTerm | ReadsLibrary,
		"term-provinces.html":     ReadsOwnTerm | ReadsLibrary,
		"year.html":               ReadsOwnYear | ReadsLibrary,
		"taxonomy.html":           ReadsOwnTaxonomy | ReadsLibrary,
		"taxonomy-provinces.html": ReadsOwnTaxonomy | ReadsLibrary,
		"library.html":            ReadsLibrary,
		// The search page's .Search is an interface: its Total and Facets could be anything.
		"search.html": ReadsAll,
	}
	for name, w := range want {
		if got := r.theme.reads[name]; got != w {
			t.Errorf("%s reads %q, want %q", name, got, w)
		}
	}
	feed := &site.Page{Kind: site.KindFeed}
	if got := r.Reads(feed); got != 0 {
		t.Errorf("a feed reads %q, want nothing", got)
	}
}

// TestReadsFollowsTemplates: the analysis follows dot through with, range, variables,
// dict, {{ template }} and partialCached, tells the page's own term from any term, and
// counts a structural name read from a value of unknown type as reading everything.
func TestReadsFollowsTemplates(t *testing.T) {
	cases := []struct {
		name, layout, partial string
		want                  Reads
	}{
		{"nothing", `{{ .Page.Title }}{{ with .Page.Article }}{{ .Title }}{{ range .Terms }}{{ range .Terms }}{{ .Name }}{{ end }}{{ end }}{{ end }}`, ``, 0},
		{"own term", `{{ with .Page.Term }}{{ .Count }}{{ end }}`, ``, ReadsOwnTerm},
		{"an article's term", `{{ range .Page.Article.Terms }}{{ range .Terms }}{{ .Count }}{{ end }}{{ end }}`, ``, ReadsTaxonomies},
		{"own taxonomy's terms", `{{ range .Page.Taxonomy.Terms }}{{ .Total }}{{ end }}`, ``, ReadsOwnTaxonomy},
		{"own term's articles lead out", `{{ range .Page.Term.Articles }}{{ .Section.Articles }}{{ end }}`, ``, ReadsOwnTerm | ReadsSections},
		{"variable", `{{ $g := .Site.Graph }}{{ range $g.Years }}{{ len .Articles }}{{ end }}`, ``, ReadsYears},
		{"root variable", `{{ with .Page.Article }}{{ $.Site.Graph.Standalone }}{{ end }}`, ``, ReadsStandalone},
		{"method with argument", `{{ with .Site.Graph.Taxonomy "tags" }}{{ .URL }}{{ end }}`, ``, ReadsTaxonomies},
		{"template with dict", `{{ template "partials/p.html" (dict "g" .Site.Graph) }}`, `{{ range .g.Sections }}{{ .Title }}{{ end }}`, ReadsSections},
		{"partialCached", `{{ partialCached "partials/p.html" . "x" }}`, `{{ .Site.Graph.Articles }}`, ReadsLatest},
		{"partialCached by a computed name", `{{ partialCached (print "partials/" "p.html") . }}`, ``, ReadsAll},
		{"unknown type, structural name", `{{ with index .Site.Params "x" }}{{ .Terms }}{{ end }}`, ``, ReadsAll},
		{"unknown type, other name", `{{ with index .Site.Params "x" }}{{ .Title }}{{ end }}`, ``, 0},
		{"reassigned variable", `{{ $v := .Page.Article }}{{ $v = index .Site.Params "x" }}{{ $v.Articles }}`, ``, ReadsAll},
		{"other pages", `{{ range .Site.Graph.Pages }}{{ .Title }}{{ end }}`, ``, ReadsAll},
		{"pipeline", `{{ .Site.Graph | print }}{{ .Site.Graph.Library | print }}`, ``, ReadsLibrary},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"layouts/page.html": c.layout}
			if c.partial != "" {
				files["layouts/partials/p.html"] = c.partial
			}
			sitetest.WriteFiles(t, dir, files)
			r, err := New(Options{SiteDir: dir, Config: config.Config{Theme: "khong-co"}})
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Reads(&site.Page{Kind: site.KindPage}); got != c.want {
				t.Errorf("%s: reads %q, want %q", c.layout, got, c.want)
			}
		})
	}
}

// TestEveryTemplateFuncDeclaresItsReads: the analysis cannot see into a Go function, so
// each one a template may call says what of the site's structure it reads (funcReads);
// a new function left out would count as reading everything, and one reading the graph
// unlisted would leave pages stale.
func TestEveryTemplateFuncDeclaresItsReads(t *testing.T) {
	r, err := New(Options{SiteDir: t.TempDir(), Config: config.Default()})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"T"}
	for name := range r.funcs() {
		names = append(names, name)
	}
	for _, name := range names {
		if _, known := funcReads(name); !known {
			t.Errorf("template function %q is not classified in funcReads", name)
		}
	}
	if _, known := funcReads("khong-co"); known {
		t.Error("funcReads classifies a function that does not exist")
	}
}
