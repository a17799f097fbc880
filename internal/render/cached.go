package render

import (
	"fmt"
	"html/template"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

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
// at most maxFragmentBytes.

// maxFragmentBytes bounds what a Renderer keeps of cached fragments. A card is about 1 KB
// and each article has two (list and home), so 10,000 articles keep ~25 MB; at 100,000 the
// cache would hold ~250 MB beside an 850 MB graph, so once full it keeps nothing more and
// later fragments are rendered each time, as without partialCached.
const maxFragmentBytes = 64 << 20

// fragments is a Renderer's cache of rendered partials, by name and variants. A map
// under a read-write lock, not a sync.Map: its keys are looked up far more often than
// stored (every card of every list page), and a lookup here hashes the key once and
// compares it once, where sync.Map's trie of interface keys cost a list page about as
// much as rendering one of its cards (0.37 CPU-s of a 10,000-article build's 6 s of
// templates, BENCHMARKS.md, issue 22, branch tpl22).
type fragments struct {
	mu     sync.RWMutex
	m      map[string]template.HTML // made on first store
	bytes  atomic.Int64             // of the keys and fragments kept
	budget int64                    // maxFragmentBytes; smaller in tests
}

// load returns the fragment of key (a string made from a byte slice in the map index
// does not allocate).
func (f *fragments) load(key []byte) (template.HTML, bool) {
	f.mu.RLock()
	html, ok := f.m[string(key)]
	f.mu.RUnlock()
	return html, ok
}

// store keeps a copy of html under key while the budget lasts. A copy: html is the
// string of the builder executePartial grew to the partial's last length and an eighth
// (doubled when the fragment is longer), so it holds more than its length, for as long as
// the cache keeps it; the copy is as long as the fragment. On the generated corpus (3,000
// articles) the builders of the 8,942 fragments held 7.1 MB for 5.7 MB of text, 1.25
// times (BENCHMARKS.md, fifteenth session, branch mem22); the budget counts the text.
func (f *fragments) store(key []byte, html template.HTML) {
	if f.bytes.Add(int64(len(key)+len(html))) > f.budget {
		return
	}
	html = template.HTML(strings.Clone(string(html)))
	f.mu.Lock()
	if f.m == nil {
		f.m = map[string]template.HTML{}
	}
	f.m[string(key)] = html
	f.mu.Unlock()
}

// partialCached is the template function: the partial name executed with data, rendered
// once per name and variants.
func (r *Renderer) partialCached(name string, data any, variants ...any) (template.HTML, error) {
	var buf [192]byte // the key of a card: its name, URL and variants; longer ones spill
	key := appendFragmentKey(buf[:0], name, variants)
	if html, ok := r.frags.load(key); ok {
		return html, nil
	}
	html, err := r.theme.executePartial(name, data)
	if err != nil {
		return "", err
	}
	r.frags.store(key, html)
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
	if err := t.partials.ExecuteTemplate(&buf, name, data); err != nil {
		return "", t.execError(err)
	}
	t.sizes.saw(name, buf.Len())
	return template.HTML(buf.String()), nil
}
