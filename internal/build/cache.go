package build

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
)

// Target receives the files of one build. publish.Writer (the output folder) and
// Memory (preview) implement it.
type Target interface {
	Add(rel string, content []byte, source string) error
	// AddFinal is Add for content that must not be changed (already minified).
	AddFinal(rel string, content []byte, source string) error
	AddFile(rel, srcPath, source string) error
	// Reserve returns a folder on disk for another builder (the search index).
	Reserve(rel, source string) (string, error)
	Commit() (publish.Stats, error)
	Abort()
}

// Cache carries work from one build of a site to the next, so that a rebuild after an
// edit parses, renders and re-renders only what the edit touched. Keys are content
// hashes, so a stale entry is never used: at worst an entry is recomputed.
// The zero value is not usable; call NewCache. Safe for use by one build at a time.
type Cache struct {
	docs *content.Cache
	mu   sync.Mutex
	md   map[string]site.Source // doc hash + markdown options → rendered Markdown
	page map[string]pageEntry   // output path → last render
}

type pageEntry struct {
	key  string
	data []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{docs: content.NewCache(), md: map[string]site.Source{}, page: map[string]pageEntry{}}
}

func (c *Cache) markdown(key string) (site.Source, bool) {
	if c == nil {
		return site.Source{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s, ok := c.md[key]
	return s, ok
}

func (c *Cache) putMarkdown(key string, s site.Source) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.md[key] = s
	c.mu.Unlock()
}

// previous returns the last render of an output path, with the key it was made under.
func (c *Cache) previous(path string) (pageEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.page[path]
	return e, ok
}

func (c *Cache) putRendered(path, key string, data []byte) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.page[path] = pageEntry{key, data}
	c.mu.Unlock()
}

// prune drops entries for outputs that no longer exist.
func (c *Cache) prune(paths map[string]bool) {
	if c == nil {
		return
	}
	c.mu.Lock()
	for p := range c.page {
		if !paths[p] {
			delete(c.page, p)
		}
	}
	c.mu.Unlock()
}

// keyWriter builds a hash from length-prefixed fields, so that field boundaries can't blur.
// Fields are appended to one buffer and hashed once: hashing many short strings one Write
// at a time was the largest cost of a preview rebuild at 10,000 articles.
type keyWriter struct{ buf []byte }

func newKey() *keyWriter { return &keyWriter{buf: make([]byte, 0, 512)} }

func (k *keyWriter) str(s string) *keyWriter {
	k.buf = binary.LittleEndian.AppendUint64(k.buf, uint64(len(s)))
	k.buf = append(k.buf, s...)
	return k
}

func (k *keyWriter) int(i int) *keyWriter {
	k.buf = binary.LittleEndian.AppendUint64(k.buf, uint64(i))
	return k
}

func (k *keyWriter) time(t time.Time) *keyWriter {
	k.buf = t.AppendFormat(binary.LittleEndian.AppendUint64(k.buf, 0), time.RFC3339Nano)
	return k
}

// sum returns the SHA-256 of the fields as a 32-byte string.
func (k *keyWriter) sum() string {
	h := sha256.Sum256(k.buf)
	return string(h[:])
}

// structureKey hashes what any page may show besides its own dependencies: the
// configuration, the theme and assets (given as themeKey), and the shape of the site:
// sections, taxonomy terms with their counts, years with counts, the titles and dates of
// the newest articles (themes show them in sidebars) and the standalone pages. Adding an article or moving it to another province changes
// it (and re-renders everything); editing an article's text does not.
func structureKey(g *site.Graph, themeKey string) string {
	k := newKey().str(themeKey)
	for _, s := range g.Sections {
		k.str(s.Name).str(s.Title).str(s.Summary).int(len(s.Articles))
	}
	for _, t := range g.Taxonomies {
		k.str(t.Key).int(len(t.Terms))
		for _, term := range t.Terms {
			k.str(term.Slug).str(term.Name).int(len(term.Articles))
		}
	}
	for _, y := range g.Years {
		k.int(y.Year).int(len(y.Articles))
	}
	for i, a := range g.Articles {
		if i == 10 {
			break
		}
		k.str(a.URL).str(a.Title).str(a.Date.String())
	}
	for _, a := range g.Standalone {
		k.str(a.URL).str(a.Title)
	}
	return k.sum()
}

// articleKeys hashes, once per build, what a page shows of each article: its content hash,
// URL, section and term URLs. Page keys then hash these 32-byte keys instead of the fields.
func articleKeys(ctx context.Context, g *site.Graph) (map[*site.Article]string, error) {
	all := append(append([]*site.Article{}, g.Articles...), g.Standalone...)
	keys := make([]string, len(all))
	err := parallel.Each(ctx, len(all), func(i int) {
		a := all[i]
		k := newKey().str(a.Hash).str(a.URL)
		if a.Section != nil {
			k.str(a.Section.URL)
		}
		for _, g := range a.Terms {
			for _, t := range g.Terms {
				k.str(t.URL)
			}
		}
		keys[i] = k.sum()
	})
	m := make(map[*site.Article]string, len(all))
	for i, a := range all {
		m[a] = keys[i]
	}
	return m, err
}

// pageKey hashes everything a page shows: the structure, its own fields and its
// dependencies' content (given by articleKeys).
func pageKey(p *site.Page, structure string, arts map[*site.Article]string) string {
	k := newKey().str(structure).str(string(p.Kind)).str(p.Path).str(p.URL).str(p.Title).str(p.Description).str(p.Target)
	if p.Pager != nil {
		k.int(p.Pager.Number).int(p.Pager.Total)
	}
	for _, a := range p.Deps() {
		key, ok := arts[a]
		if !ok { // not in the graph's lists: hash what articleKeys would have
			key = newKey().str(a.Hash).str(a.URL).sum()
		}
		k.str(key)
	}
	for _, e := range p.Sitemap {
		k.str(e.Loc).time(e.Lastmod)
	}
	return k.sum()
}
