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
)

// textExtractor turns a goldmark AST into plain text: one paragraph per
// text block, no markup, character references and backslash escapes
// resolved exactly as the HTML renderer resolves them.
type textExtractor struct {
	src   []byte
	out   strings.Builder // the text so far: paragraphs joined by "\n\n"
	paras int             // paragraphs in out
	cur   bytes.Buffer    // the paragraph being read
	esc   bytes.Buffer    // scratch for unescape
	w     *bufio.Writer   // writes into esc; made on first use (few texts have escapes)
}

func newTextExtractor(src []byte) *textExtractor {
	return &textExtractor{src: src}
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
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

func (t *textExtractor) flush() {
	if p := bytes.TrimSpace(t.cur.Bytes()); len(p) > 0 {
		t.addPara(p)
	}
	t.cur.Reset()
}

// addPara appends one paragraph to the text.
func (t *textExtractor) addPara(p []byte) {
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
				t.cur.Write(seg.Value(t.src))
			}
			t.flush()
		}
		return ast.WalkSkipChildren, nil
	case *figureNode:
		if entering { // the caption is text readers see
			t.flush()
			t.writeText([]byte(n.caption))
			t.flush()
		}
		return ast.WalkSkipChildren, nil
	case *cleanHTMLBlock:
		if entering {
			t.flush()
			for _, p := range n.paras {
				t.addPara([]byte(p))
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.Text:
		if entering {
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
					v := c.Segment.Value(t.src)
					if bytes.HasSuffix(v, []byte("\n")) {
						v = append(v[:len(v)-1:len(v)-1], ' ')
					}
					t.cur.Write(v)
				case *ast.String:
					t.cur.Write(c.Value)
				}
			}
		}
		return ast.WalkSkipChildren, nil
	case *ast.AutoLink:
		if entering {
			t.cur.Write(n.Label(t.src))
		}
		return ast.WalkSkipChildren, nil
	case *ast.Image, *ast.RawHTML, *ast.HTMLBlock, *cleanHTMLInline,
		*east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		return ast.WalkSkipChildren, nil
	}
	return ast.WalkContinue, nil
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
	t.cur.WriteString(html.UnescapeString(t.esc.String()))
}

// countWords counts the space-separated words of s that hold at least one
// letter or digit. A Vietnamese "word" here is a syllable ("tiếng"), which
// is how Vietnamese word counts are usually given.
func countWords(s string) int {
	n := 0
	counted := false // the current word has been counted
	for i, r := range s {
		if r < utf8.RuneSelf {
			switch c := s[i]; {
			case c == ' ' || '\t' <= c && c <= '\r':
				counted = false
			case !counted && ('a' <= c|0x20 && c|0x20 <= 'z' || '0' <= c && c <= '9'):
				n++
				counted = true
			}
			continue
		}
		switch {
		case unicode.IsSpace(r):
			counted = false
		case !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			n++
			counted = true
		}
	}
	return n
}
