package markdown

import (
	"bufio"
	"bytes"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	ghtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// textExtractor turns a goldmark AST into plain text: one paragraph per
// text block, no markup, character references and backslash escapes
// resolved exactly as the HTML renderer resolves them.
type textExtractor struct {
	src []byte
	// valid says src is valid UTF-8. Then a text made only of pieces of src that start and
	// end at rune boundaries, of ASCII and of pieces checked one by one is valid too, and
	// is not checked again as a whole (most of a body's text is such pieces).
	valid bool
	// unsure is set when a piece of the current text was none of those: the text is then
	// checked whole, and made valid.
	unsure bool
	out    strings.Builder // the text so far: paragraphs joined by "\n\n"
	paras  int             // paragraphs in out
	cur    bytes.Buffer    // the paragraph being read
	esc    bytes.Buffer    // scratch for unescape
	w      *bufio.Writer   // writes into esc; made on first use (few texts have escapes)
}

// newTextExtractor reads the text of nodes parsed from src; valid says src is valid UTF-8.
func newTextExtractor(src []byte, valid bool) *textExtractor {
	return &textExtractor{src: src, valid: valid}
}

// text returns the plain text of n and its descendants, paragraphs joined
// by "\n\n", always valid UTF-8.
func (t *textExtractor) text(n ast.Node) string {
	t.out = strings.Builder{}
	if n.Kind() == ast.KindDocument {
		t.out.Grow(len(t.src)) // the text of a whole body is most of its Markdown
	}
	t.paras = 0
	t.cur.Reset()
	t.unsure = !t.valid
	if _, isImage := n.(*ast.Image); isImage {
		// An image's own text is its alt text, which visit skips.
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			_ = ast.Walk(c, t.visit)
		}
	} else {
		_ = ast.Walk(n, t.visit)
	}
	t.flush()
	s := t.out.String()
	if t.unsure && !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

func (t *textExtractor) flush() {
	if p := bytes.TrimSpace(t.cur.Bytes()); len(p) > 0 {
		t.appendPara(p) // its pieces were checked as they were written
	}
	t.cur.Reset()
}

// addPara appends one paragraph to the text.
func (t *textExtractor) addPara(p []byte) {
	t.check(p)
	t.appendPara(p)
}

// appendPara appends one paragraph, checked already, to the text.
func (t *textExtractor) appendPara(p []byte) {
	if t.paras > 0 {
		t.out.WriteString("\n\n")
	}
	t.out.Write(p)
	t.paras++
}

func (t *textExtractor) visit(n ast.Node, entering bool) (ast.WalkStatus, error) {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock, *ast.Heading, *east.TableHeader, *east.TableRow:
		t.flush()
	case *east.TableCell:
		if !entering && n.NextSibling() != nil {
			t.cur.WriteByte('\t')
		}
	case *ast.CodeBlock, *ast.FencedCodeBlock:
		if entering {
			t.flush()
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				t.fromSource(seg)
				t.cur.Write(seg.Value(t.src))
			}
			t.flush()
		}
		return ast.WalkSkipChildren, nil
	case *figureNode:
		if entering { // the caption is text readers see
			t.flush()
			t.check([]byte(n.caption))
			t.writeText([]byte(n.caption))
			t.flush()
		}
		return ast.WalkSkipChildren, nil
	case *cleanHTMLBlock:
		if entering {
			t.flush()
			for _, p := range n.paras {
				t.addPara([]byte(p)) // checks p
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.Text:
		if entering {
			t.fromSource(n.Segment)
			t.writeText(n.Segment.Value(t.src))
			switch {
			case n.HardLineBreak():
				t.cur.WriteByte('\n')
			case n.SoftLineBreak():
				t.cur.WriteByte(' ')
			}
		}
	case *ast.String:
		if entering {
			t.check(n.Value)
			if n.IsCode() || n.IsRaw() {
				t.cur.Write(n.Value)
			} else {
				t.writeText(n.Value)
			}
		}
	case *ast.CodeSpan:
		if entering {
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				switch c := c.(type) {
				case *ast.Text:
					t.fromSource(c.Segment)
					v := c.Segment.Value(t.src)
					if bytes.HasSuffix(v, []byte("\n")) {
						v = append(v[:len(v)-1:len(v)-1], ' ')
					}
					t.cur.Write(v)
				case *ast.String:
					t.check(c.Value)
					t.cur.Write(c.Value)
				}
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.AutoLink:
		if entering {
			l := n.Label(t.src)
			t.check(l)
			t.cur.Write(l)
		}
		return ast.WalkSkipChildren, nil
	case *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *cleanHTMLInline,
		*east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
}

// fromSource notes a piece of the text taken from src: the text stays valid UTF-8 when
// the piece starts and ends at a rune boundary of a valid src (the padding Value may add
// is spaces).
func (t *textExtractor) fromSource(seg text.Segment) {
	boundary := func(i int) bool { return i == len(t.src) || i < len(t.src) && utf8.RuneStart(t.src[i]) }
	if seg.Start < 0 || seg.Start > seg.Stop || !boundary(seg.Start) || !boundary(seg.Stop) {
		t.unsure = true
	}
}

// check notes a piece of the text that is not a piece of src.
func (t *textExtractor) check(p []byte) {
	if !t.unsure && !utf8.Valid(p) {
		t.unsure = true
	}
}

// writeText appends Markdown text with backslash escapes and character
// references resolved, and NUL replaced by U+FFFD as in the HTML (whatever text node
// the NUL is in: before, only one that also held a '\\' or '&').
func (t *textExtractor) writeText(v []byte) {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 && bytes.IndexByte(v, 0) < 0 {
		t.cur.Write(v)
		return
	}
	t.esc.Reset()
	if t.w == nil {
		t.w = bufio.NewWriter(&t.esc)
	}
	ghtml.DefaultWriter.Write(t.w, v)
	_ = t.w.Flush()
	u := html.UnescapeString(t.esc.String())
	if !t.unsure && !utf8.ValidString(u) { // a piece of src, but changed: checked itself
		t.unsure = true
	}
	t.cur.WriteString(u)
}

// countWords counts the space-separated words of s that hold at least one
// letter or digit. A Vietnamese "word" here is a syllable ("tiếng"), which
// is how Vietnamese word counts are usually given.
//
// It reads s a byte at a time and decodes a rune only where the answer depends on it:
// at the start of a word (is it a letter or digit?) and, inside a word, at the lead bytes
// of the non-ASCII spaces (U+0085 and U+00A0 start with 0xC2, U+1680 with 0xE1,
// U+2000–U+205F with 0xE2, U+3000 with 0xE3). Any other rune inside a word, and any
// byte of an invalid sequence, neither ends nor starts a word: it is stepped over with
// its continuation bytes. The Vietnamese letters of U+1E80–U+1EFF (0xE1 0xBA/0xBB …)
// are letters without a table lookup. The count is the rune-wise one
// (TestCountWordsMatchesTheUnicodeRules, FuzzCountWords).
func countWords(s string) int {
	n := 0
	counted := false // the current word has been counted
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == ' ' || '\t' <= c && c <= '\r':
				counted = false
			case !counted && ('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'):
				n++
				counted = true
			}
			i++
			continue
		}
		if c == 0xE1 && i+2 < len(s) && (s[i+1] == 0xBA || s[i+1] == 0xBB) && s[i+2]&0xC0 == 0x80 {
			// U+1E80–U+1EFF, Latin Extended Additional: ạ ả ấ … ỹ, all letters.
			if !counted {
				n++
				counted = true
			}
			i += 3
			continue
		}
		if counted && c != 0xC2 && c != 0xE1 && c != 0xE2 && c != 0xE3 {
			// Not a space: skip the rune (or the invalid byte) and its continuation bytes.
			for i++; i < len(s) && s[i]&0xC0 == 0x80; i++ {
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			n++
			counted = true
		}
		i += size
	}
	return n
}
