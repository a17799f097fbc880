package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// A fragment many pages show alike (an article's card in every list it is in, the footer)
// is rendered once per build: a layout writes
//
//	{{ partialCached "partials/article-card.html" (dict "a" . "h" 2) .URL 2 }}
//
// instead of {{ template "partials/article-card.html" (dict "a" . "h" 2) }}, and the
// first page to need the card with these variants (.URL 2) renders it; the other pages
// reuse its bytes. As in Hugo, the variants, not the data, are the key: a layout must
// pass every value the fragment's output depends on. The fragment is escaped in the
// context a partial starts in (HTML text) and comes back as template.HTML, so a page is
// byte for byte what {{ template }} would make there. The cache belongs to one Renderer,
// that is one build's graph; `portal serve` keeps its Renderer for one graph too. It keeps
// at most maxFragmentBytes, the fragments used most recently.

// maxFragmentBytes bounds what a Renderer keeps of cached fragments. A card is about 1 KB
// and each article's is on every list it is in, so 10,000 articles keep ~13 MB with their
// related items; at 100,000 they would be ~130 MB beside an 850 MB graph, so the cache
// keeps the fragments stored or used most recently (two generations, below), and the
// build renders the list pages that show an article close together (build's render
// order: list pages by their newest article), so that a card is still there when the
// next list needs it.
const maxFragmentBytes = 64 << 20

// A Renderer's fragments are a twogen.Cache of rendered partials by name and variants:
// it keeps what was stored or used most recently, within the budget, where keeping the
// first fragments stored until the budget was full kept, on a large site, fragments the
// build had no more use for.

// storeFragment keeps a copy of html under key. A copy: html is the string of the builder
// executePartial grew to the partial's last length and an eighth (doubled when the
// fragment is longer), so it holds more than its length, for as long as the cache keeps
// it; the copy is as long as the fragment. On the generated corpus (3,000 articles) the
// builders of the 8,942 fragments held 7.1 MB for 5.7 MB of text, 1.25 times
// (BENCHMARKS.md, fifteenth session, branch mem22); the budget counts the text. A
// fragment longer than half the budget is not kept (nor copied).
func (r *Renderer) storeFragment(key []byte, html template.HTML) {
	n := int64(len(key) + len(html))
	if !r.frags.Fits(n) {
		return
	}
	r.frags.Store(key, template.HTML(strings.Clone(string(html))), n)
}

// KeepFragments empties partialCached's cache and keeps at most budget bytes of fragments
// (keys and text) from now on; budget 0 is the default, maxFragmentBytes. For a caller
// that knows which fragments the pages still to render can use: a build renders the list
// pages last (build's renderOrder), whose cards are found again within a few MB whatever
// the site's size, while the pages before them need the whole budget (an article's
// related items are on pages all over the graph). Not safe while r renders.
func (r *Renderer) KeepFragments(budget int64) {
	if budget <= 0 {
		budget = maxFragmentBytes
	}
	r.frags.Reset(budget)
}

// partialCached is the template function: the partial name executed with data, rendered
// once per name and variants.
func (r *Renderer) partialCached(name string, data any, variants ...any) (template.HTML, error) {
	var buf [192]byte // the key of a card: its name, URL and variants; longer ones spill
	key := appendFragmentKey(buf[:0], name, variants)
	if html, ok := r.frags.Load(key); ok {
		return html, nil
	}
	html, err := r.theme.executePartial(name, data)
	if err != nil {
		return "", err
	}
	r.storeFragment(key, html)
	return html, nil
}

// appendFragmentKey appends the key of name and variants to b: the name and the
// variants, each after a NUL, as %v prints them. Strings, integers and
// booleans (what layouts pass) are appended without fmt, which cost a list page more than
// the lookup itself; anything else is printed by fmt into a copy, so that b itself need
// not leave the caller's stack.
func appendFragmentKey(b []byte, name string, variants []any) []byte {
	b = append(b, name...)
	for _, v := range variants {
		b = append(b, 0)
		switch v := v.(type) {
		case string:
			b = append(b, v...)
		case int:
			b = strconv.AppendInt(b, int64(v), 10)
		case bool:
			b = strconv.AppendBool(b, v)
		default:
			b = append(b, fmt.Sprint(v)...)
		}
	}
	return b
}

// executePartial renders one shared template (a partial, or baseof's blocks) on its own.
func (t *Theme) executePartial(name string, data any) (template.HTML, error) {
	if t.partials == nil || t.partials.Lookup(name) == nil {
		return "", message.Errorf("partialCached: không có mẫu %q; tên phải là một tệp trong layouts/partials/, ví dụ \"partials/footer.html\"", name)
	}
	// A strings.Builder grown to the partial's last length: the fragment is written into
	// one allocation and becomes the string without a copy (a bytes.Buffer doubled from 64
	// bytes through each card and copied it once more: 0.3 GB of a 10,000-article build).
	var buf strings.Builder
	buf.Grow(t.sizes.hint(name))
	if x, ok := t.compiled[name]; ok {
		if err := x.execute(&buf, data); err == nil {
			t.sizes.saw(name, buf.Len())
			return template.HTML(buf.String()), nil
		}
		buf.Reset() // the fragment again, from its start, by text/template
	}
	if err := t.partials.ExecuteTemplate(&buf, name, data); err != nil {
		return "", t.execError(err, data)
	}
	t.sizes.saw(name, buf.Len())
	return template.HTML(buf.String()), nil
}
