package markdown

import (
	"html"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// Node kinds of this package. ast.NewNodeKind is called once at init; the
// kinds never change afterwards.
var (
	kindCleanHTMLBlock  = ast.NewNodeKind("CleanHTMLBlock")
	kindCleanHTMLInline = ast.NewNodeKind("CleanHTMLInline")
	kindTableWrap       = ast.NewNodeKind("TableWrap")
)

// cleanHTMLBlock replaces an ast.HTMLBlock when Options.Unsafe is set: it
// holds the sanitized HTML, written as is, and the block's plain text.
type cleanHTMLBlock struct {
	ast.BaseBlock
	html  []byte
	paras []string
}

func (n *cleanHTMLBlock) Kind() ast.NodeKind { return kindCleanHTMLBlock }
func (n *cleanHTMLBlock) IsRaw() bool        { return true }
func (n *cleanHTMLBlock) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": string(n.html)}, nil)
}

// cleanHTMLInline replaces an ast.RawHTML when Options.Unsafe is set.
type cleanHTMLInline struct {
	ast.BaseInline
	html []byte
}

func (n *cleanHTMLInline) Kind() ast.NodeKind { return kindCleanHTMLInline }
func (n *cleanHTMLInline) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"HTML": string(n.html)}, nil)
}

// tableWrap wraps a table in <div class="table-wrap"> so that wide tables
// scroll sideways on phones instead of widening the page.
type tableWrap struct {
	ast.BaseBlock
}

func (n *tableWrap) Kind() ast.NodeKind { return kindTableWrap }
func (n *tableWrap) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}

// nodeRenderer renders the node kinds above.
type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindCleanHTMLBlock, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.Write(n.(*cleanHTMLBlock).html)
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindCleanHTMLInline, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.Write(n.(*cleanHTMLInline).html)
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindCite, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		renderCite(w, n.(*citeNode), entering)
		return ast.WalkContinue, nil
	})
	reg.Register(kindPicture, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			renderPicture(w, n.(*pictureNode))
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(kindFigure, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<figure>")
		} else {
			if c := n.(*figureNode).caption; c != "" {
				_, _ = w.WriteString("<figcaption>" + html.EscapeString(c) + "</figcaption>")
			}
			_, _ = w.WriteString("</figure>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(kindTableWrap, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<div class=\"table-wrap\">\n")
		} else {
			_, _ = w.WriteString("</div>\n")
		}
		return ast.WalkContinue, nil
	})
}
