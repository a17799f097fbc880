package render

import (
	"bytes"
	"encoding/xml"
	"html"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/site"
)

// maxFeedCategories bounds the <category> elements of one feed item: an article with
// thousands of tags would otherwise repeat all of them in every feed that lists it.
const maxFeedCategories = 20

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Description string   `xml:"description"`
	Categories  []string `xml:"category"`
	Author      string   `xml:"dc:creator,omitempty"`
}

type rssGUID struct {
	IsPermaLink string `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	AtomLink      atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type atomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssDoc struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

// feed writes RSS 2.0. Feed readers render a description as HTML, so descriptions (the
// lead, plain text) are HTML-escaped before encoding/xml escapes them again: no markup
// from content can become live in a feed reader.
func (r *Renderer) feed(dst []byte, p *site.Page) ([]byte, error) {
	link := r.abs("/")
	desc := r.cfg.Description
	switch {
	case p.Term != nil:
		link = r.abs(p.Term.URL)
		desc = p.Term.Taxonomy.Singular + ": " + p.Term.Name
	case p.Section != nil:
		link = r.abs(p.Section.URL)
		desc = p.Section.Title
	}
	ch := rssChannel{Title: p.Title, Link: link, Description: r.feedText.Replace(desc), Language: "vi",
		AtomLink: atomLink{Href: p.Permalink, Rel: "self", Type: "application/rss+xml"}}
	var newest time.Time
	for _, a := range p.Items {
		it := rssItem{Title: a.Title, Link: a.Permalink, GUID: rssGUID{"true", a.Permalink},
			PubDate: a.Date.Format(time.RFC1123Z), Description: r.feedText.Replace(a.Plain), Author: firstNonEmpty(a.Author, a.Source)}
	terms:
		for _, g := range a.Terms {
			for _, t := range g.Terms {
				if len(it.Categories) == maxFeedCategories {
					break terms
				}
				it.Categories = append(it.Categories, t.Name)
			}
		}
		if a.Lastmod.After(newest) {
			newest = a.Lastmod
		}
		ch.Items = append(ch.Items, it)
	}
	if !newest.IsZero() {
		ch.LastBuildDate = newest.Format(time.RFC1123Z)
	}
	buf := bytes.NewBuffer(dst[:0])
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(rssDoc{Version: "2.0", Atom: "http://www.w3.org/2005/Atom", DC: "http://purl.org/dc/elements/1.1/", Channel: ch}); err != nil {
		return nil, err
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

// feedHTMLText returns the escaper of plain text for an RSS description, which readers
// treat as HTML. Quotes are left alone: they mean nothing in HTML text. A Renderer makes
// it once (Renderer.feedText): a strings.Replacer builds its tables on first use, 6 KB,
// which made per description were 47 MB of a 10,000-article build (BENCHMARKS.md,
// fifteenth session, render22).
func feedHTMLText() *strings.Replacer {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
}

func (r *Renderer) robots() []byte {
	return []byte("User-agent: *\nDisallow: /tim-kiem/\nDisallow: /api/\n\nSitemap: " + r.abs("/sitemap.xml") + "\n")
}

// alias writes a redirect page: meta refresh plus a canonical link and a plain link.
func (r *Renderer) alias(p *site.Page) []byte {
	t := html.EscapeString(p.Target)
	title := html.EscapeString(p.Title)
	return []byte(`<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>` + title + `</title>
<link rel="canonical" href="` + t + `">
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url=` + t + `">
</head>
<body>
<p>Trang đã chuyển tới <a href="` + t + `">` + title + `</a>.</p>
</body>
</html>
`)
}
