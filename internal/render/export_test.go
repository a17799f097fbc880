package render

import "github.com/vnportal/portal/internal/site"

// For the tests of package render_test (compiled_site_test.go).

// CompiledLayouts are the layouts and partials r's theme runs compiled.
func CompiledLayouts(r *Renderer) map[string]bool {
	out := map[string]bool{}
	for n := range r.theme.compiled {
		out[n] = true
	}
	return out
}

// TextTemplateOnly has r's theme execute every layout and partial with text/template.
func TextTemplateOnly(r *Renderer) { r.theme.compiled = nil }

// ExecuteLayout renders page p with layout name, as ExecuteTo does with the layout it picks.
func ExecuteLayout(r *Renderer, name string, p *site.Page) ([]byte, error) {
	tmpl, ok := r.theme.layouts[name]
	if !ok {
		return nil, nil
	}
	b, _, err := r.theme.executeLayout(nil, name, tmpl, Data{Site: r.site, Page: p})
	return b, err
}

// Layouts are the names of r's theme's layouts.
func Layouts(r *Renderer) []string {
	var out []string
	for n := range r.theme.layouts {
		out = append(out, n)
	}
	return out
}
