package render

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/site"
)

// appendNewsArticleLD appends an article's NewsArticle to b: the bytes json.Marshal gives
// for the map of its keys (sorted; no author, places or image when there are none),
// without json.Marshal's reflection over a value, its sorting of a map's keys and its
// compaction of the publisher per page. TestNewsArticleLDIsTheMapsBytes holds it to the map the
// NewsArticle was built as before.
func (r *Renderer) appendNewsArticleLD(b []byte, a *site.Article) []byte {
	places := a.Provinces()
	if b == nil { // the constant keys ≈ 260 bytes, each place ≈ 50 and its name; escapes are rare
		n := 320 + len(a.Title) + len(a.Plain) + 2*len(a.Permalink) + len(a.Author) + len(a.Source) + len(a.Image) + len(r.orgLD)
		for _, t := range places {
			n += 50 + len(t.Name)
		}
		b = make([]byte, 0, n)
	}
	b = append(b, `{"@context":"https://schema.org","@type":"NewsArticle"`...)
	if a.Author != "" {
		b = append(b, `,"author":{"@type":"Person","name":`...)
		b = appendJSONString(b, a.Author)
		b = append(b, '}')
	} else if a.Source != "" {
		b = append(b, `,"author":{"@type":"Organization","name":`...)
		b = appendJSONString(b, a.Source)
		b = append(b, '}')
	}
	if len(places) > 0 {
		b = append(b, `,"contentLocation":[`...)
		for i, t := range places {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"@type":"AdministrativeArea","name":`...)
			b = appendJSONString(b, t.Name)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	// RFC 3339 is digits, '-', ':', 'T', 'Z' and '+': nothing JSON escapes.
	b = append(b, `,"dateModified":"`...)
	b = a.Lastmod.AppendFormat(b, time.RFC3339)
	b = append(b, `","datePublished":"`...)
	b = a.Date.AppendFormat(b, time.RFC3339)
	b = append(b, `","description":`...)
	b = appendJSONString(b, a.Plain)
	b = append(b, `,"headline":`...)
	b = appendJSONString(b, a.Title)
	image := ""
	if a.Photo != nil { // a JPEG of about 1200 px that the build published
		image = r.abs(a.Photo.Share)
	} else if strings.HasPrefix(a.Image, "https://") || strings.HasPrefix(a.Image, "http://") {
		image = a.Image
	}
	if image != "" {
		b = append(b, `,"image":`...)
		b = appendJSONString(b, image)
	}
	b = append(b, `,"inLanguage":"vi","mainEntityOfPage":`...)
	b = appendJSONString(b, a.Permalink)
	b = append(b, `,"publisher":`...)
	b = append(b, r.orgLD...) // json.Marshal's own output: already compact
	b = append(b, `,"url":`...)
	b = appendJSONString(b, a.Permalink)
	return append(b, '}')
}

// appendWebPageLD appends any other page's WebPage to b: the bytes json.Marshal gives for
// the map of its keys (sorted, as json.Marshal sorts a map's).
func (r *Renderer) appendWebPageLD(b []byte, p *site.Page) []byte {
	if b == nil {
		b = make([]byte, 0, 128+len(p.Title)+len(p.Permalink)+len(r.orgLD))
	}
	b = append(b, `{"@context":"https://schema.org","@type":"WebPage","inLanguage":"vi","name":`...)
	b = appendJSONString(b, p.Title)
	b = append(b, `,"publisher":`...)
	b = append(b, r.orgLD...)
	b = append(b, `,"url":`...)
	b = appendJSONString(b, p.Permalink)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string in json.Marshal's bytes: '"' and '\\'
// escaped with a backslash; \b, \f, \n, \r, \t by their letters; the other control bytes
// and <, > and & as \u00xx in lower-case hex; an invalid UTF-8 byte as \ufffd; U+2028 and
// U+2029 as \u2028 and \u2029; everything else as it is. TestAppendJSONStringIsMarshals
// holds it to json.Marshal.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
