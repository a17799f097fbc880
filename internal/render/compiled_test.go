package render

import (
	"bytes"
	"html/template"
	"reflect"
	"strings"
	"testing"
	"text/template/parse"
	"time"

	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestCompiledFallsBack: a layout with a construct the compiled executor lacks (printf,
// a function of text/template it does not copy) is not compiled and renders with
// text/template; a compiled layout that meets a value it leaves to text/template at run
// time (a range over an integer) renders the whole page with text/template: both give
// text/template's bytes.
func TestCompiledFallsBack(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"layouts/page.html":   `<p>{{ printf "%d-%s" 3 .Page.Title }}</p>`,
		"layouts/list.html":   `<p title="{{ .Page.Title }}">{{ .Page.Title }}{{ range $i := len .Page.Title }}{{ $i }}{{ end }}</p>`,
		"layouts/single.html": `<p title="{{ .Page.Title }}">{{ .Page.Title }}</p>`,
	})
	th, err := LoadTheme(dir, "mau", nil)
	if err != nil {
		t.Fatal(err)
	}
	if th.compiled["page.html"] != nil {
		t.Error("page.html (printf) was compiled")
	}
	if th.compiled["list.html"] == nil || th.compiled["single.html"] == nil {
		t.Fatalf("list.html and single.html were not compiled: %v", th.compiled)
	}
	for _, p := range []*site.Page{
		{Kind: site.KindPage, Title: "A & <b>"},
		{Kind: site.KindHome, Title: "a<b"},
		{Kind: site.KindArticle, Title: "A & <b>"},
	} {
		data := Data{Page: p}
		got, err := th.Execute(p, data)
		if err != nil {
			t.Fatal(err)
		}
		name := LayoutFor(p)
		var want bytes.Buffer
		for _, n := range name {
			if l, ok := th.layouts[n]; ok {
				if err := l.ExecuteTemplate(&want, n, data); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		if string(got) != want.String() {
			t.Errorf("%s: got %q, text/template %q", p.Kind, got, want.String())
		}
	}
	// The range over an integer fails in the compiled executor itself.
	p := &site.Page{Kind: site.KindHome, Title: "abc"}
	if err := th.compiled["list.html"].execute(new(bytes.Buffer), Data{Page: p}); err == nil {
		t.Error("the compiled executor ranged over an integer")
	}
}

type stringer struct{ s string }

func (s stringer) String() string { return "<" + s.s + ">" }

// escaperContexts are templates of one action in each context the default theme
// prints values in.
var escaperContexts = []string{
	`{{ . }}`,
	`<a title="{{ . }}">`,
	`<a href="{{ . }}">`,
	`<a href="/tim-kiem/?q={{ . }}">`,
	`<img srcset="{{ . }}">`,
	`<textarea>{{ . }}</textarea>`,
	`<title>{{ . }}</title>`,
	`<script>var x = {{ . }};</script>`,
}

// checkEscapers compares, for v in every context, html/template's output with the
// compiled executor's copies of the escapers html/template put in the action.
func checkEscapers(t *testing.T, refs *escaperRefs, v any) {
	t.Helper()
	for _, src := range escaperContexts {
		tmpl := template.Must(template.New("").Parse(src))
		var want strings.Builder
		if err := tmpl.Execute(&want, v); err != nil {
			t.Fatal(err)
		}
		var got strings.Builder
		for _, n := range tmpl.Tree.Root.Nodes {
			switch n := n.(type) {
			case *parse.TextNode:
				got.Write(n.Text)
			case *parse.ActionNode:
				var arg any = v
				for _, c := range n.Pipe.Cmds[1:] {
					name := c.Args[0].(*parse.IdentifierNode).Ident
					e, ok := refs.escaperFor(name)
					if !ok {
						t.Fatalf("%s: no copy of %s", src, name)
					}
					if typ := typedEscaperFor(name); typ != nil && arg != nil && reflect.TypeOf(arg) == typ {
						if got, want := reflect.ValueOf(arg).String(), e(arg); got != want {
							t.Errorf("%s of %#v: passed as it is %q, the copy gives %q", name, arg, got, want)
						}
					}
					if str, ok := arg.(string); ok {
						if se := stringEscaperFor(name); se != nil {
							if got, want := se(str), e(arg); got != want {
								t.Errorf("%s of %q: the string copy gives %q, the copy %q", name, str, got, want)
							}
						}
					}
					arg = e(arg)
				}
				got.WriteString(arg.(string))
			}
		}
		if got.String() != want.String() {
			t.Errorf("%s with %#v: copies give %q, html/template %q", src, v, got.String(), want.String())
		}
	}
}

// TestEscapersMatchHTMLTemplate: the escapers' copies (escapers.go) give html/template's
// bytes for the kinds of values layouts print, in every context.
func TestEscapersMatchHTMLTemplate(t *testing.T) {
	refs, err := newEscaperRefs()
	if err != nil {
		t.Fatal(err)
	}
	s := `Hà Nội <b> & "x" 'y' + \x00 javascript:alert(1) a,b 1x`
	for _, v := range []any{
		"", "plain", s, "https://example.vn/a b?c=d&e=ệ#f", "javascript:alert(1)", "/a,b 2x, /c 1x", "mailto:x@y.vn",
		"%zz%41", "\ufdd0\uffff", "\xff<\xc3(>\xe1\x80&\xed\xa0\x80\"\xf4\x90\x80\x80'+\x00\xc3",
		template.HTML(`<b title="1>2">Đậm</b> &amp; <script>x</script> <3`), template.HTML(s),
		template.URL("javascript:ok()"), template.URL("/a b,c"), template.JS(`{"a":"<b>"}`), template.JSStr(`a"b`),
		template.HTMLAttr(`title="x"`), template.Srcset("/a.jpg 1x"), template.CSS("a{}"),
		42, 3.5, true, nil, &s, stringer{"x & y"}, time.Duration(90) * time.Second, []string{"a", "<b>"},
		map[string]any{"k": "<v>"},
	} {
		checkEscapers(t, refs, v)
	}
}

// FuzzEscapers compares the copies with html/template on strings, HTML and URLs.
func FuzzEscapers(f *testing.F) {
	for _, s := range []string{"", "a<b>&\"'+", "javascript:x", "/a b,c 1x, d 2w", "%41%zz", "\x00\ufdd0", "<b>x</b> <3", "\xff<\xc3(>\xe1\x80&"} {
		f.Add(s)
	}
	refs, err := newEscaperRefs()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkEscapers(t, refs, s)
		checkEscapers(t, refs, template.HTML(s))
		checkEscapers(t, refs, template.URL(s))
	})
}

