package markdown

import (
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// textBothWays extracts the text of src's document (and of each heading and image) once
// trusting that src is valid UTF-8 and once checking the whole text, as before, and fails
// when the two differ or the text is not valid.
func textBothWays(t *testing.T, r *Renderer, src []byte) {
	t.Helper()
	b, valid := nfcValid(src)
	for _, md := range []*Renderer{r, New(Options{Unsafe: true})} {
		doc := md.md.Parser().Parse(text.NewReader(b), parser.WithContext(parser.NewContext(parser.WithIDs(newHeadingIDs()))))
		md.prepare(doc, b, newHeadingIDs(), false)
		nodes := []ast.Node{doc}
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if _, ok := n.(*ast.Heading); ok && entering {
				nodes = append(nodes, n)
			}
			if _, ok := n.(*ast.Image); ok && entering {
				nodes = append(nodes, n)
			}
			return ast.WalkContinue, nil
		})
		for _, n := range nodes {
			trusted, checked := newTextExtractor(b, valid).text(n), newTextExtractor(b, false).text(n)
			if trusted != checked || !utf8.ValidString(trusted) {
				t.Fatalf("text of a %s of %q: %q trusting the source, %q checked", n.Kind(), src, trusted, checked)
			}
		}
	}
}

// TestTextOfValidSourceNeedsNoCheck: the text of a valid document, read without checking
// it whole, is the checked text, for every case of testdata/cases, the benchmark article
// and documents with escapes, references, code, captions and raw HTML.
func TestTextOfValidSourceNeedsNoCheck(t *testing.T) {
	r := New(Options{})
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		textBothWays(t, r, b)
	}
	for _, s := range []string{
		benchArticle(),
		"Đà Nẵng \\*ở\\* &amp; &#xD800; &#128; &#0; a\x00b `mã\nnguồn` <https://ví.dụ/đường> www.ví.dụ",
		"    khối mã\tcó tab\n\n```\nrào ở đây\n```\n\n| Tỉnh | Số |\n|:--|--:|\n| Hà Tĩnh | 1 |\n",
		"![ảnh **đẹp** ở Huế](a.jpg \"chú thích\")\n\n<p>đoạn HTML ở đây</p>\n\nx <b>đậm</b> y",
		"# Tiêu đề {#mục-1}\n\nCăn cứ Nghị định 64/2007/NĐ-CP ngày 10/4/2007.[^1]\n\n[^1]: Chú thích ở đây.",
		"\xff\xfe invalid \xe1\xbb\n\n# \xc3 tiêu đề",
	} {
		textBothWays(t, r, []byte(s))
	}
}

// TestTextOfCutRuneIsValid: a piece of a valid source cut inside a rune (goldmark never
// cuts there, but nothing in the text extractor may rely on it) still gives valid text.
func TestTextOfCutRuneIsValid(t *testing.T) {
	src := []byte("Hà Tĩnh")
	para := ast.NewParagraph()
	para.AppendChild(para, ast.NewTextSegment(text.NewSegment(0, 2))) // "H" and the first byte of "à"
	doc := ast.NewDocument()
	doc.AppendChild(doc, para)
	if got := newTextExtractor(src, true).text(doc); !utf8.ValidString(got) {
		t.Errorf("text of a piece cut inside a rune = %q, not valid UTF-8", got)
	}
	para.AppendChild(para, ast.NewTextSegment(text.NewSegment(2, 3))) // the second byte of "à"
	if got := newTextExtractor(src, true).text(doc); !utf8.ValidString(got) {
		t.Errorf("text of a piece starting inside a rune = %q, not valid UTF-8", got)
	}
}

// FuzzTextOfValidSource is TestTextOfValidSourceNeedsNoCheck for any input.
func FuzzTextOfValidSource(f *testing.F) {
	f.Add(benchArticle())
	f.Add("Đà Nẵng \\*ở\\* &amp; &#xD800; a\x00b `mã` <https://ví.dụ/> ![ả](x.jpg)")
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4000 {
			return
		}
		textBothWays(t, r, []byte(s))
	})
}
