package render

import (
	"html/template"
	"strings"
	"testing"
	"text/template/parse"

	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestUIStringsWrittenIntoTemplates: a T command with constant arguments is the string
// itself in the loaded theme, so no page calls T for it, and every context html/template
// escapes (text, attribute, URL, script, a variable, a nested pipeline, English) gives the
// bytes the same template gives calling T. Once escaped, a constant string printed in text
// or in an attribute is text, not an escaper's call on every page. A key the theme lacks
// still fails the page with T's message, and a layout html/template cannot escape fails
// as it did.
func TestUIStringsWrittenIntoTemplates(t *testing.T) {
	const layout = `<p title="{{ T "x" }}">{{ T "x" }}</p><a href="/{{ T "x" }}">{{ $v := T "x" }}{{ $v }}</a>` +
		`{{ printf "%s!" (T "x") }}{{ if T "x" }}<i>{{ T "x" "en" }}</i>{{ end }}{{ "y" | printf "%s%s" (T "x") }}<script>var s = {{ T "x" }};</script>`
	dir := sitetest.NewSite(t, map[string]string{
		"layouts/page.html":   layout,
		"layouts/search.html": `<p>{{ T "khong-co" }}</p>`,
		"layouts/404.html":    `<a title="{{ T "x" }}`,
		"i18n/vi.toml":        `x = "Tác giả + <b> & \"d\" 'e'"` + "\n",
		"i18n/en.toml":        `x = "Author + <b>"` + "\n",
	})
	th, err := LoadTheme(dir, "mau", nil)
	if err != nil {
		t.Fatal(err)
	}
	var calls int
	for _, tmpl := range th.layouts["page.html"].Templates() {
		if tmpl.Tree == nil {
			continue
		}
		var walk func(n parse.Node)
		walk = func(n parse.Node) {
			switch n := n.(type) {
			case *parse.ListNode:
				if n != nil {
					for _, c := range n.Nodes {
						walk(c)
					}
				}
			case *parse.ActionNode:
				walk(n.Pipe)
			case *parse.IfNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.WithNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.RangeNode:
				walk(n.Pipe)
				walk(n.List)
				walk(n.ElseList)
			case *parse.PipeNode:
				if n != nil {
					for _, c := range n.Cmds {
						walk(c)
					}
				}
			case *parse.CommandNode:
				if id, ok := n.Args[0].(*parse.IdentifierNode); ok && id.Ident == "T" {
					calls++
				}
				for _, a := range n.Args {
					walk(a)
				}
			}
		}
		walk(tmpl.Tree.Root)
	}
	if calls != 0 {
		t.Errorf("page.html still calls T %d times for strings the theme has", calls)
	}

	got, err := th.Execute(&site.Page{Kind: site.KindPage}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ref := template.Must(template.New("page.html").Funcs(template.FuncMap{"T": func(k string, lang ...string) (string, error) {
		if len(lang) > 0 {
			return th.in(k, lang[0])
		}
		return th.strings[k], nil
	}}).Parse(layout))
	var want strings.Builder
	if err := ref.Execute(&want, nil); err != nil {
		t.Fatal(err)
	}
	if string(got) != want.String() {
		t.Errorf("page\n%s\nwant\n%s", got, want.String())
	}
	if !strings.Contains(string(got), "Tác giả &#43; &lt;b&gt; &amp; &#34;d&#34; &#39;e&#39;") {
		t.Errorf("the string is not escaped as text: %s", got)
	}

	// Rendered once (html/template escapes at the latest then), no action prints a
	// constant string through an escaper any more: each is text.
	printed := 0
	for _, tmpl := range th.layouts["page.html"].Templates() {
		if tmpl.Tree == nil {
			continue
		}
		var walk func(n parse.Node)
		walk = func(n parse.Node) {
			switch n := n.(type) {
			case *parse.ListNode:
				if n != nil {
					for _, c := range n.Nodes {
						if a, ok := c.(*parse.ActionNode); ok {
							if _, ok := printedString(a); ok {
								printed++
							}
						}
						walk(c)
					}
				}
			case *parse.IfNode:
				walk(n.List)
				walk(n.ElseList)
			}
		}
		walk(tmpl.Tree.Root)
	}
	if printed != 0 {
		t.Errorf("page.html prints %d constant strings through an escaper on every page", printed)
	}

	// A layout html/template cannot escape fails when a page needs it, as before.
	if _, err := th.Execute(&site.Page{Kind: site.KindNotFound}, nil); err == nil || !strings.Contains(err.Error(), "mẫu kết thúc giữa một thẻ, một thuộc tính") {
		t.Errorf("a layout ending inside an attribute: error %v", err)
	}

	_, err = th.Execute(&site.Page{Kind: site.KindSearch}, nil)
	if err == nil || !strings.Contains(err.Error(), `thiếu chữ giao diện "khong-co"`) || !strings.Contains(err.Error(), `search.html:1:7: tại {{ T "khong-co" }}: hàm T báo lỗi: `) {
		t.Errorf("a missing key: error %v, want T's message at search.html:1:7 (1-based, in characters)", err)
	}
}
