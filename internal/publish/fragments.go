package publish

import (
	"bytes"
	"strconv"
)

// Fragments minified once. A page shows many fragments other pages show alike
// (partialCached's: the site header and footer, an article's card on every list it is
// in, its item in every related list), about 40 % of a prose page's bytes. The renderer
// says where they are (File.Fragments); the Writer minifies each distinct fragment once
// and, for each page, the page with every fragment it can take out replaced by a
// placeholder, then puts the fragments' minified bytes where their placeholders came
// out. The result is byte for byte the whole page minified, by the rule below, checked
// on each page as it is written; a page where anything does not hold is minified whole,
// as before.
//
// The rule. The HTML minifier's state between two tokens is whether the next leading
// space is dropped (omitSpace), whether it is in <pre>, <template> or raw text (script,
// style, textarea, title, iframe…), and it looks ahead past a text ending in space for
// the next block tag. A fragment F between A and B in a page is taken out when:
//
//   - every tag of F is a plain one (simpleTag: double-quoted attribute values without
//     '<' or '>'), none of pre, template, raw text, svg, math, noscript, option,
//     optgroup, select, and F has no comment, doctype nor processing instruction
//     (fragmentClean): its tokens are those F alone gives, and neither pre nor raw text
//     opens or closes in it;
//   - left: A ends with a block tag (fragmentBlockTags) exactly where F starts, or F
//     starts, after spaces, with a block tag and A ends with '>' after its spaces: after
//     a block tag omitSpace is true, as at the start of an input, and A's text looks
//     ahead no further than that block tag (a space before it is dropped either way);
//   - right: F ends, before its spaces, with the end tag of a block, or F ends with an
//     end tag and B starts with a block tag: F's last text, if it ends in space, looks
//     ahead only through end tags to that block tag, where F alone finds its end of
//     input, and both drop the space; after it omitSpace is true in both;
//   - the placeholder, <div zzportal-fragment="i"> </div>, comes out of the page's
//     minification as <div zzportal-fragment="i"></div>, in order, once each, and the
//     page names no other: the space inside was dropped, so the minifier read it as tags
//     outside pre, raw text, svg, math and comments, which is where F's context was;
//   - the page has no <iframe (whose content the minifier minifies as a page of its own)
//     and does not name zzportal-fragment itself.
//
// So F in the page minifies to what F alone minifies to, and the page's other bytes to
// what they minify to around a <div></div>, which leaves omitSpace as a block tag does.
// The default theme's partialCached fragments all hold: checked on the prose corpus at
// 10,000 articles, every page identical (BENCHMARKS.md, twenty-first session, mini22).

// Span is where a fragment lies in a File's Data: Data[Start:End].
type Span struct{ Start, End int }

// fragmentBlockTags are tags the HTML minifier treats as blocks (it drops the spaces
// around them): a subset of its own table, which is all the rule needs.
var fragmentBlockTags = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "div": true, "dl": true,
	"footer": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"header": true, "li": true, "main": true, "nav": true, "ol": true, "ul": true, "p": true,
	"section": true,
}

