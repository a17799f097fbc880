package render

import (
	"strings"

	"github.com/vnportal/portal/internal/site"
)

// MenuItem is one link of the main navigation as partials/nav.html shows it on a page.
type MenuItem struct {
	URL, Name string
	// Current is the link's aria-current on this page: "page" for the page itself, "true" for
	// a page inside the link's part of the site (a section, a taxonomy, a folder), "" otherwise.
	Current string
}

// menu is the main navigation of a page (the template function `menu`): the site's
// [[menu]] entries, then the legal-document library when the site has documents and the
// menu does not link it (named by the UI string "library"). A site without a menu has no
// navigation (nil). Computing it in Go replaces a dozen template calls per link and page.
func (r *Renderer) menu(p *site.Page) ([]MenuItem, error) {
	items := r.site.Menu
	if len(items) == 0 {
		return nil, nil
	}
	url := p.URL
	var sec, tax string
	if p.Section != nil {
		sec = p.Section.URL
	}
	if p.Taxonomy != nil {
		tax = p.Taxonomy.URL
	}
	out := make([]MenuItem, 0, len(items)+1)
	for _, m := range items {
		cur := ""
		if m.URL == url {
			cur = "page"
		} else if m.URL != "/" && (m.URL == sec || m.URL == tax || within(url, m.URL)) {
			cur = "true"
		}
		out = append(out, MenuItem{URL: m.URL, Name: m.Name, Current: cur})
	}
	if lib := r.library(); lib != "" {
		name, err := r.theme.T("library")
		if err != nil {
			return nil, err
		}
		cur := ""
		if lib == url {
			cur = "page"
		} else if within(url, lib) {
			cur = "true"
		}
		out = append(out, MenuItem{URL: lib, Name: name, Current: cur})
	}
	return out, nil
}

// library is the library's address when the navigation adds it: the site has documents
// and no menu entry links the library.
func (r *Renderer) library() string {
	g := r.site.Graph
	if g == nil || g.Library == nil || len(g.Library.Documents) == 0 {
		return ""
	}
	for _, m := range r.site.Menu {
		if m.URL == g.Library.URL {
			return ""
		}
	}
	return g.Library.URL
}

// within reports whether url is below prefix (longer and starting with it).
func within(url, prefix string) bool {
	return len(url) > len(prefix) && strings.HasPrefix(url, prefix)
}

// menuState is what of the navigation differs between pages: each link's aria-current,
// the key by which header.html caches partials/nav.html (the template function `menustate`).
func (r *Renderer) menuState(p *site.Page) (string, error) {
	items, err := r.menu(p)
	if err != nil {
		return "", err
	}
	b := make([]byte, 0, len(items))
	for _, m := range items {
		switch m.Current {
		case "page":
			b = append(b, 'p')
		case "true":
			b = append(b, 't')
		default:
			b = append(b, '-')
		}
	}
	return string(b), nil
}
