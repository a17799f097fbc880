package render

import (
	"encoding/json"
	"html/template"
	"net/url"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/twogen"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Renderer renders the pages of one site build. It is safe for concurrent use.
type Renderer struct {
	theme *Theme
	cfg   config.Config
	site  *SiteData
	frags twogen.Cache[template.HTML] // partialCached's fragments (cached.go)
	// orgLD is the site's organization as JSON-LD, the publisher of every page (jsonld.go).
	orgLD json.RawMessage
	// feedText escapes the feeds' descriptions (feedHTMLText).
	feedText *strings.Replacer
}

// SiteData is what every template sees as .Site.
type SiteData struct {
	Title        string
	Description  string
	BaseURL      string
	LanguageCode string
	Organization config.Organization
	Menu         []config.MenuItem
	Params       map[string]any
	Graph        *site.Graph
	Assets       publish.Assets
	// Preview is true in `portal preview`: templates show draft banners and the live-reload script.
	Preview bool
	// LiveReloadURL is the script the preview server injects ("" outside preview).
	LiveReloadURL string
}

// Data is the value templates execute with.
type Data struct {
	Site *SiteData
	Page *site.Page
	// Search is set on search result pages rendered by the server.
	Search any
}

// Options configure a Renderer.
type Options struct {
	SiteDir       string
	Config        config.Config
	Graph         *site.Graph
	Assets        publish.Assets
	Preview       bool
	LiveReloadURL string
}

// New parses the theme and prepares a renderer.
func New(opts Options) (*Renderer, error) {
	r := &Renderer{cfg: opts.Config, feedText: feedHTMLText()}
	r.frags.Reset(maxFragmentBytes)
	r.site = &SiteData{
		Title: opts.Config.Title, Description: opts.Config.Description, BaseURL: opts.Config.BaseURL,
		LanguageCode: opts.Config.LanguageCode, Organization: opts.Config.Organization, Menu: opts.Config.Menu,
		Params: opts.Config.Params, Graph: opts.Graph, Assets: opts.Assets, Preview: opts.Preview,
		LiveReloadURL: opts.LiveReloadURL,
	}
	org, err := json.Marshal(organizationLD(opts.Config, false, false))
	if err != nil {
		return nil, err
	}
	r.orgLD = org
	th, err := LoadTheme(opts.SiteDir, opts.Config.Theme, r.funcs())
	if err != nil {
		return nil, err
	}
	r.theme = th
	return r, nil
}

// Theme returns the parsed theme.
func (r *Renderer) Theme() *Theme { return r.theme }

// Render produces the bytes of one page.
func (r *Renderer) Render(p *site.Page) ([]byte, error) {
	return r.RenderTo(nil, p)
}

// RenderTo is Render writing the page into dst's memory (from its start, whatever dst
// holds) when it fits: a caller that renders page after page passes the buffer of a page
// it no longer needs (build.renderPages). robots.txt and redirects come in their own
// memory.
func (r *Renderer) RenderTo(dst []byte, p *site.Page) ([]byte, error) {
	b, _, err := r.RenderFragments(dst, p)
	return b, err
}

// RenderFragments is RenderTo, with where the page holds the fragments partialCached
// printed as they are in HTML text, in order (publish.File's Fragments): the same
// bytes on many pages, which the Writer minifies once. None for a page text/template
// rendered, nor for feeds, sitemaps, robots.txt and redirects.
func (r *Renderer) RenderFragments(dst []byte, p *site.Page) ([]byte, []publish.Span, error) {
	switch p.Kind {
	case site.KindFeed:
		b, err := r.feed(dst, p)
		return b, nil, err
	case site.KindSitemap:
		return sitemapXML(dst, p.Sitemap, false), nil, nil
	case site.KindSitemapIndex:
		return sitemapXML(dst, p.Sitemap, true), nil, nil
	case site.KindRobots:
		return r.robots(), nil, nil
	case site.KindAlias:
		return r.alias(p), nil, nil
	}
	return r.theme.executeFragments(dst, p, Data{Site: r.site, Page: p})
}

// RenderWith executes a page's layout with extra data (the server's search results).
func (r *Renderer) RenderWith(p *site.Page, search any) ([]byte, error) {
	return r.theme.Execute(p, Data{Site: r.site, Page: p, Search: search})
}

func (r *Renderer) abs(u string) string {
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		return u
	}
	return strings.TrimSuffix(r.cfg.BaseURL, "/") + "/" + strings.TrimPrefix(u, "/")
}

func (r *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"date":     vietnamese.FormatDate,
		"datetime": vietnamese.FormatDateTime,
		"shortdate": func(t time.Time) string {
			return vietnamese.ShortDate(t)
		},
		"iso": func(t time.Time) string { return t.Format(time.RFC3339) },
		"abs": r.abs,
		"asset": func(name string) (string, error) {
			a, ok := r.site.Assets[name]
			if !ok {
				return "", message.Errorf("không có tệp %q trong static/ (hàm asset của mẫu giao diện)", name)
			}
			return a.URL, nil
		},
		"integrity": func(name string) string { return r.site.Assets[name].Integrity },
		"jsonld":    r.jsonLD,
		"add":       func(a, b int) int { return a + b },
		"urlquery":  url.QueryEscape,
		"slug":      vietnamese.Slug,
		"year":      func(t time.Time) int { return t.In(vietnamese.Location()).Year() },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, message.Errorf("dict cần từng cặp khoá, giá trị: số đối số phải chẵn, ví dụ dict \"tieuDe\" .Title \"url\" .URL")
			}
			m := map[string]any{}
			for i := 0; i < len(kv); i += 2 {
				k, ok := kv[i].(string)
				if !ok {
					return nil, message.Errorf("khoá của dict phải là chuỗi trong dấu ngoặc kép, ví dụ dict \"tieuDe\" .Title")
				}
				m[k] = kv[i+1]
			}
			return m, nil
		},
		"itoa":          itoa,
		"partialCached": r.partialCached,
		"menu":          r.menu,
		"menustate":     r.menuState,
		// tel: a phone number as a tel: link's target ("+842033822123").
		"tel": config.TelURI,
		// intl: a phone number for the English page ("+84 203 3822 123").
		"intl":       config.PhoneIntl,
		"facetlists": func(lists ...[]*site.Facet) [][]*site.Facet { return lists },
		"filtername": site.FilterName,
		// isURL: an address on another site (a front matter image given as https://…).
		"isURL": func(s string) bool { return strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") },
	}
}

// jsonLD returns the structured data of a page: NewsArticle for articles, WebSite otherwise.
// Its strings are escaped as json.Marshal escapes them (<, > and & included), so no value
// can close the script element. An article's NewsArticle and a list page's WebPage, 18,000
// of the 18,809 pages of the prose corpus at 10,000, are appended by hand
// (appendNewsArticleLD, appendWebPageLD) in the bytes json.Marshal gave; the rare kinds
// (documents, contact pages) still go through json.Marshal.
func (r *Renderer) jsonLD(p *site.Page) (template.JS, error) {
	var v any
	if p.Article != nil && p.Kind == site.KindArticle {
		return template.JS(r.appendNewsArticleLD(nil, p.Article)), nil
	} else if p.Article != nil && p.Kind == site.KindDocument {
		v = legislation(p.Article, organizationLD(r.cfg, false, false))
	} else if l := pageLayout(p); l == "contact" || l == "contact-en" || p.Kind == site.KindContact {
		v = contactPageLD(r.cfg, p, l)
	} else {
		return template.JS(r.appendWebPageLD(nil, p)), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	return template.JS(b), nil
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
