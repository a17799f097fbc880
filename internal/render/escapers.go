package render

import (
	"fmt"
	"html/template"
	"reflect"
	"strings"
	"unicode/utf8"
)

// html/template's escaper functions, for the compiled executor (compiled.go).
//
// After html/template has escaped a layout, its actions end in calls of functions such as
// _html_template_attrescaper that only html/template's own namespace holds. The compiled
// executor calls these copies instead: the code below is html/template's (Go 1.26,
// src/html/template/{content,html,url}.go, Copyright The Go Authors, under the BSD licence
// reproduced in LICENSE.go-authors beside this file) for the
// values layouts print — strings, numbers, template.URL, template.JS — and, for the two
// cases that need html/template's context machinery (an attribute given template.HTML is
// stripped of its tags; a script value other than template.JS is encoded as JavaScript),
// html/template itself through a template of one action in the same context
// (escaperRefs). TestEscapersMatchHTMLTemplate and FuzzEscapers compare every copy with
// html/template's own through such templates.

// contentType is html/template's kind of a typed string.
type contentType uint8

const (
	contentTypePlain contentType = iota
	contentTypeCSS
	contentTypeHTML
	contentTypeHTMLAttr
	contentTypeJS
	contentTypeJSStr
	contentTypeURL
	contentTypeSrcset
)

// filterFailsafe is what a filter prints for a value it refuses.
const filterFailsafe = "ZgotmplZ"

var (
	errorType       = reflect.TypeFor[error]()
	fmtStringerType = reflect.TypeFor[fmt.Stringer]()
)

