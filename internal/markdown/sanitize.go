package markdown

import (
	"bytes"
	"html"
	"slices"
	"strconv"
	"strings"

	"github.com/tdewolff/parse/v2"
	tdhtml "github.com/tdewolff/parse/v2/html"
)

// SanitizeHTML returns an allow-list cleaned copy of the HTML fragment b:
// the same cleaning Render applies to raw HTML when Options.Unsafe is set.
// Elements it does not know are dropped but their text is kept; script,
// style, iframe, object and similar elements are dropped with everything
// inside them; only known attributes survive (never on* handlers or style),
// and href/src/cite values must pass SafeURL. Elements left open are closed
// at the end, and end tags with no matching start tag are dropped.
func SanitizeHTML(b []byte) []byte {
	var s htmlSanitizer
	out, _ := s.fragment(b)
	return append(out, s.closeAll()...)
}

// globalAttrs may appear on every allowed element.
var globalAttrs = map[string]bool{"id": true, "class": true, "title": true, "lang": true, "dir": true}

// allowedElements maps each allowed element to the attributes it may have
// besides globalAttrs.
var allowedElements = map[string][]string{
	"a":    {"href", "rel", "hreflang"},
	"abbr": nil, "b": nil, "bdi": nil, "bdo": nil, "br": nil, "cite": nil, "code": nil,
	"dfn": nil, "em": nil, "i": nil, "kbd": nil, "mark": nil, "s": nil, "samp": nil,
	"small": nil, "span": nil, "strong": nil, "sub": nil, "sup": nil, "u": nil,
	"var": nil, "wbr": nil,
	"q": {"cite"}, "blockquote": {"cite"}, "del": {"cite", "datetime"}, "ins": {"cite", "datetime"},
	"time": {"datetime"}, "data": {"value"},
	"p": nil, "div": nil, "section": nil, "article": nil, "aside": nil, "header": nil,
	"footer": nil, "address": nil, "center": nil,
	"h1": nil, "h2": nil, "h3": nil, "h4": nil, "h5": nil, "h6": nil, "hr": nil, "pre": nil,
	"ul": nil, "ol": {"start", "reversed", "type"}, "li": {"value"},
	"dl": nil, "dt": nil, "dd": nil,
	"figure": nil, "figcaption": nil, "details": {"open"}, "summary": nil,
	"img":   {"src", "alt", "width", "height", "loading"},
	"table": nil, "caption": nil, "thead": nil, "tbody": nil, "tfoot": nil, "tr": nil,
	"th": {"colspan", "rowspan", "scope", "abbr"}, "td": {"colspan", "rowspan"},
	"col": {"span"}, "colgroup": {"span"},
}

// voidElements have no end tag.
var voidElements = map[string]bool{"br": true, "hr": true, "img": true, "wbr": true, "col": true}

// dropWithContent elements are removed together with everything inside them.
var dropWithContent = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "applet": true, "noscript": true, "noembed": true, "noframes": true,
	"template": true, "textarea": true, "title": true, "xmp": true, "plaintext": true,
	"select": true, "head": true, "svg": true, "math": true, "canvas": true,
}

// textBreakElements start a new paragraph in the plain text of raw HTML.
var textBreakElements = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "table": true,
	"blockquote": true, "figure": true, "figcaption": true, "pre": true, "dt": true,
	"dd": true, "dl": true, "hr": true, "section": true, "article": true, "aside": true,
	"details": true, "summary": true, "caption": true, "address": true, "header": true,
	"footer": true, "center": true,
}

// htmlSanitizer cleans the raw HTML fragments of one document in document
// order. It remembers which elements raw HTML opened, so an end tag in a
// later fragment can close them, raw HTML can never close an element of the
// page template, and closeAll closes what was left open.
type htmlSanitizer struct {
	open []string // elements opened by raw HTML and still open, outermost first
}

// pendingTag is a start tag whose attributes are being read.
type pendingTag struct {
	name  string
	attrs []attr
}

type attr struct {
	name, val string
	hasVal    bool
}

