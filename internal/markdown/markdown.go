// Package markdown is the one place portal turns Markdown into HTML.
//
// It wraps goldmark with the project's settings: GitHub Flavored Markdown
// (tables, strikethrough, autolinks, task lists), footnotes, no typographer
// (Vietnamese authors type “ ” themselves), heading IDs made with
// vietnamese.Slug, and safety rules for a public government portal:
//
//   - raw HTML is dropped, unless Options.Unsafe is set, in which case it is
//     kept but cleaned by an allow-list sanitizer (see SanitizeHTML);
//   - link, image and autolink destinations must pass SafeURL, otherwise
//     they are replaced by "#";
//   - heading attributes ({#id .class}) are limited to id and class.
//
// Besides the HTML, Render returns the plain text, the headings and the
// links of a document, for search, summaries, tables of contents and link
// checking.
package markdown

import (
	"bufio"
	"bytes"
	"html/template"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Options configures a Renderer.
type Options struct {
	// Unsafe allows raw HTML in Markdown (config markup.unsafe). Even then
	// the HTML is sanitized: scripts, styles, frames, forms, event handler
	// and style attributes and unsafe URLs are removed. When false, raw
	// HTML is replaced by an HTML comment.
	Unsafe bool
}

// Renderer renders Markdown with the project's settings. It is built once
// with New and is safe for concurrent use by many goroutines.
type Renderer struct {
	md goldmark.Markdown // whole documents
	// unlinked is md without Linkify, for documents in which Linkify can find nothing
	// (mayLinkify): the same HTML without a look for a link at every space.
	unlinked goldmark.Markdown
	inline   goldmark.Markdown // one line: paragraphs only, no block syntax
	unsafe   bool
}

// Result is a rendered document.
type Result struct {
	HTML      template.HTML // rendered body: trusted (raw HTML dropped or sanitized, unsafe URLs neutralised)
	Text      string        // plain text of the body, paragraphs separated by "\n\n"; no markup, references decoded
	Headings  []Heading     // every heading in document order, for a table of contents
	Links     []Link        // every link, autolink and image in document order
	WordCount int           // words (Vietnamese syllables) in Text
	// Citations are the legal document numbers the text cites, in HTML order (see Citation).
	Citations []Citation
}

// Heading is one heading of a document.
type Heading struct {
	Level int    // 1 to 6
	ID    string // the id attribute of the heading, unique within the document
	Text  string // plain text of the heading
}

// Link is one link or image destination of a document.
type Link struct {
	// Dest is the destination as the author wrote it, with backslash
	// escapes and character references resolved (not percent-encoded), so
	// "/tin-tức/" stays readable. For a blocked link this is the unsafe
	// value; the HTML has "#" instead.
	Dest string
	// Line is the 1-based line of the link in the Markdown source given to
	// Render (callers that cut front matter off add its line count).
	Line int
	// Col is the 1-based column (in characters) where the link's text starts on Line,
	// for images only (0 when unknown).
	Col int
	// Image is true for images.
	Image bool
	// Alt is the plain-text alternative text of an image.
	Alt string
	// Blocked is true when Dest failed SafeURL and was replaced by "#".
	Blocked bool
}

// nodeRendererPriority places nodeRenderer before goldmark's HTML renderer
// (priority 1000); its node kinds are its own, so the value only has to be
// distinct.
const nodeRendererPriority = 500

// New returns a Renderer with the given options.
func New(opts Options) *Renderer {
	// Plain-text URLs become links only for the web schemes (no ftp:).
	linkify := extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"}))
	nodes := goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, nodeRendererPriority)))
	// align="…" rather than style="text-align:…", so pages need no inline
	// styles (friendlier to a Content-Security-Policy).
	table := extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute))
	md := goldmark.New(
		goldmark.WithExtensions(table, extension.Strikethrough, linkify, extension.TaskList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAttribute()),
		nodes,
	)
	unlinked := goldmark.New(
		goldmark.WithExtensions(table, extension.Strikethrough, extension.TaskList, extension.Footnote),
		goldmark.WithParserOptions(parser.WithAttribute()),
		nodes,
	)
	inlineParser := parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
	)
	inline := goldmark.New(
		goldmark.WithParser(inlineParser),
		goldmark.WithExtensions(extension.Strikethrough, linkify),
		nodes,
	)
	return &Renderer{md: md, unlinked: unlinked, inline: inline, unsafe: opts.Unsafe}
}