// escIndirect is html/template's indirect: the value after as many dereferences as
// needed to reach the base type (or nil).
func escIndirect(a any) any {
	if a == nil {
		return nil
	}
	if t := reflect.TypeOf(a); t.Kind() != reflect.Pointer {
		return a
	}
	v := reflect.ValueOf(a)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// indirectToStringerOrError is html/template's: the value dereferenced until it is an
// implementation of fmt.Stringer or error, or not a pointer.
func indirectToStringerOrError(a any) any {
	if a == nil {
		return nil
	}
	v := reflect.ValueOf(a)
	for !v.Type().Implements(fmtStringerType) && !v.Type().Implements(errorType) && v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	return v.Interface()
}

// stringify is html/template's for the one argument an escaper of an escaped action gets.
func stringify(arg any) (string, contentType) {
	switch s := escIndirect(arg).(type) {
	case string:
		return s, contentTypePlain
	case template.CSS:
		return string(s), contentTypeCSS
	case template.HTML:
		return string(s), contentTypeHTML
	case template.HTMLAttr:
		return string(s), contentTypeHTMLAttr
	case template.JS:
		return string(s), contentTypeJS
	case template.JSStr:
		return string(s), contentTypeJSStr
	case template.URL:
		return string(s), contentTypeURL
	case template.Srcset:
		return string(s), contentTypeSrcset
	}
	if arg == nil { // untyped nil arguments are skipped
		return fmt.Sprint(), contentTypePlain
	}
	return fmt.Sprint(indirectToStringerOrError(arg)), contentTypePlain
}

// escaperRefs are html/template templates of one action whose only escaper is the one
// named, for the cases the copies leave to html/template.
type escaperRefs struct {
	attr, js *template.Template
}

const (
	attrRefOpen, attrRefClose = `<a title="`, `">`
	jsRefOpen, jsRefClose     = `<script>`, `</script>`
)

func newEscaperRefs() (*escaperRefs, error) {
	attr, err := template.New("attr").Parse(attrRefOpen + "{{ . }}" + attrRefClose)
	if err != nil {
		return nil, err
	}
	js, err := template.New("js").Parse(jsRefOpen + "{{ . }}" + jsRefClose)
	if err != nil {
		return nil, err
	}
	return &escaperRefs{attr: attr, js: js}, nil
}

// through executes ref with v and returns what its action printed.
func through(ref *template.Template, open, close string, v any) string {
	var b strings.Builder
	if err := ref.Execute(&b, v); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(strings.TrimPrefix(b.String(), open), close)
}

// escaper is one of html/template's escapers: the string it makes of its argument.
type escaper func(arg any) string

// escaperFor returns the copy of html/template's escaper name, false when the compiled
// executor has none (the layout keeps text/template).
func (r *escaperRefs) escaperFor(name string) (escaper, bool) {
	switch name {
	case "_html_template_htmlescaper":
		return htmlEscaper, true
	case "_html_template_attrescaper":
		return r.attrEscaper, true
	case "_html_template_rcdataescaper":
		return rcdataEscaper, true
	case "_html_template_urlfilter":
		return urlFilter, true
	case "_html_template_urlnormalizer":
		return urlNormalizer, true
	case "_html_template_urlescaper":
		return urlEscaper, true
	case "_html_template_srcsetescaper":
		return srcsetFilterAndEscaper, true
	case "_html_template_jsvalescaper":
		return r.jsValEscaper, true
	}
	return nil, false
}

// stringEscaperFor returns, for the escaper name, what it makes of a string (a value of
// type string itself, which stringify gives as it is, as plain text), when that is
// known without html/template: the compiled executor calls it on strings without
// boxing them (call22). TestEscapersMatchHTMLTemplate compares both.
func stringEscaperFor(name string) func(string) string {
	switch name {
	case "_html_template_htmlescaper", "_html_template_attrescaper", "_html_template_rcdataescaper":
		return htmlEscaperString
	case "_html_template_urlfilter":
		return urlFilterString
	case "_html_template_urlnormalizer":
		return urlNormalizerString
	case "_html_template_urlescaper":
		return urlEscaperString
	}
	return nil
}

// typedEscaperFor returns, for the escaper name, the typed string it passes as it is
// (htmlescaper: template.HTML, stringify's contentTypeHTML; jsvalescaper: template.JS), or
// nil: the compiled executor prints such a value without boxing it (call22).
func typedEscaperFor(name string) reflect.Type {
	switch name {
	case "_html_template_htmlescaper":
		return htmlType
	case "_html_template_jsvalescaper":
		return jsType
	}
	return nil
}

var (
	htmlType = reflect.TypeFor[template.HTML]()
	jsType   = reflect.TypeFor[template.JS]()
)

// htmlEscaperString is htmlEscaper, attrEscaper and rcdataEscaper of a string.
func htmlEscaperString(s string) string { return htmlReplacer(s, htmlReplacementTable, true) }

// urlFilterString is urlFilter of a string.
func urlFilterString(s string) string {
	if !isSafeURL(s) {
		return "#" + filterFailsafe
	}
	return s
}

func urlEscaperString(s string) string    { return processURL(false, s) }
func urlNormalizerString(s string) string { return processURL(true, s) }

// htmlEscaper escapes for inclusion in HTML text.
func htmlEscaper(arg any) string {
	if s, ok := arg.(string); ok {
		return htmlReplacer(s, htmlReplacementTable, true)
	}
	s, t := stringify(arg)
	if t == contentTypeHTML {
		return s
	}
	return htmlReplacer(s, htmlReplacementTable, true)
}

// attrEscaper escapes for inclusion in quoted attribute values; template.HTML is
// stripped of its tags by html/template itself.
func (r *escaperRefs) attrEscaper(arg any) string {
	if s, ok := arg.(string); ok {
		return htmlReplacer(s, htmlReplacementTable, true)
	}
	s, t := stringify(arg)
	if t == contentTypeHTML {
		return through(r.attr, attrRefOpen, attrRefClose, arg)
	}
	return htmlReplacer(s, htmlReplacementTable, true)
}

// jsValEscaper: template.JS as it is, anything else encoded by html/template itself.
func (r *escaperRefs) jsValEscaper(arg any) string {
	if js, ok := arg.(template.JS); ok {
		return string(js)
	}
	return through(r.js, jsRefOpen, jsRefClose, arg)
}

// rcdataEscaper escapes for inclusion in an RCDATA element body.
func rcdataEscaper(arg any) string {
	s, t := stringify(arg)
	if t == contentTypeHTML {
		return htmlReplacer(s, htmlNormReplacementTable, true)
	}
	return htmlReplacer(s, htmlReplacementTable, true)
}

var htmlNormReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

var htmlReplacementTable = []string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// htmlReplacer returns s with runes replaced according to replacementTable and when
// badRunes is true, certain bad runes are allowed through unescaped.
//
// With badRunes (every caller here) only runes below len(replacementTable), all ASCII,
// are replaced: a byte below 0x80 is always a rune of its own in UTF-8 (no byte of a
// multi-byte sequence is below 0x80, and an invalid byte decodes as U+FFFD, which the
// table does not hold), so the bytes are scanned without decoding the runes (the
// template stage's largest escaper cost on Vietnamese text, call22).
func htmlReplacer(s string, replacementTable []string, badRunes bool) string {
	if badRunes {
		return htmlReplacerASCII(s, replacementTable)
	}
	written, b := 0, new(strings.Builder)
	r, w := rune(0), 0
	for i := 0; i < len(s); i += w {
		r, w = utf8.DecodeRuneInString(s[i:])
		if int(r) < len(replacementTable) {
			if repl := replacementTable[r]; len(repl) != 0 {
				if written == 0 {
					b.Grow(len(s))
				}
				b.WriteString(s[written:i])
				b.WriteString(repl)
				written = i + w
			}
		} else if badRunes {
			// No-op.
		} else if 0xfdd0 <= r && r <= 0xfdef || 0xfff0 <= r && r <= 0xffff {
			if written == 0 {
				b.Grow(len(s))
			}
			fmt.Fprintf(b, "%s&#x%x;", s[written:i], r)
			written = i + w
		}
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// htmlReplacerASCII is htmlReplacer with badRunes: s with the bytes that replacementTable
// holds replaced.
func htmlReplacerASCII(s string, replacementTable []string) string {
	written := 0
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if int(c) >= len(replacementTable) {
			continue
		}
		repl := replacementTable[c]
		if len(repl) == 0 {
			continue
		}
		if written == 0 {
			b.Grow(len(s))
		}
		b.WriteString(s[written:i])
		b.WriteString(repl)
		written = i + 1
	}
	if written == 0 {
		return s
	}
	b.WriteString(s[written:])
	return b.String()
}

// urlFilter returns its input unless it contains an unsafe scheme.
func urlFilter(arg any) string {
	s, t := stringify(arg)
	if t == contentTypeURL {
		return s
	}
	if !isSafeURL(s) {
		return "#" + filterFailsafe
	}
	return s
}

// isSafeURL is true if s is a relative URL or if URL has a protocol in (http, https, mailto).
func isSafeURL(s string) bool {
	if protocol, _, ok := strings.Cut(s, ":"); ok && !strings.Contains(protocol, "/") {
		if !strings.EqualFold(protocol, "http") && !strings.EqualFold(protocol, "https") && !strings.EqualFold(protocol, "mailto") {
			return false
		}
	}
	return true
}

func urlEscaper(arg any) string    { return urlProcessor(false, arg) }
func urlNormalizer(arg any) string { return urlProcessor(true, arg) }

func urlProcessor(norm bool, arg any) string {
	s, t := stringify(arg)
	if t == contentTypeURL {
		norm = true
	}
	return processURL(norm, s)
}

// processURL is urlProcessor's end: s normalized, or escaped when norm is false.
func processURL(norm bool, s string) string {
	i := 0
	for i < len(s) && urlKeeps(s, i, norm) {
		i++
	}
	if i == len(s) { // nothing to escape: s, without a builder (call22)
		return s
	}
	var b strings.Builder
	if processURLOnto(s, norm, &b) {
		return b.String()
	}
	return s
}

// processURLOnto appends a normalized URL corresponding to its input to b and reports
// whether the appended content differs from s.
func processURLOnto(s string, norm bool, b *strings.Builder) bool {
	b.Grow(len(s) + 16)
	written := 0
	for i, n := 0, len(s); i < n; i++ {
		c := s[i]
		if urlKeeps(s, i, norm) {
			continue
		}
		b.WriteString(s[written:i])
		fmt.Fprintf(b, "%%%02x", c)
		written = i + 1
	}
	b.WriteString(s[written:])
	return written != 0
}

// urlKeeps reports whether processURLOnto keeps s[i] as it is.
func urlKeeps(s string, i int, norm bool) bool {
	c := s[i]
	switch c {
	case '!', '#', '$', '&', '*', '+', ',', '/', ':', ';', '=', '?', '@', '[', ']':
		return norm
	case '-', '.', '_', '~':
		return true
	case '%':
		return norm && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// srcsetFilterAndEscaper filters and normalizes srcset values.
func srcsetFilterAndEscaper(arg any) string {
	s, t := stringify(arg)
	switch t {
	case contentTypeSrcset:
		return s
	case contentTypeURL:
		var b strings.Builder
		if processURLOnto(s, true, &b) {
			s = b.String()
		}
		return strings.ReplaceAll(s, ",", "%2c")
	}
	var b strings.Builder
	written := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ',' {
			filterSrcsetElement(s, written, i, &b)
			b.WriteString(",")
			written = i + 1
		}
	}
	filterSrcsetElement(s, written, len(s), &b)
	return b.String()
}

const htmlSpaceAndASCIIAlnumBytes = "\x00\x36\x00\x00\x01\x00\xff\x03\xfe\xff\xff\x07\xfe\xff\xff\x07"

func isHTMLSpace(c byte) bool {
	return (c <= 0x20) && 0 != (htmlSpaceAndASCIIAlnumBytes[c>>3]&(1<<uint(c&0x7)))
}

func isHTMLSpaceOrASCIIAlnum(c byte) bool {
	return (c < 0x80) && 0 != (htmlSpaceAndASCIIAlnumBytes[c>>3]&(1<<uint(c&0x7)))
}

func filterSrcsetElement(s string, left int, right int, b *strings.Builder) {
	start := left
	for start < right && isHTMLSpace(s[start]) {
		start++
	}
	end := right
	for i := start; i < right; i++ {
		if isHTMLSpace(s[i]) {
			end = i
			break
		}
	}
	if url := s[start:end]; isSafeURL(url) {
		metadataOk := true
		for i := end; i < right; i++ {
			if !isHTMLSpaceOrASCIIAlnum(s[i]) {
				metadataOk = false
				break
			}
		}
		if metadataOk {
			b.WriteString(s[left:start])
			processURLOnto(url, true, b)
			b.WriteString(s[end:right])
			return
		}
	}
	b.WriteString("#")
	b.WriteString(filterFailsafe)
}
