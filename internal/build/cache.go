package build

import (
	"crypto/sha256"
	"encoding/binary"
	"reflect"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/site"
)

// Cache carries work from one build of a site to the next, so that a rebuild after an
// edit parses, renders and re-renders only what the edit touched. Keys are content
// hashes, so a stale entry is never used: at worst an entry is recomputed.
// The zero value is not usable; call NewCache. Safe for use by one build at a time.
type Cache struct {
	docs *content.Cache
	mu   sync.RWMutex
	md   map[string]site.Source // doc hash + markdown options → rendered Markdown
	page map[string]pageEntry   // output path → last render

	// The last assembly, its warnings, and the registry it used with the configuration
	// that made it: a rebuild after a body edit refreshes the graph instead of assembling.
	graph      *site.Graph
	graphDiags *diag.List
	reg        *province.Registry
	regConfig  config.Config

	// After a refresh, only the pages showing a refreshed article can differ from their
	// last render, as long as the structure key is the one all pages were last checked
	// under: dirty holds the articles refreshed since then, clean says whether every
	// page of graph was checked (rendered or reused) under structure with no error.
	dirty     []*site.Article
	clean     bool
	structure string
	pruned    *site.Graph // the graph whose pages the page cache was last pruned to
}

// maxDirty bounds the refreshed articles checked page by page; past it, every page's
// key is computed (cheaper than comparing each page's dependencies with a long list).
const maxDirty = 64

// unchanged reports whether page p of the graph shows nothing that changed since it was
// last checked under the same structure key: then its last render is still right.
func (c *Cache) unchanged(p *site.Page, structure string) bool {
	return c != nil && c.clean && structure == c.structure && len(c.dirty) <= maxDirty && !p.DependsOn(c.dirty)
}

// checked records that every page was checked under structure (ok) or not.
func (c *Cache) checked(structure string, ok bool) {
	if c == nil {
		return
	}
	c.clean, c.structure = ok, structure
	if ok {
		c.dirty = nil
	}
}

// registry returns the province registry for cfg, reusing the last one when the
// configuration is the same (site.Refresh requires the very same registry).
func (c *Cache) registry(cfg config.Config) (*province.Registry, error) {
	if c == nil {
		return province.ForConfig(cfg)
	}
	if c.reg != nil && reflect.DeepEqual(c.regConfig, cfg) {
		return c.reg, nil
	}
	reg, err := province.ForConfig(cfg)
	if err == nil {
		c.reg, c.regConfig = reg, cfg
	}
	return reg, err
}

// assemble returns the site graph for in: the last graph refreshed in place when only
// article bodies and other content changed (site.Refresh), else a new assembly. Its
// diagnostics are added to ds, the same ones each time.
func (c *Cache) assemble(in site.Input, ds *diag.List) *site.Graph {
	if c != nil && c.graph != nil {
		if changed, ok := site.Refresh(c.graph, in); ok {
			c.dirty = append(c.dirty, changed...)
			ds.Merge(c.graphDiags)
			return c.graph
		}
	}
	g, sds := site.Assemble(in)
	ds.Merge(sds)
	if c != nil {
		c.graph, c.graphDiags, c.clean, c.dirty = nil, nil, false, nil
		if !sds.HasErrors() {
			c.graph, c.graphDiags = g, sds
		}
	}
	return g
}

type pageEntry struct {
	key  string
	data []byte
}

// NewCache returns an empty cache.
func NewCache() *Cache {
	return &Cache{docs: content.NewCache(), md: map[string]site.Source{}, page: map[string]pageEntry{}}
}

// markdownHits fills out and ok with the cached renders of docs (keyed by the document
// hash and suffix) and returns the indexes of the documents to render.
func (c *Cache) markdownHits(docs []*content.Document, suffix string, out []site.Source, ok []bool) (todo []int) {
	if c == nil {
		todo = make([]int, len(docs))
		for i := range todo {
			todo[i] = i
		}
		return todo
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, d := range docs {
		if s, hit := c.md[d.Hash+suffix]; hit {
			s.Doc = d
			out[i], ok[i] = s, true
			continue
		}
		todo = append(todo, i)
	}
	return todo
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
	c.mu.RLock()
	defer c.mu.RUnlock()
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

// prune drops entries for outputs the graph no longer has, once per assembled graph (a
// refreshed graph has the same pages).
func (c *Cache) prune(g *site.Graph) {
	if c == nil || c.pruned == g {
		return
	}
	paths := make(map[string]bool, len(g.Pages))
	for _, p := range g.Pages {
		paths[p.Path] = true
	}
	c.mu.Lock()
	for p := range c.page {
		if !paths[p] {
			delete(c.page, p)
		}
	}
	c.mu.Unlock()
	c.pruned = g
}

// keyWriter builds a 128-bit key from length-prefixed fields, so that field boundaries
// can't blur: the fields are appended to a buffer that is hashed once with SHA-256 (one
// call on one buffer, with the CPU's SHA instructions where it has them, costs less than
// feeding a hash field by field). Keys are the same in every process for the same
// fields, so `portal build` can keep them on disk (see internal/buildcache); an
// accidental equal key (a stale page) is a 2^-128 event.
type keyWriter struct{ buf []byte }

func newKey() *keyWriter { return &keyWriter{buf: make([]byte, 0, 512)} }

func (k *keyWriter) str(s string) *keyWriter {
	k.int(len(s))
	k.buf = append(k.buf, s...)
	return k
}

func (k *keyWriter) int(i int) *keyWriter {
	k.buf = binary.LittleEndian.AppendUint64(k.buf, uint64(i))
	return k
}

func (k *keyWriter) time(t time.Time) *keyWriter {
	k.int(int(t.UnixNano()))
	_, off := t.Zone()
	return k.int(off)
}

// sum returns the key as a 16-byte string.
func (k *keyWriter) sum() string {
	s := sha256.Sum256(k.buf)
	return string(s[:16])
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

// articleKeys hashes what a page shows of each article: its content hash, URL, section
// and term URLs. Page keys hash these 16-byte keys instead of the fields. Keys are
// computed when first asked for: after an edit only a few pages need keys at all.
type articleKeys struct {
	mu sync.Mutex
	m  map[*site.Article]string
}

func lazyArticleKeys() *articleKeys {
	return &articleKeys{m: map[*site.Article]string{}}
}

func (ak *articleKeys) get(a *site.Article) string {
	ak.mu.Lock()
	key, ok := ak.m[a]
	ak.mu.Unlock()
	if ok {
		return key
	}
	k := newKey().str(a.Hash).str(a.URL)
	if a.Section != nil {
		k.str(a.Section.URL)
	}
	for _, g := range a.Terms {
		for _, t := range g.Terms {
			k.str(t.URL)
		}
	}
	key = k.sum()
	ak.mu.Lock()
	ak.m[a] = key
	ak.mu.Unlock()
	return key
}

// pageKey hashes everything a page shows: the structure, its own fields and its
// dependencies' content (given by articleKeys).
func pageKey(p *site.Page, structure string, arts *articleKeys) string {
	k := newKey().str(structure).str(string(p.Kind)).str(p.Path).str(p.URL).str(p.Title).str(p.Description).str(p.Target)
	if p.Pager != nil {
		k.int(p.Pager.Number).int(p.Pager.Total)
	}
	for _, a := range p.Deps() {
		k.str(arts.get(a))
	}
	for _, e := range p.Sitemap {
		k.str(e.Loc).time(e.Lastmod)
	}
	return k.sum()
}
