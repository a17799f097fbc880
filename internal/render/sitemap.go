package render

import (
	"time"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/site"
)

// The sitemaps are written by hand, byte for byte what encoding/xml's Encoder gave them
// (xml.Header, two-space indentation, its escaping of text), straight into one buffer of
// their exact size. At 100,000 articles the four sitemaps of 50,000 addresses are 2–8 MB
// each, rendered beside the loaded site; the Encoder's way cost, per sitemap, a slice of
// structs and a formatted date string per address, reflection over each of them, and a
// bytes.Buffer doubling up to the file's size (BENCHMARKS.md, eighteenth session, branch
// write22). TestSitemapXMLMatchesEncoder compares the two over generated addresses.

// sitemapNS is the sitemaps' XML name space.
const sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"

// The fixed text of a sitemap: xml.Header, the root's start tag, and per entry its
// indented elements.
const (
	sitemapHeader   = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"
	sitemapLocOpen  = "\n    <loc>"
	sitemapLocClose = "</loc>"
	sitemapModOpen  = "\n    <lastmod>"
	sitemapModClose = "</lastmod>"
)

// sitemapXML writes a sitemap listing entries, or with index a sitemap index listing the
// sitemap files in entries, into dst's memory when it fits (else into one new buffer of
// the sitemap's size).
func sitemapXML(dst []byte, entries []site.SitemapEntry, index bool) []byte {
	root, item := "urlset", "url"
	if index {
		root, item = "sitemapindex", "sitemap"
	}
	// The size first, so that the sitemap is written into one buffer of its size.
	n := len(sitemapHeader) + len(`<`+` xmlns="`+sitemapNS+`">`) + 2*len(root) + len("</>\n")
	for _, e := range entries {
		n += len("\n  <>") + len("\n  </>") + 2*len(item) + len(sitemapLocOpen) + xmlEscapedLen(e.Loc) + len(sitemapLocClose)
		if !e.Lastmod.IsZero() {
			n += len(sitemapModOpen) + len(time.RFC3339) + len(sitemapModClose) // 25 bytes with a zone "+07:00", 20 in UTC (a year past 9999 grows b)
		}
	}
	if len(entries) > 0 {
		n++ // the line break before the end tag
	}
	n++ // room for the NUL the Writer's minifier puts after the end, so it reads the sitemap in place (publish.File.Buffers)
	b := dst[:0]
	if cap(b) < n {
		b = make([]byte, 0, n)
	}
	b = append(b, sitemapHeader...)
	b = append(b, '<')
	b = append(b, root...)
	b = append(b, ` xmlns="`+sitemapNS+`">`...)
	for _, e := range entries {
		b = append(b, "\n  <"...)
		b = append(b, item...)
		b = append(b, '>')
		b = append(b, sitemapLocOpen...)
		b = appendXMLEscaped(b, e.Loc)
		b = append(b, sitemapLocClose...)
		if !e.Lastmod.IsZero() {
			b = append(b, sitemapModOpen...)
			b = e.Lastmod.AppendFormat(b, time.RFC3339) // digits, '-', ':', 'T', '+', 'Z': nothing to escape
			b = append(b, sitemapModClose...)
		}
		b = append(b, "\n  </"...)
		b = append(b, item...)
		b = append(b, '>')
	}
	if len(entries) > 0 {
		b = append(b, '\n')
	}
	b = append(b, "</"...)
	b = append(b, root...)
	b = append(b, ">\n"...)
	return b
}

// xmlEscape returns the escape encoding/xml's EscapeString writes for the rune r of
// width bytes, or "" when r is written as it is.
func xmlEscape(r rune, width int) string {
	switch r {
	case '"':
		return "&#34;"
	case '\'':
		return "&#39;"
	case '&':
		return "&amp;"
	case '<':
		return "&lt;"
	case '>':
		return "&gt;"
	case '\t':
		return "&#x9;"
	case '\n':
		return "&#xA;"
	case '\r':
		return "&#xD;"
	}
	if !xmlChar(r) || r == utf8.RuneError && width == 1 {
		return "\uFFFD" // not an XML character, or a byte that is not UTF-8
	}
	return ""
}

// xmlASCIIEscaped reports whether xmlEscape escapes the ASCII byte c: a control
// character (none is an XML character but tab, line feed and carriage return, which are
// escaped too) or one of " ' & < >.
func xmlASCIIEscaped(c byte) bool {
	return c < 0x20 || c == '"' || c == '\'' || c == '&' || c == '<' || c == '>'
}

// xmlChar reports whether r is in XML's Char production (as encoding/xml checks it).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// appendXMLEscaped appends s escaped as encoding/xml's EscapeString escapes text.
func appendXMLEscaped(b []byte, s string) []byte {
	last := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !xmlASCIIEscaped(c) {
			i++ // most of an address
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		if esc := xmlEscape(r, width); esc != "" {
			b = append(b, s[last:i-width]...)
			b = append(b, esc...)
			last = i
		}
	}
	return append(b, s[last:]...)
}

// xmlEscapedLen is len(appendXMLEscaped(nil, s)).
func xmlEscapedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf && !xmlASCIIEscaped(c) {
			i++
			continue
		}
		r, width := utf8.DecodeRuneInString(s[i:])
		i += width
		if esc := xmlEscape(r, width); esc != "" {
			n += len(esc) - width
		}
	}
	return n
}