// TestCompiledCallsWithoutReflect: the theme's methods and functions of the signatures
// directMethod and directCall know (a page's function, a time's, IsZero, a term's Count,
// a pager's Window, an article's LinkedLead) are called without reflect.Value.Call, which
// allocates its results: a layout calling them allocates no more than one that does not
// (call22). Both give text/template's bytes.
func TestCompiledCallsWithoutReflect(t *testing.T) {
	funcs := template.FuncMap{
		"state": func(p *site.Page) (string, error) { return "", nil },
		"iso":   func(t time.Time) string { return "" },
	}
	dir := sitetest.NewSite(t, map[string]string{
		"layouts/single.html": `<p>{{ if .Page.Title }}t{{ end }}</p>`,
		"layouts/list.html": `<p>{{ if .Page.Title }}t{{ end }}{{ if .Page.Lastmod.IsZero }}z{{ end }}` +
			`{{ with .Page.Term }}{{ if .Count }}c{{ end }}{{ end }}{{ with .Page.Pager }}{{ if .Window }}w{{ end }}{{ end }}` +
			`{{ with .Page.Article }}{{ if .LinkedLead }}l{{ end }}{{ end }}</p>`,
		"layouts/page.html": `<p>{{ if .Page.Title }}t{{ end }}{{ if state .Page }}s{{ end }}{{ if iso .Page.Lastmod }}i{{ end }}</p>`,
	})
	th, err := LoadTheme(dir, "mau", funcs)
	if err != nil {
		t.Fatal(err)
	}
	p := &site.Page{Kind: site.KindHome, Title: "T", Term: &site.Term{}, Pager: &site.Pager{}, Article: &site.Article{}}
	allocs := map[string]float64{}
	for _, name := range []string{"single.html", "list.html", "page.html"} {
		e := th.compiled[name]
		if e == nil {
			t.Fatalf("%s was not compiled", name)
		}
		var b bytes.Buffer
		data := Data{Page: p}
		allocs[name] = testing.AllocsPerRun(100, func() {
			b.Reset()
			if err := e.execute(&b, data); err != nil {
				t.Fatal(err)
			}
		})
		var want bytes.Buffer
		if err := th.layouts[name].ExecuteTemplate(&want, name, data); err != nil {
			t.Fatal(err)
		}
		if b.String() != want.String() {
			t.Errorf("%s: compiled %q, text/template %q", name, b.String(), want.String())
		}
	}
	for _, name := range []string{"list.html", "page.html"} {
		if allocs[name] > allocs["single.html"] {
			t.Errorf("%s: %v allocations per execution, %v without its calls: reflective calls", name, allocs[name], allocs["single.html"])
		}
	}
	// The same with values: the calls' results reach the page.
	lm := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	p = &site.Page{Kind: site.KindHome, Title: "T", Lastmod: lm, Term: &site.Term{Articles: []*site.Article{{}}},
		Pager: &site.Pager{Number: 1, Total: 2, URLs: []string{"/a/", "/b/"}}, Article: &site.Article{Lead: "<b>x</b>"}}
	for _, name := range []string{"list.html", "page.html"} {
		var got, want bytes.Buffer
		if err := th.compiled[name].execute(&got, Data{Page: p}); err != nil {
			t.Fatal(err)
		}
		if err := th.layouts[name].ExecuteTemplate(&want, name, Data{Page: p}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Errorf("%s: compiled %q, text/template %q", name, got.String(), want.String())
		}
	}
}

