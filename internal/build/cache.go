package build

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"html/template"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// Cache is how a build keeps its work for the next build of the same site. There are
// three, each made by its constructor:
//
//   - NewMemoryCache (portal preview): parsed documents, rendered Markdown, the assembled
//     graph (refreshed in place after an edit) and every page's last bytes, in memory.
//   - DiskCache (portal build): the cache folder (internal/buildcache) keeps each page's
//     key, to link unchanged pages from the current output, and a pack of rendered
//     Markdown; the parsed documents are written once loaded, the graph is let go
//     before the index stage, and the GC is paced.
//   - NoCache (portal build --no-cache): nothing is kept; rendered bodies wait in a
//     temporary spool file.
//
// Every reuse is keyed so that it can never serve a stale result, only recompute one.
// A nil Options.Cache is NoCache.
type Cache interface {
	// open starts one build's use of the cache; problems that only make the build slower
	// are warnings in ds.
	open(opts Options, ds *diag.List) (*run, error)
}

// run is one build's use of a Cache: the strategy for each stage.
type run struct {
	registry func(config.Config) (*province.Registry, error)
	// docs keeps parsed documents (nil: every file is parsed); changed lists the files
	// changed since the previous build with docs (nil: unknown).
	docs    *content.Cache
	changed []string
	// saveDocs keeps docs for the next build after a successful one (a DiskCache writes
	// them into its folder; the others keep them in memory, or not at all).
	saveDocs func(*diag.List)
	// stageDocs, called once the documents are loaded, writes what saveDocs will keep and
	// lets go of the cache, so that the parsed documents need not stay in memory after the
	// graph (a DiskCache's: 40 MB of the index stage's live heap at 20,000 articles, ≈ 200
	// MB at 100,000 extrapolated); saveDocs then only puts them in place. discard removes
	// what it wrote, for a build that fails.
	stageDocs func(*diag.List) (discard func())
	bodies    bodyStore
	assemble  func(site.Input, *diag.List) *site.Graph
	pages     pageStore
	// titles runs the near-duplicate title rule (check.DuplicateTitles), or finds its
	// last result when no title changed; rules keeps the link rules' work, or not.
	titles func(context.Context, []*content.Document) []diag.Diagnostic
	// waitTitles returns once what titles writes in the background is written (a
	// DiskCache's titles file): the build waits for it before it ends.
	waitTitles func()
	rules      check.Memo
	// files lists each content file's output files for the manifest (publishedFiles),
	// or finds them kept for the same graph.
	files func(*site.Graph, []content.File) map[string]publish.Published
	// manifest is where the manifest of the output this build replaces is found.
	manifest manifestStore
	// listing keeps the files of the output folder after the commit (listing_disk.go),
	// known what is known of its search index's files between processes (index_known.go).
	listing listingStore
	known   indexKnown
	// keepGraph: the graph lives on for the next build (the preview, serve --watch);
	// otherwise the build lets the graph go before the index stage.
	keepGraph bool
	// paceGC: the heap grows by half of what is live (memlimit.Pace) instead of doubling:
	// a one-off build, and ServeCache (a server's heap is what the machine must have); the
	// preview, a developer's, leaves the GC alone.
	paceGC bool
	// salt is added to the theme key (the disk cache's format and program).
	salt string
	// variants keeps encoded image variants (photos).
	variants variantStore
	// texts keeps what reading PDF attachments gave (attachments.go).
	texts textStore
	// index keeps the search index's prepared documents and last index (search.Memo).
	index *search.Memo
	// renderer makes the build's Renderer, or renews the last one (renderer.go).
	renderer func(render.Options) (*render.Renderer, error)
	// searchDocs makes the graph's search documents, or updates the last ones; the build
	// reads them until it calls release (a cache may lend the slice it keeps).
	searchDocs func(*site.Graph, AttachmentText) (docs []search.Document, release func())
	// same skips a build that would change nothing (asbefore.go).
	same sameStore
	// walk is the content files' stamps and folders' entries that same's walk of the
	// site folder took (inputsKey), by path from the site folder: the reading stage
	// stats and reads none of them again (walkedFS). Empty when no walk was made.
	walk siteWalk
	// order is renderOrder, or the last one of the same graph (MemoryCache.order).
	order func(*site.Graph) (order []int, lists int)
	// frame hashes what the assembly derives the graph's structure from (site.InputFrame),
	// for a page store that keys only the pages an edit can change; noFrame ("") for the
	// others.
	// It hashes the input first, then returns what hashes the graph made of it.
	frame func(site.Input) func(*site.Graph) string
}

