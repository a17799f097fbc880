package markdown

import (
	"html"
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
)

// Picture is a raster image as the build publishes it: resized variants in WebP and a
// fallback format (JPEG, or PNG for graphics), each a list of candidates for srcset.
type Picture struct {
	// Src is the fallback candidate for browsers without srcset.
	Src string
	// Width and Height are the picture's size as seen (the largest variant), for the
	// width and height attributes that keep the layout from shifting.
	Width, Height int
	// SrcSet lists the fallback candidates ("/_anh/a.360.x.jpg 360w, …"), WebPSrcSet
	// the WebP ones.
	SrcSet, WebPSrcSet string
}

// Images gives the Picture an image destination stands for; ok is false for an image the
// build does not process (an external URL, an SVG), which is rendered as written.
type Images interface {
	Picture(dest string) (pic Picture, ok bool)
}

// Page says how a document's images render (RenderPage).
type Page struct {
	Images Images
	// EagerFirst loads the first picture at once with a high fetch priority (it is the
	// page's largest paint); when false (the page shows a lead photo above the body)
	// every picture loads lazily.
	EagerFirst bool
	// NFC says src is valid UTF-8 and NFC already (content.Document.Body: content.Parse
	// refused invalid UTF-8 and normalized the file), so RenderPage does not check it
	// again, nor the text it takes from src.
	NFC bool
}

// NoImages resolves nothing: every image is rendered as written.
type NoImages struct{}

// Picture always answers false.
func (NoImages) Picture(string) (Picture, bool) { return Picture{}, false }

// Sizes is the sizes attribute of an article's pictures: the width of the article
// column (46rem, less the page's 1rem margins on a phone).
const Sizes = "(min-width: 48rem) 46rem, calc(100vw - 2rem)"

var (
	kindPicture = ast.NewNodeKind("Picture")
	kindFigure  = ast.NewNodeKind("Figure")
)

// pictureNode replaces an ast.Image the build publishes as a Picture.
type pictureNode struct {
	ast.BaseInline
	pic   Picture
	alt   string
	title string // a caption when the picture stands alone in its paragraph
	eager bool
}

func (n *pictureNode) Kind() ast.NodeKind { return kindPicture }
func (n *pictureNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Src": n.pic.Src}, nil)
}

// figureNode replaces a paragraph holding nothing but one picture: <figure>, with the
// image's title as the caption ("Ảnh: Văn Dũng").
type figureNode struct {
	ast.BaseBlock
	caption string
}

func (n *figureNode) Kind() ast.NodeKind { return kindFigure }
func (n *figureNode) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Caption": n.caption}, nil)
}

// placePictures replaces the images pg.Images knows by pictures, and a paragraph that
// holds only a picture by a figure (a picture within running text stays inline, without
// a caption: its title stays a title).
func placePictures(imgs []*ast.Image, dests, alts []string, pg Page) {
	count := 0
	for i, n := range imgs {
		pic, ok := pg.Images.Picture(dests[i])
		if !ok {
			continue
		}
		pn := &pictureNode{pic: pic, alt: alts[i], title: string(n.Title), eager: pg.EagerFirst && count == 0}
		count++
		parent := n.Parent()
		parent.ReplaceChild(parent, n, pn)
		if p, ok := parent.(*ast.Paragraph); ok && p.ChildCount() == 1 && p.Parent() != nil {
			fig := &figureNode{caption: pn.title}
			pn.title = ""
			p.Parent().ReplaceChild(p.Parent(), p, fig)
			fig.AppendChild(fig, pn)
		}
	}
}

func renderPicture(w util.BufWriter, n *pictureNode) {
	a := func(name, v string) {
		_, _ = w.WriteString(" " + name + "=\"" + html.EscapeString(v) + "\"")
	}
	_, _ = w.WriteString("<picture><source type=\"image/webp\"")
	a("srcset", n.pic.WebPSrcSet)
	a("sizes", Sizes)
	_, _ = w.WriteString("><img")
	a("src", n.pic.Src)
	a("srcset", n.pic.SrcSet)
	a("sizes", Sizes)
	a("width", strconv.Itoa(n.pic.Width))
	a("height", strconv.Itoa(n.pic.Height))
	a("alt", n.alt)
	if n.title != "" {
		a("title", n.title)
	}
	if n.eager {
		_, _ = w.WriteString(` fetchpriority="high"`)
	} else {
		_, _ = w.WriteString(` loading="lazy" decoding="async"`)
	}
	_, _ = w.WriteString("></picture>")
}
