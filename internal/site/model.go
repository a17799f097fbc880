// Package site assembles rendered documents into the pages of a site: permalinks,
// sections, taxonomies (provinces first), archives, pagination, feeds, related articles.
// It is a pure transform: no disk, no network, no clock; the same input gives the same graph.
package site

import (
	"html/template"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/province"
)

// Source is one published document with its Markdown already rendered.
type Source struct {
	Doc *content.Document
	// Body has the rendered body's headings, links and word count; its HTML and text are
	// read through Stored.
	Body markdown.Result
	// Summary is the lead rendered as inline HTML, Plain the lead as plain text
	// (PlainLead).
	Summary template.HTML
	Plain   string
	Stored  Stored
	// Photo is the article's lead photo as published (nil: none); ImagesKey names the
	// images its body and lead show (their files and the processing settings), for the
	// keys of the pages that show them.
	Photo     *Photo
	ImagesKey string
	// Attachments are a legal document's files with their sizes (the build reads them).
	Attachments []Attachment
}

// Photo is an article's lead photo as the build publishes it: its front matter image,
// else the first photo of its body (issue 16).
type Photo struct {
	markdown.Picture
	Alt string
	// Share is the URL (site path) of the variant for share previews (og:image, about
	// 1200 px wide, JPEG or PNG), ShareWidth and ShareHeight its size.
	Share                   string
	ShareWidth, ShareHeight int
}

// Stored reads back a rendered body's HTML and plain text, wherever the build keeps
// them: in memory (a preview keeps them for the next build), or in a file (a large build
// writes each body out once it is rendered and reads it again for its page and its index
// entry, so that the bodies of 100,000 articles are never all in memory at once).
type Stored interface {
	HTML() (template.HTML, error)
	Text() (string, error)
}

// NewSource returns the Source of d: body's metadata (its HTML and Text are dropped:
// st holds them), the rendered lead and the lead as plain text.
func NewSource(d *content.Document, body markdown.Result, summary template.HTML, plain string, st Stored) Source {
	body.HTML, body.Text = "", ""
	return Source{Doc: d, Body: body, Summary: summary, Plain: plain, Stored: st}
}

// PlainLead is an article's lead as plain text, for meta descriptions, feeds and JSON-LD:
// the rendered summary's text, or else the beginning of the body's text.
func PlainLead(summary template.HTML, text string) string {
	if p := plainText(string(summary)); p != "" {
		return p
	}
	return excerpt(text, 300)
}

// Article is an assembled article (or standalone page): a source plus everything the
// assembly worked out about it.
type Article struct {
	*content.Document
	Body markdown.Result
	Lead template.HTML // the summary rendered inline
	// Plain is the lead as plain text (for meta descriptions, feeds, JSON-LD).
	Plain     string
	URL       string // "/tin-tuc/hoi-nghi/"
	Permalink string // absolute
	Section   *Section
	// Terms lists the article's terms per taxonomy, in the configured taxonomy order.
	Terms []TermGroup
	// Related are up to five articles sharing provinces, categories and tags.
	Related []*Article
	// Prev is the next older article in the same section, Next the next newer one.
	Prev, Next *Article
	// Standalone pages (gioi-thieu.md) are outside lists, feeds and taxonomies.
	Standalone bool
	// Photo is the lead photo (nil: none); ImagesKey names the images the article shows.
	Photo     *Photo
	ImagesKey string
	// DocInfo is set on legal documents (Document.Legal): status, attachments, relations.
	DocInfo *DocumentInfo
	page    *Page  // the article's own page (Refresh updates its description)
	stored  Stored // the body's HTML and text
	// citeLinks are the body's citations that the library holds (Content links them).
	citeLinks []citeLink
	leadLinks []citeLink // the same in Lead
}

// TermGroup is an article's terms of one taxonomy.
type TermGroup struct {
	Taxonomy *Taxonomy
	Terms    []*Term
}

// TextFunc returns a function that reads the body's plain text without holding on to
// the article, so that a large build can let its graph go while indexing.
func (a *Article) TextFunc() func() (string, error) { return a.stored.Text }

// setContent copies what an article takes from its source as it is: the document, the
// rendered body and lead, and the lead as plain text. Assemble and Refresh both use it.
func (a *Article) setContent(s Source) {
	a.Document, a.Body, a.Lead, a.Plain, a.stored = s.Doc, s.Body, s.Summary, s.Plain, s.Stored
	a.Photo, a.ImagesKey = s.Photo, s.ImagesKey
}

// Provinces returns the article's province terms.
func (a *Article) Provinces() []*Term { return a.termsOf(config.ProvinceTaxonomy) }

// Categories returns the article's category terms.
func (a *Article) Categories() []*Term { return a.termsOf("categories") }

// Tags returns the article's tag terms.
func (a *Article) Tags() []*Term { return a.termsOf("tags") }

func (a *Article) termsOf(key string) []*Term {
	for _, g := range a.Terms {
		if g.Taxonomy.Key == key {
			return g.Terms
		}
	}
	return nil
}

// Section is a folder under content/.
type Section struct {
	Name     string // folder name, "tin-tuc"
	Title    string
	Summary  string
	URL      string
	FeedURL  string
	Articles []*Article // newest first
}