// noFrame is the frame of a run whose page store does not use it.
func noFrame(site.Input) func(*site.Graph) string { return func(*site.Graph) string { return "" } }

// frameKey is site.InputFrame's frame key as a run's frame.
func frameKey(in site.Input) func(*site.Graph) string { return site.InputFrame(in).Key }

// oneOff is a run for a build that keeps no graph: bodies and pages as given.
func oneOff(bodies bodyStore, pages pageStore, salt string) *run {
	return &run{registry: province.ForConfig, saveDocs: func(*diag.List) {}, stageDocs: noStage, bodies: bodies, assemble: assembleFresh, pages: pages, titles: check.DuplicateTitles, waitTitles: func() {}, rules: check.Fresh{}, files: publishedFiles, manifest: diskManifest{}, listing: noListing{}, known: noIndexKnown{}, paceGC: true, salt: salt, variants: newMemoryVariants(), texts: newMemoryTexts(false), index: search.NewOneOffMemo(), renderer: render.New, searchDocs: ownSearchDocuments, same: noSame{}, frame: noFrame, order: renderOrder}
}

// noStage is the stageDocs of a run whose saveDocs writes nothing.
func noStage(*diag.List) func() { return func() {} }

func assembleFresh(in site.Input, ds *diag.List) *site.Graph {
	g, sds := site.Assemble(in)
	ds.Merge(sds)
	return g
}

// NoCache keeps nothing between builds.
func NoCache() Cache { return noCache{} }

type noCache struct{}

func (noCache) open(opts Options, _ *diag.List) (*run, error) {
	bodies, err := newSpoolBodies(opts.Dest)
	if err != nil {
		return nil, err
	}
	return oneOff(bodies, noPages{}, ""), nil
}

// MemoryCache carries work from one build of a site to the next, so that a rebuild
// after an edit parses, renders and re-renders only what the edit touched. Keys are
// content hashes, so a stale entry is never used: at worst an entry is recomputed.
// The zero value is not usable; call NewMemoryCache. Safe for use by one build at a time.
type MemoryCache struct {
	docs *content.Cache
	mu   sync.RWMutex
	md   map[string]*mdEntry // doc hash + markdown options → rendered Markdown
	// epoch numbers the builds; live counts md's entries used by the current one, so
	// that a successful build removes the others (of edited, deleted or renamed files)
	// only when there are some (memoryBodies.commit).
	epoch          uint64
	live, liveDocs atomic.Int64 // and byDoc's
	// byDoc finds md's entry of a document the content cache kept without making its key.
	byDoc   map[*content.Document]*docBody
	docGets atomic.Int64         // documents asked for since the last build started
	page    map[string]pageEntry // output path → last render
	// pageList holds page's entries in the order of pageGraph's pages, so that a rebuild
	// of a refreshed graph finds each page's last render without a map lookup.
	pageGraph *site.Graph
	pageList  []pageEntry

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

	rules    ruleMemo          // the site-wide rules' last work
	files    filesMemo         // the output files of each content file, for the manifest
	manifest *publish.Manifest // the last build's manifest (nil: none yet)
	variants *memoryVariants   // encoded image variants the last build used
	texts    *memoryTexts      // the text of the PDF attachments the last build used
	index    *search.Memo      // the search index's prepared documents and last index
	// renderers keeps the last Renderer for the next build of the same graph.
	renderers rendererMemo
	// searchDocs keeps the articles' search documents of the last graph (searchdocs.go).
	searchDocs searchDocsMemo
	// pageOrder is renderOrder of graph, and its lists (nil: not yet made for it).
	pageOrder []int
	pageLists int
	keeper    bodyKeeper // where md's HTML and text are (retain.go)
}

// NewMemoryCache returns an empty cache.
func NewMemoryCache() *MemoryCache { return newMemoryCache(heapBodies{}) }