// Render renders one Markdown document. The source is normalised to NFC
// first (line numbers do not change). The error is non-nil only when
// goldmark itself fails, which is a bug to report with the document.
func (r *Renderer) Render(src []byte) (res Result, err error) {
	return r.RenderPage(src, Page{Images: NoImages{}})
}

// RenderPage is Render with the document's images resolved by pg.Images: each becomes a
// <picture> of its published variants, and one alone in its paragraph a <figure> whose
// caption is the image's title.
func (r *Renderer) RenderPage(src []byte, pg Page) (res Result, err error) {
	if !pg.NFC {
		src, pg.NFC = nfcValid(src) // invalid UTF-8: renderPage looks again
	}
	md := r.md
	if !mayLinkify(src) {
		md = r.unlinked
	}
	return r.renderPage(md, src, pg)
}

// mayLinkify reports whether Linkify could change the render of src. It only finds
// links in text that starts with "http:", "https:" or "www.", or holds an '@' (an e-mail
// address). Otherwise it only splits the text at each space (goldmark flushes the text
// before every trigger character), which nothing reads, except where a line ends in
// two or more white space characters: goldmark then trims the last of them only.
func mayLinkify(src []byte) bool {
	if bytes.Contains(src, []byte("http")) || bytes.Contains(src, []byte("www.")) || bytes.IndexByte(src, '@') >= 0 {
		return true
	}
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' }
	for off := 0; ; { // each line end, and the end of src
		j := bytes.IndexByte(src[off:], '\n')
		if j < 0 {
			j = len(src) - off
		}
		if i := off + j; i >= 2 && space(src[i-1]) && space(src[i-2]) {
			return true
		}
		if off += j + 1; off > len(src) {
			return false
		}
	}
}

// renderPage is RenderPage with md, r.md or r.unlinked.
func (r *Renderer) renderPage(md goldmark.Markdown, src []byte, pg Page) (res Result, err error) {
	defer func() {
		if p := recover(); p != nil {
			res, err = Result{}, message.Errorf("thư viện Markdown bị lỗi khi đọc bài này (%v): xin báo lỗi cho nhóm phát triển portal, gửi kèm tệp bài", p)
		}
	}()
	valid := pg.NFC
	if !valid {
		src, valid = nfcValid(src)
	}
	ids := newHeadingIDs()
	pc := parser.NewContext(parser.WithIDs(ids))
	doc := md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	d := r.prepare(doc, src, ids, valid)
	placePictures(d.images, d.dests, d.alts, pg)

	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2)
	rec := &citeRecorder{buf: &buf}
	markCitations(doc, src, rec)
	if err := md.Renderer().Render(bufio.NewWriter(&buf), src, doc); err != nil {
		return Result{}, message.Errorf("không tạo được HTML từ Markdown: %w", err)
	}
	buf.Write(d.closers)
	sortCitations(rec.out)

	txt := newTextExtractor(src, valid).text(doc)
	return Result{
		HTML:      template.HTML(buf.String()),
		Text:      txt,
		Headings:  d.headings,
		Links:     d.links,
		WordCount: countWords(txt),
		Citations: rec.out,
	}, nil
}

// RenderInline renders one line of Markdown (a title or a summary) without
// the wrapping <p>. Only inline syntax is read: "# x" or "- x" stay text.
// Several paragraphs are joined with a space. On the (unexpected) failure
// of goldmark it returns src escaped as plain text.
func (r *Renderer) RenderInline(src string) (out template.HTML) {
	defer func() {
		if p := recover(); p != nil {
			out = template.HTML(template.HTMLEscapeString(src))
		}
	}()
	b, valid := nfcValid([]byte(src))
	if plainInline(b) {
		if string(b) == src && !strings.Contains(src, `"`) {
			// Already NFC, nothing to escape: the HTML is src's own bytes (the loaded site
			// keeps each summary once, not once more as its HTML).
			return template.HTML(strings.TrimSpace(src))
		}
		return template.HTML(strings.TrimSpace(strings.ReplaceAll(string(b), `"`, "&quot;")))
	}
	return r.renderInline(src, b, valid)
}

// renderInline is RenderInline through goldmark, of b, the NFC form of src (valid: b is
// valid UTF-8).
func (r *Renderer) renderInline(src string, b []byte, valid bool) template.HTML {
	doc := r.inline.Parser().Parse(text.NewReader(b))
	d := r.prepare(doc, b, newHeadingIDs(), valid)

	var buf bytes.Buffer
	for p := doc.FirstChild(); p != nil; p = p.NextSibling() {
		if buf.Len() > 0 {
			buf.WriteByte(' ')
		}
		for c := p.FirstChild(); c != nil; c = c.NextSibling() {
			if err := r.inline.Renderer().Render(&buf, b, c); err != nil {
				return template.HTML(template.HTMLEscapeString(src))
			}
		}
	}
	buf.Write(d.closers)
	return template.HTML(strings.TrimSpace(buf.String()))
}

