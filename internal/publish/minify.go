package publish

import (
	"io"
	"path"
	"regexp"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	"github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/minify/v2/xml"
)

// Media types used to pick a minifier. Inline content inside HTML (style
// elements, scripts, JSON-LD, inline SVG) is dispatched by the HTML minifier
// through the same registry, using the element's type attribute.
const (
	mimeHTML = "text/html"
	mimeCSS  = "text/css"
	mimeJS   = "application/javascript"
	mimeSVG  = "image/svg+xml"
	mimeXML  = "application/xml"
	mimeJSON = "application/json"
	// mimeLDJSON is JSON-LD, the structured data in the head of a page (head.html).
	mimeLDJSON = "application/ld+json"
)

// extMime maps a lower-case file extension to the media type of its
// minifier, for files queued with Writer.Add (rendered output).
var extMime = map[string]string{
	".html":        mimeHTML,
	".htm":         mimeHTML,
	".css":         mimeCSS,
	".js":          mimeJS,
	".mjs":         mimeJS,
	".svg":         mimeSVG,
	".xml":         mimeXML, // sitemap.xml, feeds
	".rss":         mimeXML,
	".atom":        mimeXML,
	".json":        mimeJSON,
	".jsonld":      mimeJSON,
	".webmanifest": mimeJSON,
}

// staticMinifyExt lists the extensions minified in files of kind Static.
// Other static files (HTML verification files, data feeds, images) are
// copied byte for byte.
var staticMinifyExt = map[string]bool{".css": true, ".js": true, ".mjs": true, ".svg": true}

// mimeFor returns the minifier media type for rel, or "" when the file is
// written unchanged. static reports whether the file is of kind Static.
func mimeFor(rel string, static bool) string {
	ext := strings.ToLower(path.Ext(rel))
	if static && !staticMinifyExt[ext] {
		return ""
	}
	return extMime[ext]
}

// newMinifier builds the minifier registry. Each registered function makes
// a fresh copy of its minifier settings per call, because some minifiers
// keep per-run state in their struct and the registry is used by many
// workers at once.
func newMinifier() *minify.M {
	m := minify.New()
	m.AddFunc(mimeHTML, func(m *minify.M, w io.Writer, r io.Reader, p map[string]string) error {
		// Conservative: the result must stay valid HTML that the Nu checker
		// accepts and a person can still read.
		o := html.Minifier{
			KeepDocumentTags:    true,
			KeepEndTags:         true,
			KeepQuotes:          true,
			KeepDefaultAttrVals: true,
		}
		return o.Minify(m, w, r, p)
	})
	m.AddFunc(mimeCSS, func(m *minify.M, w io.Writer, r io.Reader, p map[string]string) error {
		o := css.Minifier{}
		return o.Minify(m, w, r, p)
	})
	m.AddFunc(mimeSVG, func(m *minify.M, w io.Writer, r io.Reader, p map[string]string) error {
		o := svg.Minifier{}
		return o.Minify(m, w, r, p)
	})
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/(x-)?(java|ecma)script$|^module$`),
		func(m *minify.M, w io.Writer, r io.Reader, p map[string]string) error {
			o := js.Minifier{}
			return o.Minify(m, w, r, p)
		})
	minifyJSON := func(m *minify.M, w io.Writer, r io.Reader, p map[string]string) error {
		o := json.Minifier{}
		return o.Minify(m, w, r, p)
	}
	// Every article page and the home page carry a <script type="application/ld+json">,
	// which the HTML minifier hands back to this registry by its type: registered by name,
	// it is found in the registry's map instead of by trying the JavaScript pattern and
	// then the JSON one (≈ 0.15 CPU-s of regular expressions per 10,000 prose articles,
	// BENCHMARKS.md, fast22). The same minifier as the pattern's, so the same bytes.
	m.AddFunc(mimeLDJSON, minifyJSON)
	m.AddFunc(mimeJSON, minifyJSON)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/([a-z0-9.+-]+\+)?json$`), minifyJSON)
	m.AddFuncRegexp(regexp.MustCompile(`^(application|text)/([a-z0-9.+-]+\+)?xml$`),
		func(m *minify.M, w io.Writer, r io.Reader, p map[string]string) error {
			o := xml.Minifier{}
			return o.Minify(m, w, r, p)
		})
	return m
}