// Taxonomy is a way of grouping articles (provinces, categories, tags).
type Taxonomy struct {
	config.Taxonomy
	URL   string
	Terms []*Term // Vietnamese alphabetical order
}

// Term is one value of a taxonomy ("Hà Tĩnh", "Hội nghị").
type Term struct {
	Taxonomy *Taxonomy
	Name     string
	Slug     string
	URL      string
	FeedURL  string
	Articles []*Article // newest first
	// Province is set on province terms.
	Province *province.Province
	// Successor is the term page of the unit a merged-away province became.
	Successor *Term
	// Predecessors are the term pages of the units merged into this province.
	Predecessors []*Term
	// PredecessorNames are all predecessor names, with or without pages.
	PredecessorNames []string
}

// Count is the number of articles with the term.
func (t *Term) Count() int { return len(t.Articles) }

// Total is Count plus, for a province, the articles of the provinces merged into it
// (their term pages, linked from this one). The province index and the home page's
// list show a province by this one number, so that today's Phú Thọ, with no article of
// its own yet but with Vĩnh Phúc's and Hòa Bình's, is listed alike in both places, with
// the news a citizen of Phú Thọ looks for.
func (t *Term) Total() int { return t.total(0) }

// MergedCount is Total minus Count: the articles of the provinces merged into this one.
func (t *Term) MergedCount() int { return t.Total() - t.Count() }

func (t *Term) total(depth int) int {
	n := len(t.Articles)
	if depth < 8 { // a registry cannot hold a cycle of merges; this only bounds the walk
		for _, p := range t.Predecessors {
			n += p.total(depth + 1)
		}
	}
	return n
}

// Region groups province terms by region for the province index.
type Region struct {
	Name  string
	Terms []*Term
}

// Year is a year of the archive.
type Year struct {
	Year     int
	URL      string
	Articles []*Article
}

// Kind is the kind of an output page; it picks the layout.
type Kind string

// The kinds of output.
const (
	KindHome     Kind = "home"
	KindSection  Kind = "section"
	KindArticle  Kind = "article"
	KindPage     Kind = "page" // a standalone page
	KindTaxonomy Kind = "taxonomy"
	KindTerm     Kind = "term"
	KindArchive  Kind = "archive"
	KindYear     Kind = "year"
	KindSearch   Kind = "search"
	KindNotFound Kind = "404"
	KindAlias    Kind = "alias"
	KindFeed     Kind = "rss"
	KindSitemap  Kind = "sitemap"
	// KindSitemapIndex is /sitemap.xml when the site has more URLs than one sitemap may
	// list: it lists the sitemap files.
	KindSitemapIndex Kind = "sitemapindex"
	KindRobots       Kind = "robots"
	// KindDocument is a legal document's page, KindLibrary the library's list and its
	// filter pages (/van-ban/, /van-ban/loai/nghi-dinh/ …).
	KindDocument Kind = "document"
	KindLibrary  Kind = "library"
)

// Crumb is one step of a breadcrumb trail.
type Crumb struct{ Name, URL string }

// PageLink is one entry of a pager's window: a page number with its URL, or a gap.
type PageLink struct {
	Number  int
	URL     string
	Current bool
	Gap     bool // "…" between non-adjacent numbers
}

// Window returns the page links a pager shows: the first and last page, the current
// one and two on each side, with gaps between. Its length is bounded (at most 9), so a
// list of thousands of pages does not make every page's pager quadratic.
func (p *Pager) Window() []PageLink {
	var out []PageLink
	last := 0
	for _, n := range []int{1, p.Number - 2, p.Number - 1, p.Number, p.Number + 1, p.Number + 2, p.Total} {
		if n < 1 || n > p.Total || n <= last {
			continue
		}
		if n > last+1 {
			out = append(out, PageLink{Gap: true})
		}
		out = append(out, PageLink{Number: n, URL: p.URLs[n-1], Current: n == p.Number})
		last = n
	}
	return out
}

// Pager is one page of a paginated list.
type Pager struct {
	Number, Total int
	Items         []*Article
	PrevURL       string
	NextURL       string
	First         string
	Last          string
	// URLs holds the URL of every page, index 0 = page 1.
	URLs []string
}

// Page is one output file of the site.
type Page struct {
	Kind        Kind
	Path        string // output path relative to the destination: "tin-tuc/x/index.html"
	URL         string // "/tin-tuc/x/"
	Permalink   string
	Title       string
	Description string
	Article     *Article
	Section     *Section
	Taxonomy    *Taxonomy
	Term        *Term
	Year        *Year
	Regions     []Region // the province index, grouped
	// Library is set on the library's pages; Facet on its filter pages.
	Library *Library
	Facet   *Facet
	Pager   *Pager
	// Feed items for rss pages; the list of pages for the sitemap.
	Items   []*Article
	Sitemap []SitemapEntry
	FeedURL string // the RSS feed advertised by an HTML page
	Target  string // alias: where it redirects
	Crumbs  []Crumb
	Lastmod time.Time
	NoIndex bool // robots noindex (404, search)
	Draft   bool
	Sources []string // content files this page was made from (for error messages)
	// Schedule is set on the leaders' weekly schedule pages (schedule.go).
	Schedule *ScheduleView
}

// SitemapEntry is one URL of sitemap.xml.
type SitemapEntry struct {
	Loc     string
	Lastmod time.Time
}