// fragmentUnsafeTags are tags after which a fragment's tokens or the minifier's state
// may depend on what comes before or after it.
var fragmentUnsafeTags = map[string]bool{
	"pre": true, "template": true, "script": true, "style": true, "textarea": true, "title": true,
	"iframe": true, "noembed": true, "noframes": true, "noscript": true, "plaintext": true,
	"xmp": true, "svg": true, "math": true, "option": true, "optgroup": true, "select": true,
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' }

func trimSpaces(b []byte) []byte { return bytes.TrimRight(bytes.TrimLeft(b, " \n\t\r\f"), " \n\t\r\f") }

// tagAt returns the name of the tag that b (starting with '<') opens or closes, in
// lower case in buf, whether it is an end tag, and the bytes after the name; ok is false
// when b does not start with '<' and a letter, or "</" and a letter, then letters and
// digits (at most len(buf)-1).
func tagAt(b []byte, buf *[16]byte) (name []byte, end bool, rest []byte, ok bool) {
	if len(b) < 2 || b[0] != '<' {
		return nil, false, nil, false
	}
	b = b[1:]
	if b[0] == '/' {
		end, b = true, b[1:]
	}
	i := 0
	for i < len(b) && i < len(buf) {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if !('a' <= c && c <= 'z' || i > 0 && '0' <= c && c <= '9') {
			break
		}
		buf[i] = c
		i++
	}
	if i == 0 || i == len(buf) {
		return nil, false, nil, false
	}
	return buf[:i], end, b[i:], true
}

// simpleTag returns the name and length of the tag b starts with, when it is a plain
// one: an end tag "</name>", or a start tag "<name>" or "<name attributes>" whose
// attributes are names, '=' and double-quoted values without '<', '>' or '"' inside.
func simpleTag(b []byte, buf *[16]byte) (name []byte, n int, ok bool) {
	name, end, rest, ok := tagAt(b, buf)
	if !ok || len(rest) == 0 {
		return nil, 0, false
	}
	n = len(b) - len(rest)
	if rest[0] == '>' {
		return name, n + 1, true
	}
	if end || !isSpace(rest[0]) {
		return nil, 0, false
	}
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '>':
			return name, n + i + 1, true
		case c == '=':
			if i+1 == len(rest) || rest[i+1] != '"' {
				return nil, 0, false
			}
			q := bytes.IndexByte(rest[i+2:], '"')
			if q < 0 || bytes.ContainsAny(rest[i+2:i+2+q], "<>") {
				return nil, 0, false
			}
			i += 2 + q
		case isSpace(c) || c == '-' || c == '_' || c == ':' || c == '.' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9':
		default:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

// startsBlockTag reports whether b starts with a block's plain start or end tag.
func startsBlockTag(b []byte) bool {
	var buf [16]byte
	name, _, ok := simpleTag(b, &buf)
	return ok && fragmentBlockTags[string(name)]
}

// endsBlockTag reports whether a ends with a block's plain start or end tag, from its
// last '<'.
func endsBlockTag(a []byte) bool {
	lt := bytes.LastIndexByte(a, '<')
	if lt < 0 {
		return false
	}
	// That '<' must open a tag, not be part of an earlier tag's name or attributes
	// ("<A<li>" is one tag, named "a<li", after which a space is kept): a '<' or a quote
	// between the last '>' before it and it says it may be, and the rule does not take
	// the fragment (found by FuzzFragmentRule).
	if bytes.ContainsAny(a[bytes.LastIndexByte(a[:lt], '>')+1:lt], "<\"'") {
		return false
	}
	var buf [16]byte
	name, n, ok := simpleTag(a[lt:], &buf)
	return ok && n == len(a)-lt && fragmentBlockTags[string(name)]
}

// endTag returns the name of the end tag f ends with.
func endTag(f []byte) (string, bool) {
	lt := bytes.LastIndexByte(f, '<')
	if lt < 0 || len(f) == 0 || f[len(f)-1] != '>' {
		return "", false
	}
	var buf [16]byte
	name, end, rest, ok := tagAt(f[lt:], &buf)
	return string(name), ok && end && len(rest) == 1 && rest[0] == '>'
}

// fragmentClean reports whether f has none of the constructs the rule excludes, and
// every '<' in it followed by a letter or '/' starts a plain tag (simpleTag): so f's
// tokens end where the bytes say, its last end tag is a tag and not an attribute of an
// unclosed one.
func fragmentClean(f []byte) bool {
	for i := 0; ; {
		j := bytes.IndexByte(f[i:], '<')
		if j < 0 {
			return true
		}
		i += j
		if i+1 == len(f) {
			return true
		}
		switch c := f[i+1]; {
		case c == '!' || c == '?':
			return false
		case c == '/' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			var buf [16]byte
			name, n, ok := simpleTag(f[i:], &buf)
			if !ok || fragmentUnsafeTags[string(name)] {
				return false
			}
			i += n
		default:
			i++
		}
	}
}

// hasIframe reports whether page has an <iframe start tag, in any case. It looks only
// at "<i" and "<I", not at every tag: a page has a few of those (img, input, i).
func hasIframe(page []byte) bool {
	var buf [16]byte
	for _, open := range [...]string{"<i", "<I"} {
		for i := 0; ; {
			j := bytes.Index(page[i:], []byte(open))
			if j < 0 {
				break
			}
			i += j
			if name, end, _, ok := tagAt(page[i:], &buf); ok && !end && string(name) == "iframe" {
				return true
			}
			i += len(open)
		}
	}
	return false
}

// fragmentShape is what the rule asks of a fragment alone, worked out once per distinct
// fragment with its minified bytes.
type fragmentShape struct {
	clean       bool // fragmentClean
	startsBlock bool // starts, after spaces, with a block tag
	endsBlock   bool // ends, before spaces, with a block's end tag
	endsEndTag  bool // ends with an end tag, no space after
}

func shapeOf(f []byte) fragmentShape {
	s := fragmentShape{clean: fragmentClean(f)}
	t := trimSpaces(f)
	s.startsBlock = startsBlockTag(t)
	name, ok := endTag(t)
	s.endsBlock = ok && fragmentBlockTags[name]
	_, s.endsEndTag = endTag(f)
	return s
}

// takes reports whether the fragment f of this shape between a and b may be taken out.
func (s fragmentShape) takes(a, b []byte) bool {
	if !s.clean {
		return false
	}
	left := endsBlockTag(a) || s.startsBlock && bytes.HasSuffix(bytes.TrimRight(a, " \n\t\r\f"), []byte{'>'})
	right := s.endsBlock || s.endsEndTag && startsBlockTag(b)
	return left && right
}

// minifiedFragment is a distinct fragment's shape and minified bytes.
type minifiedFragment struct {
	shape fragmentShape
	min   []byte
}

// maxMinifiedFragmentBytes bounds what a Writer keeps of minified fragments, keys (the
// fragments) and values counted: at 10,000 prose articles their distinct fragments
// are ≈ 27 MB of text (BENCHMARKS.md, seventeenth session, mini22). A Writer keeps them
// in a twogen.Cache: those stored or found most recently.
const maxMinifiedFragmentBytes = 64 << 20

// PagesAdded tells w that the producer's pages are all added: the minified fragments
// it keeps for the pages to come (up to maxMinifiedFragmentBytes, counted) go, as
// they would stay on the heap until Commit, through a build's search index stage
// (issue 22: at 30,000 articles 74 MB of a 320 MB live heap there, by the heap
// profile). A page added after it is written the same, its fragments minified anew.
func (w *Writer) PagesAdded() { w.frags.Reset(w.frags.Budget()) }

// fragment returns the shape and minified bytes of f, minifying it (a copy: the minifier
// edits its input) the first time.
func (w *Writer) fragment(f []byte, b *dataBuffers) (*minifiedFragment, error) {
	if m, ok := w.frags.Load(f); ok {
		return m, nil
	}
	m := &minifiedFragment{shape: shapeOf(f)}
	if m.shape.clean {
		b.fragIn = append(append(b.fragIn[:0], f...), 0)[:len(f)]
		var out outBuffer
		out.Grow(len(f))
		if err := w.min.Minify(mimeHTML, &out, bytes.NewBuffer(b.fragIn)); err != nil {
			return nil, err
		}
		m.min = out.Bytes()
	}
	w.frags.Store(f, m, int64(len(f)+len(m.min)))
	return m, nil
}

// placeholderName is the placeholder's attribute: it starts with a byte rare in HTML and
// in Vietnamese (z), so that looking for it skips through a page at memchr's speed,
// where "data-…" stopped at every d (2 % of a build's samples in indexbytebody).
const placeholderName = "zzportal-fragment"

// placeholder appends fragment i's placeholder as given to the minifier (in), or the
// part of it from its attribute on as it must come out of it (after "<div ").
func placeholder(dst []byte, i int, in bool) []byte {
	if in {
		dst = append(dst, "<div "...)
	}
	dst = append(dst, placeholderName+`="`...)
	dst = strconv.AppendInt(dst, int64(i), 10)
	if in {
		return append(dst, `"> </div>`...)
	}
	return append(dst, `"></div>`...)
}

// minifySpliced minifies j (an HTML page with Fragments) into b.min by the rule above
// and reports whether it did; false (b.min then undefined) when the page must be
// minified whole. Its errors are the minifier's.
func (w *Writer) minifySpliced(j File, b *dataBuffers) (bool, error) {
	data := j.Data
	if hasIframe(data) || bytes.Contains(data, []byte(placeholderName)) {
		return false, nil
	}
	in := b.spliceIn[:0]
	taken := b.taken[:0]
	last := 0
	for _, sp := range j.Fragments {
		if sp.Start < last || sp.End <= sp.Start || sp.End > len(data) {
			return false, nil // not spans of this page, in order
		}
		f := data[sp.Start:sp.End]
		m, err := w.fragment(f, b)
		if err != nil {
			return false, err
		}
		if !m.shape.takes(data[:sp.Start], data[sp.End:]) {
			continue
		}
		in = append(in, data[last:sp.Start]...)
		in = placeholder(in, len(taken), true)
		taken = append(taken, m)
		last = sp.End
	}
	b.taken = taken
	if len(taken) == 0 {
		b.spliceIn = in
		return false, nil
	}
	in = append(in, data[last:]...)
	in = append(in, 0)[:len(in)] // the minifier's spare byte after the end
	b.spliceIn = in
	b.spliced.Reset()
	b.spliced.Grow(len(in))
	if err := w.min.Minify(mimeHTML, &b.spliced, bytes.NewBuffer(in)); err != nil {
		return false, err
	}
	out := b.spliced.Bytes()
	if bytes.Count(out, []byte(placeholderName)) != len(taken) {
		return false, nil
	}
	b.min.Reset()
	b.min.Grow(len(data))
	pos := 0
	for i, m := range taken {
		b.mark = placeholder(b.mark[:0], i, false)
		k := bytes.Index(out[pos:], b.mark)
		if k < len("<div ") || string(out[pos+k-len("<div "):pos+k]) != "<div " {
			return false, nil
		}
		b.min.Write(out[pos : pos+k-len("<div ")])
		b.min.Write(m.min)
		pos += k + len(b.mark)
	}
	b.min.Write(out[pos:])
	w.fragmentsSpliced.Add(int64(len(taken)))
	return true, nil
}