func newMemoryCache(keeper bodyKeeper) *MemoryCache {
	return &MemoryCache{docs: content.NewCache(), md: map[string]*mdEntry{}, byDoc: map[*content.Document]*docBody{}, page: map[string]pageEntry{}, variants: newMemoryVariants(), texts: newMemoryTexts(true), index: search.NewMemo(), keeper: keeper}
}

func (c *MemoryCache) open(opts Options, ds *diag.List) (*run, error) {
	return c.Changed(nil).open(opts, ds)
}

// Changed returns the cache for a build after the given files changed (absolute paths,
// as the preview's watcher knows them), so that unchanged content files are not even
// stat'ed; nil means unknown (every file is checked).
func (c *MemoryCache) Changed(paths []string) Cache { return changedCache{c, paths} }

type changedCache struct {
	c       *MemoryCache
	changed []string
}

func (m changedCache) open(opts Options, _ *diag.List) (*run, error) {
	// byDoc keeps the documents it names alive: let go of those of files since edited
	// once they outnumber the ones a build asks for.
	if n := m.c.docGets.Swap(0); len(m.c.byDoc) > 2*int(n)+64 {
		m.c.byDoc = map[*content.Document]*docBody{}
	}
	m.c.epoch++
	m.c.live.Store(0)
	m.c.liveDocs.Store(0)
	return &run{registry: m.c.registry, docs: m.c.docs, saveDocs: func(*diag.List) {}, stageDocs: noStage, changed: content.SitePaths(opts.SiteDir, m.changed),
		bodies: memoryBodies{m.c}, assemble: m.c.assemble, pages: &memoryPages{c: m.c}, titles: m.c.rules.duplicates, waitTitles: func() {}, rules: &m.c.rules, files: m.c.files.published, manifest: memoryManifest{m.c}, listing: noListing{}, known: noIndexKnown{}, keepGraph: true, variants: m.c.variants, texts: m.c.texts, index: m.c.index, renderer: m.c.renderers.renderer, searchDocs: m.c.lendSearchDocuments, same: noSame{}, frame: noFrame, order: m.c.order}, nil
}

// maxDirty bounds the refreshed articles checked page by page; past it, every page's
// key is computed (cheaper than comparing each page's dependencies with a long list).
const maxDirty = 64

// unchanged reports whether page p of the graph shows nothing that changed since it was
// last checked under the same structure key: then its last render is still right.
func (c *MemoryCache) unchanged(p *site.Page, structure string) bool {
	return c.clean && structure == c.structure && len(c.dirty) <= maxDirty && !p.DependsOn(c.dirty)
}

