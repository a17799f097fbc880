package hardening

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"

	"github.com/tdewolff/parse/v2"
	tdhtml "github.com/tdewolff/parse/v2/html"
)

// Payloads are the hostile strings pushed into every field.
var payloads = []string{
	`<script>alert(1)</script>`,
	`"><img src=x onerror=alert(1)>`,
	`</script><script>alert(1)</script>`,
	`javascript:alert(1)`,
	`]]>`,
}

// urlAttrs are attributes a browser follows or fetches as URLs.
var urlAttrs = map[string]bool{
	"href": true, "src": true, "action": true, "formaction": true, "data": true, "poster": true,
	"background": true, "cite": true, "xlink:href": true, "srcset": true, "ping": true,
	"manifest": true, "codebase": true, "longdesc": true, "lowsrc": true, "dynsrc": true,
}

// forbiddenElements may never come out of a build or the search page.
var forbiddenElements = map[string]bool{
	"iframe": true, "object": true, "embed": true, "applet": true, "frame": true,
	"frameset": true, "base": true,
}

// dangerousURL reports whether a URL (as found in an attribute, still escaped) uses a
// scheme that runs code or smuggles a document: javascript:, vbscript:, data:. It
// cleans the value the way a browser does before it reads the scheme.
func dangerousURL(v string) bool {
	v = html.UnescapeString(v)
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.ToLower(strings.TrimFunc(v, func(r rune) bool { return r <= ' ' }))
	for _, s := range []string{"javascript:", "vbscript:", "data:", "livescript:"} {
		if strings.HasPrefix(v, s) {
			return true
		}
	}
	return false
}

// svgDanger matches what would make inline SVG or MathML executable.
var svgDanger = regexp.MustCompile(`(?i)<script|\son[a-z]+\s*=|javascript:|<foreignobject`)

// htmlTag is a start tag with its attributes (names lowercase, values unescaped).
type htmlTag struct {
	name  string
	attrs map[string]string
	order []string
}

// pageScan is what scanHTML learned about one HTML document.
type pageScan struct {
	problems []string
	// text is the document's text outside script and style, unescaped.
	text string
	// refresh lists the URLs of <meta http-equiv=refresh> elements.
	refresh []string
	// tags are all start tags in document order.
	tags []htmlTag
	// jsonLD holds the text of the application/ld+json blocks.
	jsonLD []string
}