// TestCompiledFramesDoNotAllocate: a {{ template }} call's variables and a function's
// arguments are pushed on the execution's stack, not allocated per call (call22): a
// layout calling a partial three times allocates no more than one printing the same.
func TestCompiledFramesDoNotAllocate(t *testing.T) {
	funcs := template.FuncMap{"two": func(a, b int) int { return a + b }}
	dir := sitetest.NewSite(t, map[string]string{
		"layouts/partials/x.html": `{{ $t := .Title }}{{ if $t }}{{ if two 1 2 }}a{{ end }}{{ end }}`,
		"layouts/single.html":     `<p>{{ if .Page.Title }}a{{ end }}{{ if .Page.Title }}a{{ end }}{{ if .Page.Title }}a{{ end }}</p>`,
		"layouts/list.html":       `<p>{{ template "partials/x.html" .Page }}{{ template "partials/x.html" .Page }}{{ template "partials/x.html" .Page }}</p>`,
	})
	th, err := LoadTheme(dir, "mau", funcs)
	if err != nil {
		t.Fatal(err)
	}
	p := &site.Page{Kind: site.KindHome, Title: "T"}
	allocs := map[string]float64{}
	out := map[string]string{}
	for _, name := range []string{"single.html", "list.html"} {
		e := th.compiled[name]
		if e == nil {
			t.Fatalf("%s was not compiled", name)
		}
		var b bytes.Buffer
		allocs[name] = testing.AllocsPerRun(100, func() {
			b.Reset()
			if err := e.execute(&b, Data{Page: p}); err != nil {
				t.Fatal(err)
			}
		})
		out[name] = b.String()
	}
	if out["list.html"] != out["single.html"] {
		t.Errorf("list.html printed %q, single.html %q", out["list.html"], out["single.html"])
	}
	if allocs["list.html"] > allocs["single.html"] {
		t.Errorf("three template calls: %v allocations per execution, %v without them", allocs["list.html"], allocs["single.html"])
	}
}

// TestCompiledEscapesStringsWithoutBoxing: a string printed in text, an attribute or a
// URL goes through the escapers' string copies (stringEscaperFor), and template.HTML in
// text is printed as it is (typedEscaperFor), neither boxed in an interface, which copies
// a field's string to the heap (call22): a layout printing four allocates no more than
// one printing none. Both give text/template's bytes.
func TestCompiledEscapesStringsWithoutBoxing(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"layouts/single.html": `<p title="T"><a href="/a/">T</a></p>`,
		"layouts/list.html":   `<p title="{{ .Page.Title }}"><a href="{{ .Page.URL }}">{{ .Page.Title }}</a>{{ .Page.Article.Lead }}</p>`,
	})
	th, err := LoadTheme(dir, "mau", nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &site.Page{Kind: site.KindHome, Title: "T", URL: "/a/", Article: &site.Article{}}
	allocs := map[string]float64{}
	for _, name := range []string{"single.html", "list.html"} {
		e := th.compiled[name]
		if e == nil {
			t.Fatalf("%s was not compiled", name)
		}
		var b bytes.Buffer
		allocs[name] = testing.AllocsPerRun(100, func() {
			b.Reset()
			if err := e.execute(&b, Data{Page: p}); err != nil {
				t.Fatal(err)
			}
		})
		var want bytes.Buffer
		if err := th.layouts[name].ExecuteTemplate(&want, name, Data{Page: p}); err != nil {
			t.Fatal(err)
		}
		if b.String() != want.String() {
			t.Errorf("%s: compiled %q, text/template %q", name, b.String(), want.String())
		}
	}
	if allocs["list.html"] > allocs["single.html"] {
		t.Errorf("three strings printed: %v allocations per execution, %v without them", allocs["list.html"], allocs["single.html"])
	}
}