// registry returns the province registry for cfg, reusing the last one when the
// configuration is the same (site.Refresh requires the very same registry).
func (c *MemoryCache) registry(cfg config.Config) (*province.Registry, error) {
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
func (c *MemoryCache) assemble(in site.Input, ds *diag.List) *site.Graph {
	if c.graph != nil {
		if changed, ok := site.Refresh(c.graph, in); ok {
			c.dirty = append(c.dirty, changed...)
			c.searchDocs.refresh(c.graph, changed)
			ds.Merge(c.graphDiags)
			return c.graph
		}
	}
	g, sds := site.Assemble(in)
	ds.Merge(sds)
	c.graph, c.graphDiags, c.clean, c.dirty = nil, nil, false, nil
	c.pageOrder = nil
	if !sds.HasErrors() {
		c.graph, c.graphDiags = g, sds
	}
	return g
}

// order is renderOrder(g), made once for the graph the cache keeps: a refreshed graph
// has the same pages, each list with the same newest article (site.Refresh keeps dates
// and structure), so its order is the same. At 100,000 articles that is a stable sort of
// the ≈ 70,000 list pages, and two slices over every page, not made at every save.
func (c *MemoryCache) order(g *site.Graph) ([]int, int) {
	if g != c.graph {
		return renderOrder(g) // a graph with errors, not kept
	}
	if c.pageOrder == nil || len(c.pageOrder) != len(g.Pages) {
		c.pageOrder, c.pageLists = renderOrder(g)
	}
	return c.pageOrder, c.pageLists
}

type pageEntry struct {
	path string // "" in pageList: no render yet
	key  string
	data []byte
}

// memoryBodies keeps rendered Markdown in the MemoryCache, by document hash.
type memoryBodies struct{ c *MemoryCache }

func (m memoryBodies) get(d *content.Document, suffix string) (site.Source, bool) {
	c := m.c
	c.docGets.Add(1)
	c.mu.RLock()
	e, ok := c.byDoc[d] // the same document as a build before: no key to make
	if ok && e.suffix == suffix {
		c.mu.RUnlock()
		c.use(e.entry)
		if old := e.used.Load(); old != c.epoch && e.used.CompareAndSwap(old, c.epoch) {
			c.liveDocs.Add(1)
		}
		return e.src, true
	}
	me, ok := c.md[d.Hash+suffix]
	c.mu.RUnlock()
	if !ok {
		return site.Source{Doc: d}, false
	}
	c.use(me)
	s := me.src
	s.Doc = d
	c.keeper.rendered(c.docs, d)
	c.mu.Lock()
	c.byDoc[d] = c.docBody(suffix, s, me)
	c.mu.Unlock()
	return s, true
}

func (m memoryBodies) put(d *content.Document, suffix string, res markdown.Result, summary template.HTML, plain string) (site.Source, error) {
	c := m.c
	st, err := c.keeper.keep(res)
	if err != nil {
		return site.Source{}, err
	}
	s := site.NewSource(d, res, summary, plain, st)
	c.keeper.rendered(c.docs, d)
	me := &mdEntry{src: s}
	c.use(me)
	c.mu.Lock()
	c.md[d.Hash+suffix] = me
	c.byDoc[d] = c.docBody(suffix, s, me)
	c.mu.Unlock()
	return s, nil
}

// mdEntry is a document's rendered Markdown, with the last build that used it.
type mdEntry struct {
	src   site.Source
	epoch atomic.Uint64
}

// use marks e as used by the current build.
func (c *MemoryCache) use(e *mdEntry) {
	if old := e.epoch.Load(); old != c.epoch && e.epoch.CompareAndSwap(old, c.epoch) {
		c.live.Add(1)
	}
}

// docBody is the rendered Markdown of a document (a parsed file, which never changes)
// under a suffix (the Markdown options and its images' key), its entry in md, and the
// last build that asked for it. byDoc holds pointers: a look-up of each of 10,000
// documents per rebuild does not copy its Source.
type docBody struct {
	suffix string
	src    site.Source
	entry  *mdEntry
	used   atomic.Uint64
}

// docBody returns a docBody used by the current build.
func (c *MemoryCache) docBody(suffix string, src site.Source, e *mdEntry) *docBody {
	b := &docBody{suffix: suffix, src: src, entry: e}
	b.used.Store(c.epoch)
	c.liveDocs.Add(1)
	return b
}

// commit follows a successful build: the rendered Markdown it did not use (files edited,
// deleted or renamed since) is let go, and the documents that named it.
func (m memoryBodies) commit(*diag.List) {
	c := m.c
	if int64(len(c.md)) <= c.live.Load() && int64(len(c.byDoc)) <= c.liveDocs.Load() {
		return // every entry was used
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.md {
		if e.epoch.Load() != c.epoch {
			delete(c.md, k)
			c.keeper.forget(e.src.Stored)
		}
	}
	for d, b := range c.byDoc {
		if b.used.Load() != c.epoch {
			delete(c.byDoc, d)
		}
	}
	c.keeper.commit(func(yield func(site.Stored)) {
		for _, e := range c.md {
			yield(e.src.Stored)
		}
		for _, b := range c.byDoc {
			yield(b.src.Stored)
		}
	})
}

func (memoryBodies) close() {}

// memoryBody is a rendered body kept in memory.
type memoryBody struct {
	html template.HTML
	text string
}

func (b memoryBody) HTML() (template.HTML, error) { return b.html, nil }
func (b memoryBody) Text() (string, error)        { return b.text, nil }

// pageStore is how a build reuses pages of the previous one.
type pageStore interface {
	// begin starts the pages of g, all of which depend on st; arts are the build's
	// article keys.
	begin(g *site.Graph, st *structure, arts *articleKeys)
	// reuse returns the file to publish for page i instead of rendering it, when its last
	// render is still right; key gives the page's key (computed once, when asked).
	reuse(i int, p *site.Page, key *lazyKey) (publish.File, bool)
	// keep records the new render b of page i and reports whether it differs from the
	// last one, and whether the store holds on to b (else b's memory serves a later page
	// once the Sink has written it: publish.Buffers).
	keep(i int, p *site.Page, key *lazyKey, b []byte) (changed, holds bool)
	// keepLast follows the last page rendered or reused without error: a page reuse
	// returned as the zero File is kept by w (outputPages).
	keepLast(w publish.Sink) error
	// end follows the last page; ok says every page was rendered or reused.
	end(g *site.Graph, ok bool)
	// save records the pages of the committed output for the next build.
	save(ctx context.Context, ds *diag.List)
}

// noPages reuses nothing.
type noPages struct{}

func (noPages) begin(*site.Graph, *structure, *articleKeys) {}
func (noPages) reuse(int, *site.Page, *lazyKey) (publish.File, bool) {
	return publish.File{}, false
}
func (noPages) keep(int, *site.Page, *lazyKey, []byte) (bool, bool) { return false, false }
func (noPages) keepLast(publish.Sink) error                         { return nil }
func (noPages) end(*site.Graph, bool)                               {}
func (noPages) save(context.Context, *diag.List)                    {}

// memoryPages reuses the last bytes of each page kept in the MemoryCache.
type memoryPages struct {
	c         *MemoryCache
	structure string
	list      []pageEntry // c.pageList when it follows this build's graph, else nil
}

// begin finds the last render of each page of g by its index: for a refreshed graph the
// list of the last build, else one made from the map.
func (m *memoryPages) begin(g *site.Graph, st *structure, _ *articleKeys) {
	m.structure = st.whole
	c := m.c
	if c.pageGraph != g || len(c.pageList) != len(g.Pages) {
		c.mu.RLock()
		list := make([]pageEntry, len(g.Pages))
		for i, p := range g.Pages {
			list[i] = c.page[p.Path]
		}
		c.mu.RUnlock()
		c.pageGraph, c.pageList = g, list
	}
	m.list = c.pageList
}

func (m *memoryPages) previous(i int, path string) (pageEntry, bool) {
	if i < len(m.list) && m.list[i].path == path {
		return m.list[i], true
	}
	m.c.mu.RLock()
	defer m.c.mu.RUnlock()
	e, ok := m.c.page[path]
	return e, ok
}

func (m *memoryPages) reuse(i int, p *site.Page, key *lazyKey) (publish.File, bool) {
	prev, had := m.previous(i, p.Path)
	if !had || (!m.c.unchanged(p, m.structure) && key.get() != prev.key) {
		return publish.File{}, false
	}
	return publish.File{Rel: p.Path, Data: prev.data, Source: source(p)}, true
}

func (m *memoryPages) keep(i int, p *site.Page, key *lazyKey, b []byte) (changed, holds bool) {
	prev, had := m.previous(i, p.Path)
	e := pageEntry{p.Path, key.get(), b}
	if i < len(m.list) {
		m.list[i] = e // each page's own element: no lock
	}
	m.c.mu.Lock()
	m.c.page[p.Path] = e
	m.c.mu.Unlock()
	return !had || string(prev.data) != string(b), true
}

// end records that every page was checked under the structure key (ok) or not, and
// drops the pages the graph no longer has (once per assembled graph: a refreshed graph
// has the same pages).
func (*memoryPages) keepLast(publish.Sink) error { return nil }

func (m *memoryPages) end(g *site.Graph, ok bool) {
	c := m.c
	c.clean, c.structure = ok, m.structure
	if !ok {
		return
	}
	c.dirty = nil
	if c.pruned == g {
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

func (*memoryPages) save(context.Context, *diag.List) {}

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

// keySize is the length of a key: the first bytes of a SHA-256.
const keySize = 16

// sum returns the key as a 16-byte string.
func (k *keyWriter) sum() string {
	s := sha256.Sum256(k.buf)
	return string(s[:keySize])
}

// structure is the site's shape, hashed by part (render.Reads), once per build: a page's
// key includes only the parts its layout may show (Renderer.Reads), so that a new or
// deleted article, which changes section and term counts, renders again only the pages
// that show them (the home page, the archive, the lists it is in), its neighbours and
// the pages that list it, not every page.
type structure struct {
	theme string // themeKey: configuration, templates, assets
	// parts are the hashes of the global parts, by bit of render.ReadsAll.
	parts [structureParts]string
	// whole hashes the theme and every part: the same whole means no page's key changed
	// but by its own fields and articles (MemoryCache.unchanged).
	whole string
	// frame is the input's frame key (site.InputFrame) ("": not made, or articles held back).
	frame string
}

// structureParts is the number of global parts (the bits of render.ReadsAll).
const structureParts = 6

// structureKey hashes each part of the site's shape a page may show besides its own
// fields and dependencies: sections with their counts; taxonomy terms with their names
// and counts; years with counts; the titles and dates of the newest articles (themes
// show them in sidebars); the standalone pages; the library's filters.
func structureKey(g *site.Graph, themeKey string) structure {
	st := structure{theme: themeKey}
	k := newKey() // render.ReadsSections
	for _, s := range g.Sections {
		k.str(s.Name).str(s.Title).str(s.Summary).str(s.URL).int(len(s.Articles))
	}
	st.parts[0] = k.sum()
	k = newKey() // render.ReadsTaxonomies
	for _, t := range g.Taxonomies {
		k.str(t.Key).int(len(t.Terms))
		for _, term := range t.Terms {
			termShape(k, term)
		}
	}
	st.parts[1] = k.sum()
	k = newKey() // render.ReadsYears
	for _, y := range g.Years {
		k.int(y.Year).str(y.URL).int(len(y.Articles))
	}
	st.parts[2] = k.sum()
	k = newKey().int(len(g.Articles)) // render.ReadsLatest
	for i, a := range g.Articles {
		if i == 10 {
			break
		}
		k.str(a.URL).str(a.Title).str(a.Date.String())
	}
	st.parts[3] = k.sum()
	k = newKey() // render.ReadsStandalone
	for _, a := range g.Standalone {
		k.str(a.URL).str(a.Title)
	}
	st.parts[4] = k.sum()
	k = newKey() // render.ReadsLibrary: the library's filter navigation
	if lib := g.Library; lib != nil {
		k.str(lib.URL).int(len(lib.Documents))
		for _, list := range [][]*site.Facet{lib.Types, lib.Issuers, lib.Fields, lib.Years} {
			for _, f := range list {
				k.str(f.URL).str(f.Name).int(len(f.Documents))
			}
		}
	}
	st.parts[5] = k.sum()
	k = newKey().str(themeKey)
	for _, p := range st.parts {
		k.str(p)
	}
	st.whole = k.sum()
	return st
}

// termShape adds what a page may show of a term besides its articles' content: its name,
// URL, counts (its own and with the provinces merged into it), the pages of the provinces
// merged into it and its successor.
func termShape(k *keyWriter, t *site.Term) {
	k.str(t.Slug).str(t.Name).str(t.URL).int(t.Count()).int(t.Total()).int(len(t.Predecessors))
	for _, p := range t.Predecessors { // the term pages of the provinces merged into it
		k.str(p.URL).str(p.Name)
	}
	if t.Successor != nil {
		k.str(t.Successor.URL)
	}
}

// shapeKey adds the parts of the structure reads names to k: the global parts from st,
// the page's own section, term, year or taxonomy from the page.
func shapeKey(k *keyWriter, p *site.Page, st *structure, reads render.Reads) {
	k.int(int(reads))
	for i := range st.parts {
		if reads&(1<<i) != 0 {
			k.str(st.parts[i])
		}
	}
	if reads&render.ReadsOwnSection != 0 && p.Section != nil {
		s := p.Section
		k.str(s.Name).str(s.Title).str(s.URL).int(len(s.Articles))
	}
	if reads&render.ReadsOwnTerm != 0 && p.Term != nil {
		termShape(k, p.Term)
	}
	if reads&render.ReadsOwnYear != 0 && p.Year != nil {
		k.int(p.Year.Year).int(len(p.Year.Articles))
	}
	if reads&render.ReadsOwnTaxonomy != 0 {
		tax := p.Taxonomy
		if tax == nil && p.Term != nil {
			tax = p.Term.Taxonomy
		}
		if tax != nil {
			k.str(tax.Key).int(len(tax.Terms))
			for _, t := range tax.Terms {
				termShape(k, t)
			}
		}
	}
}

// articleKeys hashes what a page shows of each article: its content hash, URL, section
// URL and title, its terms' URLs and names. Page keys hash these 16-byte keys instead of the fields. Keys are
// computed when first asked for: after an edit only a few pages need keys at all.
type articleKeys struct {
	mu sync.Mutex
	m  map[*site.Article]string
	// buffers keeps the page keys' buffers from one page to the next.
	buffers sync.Pool
}

func lazyArticleKeys() *articleKeys {
	return &articleKeys{m: map[*site.Article]string{}, buffers: sync.Pool{New: func() any { return newKey() }}}
}

func (ak *articleKeys) get(a *site.Article) string {
	ak.mu.Lock()
	key, ok := ak.m[a]
	ak.mu.Unlock()
	if ok {
		return key
	}
	key = articleKey(a)
	ak.mu.Lock()
	ak.m[a] = key
	ak.mu.Unlock()
	return key
}

// all returns the keys of arts, in their order, and keeps them for get.
func (ak *articleKeys) all(arts []*site.Article) []string {
	keys := make([]string, len(arts))
	for i, a := range arts {
		keys[i] = articleKey(a)
	}
	ak.mu.Lock()
	for i, a := range arts {
		ak.m[a] = keys[i]
	}
	ak.mu.Unlock()
	return keys
}

// articleKey hashes what a page shows of article a (articleKeys).
func articleKey(a *site.Article) string {
	k := newKey().str(a.Hash).str(a.URL).str(a.ImagesKey).str(a.LibraryKey())
	if a.Section != nil {
		k.str(a.Section.URL).str(a.Section.Title)
	}
	for _, g := range a.Terms {
		for _, t := range g.Terms {
			k.str(t.URL).str(t.Name) // a term's name is the first spelling the assembly met
		}
	}
	return k.sum()
}

// pageKey hashes everything a page shows: the configuration and theme, the parts of the
// structure its layout reads, its own fields and its dependencies' content (given by
// articleKeys).
// lazyKey is one page's key for a pageStore, computed by get when first asked for and
// kept for the next ask (reuse, then keep, of the same page: one goroutine). A page the
// store keeps without its key (unchanged, or kept by its index) is never keyed.
type lazyKey struct {
	k    *keyer
	p    *site.Page
	key  string
	done bool
}

// keyer is what a build keys its pages with, shared by their lazyKeys; keyed counts the
// pages keyed.
type keyer struct {
	structure *structure
	r         *render.Renderer
	arts      *articleKeys
	keyed     *atomic.Int64
}

func (l *lazyKey) get() string {
	if !l.done {
		l.k.keyed.Add(1)
		l.key, l.done = pageKey(l.p, l.k.structure, l.k.r.Reads(l.p), l.k.arts), true
	}
	return l.key
}

func pageKey(p *site.Page, st *structure, reads render.Reads, arts *articleKeys) string {
	k := arts.buffers.Get().(*keyWriter) // a build with its cache keys every page: 173,000 at 100,000 articles
	defer arts.buffers.Put(k)
	k.buf = k.buf[:0]
	k.str(st.theme)
	shapeKey(k, p, st, reads)
	k.str(string(p.Kind)).str(p.Path).str(p.URL).str(p.Title).str(p.Description).str(p.Target).str(p.FeedURL)
	for _, c := range p.Crumbs {
		k.str(c.Name).str(c.URL)
	}
	if p.Pager != nil {
		k.int(p.Pager.Number).int(p.Pager.Total)
	}
	for _, a := range p.Deps() {
		k.str(arts.get(a))
	}
	for _, e := range p.Sitemap {
		k.str(e.Loc).time(e.Lastmod)
	}
	k.str(p.ScheduleKey())
	return k.sum()
}