// plainInline reports whether one line of Markdown has no syntax goldmark's inline
// parser (with Strikethrough and Linkify) would read: no markup or escape character, no
// line break or other control character, nothing a link could start with, no
// indentation. goldmark
// renders such a line as its text with `"` escaped, which RenderInline then does itself
// (most summaries are such lines; TestPlainInlineMatchesGoldmark, FuzzRenderInline).
func plainInline(b []byte) bool {
	if len(b) > 0 && b[0] == ' ' {
		return false // four spaces would make an (unparsed) code block
	}
	for _, c := range b {
		switch {
		case c < ' ' || c == 0x7f:
			return false
		case c >= utf8.RuneSelf:
		default:
			switch c {
			case '\\', '`', '*', '_', '~', '[', ']', '!', '<', '>', '&', '@':
				return false
			}
		}
	}
	return !containsASCIIFold(b, "www") && !containsASCIIFold(b, "http")
}

// containsASCIIFold reports whether b holds word (ASCII lower case letters) in any mix of
// cases: bytes.Contains(bytes.ToLower(b), word) without lowering a copy of b (no
// non-ASCII rune lowers to w, h, t or p).
func containsASCIIFold(b []byte, word string) bool {
	for i := 0; i+len(word) <= len(b); i++ {
		if b[i]|0x20 != word[0] {
			continue
		}
		j := 1
		for j < len(word) && b[i+j]|0x20 == word[j] {
			j++
		}
		if j == len(word) {
			return true
		}
	}
	return false
}

// nfcValid returns src in NFC (src itself when it is already), and whether src is valid
// UTF-8. Most Vietnamese text is both, which vietnamese.CheckUTF8NFC sees in one pass
// without the normalizer's tables.
func nfcValid(src []byte) ([]byte, bool) {
	valid, nfc := vietnamese.CheckUTF8NFC(src)
	if nfc || !valid && norm.NFC.IsNormal(src) {
		return src, valid
	}
	return norm.NFC.Bytes(src), valid
}

// docInfo is what prepare learns about a document.
type docInfo struct {
	headings []Heading
	links    []Link
	closers  []byte // end tags for raw HTML elements left open
	// images are the images with a safe destination, in document order; alts their
	// alternative texts.
	images []*ast.Image
	dests  []string
	alts   []string
}

