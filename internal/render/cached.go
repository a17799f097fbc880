package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
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

// fragments is a Renderer's cache of rendered partials, by name and variants.
type fragments struct {
	m      sync.Map     // key string → template.HTML
	bytes  atomic.Int64 // of the keys and fragments kept
	budget int64        // maxFragmentBytes; smaller in tests
}

// partialCached is the template function: the partial name executed with data, rendered
// once per name and variants.
func (r *Renderer) partialCached(name string, data any, variants ...any) (template.HTML, error) {
	key := fragmentKey(name, variants)
	if v, ok := r.frags.m.Load(key); ok {
		return v.(template.HTML), nil
	}
	html, err := r.theme.executePartial(name, data)
	if err != nil {
		return "", err
	}
	if r.frags.bytes.Add(int64(len(key)+len(html))) <= r.frags.budget {
		r.frags.m.Store(key, html)
	}
	return html, nil
}

// fragmentKey is the name and the variants, each after a NUL, as %v prints them; strings,
// integers and booleans (what layouts pass) are appended without fmt, which cost a list page
// more than the lookup itself.
func fragmentKey(name string, variants []any) string {
	b := make([]byte, 0, len(name)+48)
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
			b = fmt.Append(b, v)
		}
	}
	return string(b)
}

// executePartial renders one shared template (a partial, or baseof's blocks) on its own.
func (t *Theme) executePartial(name string, data any) (template.HTML, error) {
	if t.partials == nil || t.partials.Lookup(name) == nil {
		return "", message.Errorf("partialCached: không có mẫu %q; tên phải là một tệp trong layouts/partials/, ví dụ \"partials/footer.html\"", name)
	}
	var buf bytes.Buffer
	if err := t.partials.ExecuteTemplate(&buf, name, data); err != nil {
		return "", t.execError(err)
	}
	return template.HTML(buf.String()), nil
}