// scanHTML tokenizes an HTML document and reports executable markup: script elements
// other than the theme's own (src under /js/, or one application/ld+json block whose
// text is valid JSON), on* attributes, javascript:/vbscript:/data: URLs, iframes and
// the like, and scriptable inline SVG.
func scanHTML(b []byte) pageScan {
	var s pageScan
	// The lexer writes into its input: give it a copy.
	lx := tdhtml.NewLexer(parse.NewInputBytes(append([]byte(nil), b...)))
	var text strings.Builder
	var cur *htmlTag
	rawOf := "" // the script kind whose raw text comes next: "json", "src", "bad"
	bad := func(format string, args ...any) { s.problems = append(s.problems, fmt.Sprintf(format, args...)) }
	closeTag := func() {
		t := cur
		cur = nil
		s.tags = append(s.tags, *t)
		for _, k := range t.order {
			v := t.attrs[k]
			switch {
			case strings.HasPrefix(k, "on"):
				bad("<%s %s=%q>: event handler attribute", t.name, k, v)
			case k == "srcset":
				for _, part := range strings.Split(v, ",") {
					if f := strings.Fields(part); len(f) > 0 && dangerousURL(f[0]) {
						bad("<%s srcset=%q>: dangerous URL", t.name, v)
					}
				}
			case urlAttrs[k] && dangerousURL(v):
				bad("<%s %s=%q>: dangerous URL", t.name, k, v)
			case k == "style" && (strings.Contains(strings.ToLower(v), "expression(") || strings.Contains(strings.ToLower(v), "javascript:")):
				bad("<%s style=%q>: scriptable style", t.name, v)
			}
		}
		switch {
		case forbiddenElements[t.name]:
			bad("<%s> element", t.name)
		case t.name == "meta" && strings.EqualFold(t.attrs["http-equiv"], "refresh"):
			_, u, _ := strings.Cut(t.attrs["content"], "=")
			u = strings.TrimSpace(u)
			s.refresh = append(s.refresh, u)
			if dangerousURL(u) {
				bad("<meta refresh> to %q", u)
			}
		case t.name == "script":
			typ := strings.ToLower(strings.TrimSpace(t.attrs["type"]))
			src, hasSrc := t.attrs["src"]
			switch {
			case typ == "application/ld+json" && !hasSrc:
				rawOf = "json"
			case hasSrc && strings.HasPrefix(src, "/js/") && (typ == "" || typ == "module" || typ == "text/javascript"):
				rawOf = "src"
			default:
				rawOf = "bad"
				bad("<script %v> that is not the theme's own", t.attrs)
			}
		}
	}
	for {
		tt, data := lx.Next()
		if cur != nil && tt != tdhtml.AttributeToken {
			closeTag()
			if tt == tdhtml.StartTagCloseToken || tt == tdhtml.StartTagVoidToken {
				continue
			}
		}
		switch tt {
		case tdhtml.ErrorToken:
			if err := lx.Err(); err != nil && !errors.Is(err, io.EOF) {
				bad("tokenizer: %v", err)
			}
			s.text = text.String()
			return s
		case tdhtml.StartTagToken:
			cur = &htmlTag{name: strings.ToLower(string(lx.Text())), attrs: map[string]string{}}
			rawOf = ""
		case tdhtml.AttributeToken:
			if cur != nil {
				k := strings.ToLower(string(lx.AttrKey()))
				v := lx.AttrVal()
				if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
					v = v[1 : len(v)-1]
				}
				if _, dup := cur.attrs[k]; !dup {
					cur.order = append(cur.order, k)
				}
				cur.attrs[k] = html.UnescapeString(string(v))
			}
		case tdhtml.TextToken:
			switch rawOf {
			case "json":
				s.jsonLD = append(s.jsonLD, string(data))
				var v any
				if err := json.Unmarshal(data, &v); err != nil {
					bad("JSON-LD block does not parse (%v): %.200s", err, data)
				}
				if bytes.Contains(bytes.ToLower(data), []byte("</script")) || bytes.Contains(data, []byte("<!--")) {
					bad("JSON-LD block contains a raw </script or <!--: %.200s", data)
				}
			case "src":
				if len(bytes.TrimSpace(data)) > 0 {
					bad("<script src> with inline code %.100q", data)
				}
			case "bad":
			default:
				text.WriteString(html.UnescapeString(string(data)))
			}
			rawOf = ""
		case tdhtml.EndTagToken:
			rawOf = ""
		case tdhtml.SVGToken, tdhtml.MathToken, tdhtml.XMLToken:
			if svgDanger.Match(data) {
				bad("scriptable inline SVG/MathML: %.200s", data)
			}
		}
	}
}

// feedElements are the elements portal's RSS feeds and sitemaps may contain.
var feedElements = map[string]bool{
	"rss": true, "channel": true, "title": true, "link": true, "description": true,
	"language": true, "lastBuildDate": true, "item": true, "guid": true, "pubDate": true,
	"category": true, "creator": true, "urlset": true, "url": true, "loc": true, "lastmod": true,
	"sitemapindex": true, "sitemap": true,
}

// markupInText matches HTML markup (a tag start) in decoded text.
var markupInText = regexp.MustCompile(`<[A-Za-z/!?]`)

// scanXML parses an RSS feed or sitemap strictly and reports parse errors, elements
// other than the expected ones (raw markup that escaped), dangerous link URLs, and
// HTML markup in a feed item's description (RSS readers render descriptions as HTML,
// so plain text must reach them escaped twice).
func scanXML(b []byte) []string {
	var problems []string
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	var stack []string
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return append(problems, fmt.Sprintf("XML does not parse: %v", err))
		}
		switch x := tok.(type) {
		case xml.StartElement:
			if !feedElements[x.Name.Local] {
				problems = append(problems, fmt.Sprintf("unexpected element <%s>", x.Name.Local))
			}
			stack = append(stack, x.Name.Local)
			for _, a := range x.Attr {
				if a.Name.Local == "href" && dangerousURL(a.Value) {
					problems = append(problems, fmt.Sprintf("dangerous href %q", a.Value))
				}
			}
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) == 0 {
				continue
			}
			el := stack[len(stack)-1]
			s := string(x)
			switch el {
			case "link", "loc", "guid":
				if dangerousURL(s) {
					problems = append(problems, fmt.Sprintf("<%s> with dangerous URL %q", el, s))
				}
			case "description":
				if markupInText.MatchString(s) {
					problems = append(problems, fmt.Sprintf("<description> whose text is live HTML for a feed reader: %.120q", s))
				}
			}
		}
	}
	return problems
}