// fragment cleans one raw HTML fragment and returns the clean HTML and the
// plain-text paragraphs of the fragment (for Result.Text).
func (s *htmlSanitizer) fragment(raw []byte) ([]byte, []string) {
	// The lexer lowercases names in place and writes a NUL after the
	// input, so it gets a private copy; NUL would end the input early.
	buf := make([]byte, 0, len(raw)+8)
	buf = append(buf, bytes.ReplaceAll(raw, []byte{0}, []byte("\uFFFD"))...)
	lx := tdhtml.NewLexer(parse.NewInputBytes(buf))

	out := make([]byte, 0, len(raw))
	var txt rawText
	skip, depth := "", 0 // inside a dropWithContent element
	var tag *pendingTag

	finish := func(selfClosing bool) {
		t := tag
		tag = nil
		if skip != "" {
			if t.name == skip && !selfClosing {
				depth++
			}
			return
		}
		if dropWithContent[t.name] {
			skip, depth = t.name, 1
			return
		}
		allowed, ok := allowedElements[t.name]
		if !ok {
			return
		}
		if textBreakElements[t.name] {
			txt.breakPara()
		}
		out = append(out, '<')
		out = append(out, t.name...)
		out = appendAttrs(out, t.name, allowed, t.attrs)
		out = append(out, '>')
		if !voidElements[t.name] {
			s.open = append(s.open, t.name)
		}
	}

	for {
		tt, data := lx.Next()
		if tag != nil && tt != tdhtml.AttributeToken {
			finish(tt == tdhtml.StartTagVoidToken)
			if tt == tdhtml.StartTagCloseToken || tt == tdhtml.StartTagVoidToken {
				continue
			}
		}
		switch tt {
		case tdhtml.ErrorToken:
			return out, txt.paragraphs()
		case tdhtml.StartTagToken:
			tag = &pendingTag{name: string(lx.Text())}
		case tdhtml.AttributeToken:
			if tag != nil {
				val := lx.AttrVal()
				tag.attrs = append(tag.attrs, attr{name: string(lx.AttrKey()), val: string(val), hasVal: val != nil})
			}
		case tdhtml.EndTagToken:
			name := strings.ToLower(strings.TrimSpace(string(lx.Text())))
			if skip != "" {
				if name == skip {
					if depth--; depth == 0 {
						skip = ""
					}
				}
				continue
			}
			if textBreakElements[name] {
				txt.breakPara()
			}
			out = s.closeTo(out, name)
		case tdhtml.TextToken:
			if skip != "" {
				continue
			}
			out = appendEscapedText(out, data)
			txt.add(html.UnescapeString(string(data)))
		default:
			// Comments, doctypes, <svg>, <math>, XML and stray close
			// tokens are dropped.
		}
	}
}

// closeTo closes the raw-HTML-opened element name and everything opened
// after it. An end tag for an element raw HTML did not open is dropped.
func (s *htmlSanitizer) closeTo(out []byte, name string) []byte {
	for i := len(s.open) - 1; i >= 0; i-- {
		if s.open[i] != name {
			continue
		}
		for j := len(s.open) - 1; j >= i; j-- {
			out = append(out, "</"+s.open[j]+">"...)
		}
		s.open = s.open[:i]
		return out
	}
	return out
}

// closeAll returns the end tags of every element raw HTML left open.
func (s *htmlSanitizer) closeAll() []byte {
	var out []byte
	for j := len(s.open) - 1; j >= 0; j-- {
		out = append(out, "</"+s.open[j]+">"...)
	}
	s.open = s.open[:0]
	return out
}

// appendAttrs writes the allowed, valid attributes of one element, each once
// (the first occurrence wins, as in browsers).
func appendAttrs(out []byte, elem string, allowed []string, attrs []attr) []byte {
	seen := make(map[string]bool, len(attrs))
	for _, a := range attrs {
		if seen[a.name] {
			continue
		}
		seen[a.name] = true
		if !globalAttrs[a.name] && !slices.Contains(allowed, a.name) {
			continue
		}
		val := html.UnescapeString(unquote(a.val))
		switch a.name {
		case "reversed", "open":
			out = append(out, ' ')
			out = append(out, a.name...)
			continue
		}
		if !validAttr(elem, a.name, val) {
			continue
		}
		out = append(out, ' ')
		out = append(out, a.name...)
		out = append(out, `="`...)
		out = append(out, html.EscapeString(val)...)
		out = append(out, '"')
	}
	return out
}

// validAttr checks the value of an allowed attribute.
func validAttr(elem, name, val string) bool {
	switch name {
	case "href", "src", "cite":
		return SafeURL(val)
	case "width", "height", "colspan", "rowspan", "span":
		n, err := strconv.Atoi(val)
		return err == nil && n >= 0 && n <= 10000
	case "start":
		_, err := strconv.Atoi(val)
		return err == nil
	case "value":
		if elem == "li" {
			_, err := strconv.Atoi(val)
			return err == nil
		}
		return true
	case "type": // only <ol> has it
		return val == "1" || val == "a" || val == "A" || val == "i" || val == "I"
	case "loading":
		return val == "lazy" || val == "eager"
	case "dir":
		return val == "ltr" || val == "rtl" || val == "auto"
	case "scope":
		return val == "row" || val == "col" || val == "rowgroup" || val == "colgroup"
	}
	return true
}

func unquote(v string) string {
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return v
	}
	q := v[0]
	v = v[1:]
	if v != "" && v[len(v)-1] == q {
		v = v[:len(v)-1]
	}
	return v
}

// appendEscapedText writes text outside tags, escaping any '<' or '>' the
// lexer let through as text; character references are kept as written.
func appendEscapedText(out, text []byte) []byte {
	for _, c := range text {
		switch c {
		case '<':
			out = append(out, "&lt;"...)
		case '>':
			out = append(out, "&gt;"...)
		default:
			out = append(out, c)
		}
	}
	return out
}

// rawText gathers the plain text of raw HTML as whitespace-collapsed
// paragraphs.
type rawText struct {
	paras []string
	cur   strings.Builder
}

func (t *rawText) add(s string) {
	t.cur.WriteString(s)
}

func (t *rawText) breakPara() {
	if p := strings.Join(strings.Fields(t.cur.String()), " "); p != "" {
		t.paras = append(t.paras, p)
	}
	t.cur.Reset()
}

func (t *rawText) paragraphs() []string {
	t.breakPara()
	return t.paras
}