// prepare applies the project's rules to a parsed document before it is
// rendered: safe destinations, heading attributes and IDs, raw HTML
// sanitizing (Unsafe) and table wrappers. It collects headings and links. valid says
// src is valid UTF-8.
func (r *Renderer) prepare(doc ast.Node, src []byte, ids *headingIDs, valid bool) docInfo {
	var (
		d         docInfo
		headings  []*ast.Heading
		autolinks []*ast.AutoLink
		raws      []ast.Node
		tables    []ast.Node
		lines     lineIndex
		tx        = newTextExtractor(src, valid)
	)
	lines.src = src
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			keepHeadingAttributes(n)
			headings = append(headings, n)
		case *ast.Link:
			dest, ok := checkDestination(n.Destination)
			d.links = append(d.links, Link{Dest: dest, Line: lines.line(nodeOffset(n)), Blocked: !ok})
			if !ok {
				n.Destination = []byte("#")
			}
		case *ast.Image:
			dest, ok := checkDestination(n.Destination)
			alt := tx.text(n)
			off := nodeOffset(n)
			d.links = append(d.links, Link{Dest: dest, Line: lines.line(off), Col: lines.col(off), Image: true, Alt: alt, Blocked: !ok})
			if !ok {
				n.Destination = []byte("#")
			} else {
				d.images = append(d.images, n)
				d.dests = append(d.dests, dest)
				d.alts = append(d.alts, alt)
			}
		case *ast.AutoLink:
			url := n.URL(src)
			ok := SafeURL(string(url)) && SafeURL(string(util.URLEscape(url, false)))
			d.links = append(d.links, Link{Dest: string(url), Line: lines.line(nodeOffset(n)), Blocked: !ok})
			if !ok {
				autolinks = append(autolinks, n)
			}
		case *ast.HTMLBlock, *ast.RawHTML:
			if r.unsafe {
				raws = append(raws, n)
			}
		case *east.Table:
			tables = append(tables, n)
		}
		return ast.WalkContinue, nil
	})

	for _, n := range autolinks {
		link := ast.NewLink()
		link.Destination = []byte("#")
		link.AppendChild(link, ast.NewString(n.Label(src)))
		n.Parent().ReplaceChild(n.Parent(), n, link)
	}
	if len(raws) > 0 {
		var san htmlSanitizer
		for _, n := range raws {
			switch n := n.(type) {
			case *ast.HTMLBlock:
				var raw []byte
				for i := 0; i < n.Lines().Len(); i++ {
					seg := n.Lines().At(i)
					raw = append(raw, seg.Value(src)...)
				}
				if n.HasClosure() {
					raw = append(raw, n.ClosureLine.Value(src)...)
				}
				clean, paras := san.fragment(raw)
				if len(clean) > 0 && clean[len(clean)-1] != '\n' {
					clean = append(clean, '\n')
				}
				n.Parent().ReplaceChild(n.Parent(), n, &cleanHTMLBlock{html: clean, paras: paras})
			case *ast.RawHTML:
				var raw []byte
				for i := 0; i < n.Segments.Len(); i++ {
					seg := n.Segments.At(i)
					raw = append(raw, seg.Value(src)...)
				}
				clean, _ := san.fragment(raw)
				n.Parent().ReplaceChild(n.Parent(), n, &cleanHTMLInline{html: clean})
			}
		}
		d.closers = san.closeAll()
	}
	for _, t := range tables {
		wrap := &tableWrap{}
		t.Parent().ReplaceChild(t.Parent(), t, wrap)
		wrap.AppendChild(wrap, t)
	}

	// Author-given IDs first, so generated ones avoid them.
	for _, h := range headings {
		if id, ok := h.AttributeString("id"); ok {
			ids.Put(id.([]byte))
		}
	}
	if len(headings) > 0 {
		// Kept with the document for its table of contents: exactly as many as there are,
		// each heading's text and ID in one string.
		d.headings = make([]Heading, 0, len(headings))
	}
	for _, h := range headings {
		txt := tx.text(h)
		var id []byte
		if v, ok := h.AttributeString("id"); ok {
			id = v.([]byte)
		} else {
			id = ids.Generate([]byte(txt), ast.KindHeading)
			h.SetAttributeString("id", id)
		}
		both := txt + string(id)
		d.headings = append(d.headings, Heading{Level: h.Level, ID: both[len(txt):], Text: both[:len(txt)]})
	}
	return d
}

// keepHeadingAttributes removes every heading attribute except a non-empty
// id and class: {onclick=...}, {style=...} and the like are dropped.
func keepHeadingAttributes(h *ast.Heading) {
	attrs := h.Attributes()
	if attrs == nil {
		return
	}
	h.RemoveAttributes()
	for _, a := range attrs {
		v, isBytes := a.Value.([]byte)
		name := string(a.Name)
		if isBytes && len(v) > 0 && (name == "id" || name == "class") {
			h.SetAttribute(a.Name, v)
		}
	}
}

// checkDestination resolves a link destination as goldmark does and reports
// whether it is safe both as resolved and as written into the HTML.
func checkDestination(dest []byte) (string, bool) {
	resolved := util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
	ok := SafeURL(string(resolved)) && SafeURL(string(util.URLEscape(dest, true)))
	return string(resolved), ok
}

// nodeOffset returns the byte offset of an inline node in the source: its
// own position when goldmark recorded one, else the start of its first text.
func nodeOffset(n ast.Node) int {
	if p := n.Pos(); p >= 0 {
		return p
	}
	for c := n.FirstChild(); c != nil; c = c.FirstChild() {
		if t, ok := c.(*ast.Text); ok {
			return t.Segment.Start
		}
	}
	return -1
}

// lineIndex maps byte offsets to 1-based line numbers; it is built on
// first use.
type lineIndex struct {
	src    []byte
	starts []int // offset of the start of each line
}

// col returns the 1-based column, in characters, of off on its line (0 when unknown).
func (l *lineIndex) col(off int) int {
	line := l.line(off)
	if line == 0 {
		return 0
	}
	return utf8.RuneCount(l.src[l.starts[line-1]:off]) + 1
}

func (l *lineIndex) line(off int) int {
	if off < 0 {
		return 0
	}
	if l.starts == nil {
		l.starts = append(l.starts, 0)
		for i, c := range l.src {
			if c == '\n' {
				l.starts = append(l.starts, i+1)
			}
		}
	}
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
}
