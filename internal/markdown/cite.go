package markdown

import (
	"bytes"
	"slices"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/vnportal/portal/internal/docnumber"
)

// Citation is a legal document number cited in a document's text ("Nghị định số
// 64/2007/NĐ-CP"), found by docnumber.Find outside links, images and code.
//
// The rendered HTML does not link it: whether the site's library holds the document is
// not known when a body is rendered (nor part of its cache key). HTML[Start:End] is the
// cited text as rendered, which the site wraps in a link to the document's page when the
// library has one (site.Article.Content), so that adding a document links the citations
// of bodies rendered long before.
type Citation struct {
	Number string // "64/2007/NĐ-CP"
	Key    string // docnumber.Key(Number)
	// Start and End are byte offsets in Result.HTML.
	Start, End int
	// Line and Col locate the citation in the Markdown given to Render (1-based).
	Line, Col int
}

var kindCite = ast.NewNodeKind("PortalCitation")

// citeNode wraps the text of one citation; its renderer records where that text lands
// in the HTML.
type citeNode struct {
	ast.BaseInline
	cite Citation
	rec  *citeRecorder
}

func (n *citeNode) Kind() ast.NodeKind { return kindCite }
func (n *citeNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Number": n.cite.Number}, nil)
}

// citeRecorder collects the citations of one render: buf is the buffer the renderer's
// writer flushes into, so an offset is buf.Len() plus what the writer holds.
type citeRecorder struct {
	buf   *bytes.Buffer
	start int
	out   []Citation
}

func renderCite(w util.BufWriter, n *citeNode, entering bool) {
	r := n.rec
	if entering {
		r.start = r.buf.Len() + w.Buffered()
		return
	}
	c := n.cite
	c.Start, c.End = r.start, r.buf.Len()+w.Buffered()
	r.out = append(r.out, c)
}

// markCitations wraps every document number cited in doc's text in a citeNode. Text
// inside links, autolinks, images and code spans is left alone; so are heading IDs,
// which prepare made before.
func markCitations(doc ast.Node, src []byte, rec *citeRecorder) {
	// goldmark may split one run of text into several Text nodes ("Về Nghị định" |
	// " 64/2007/NĐ-CP"): a run of nodes that follow each other in the source, with no
	// line break between, is searched as one.
	var runs [][]*ast.Text
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Link, *ast.AutoLink, *ast.Image, *ast.CodeSpan, *ast.CodeBlock, *ast.FencedCodeBlock,
			*ast.RawHTML, *ast.HTMLBlock, *pictureNode, *figureNode:
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			if prev, ok := n.PreviousSibling().(*ast.Text); ok && joins(prev, n) {
				return ast.WalkContinue, nil // in the run its first node started
			}
			run := []*ast.Text{n}
			for next, ok := n.NextSibling().(*ast.Text); ok && joins(run[len(run)-1], next); next, ok = next.NextSibling().(*ast.Text) {
				run = append(run, next)
			}
			v := src[n.Segment.Start:run[len(run)-1].Segment.Stop]
			if bytes.IndexByte(v, '/') >= 0 || bytes.IndexByte(v, '-') >= 0 {
				runs = append(runs, run)
			}
		}
		return ast.WalkContinue, nil
	})
	var lines lineIndex
	lines.src = src
	for _, run := range runs {
		first, last := run[0], run[len(run)-1]
		seg := text.NewSegment(first.Segment.Start, last.Segment.Stop)
		ms := docnumber.Find(string(seg.Value(src)))
		if len(ms) == 0 {
			continue
		}
		parent := first.Parent()
		at := seg.Start
		for _, m := range ms {
			if s := seg.Start + m.Start; s > at {
				parent.InsertBefore(parent, first, ast.NewTextSegment(text.NewSegment(at, s)))
			}
			off := seg.Start + m.Start
			c := &citeNode{rec: rec, cite: Citation{Number: m.Number, Key: m.Key, Line: lines.line(off), Col: lines.col(off)}}
			c.AppendChild(c, ast.NewTextSegment(text.NewSegment(off, seg.Start+m.End)))
			parent.InsertBefore(parent, first, c)
			at = seg.Start + m.End
		}
		rest := ast.NewTextSegment(text.NewSegment(at, seg.Stop))
		rest.SetSoftLineBreak(last.SoftLineBreak())
		rest.SetHardLineBreak(last.HardLineBreak())
		parent.InsertBefore(parent, first, rest)
		for _, t := range run {
			parent.RemoveChild(parent, t)
		}
	}
}

// joins reports whether b continues a in the source, as one run of plain text.
func joins(a, b *ast.Text) bool {
	return !a.IsRaw() && !b.IsRaw() && !a.SoftLineBreak() && !a.HardLineBreak() && a.Segment.Stop == b.Segment.Start
}

// sortCitations orders citations by where they are in the HTML (footnotes render last).
func sortCitations(cs []Citation) {
	slices.SortFunc(cs, func(a, b Citation) int { return a.Start - b.Start })
}
