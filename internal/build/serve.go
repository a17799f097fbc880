package build

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
)

// ServeCache is the strategy of `portal serve --watch`, which keeps building one site
// into its output folder: the preview's MemoryCache for documents, rendered Markdown, the
// assembled graph (refreshed in place) and the site-wide rules, and DiskCache's way with
// pages: a page whose key and file in the output folder are those of the last committed
// build is handed to the Writer as an Existing file (linked, or left in place), not
// rendered, minified and compressed again; image variants are found there by their
// fingerprinted names (outputVariants). The pages' keys and files are kept in memory,
// and the output's manifest is written in full (its file lists too), so that a later
// `portal build`, or the next start of the server, keeps held-back articles the same way.
// Safe for use by one build at a time.
type ServeCache struct {
	mem *MemoryCache
	// bodies keeps mem's rendered bodies in a spool file beside the output folder, not in
	// memory (retain.go); Close removes it.
	bodies *spooledBodies
	// dest is the output folder of pages; pages the key and file of each page of the
	// last build committed there (nil: none yet, render every page), for the pages of
	// graph.
	dest  string
	pages map[string]buildcache.Entry
	graph *site.Graph
	// listing is the output's files as the last commit left them (Committed), and listed
	// whether that commit was planned from the one before (nothing else changed the
	// output meanwhile). While listing is current, pages holds the files as they are:
	// a page is kept without reading it (trusted, see outputPages).
	listing *publish.Listing
	listed  bool
	// kept holds, for the pages of keptOf (by index), the File a kept page is handed to
	// the Writer as: its path in the output and its source names are made once per
	// graph, not for each of 18,000 pages at every save.
	kept   []keptPage
	keptOf *site.Graph
}

// ServeGCHeadroom is the headroom of the collector's pacing (memlimit.Pace) during a
// build with a ServeCache, for a server's memlimit.Idle.
const ServeGCHeadroom = gcHeadroom

// keptPage is the Existing File of a page of ServeCache.keptOf; when the last commit
// kept it (listed is that commit's Listing, ServeCache.listing), also its entry in pages,
// so that the next save keeps it again without looking up its path (outputPages.reuse).
type keptPage struct {
	page   *site.Page
	file   publish.File
	entry  buildcache.Entry
	listed *publish.Listing
}

// NewServeCache returns an empty cache: its first build renders every page. Close it
// when done.
func NewServeCache() *ServeCache {
	bodies := newSpooledBodies()
	return &ServeCache{mem: newMemoryCache(bodies), bodies: bodies}
}

// Close lets go of what the cache keeps on disk (its spool of rendered bodies); the
// cache is not to be used afterwards.
func (c *ServeCache) Close() { c.bodies.close() }

func (c *ServeCache) open(opts Options, ds *diag.List) (*run, error) {
	return c.Changed(nil).open(opts, ds)
}

// Changed returns the cache for a build after the given files changed (absolute paths,
// as the watcher knows them); nil means unknown (every file is checked).
func (c *ServeCache) Changed(paths []string) Cache { return serveChanged{c, paths} }

// Listing is the output's files as the last committed build left them, for the next
// Writer's publish.Options.Previous (nil: none).
func (c *ServeCache) Listing() *publish.Listing { return c.listing }

// Committed records the Stats of the Writer's commit of a build with this cache, before
// the build records its pages (the Sink of Options.Output calls it inside its Commit).
func (c *ServeCache) Committed(st publish.Stats) { c.listing, c.listed = st.Listing, st.Listed }

type serveChanged struct {
	c       *ServeCache
	changed []string
}

func (m serveChanged) open(opts Options, ds *diag.List) (*run, error) {
	r, err := m.c.mem.Changed(m.changed).open(opts, ds)
	if err != nil {
		return nil, err
	}
	dest, err := filepath.Abs(opts.Dest)
	if err != nil {
		return nil, err
	}
	if dest != m.c.dest {
		m.c.dest, m.c.pages, m.c.listing, m.c.kept, m.c.keptOf = dest, nil, nil, nil, nil
		m.c.bodies.at(spoolDir(dest))
	}
	// Before the Writer makes its staging folder beside the output: the output is as the
	// last commit left it.
	trusted := m.c.pages != nil && m.c.listing != nil && m.c.listing.Current(dest)
	// The manifest on disk is the one last committed unless that commit found the folder
	// changed by someone else (who may have left theirs).
	ownManifest := m.c.listed
	m.c.listed = false
	r.paceGC = true // the heap grows by half of what is live, as in portal build
	r.pages = &outputPages{c: m.c, dest: dest, trusted: trusted}
	r.manifest = outputManifest{m.c.mem, dest, trusted && ownManifest && m.c.listing.Has(publish.ManifestName)}
	r.variants = outputVariants{dest}
	return r, nil
}

// outputVariants finds image variants in the output folder: a variant's name is
// fingerprinted over its source, the settings and the variant (publish.Fingerprinted), so
// a file of that name there has the bytes this build would encode. It is linked into the
// next output (Existing); a variant not there is encoded and written, and nothing is kept
// in memory.
type outputVariants struct{ dest string }

func (o outputVariants) file(name, rel string) (publish.File, bool) {
	p := filepath.Join(o.dest, filepath.FromSlash(rel))
	if st, err := os.Lstat(p); err != nil || !st.Mode().IsRegular() || !publish.Fingerprinted(rel) {
		return publish.File{}, false
	}
	return publish.File{Rel: rel, SrcPath: p, Source: "ảnh " + name, Kind: publish.Existing}, true
}

func (outputVariants) put(name, rel string, data []byte) (publish.File, error) {
	return publish.File{Rel: rel, Data: data, Source: "ảnh " + name, Kind: publish.Final}, nil
}

func (outputVariants) commit(map[string]bool, *diag.List) {}

// outputPages is one build's use of the pages a ServeCache keeps.
//
// trusted: the output folder is as the last commit left it (its Listing is current), and
// the cache's entries are the files there, so a page whose key is the same is kept
// without a stat (the Writer keeps it unread too: publish/keep.go). Otherwise each kept
// page's file is checked against its entry (size, times, inode), as DiskCache does. A
// build that trusted the folder but whose commit found it changed by someone else
// (publish.Stats.Listed false) forgets the pages it kept: they are rendered next time.
type outputPages struct {
	c         *ServeCache
	dest      string
	trusted   bool
	graph     *site.Graph
	structure string
	ok        bool // every page was rendered or reused
	// paths and keys of g.Pages[i]; was[i] is the entry's file of a reused page.
	paths, keys []string
	was         []*buildcache.FileID
	kept        []keptPage // the cache's kept, for g
	// bulk: the same graph as the last save's, trusted, so that the pages the last commit
	// carried (keptPage.listed is its listing) are each either kept by the Writer's
	// KeepLast without being added (carried[i] == byLast) or in gone, their path as then
	// (under goneMu). carried[i] == byAdd: page i is added as a kept file for the Writer
	// to carry (File.Carry).
	bulk    bool
	carried []uint8
	goneMu  sync.Mutex
	gone    []string
}

// The ways a page is carried by a commit (outputPages.carried).
const (
	byLast = 1 + iota
	byAdd
)

func (o *outputPages) begin(g *site.Graph, st *structure, _ *articleKeys) {
	n := len(g.Pages)
	o.graph, o.structure = g, st.whole
	o.paths, o.keys, o.was = make([]string, n), make([]string, n), make([]*buildcache.FileID, n)
	o.carried = make([]uint8, n)
	o.bulk = o.trusted && o.c.keptOf == g && len(o.c.kept) == n
	if o.c.keptOf != g || len(o.c.kept) != n {
		o.c.kept, o.c.keptOf = make([]keptPage, n), g
	}
	o.kept = o.c.kept
}

// existing returns page i (p) as a file kept where it is in the output: the one made for
// p at an earlier save of the same graph, else made now (each page its own element: no
// lock).
func (o *outputPages) existing(i int, p *site.Page) publish.File {
	k := &o.kept[i]
	if k.page != p || k.file.Rel != p.Path {
		*k = keptPage{page: p, file: publish.File{Rel: p.Path, SrcPath: filepath.Join(o.dest, filepath.FromSlash(p.Path)), Source: source(p), Kind: publish.Existing, Carry: true}}
	}
	return k.file
}

// reuse returns page i's file in the output folder when the last committed build left it
// there under the same key and it is still exactly that file. A page that shows no article
// refreshed since then keeps its key without computing it (MemoryCache.unchanged).
//
// A page the last commit carried, kept again, is not added: the zero File it returns
// says so, and keepLast has the Writer keep it (publish.Writer.KeepLast).
func (o *outputPages) reuse(i int, p *site.Page, key *lazyKey) (publish.File, bool) {
	o.paths[i] = p.Path
	// Kept by the last commit, which left the output as it is (trusted): its entry and
	// its place in the listing are those of that commit, no look-up by path needed.
	k := &o.kept[i]
	last := k.listed != nil && k.listed == o.c.listing // carried by the last commit
	if last && o.trusted && k.page == p && k.file.Rel == p.Path && o.c.mem.unchanged(p, o.structure) {
		o.keys[i], o.was[i] = k.entry.Key, &k.entry.File
		if o.bulk {
			o.carried[i] = byLast
			return publish.File{}, true
		}
		o.carried[i] = byAdd
		return k.file, true
	}
	if last && o.bulk { // the path it had then, before existing changes k
		o.goneMu.Lock()
		o.gone = append(o.gone, k.file.Rel)
		o.goneMu.Unlock()
	}
	e, had := o.c.pages[p.Path]
	if had && o.c.mem.unchanged(p, o.structure) {
		o.keys[i] = e.Key
	} else {
		o.keys[i] = key.get()
	}
	if !had || e.Key != o.keys[i] {
		return publish.File{}, false
	}
	if o.trusted && o.c.listing.Has(p.Path) {
		o.was[i], o.carried[i] = &e.File, byAdd
		return o.existing(i, p), true
	}
	f, ok := outputFile(o.dest, p, e.File)
	if ok {
		o.was[i] = &e.File
	}
	return f, ok
}

func (*outputPages) keep(int, *site.Page, *lazyKey, []byte) (bool, bool) {
	return false, false
}

// lastKeeper is a Sink that keeps what the last commit carried without its files being
// added again (publish.Writer.KeepLast).
type lastKeeper interface {
	KeepLast(gone []string) (bool, error)
}

// keepLast has w keep the pages reuse did not add (the last commit carried them), but
// the gone ones; a Sink that cannot gets them added after all (a Writer whose listing
// carries nothing, for one).
func (o *outputPages) keepLast(w publish.Sink) error {
	if !o.bulk {
		return nil
	}
	if kl, ok := w.(lastKeeper); ok {
		if kept, err := kl.KeepLast(o.gone); kept || err != nil {
			return err
		}
	}
	for i, c := range o.carried {
		if c != byLast {
			continue
		}
		o.carried[i] = byAdd
		if err := w.Add(o.kept[i].file); err != nil {
			return err
		}
	}
	return nil
}

// end records a failure: the keys of the last committed build are then checked again, one
// by one, next time.
func (o *outputPages) end(_ *site.Graph, ok bool) {
	o.ok = ok
	if !ok {
		o.c.mem.clean = false
	}
}

// save records each page's key and file as they are in the output folder now that the
// build is committed: a rendered page's file is read back (a page that cannot be is
// rendered next time); a kept page was kept in place by the Writer, so its entry stays
// as it was. For a refreshed graph (the same pages) only the rendered pages' entries
// change.
func (o *outputPages) save(ctx context.Context, _ *diag.List) {
	forget := o.trusted && !o.c.listed // kept unread, but the folder changed meanwhile
	var rendered []int
	for i, p := range o.paths {
		if p != "" && o.was[i] == nil {
			rendered = append(rendered, i)
		}
	}
	ids := make([]buildcache.FileID, len(rendered))
	ok := make([]bool, len(rendered))
	err := parallel.Each(ctx, len(rendered), func(j int) {
		var err error
		ids[j], err = buildcache.Stat(filepath.Join(o.dest, filepath.FromSlash(o.paths[rendered[j]])))
		ok[j] = err == nil
	})
	c := o.c
	switch {
	case err != nil:
		c.pages = nil
	case c.pages != nil && c.graph == o.graph && !forget:
		for j, i := range rendered {
			if ok[j] {
				c.pages[o.paths[i]] = buildcache.Entry{Key: o.keys[i], File: ids[j]}
			} else {
				delete(c.pages, o.paths[i])
			}
		}
	default:
		pages := make(map[string]buildcache.Entry, len(o.paths))
		for i, p := range o.paths {
			if was := o.was[i]; was != nil && !forget {
				pages[p] = buildcache.Entry{Key: o.keys[i], File: *was}
			}
		}
		for j, i := range rendered {
			if ok[j] {
				pages[o.paths[i]] = buildcache.Entry{Key: o.keys[i], File: ids[j]}
			}
		}
		c.pages = pages
	}
	c.graph = o.graph
	if err == nil && !forget && c.listed && c.listing != nil {
		// The pages this commit kept in place are in its listing with their entries
		// as they are in pages: the next save of this graph keeps them by index.
		for i, was := range o.was {
			if was != nil && o.carried[i] != 0 {
				o.existing(i, o.graph.Pages[i])
				k := &o.kept[i]
				k.entry, k.listed = buildcache.Entry{Key: o.keys[i], File: *was}, c.listing
			}
		}
	}
	mem := c.mem
	if o.ok && err == nil {
		// Every page of this graph is now as its key says: after the next refresh only the
		// pages showing a refreshed article need their keys.
		mem.clean, mem.structure, mem.dirty = true, o.structure, nil
	} else {
		mem.clean = false
	}
}

// outputManifest keeps the last manifest in memory and writes it whole into the output
// folder; the first build finds the previous one there. A manifest equal to the last one
// committed, while the output is as that commit left it (trusted), is kept in place
// instead of being encoded and written again (at 10,000 articles its file lists are over
// a megabyte of JSON).
type outputManifest struct {
	c       *MemoryCache
	dest    string
	trusted bool
}

func (m outputManifest) previous(dest string) (publish.Manifest, error) {
	if m.c.manifest != nil {
		return *m.c.manifest, nil
	}
	return publish.ReadManifest(dest)
}

func (m outputManifest) articles(dest string) (int, error) {
	if m.c.manifest != nil {
		return m.c.manifest.Articles, nil
	}
	return publish.ReadManifestArticles(dest)
}

func (m outputManifest) file(man publish.Manifest) publish.File {
	if last := m.c.manifest; m.trusted && last != nil && sameManifest(*last, man) {
		return publish.File{Rel: publish.ManifestName, SrcPath: filepath.Join(m.dest, publish.ManifestName), Source: "the build's manifest", Kind: publish.Existing}
	}
	return manifestFile(man)
}

func (m outputManifest) committed(man publish.Manifest) { m.c.manifest = &man }

// sameManifest reports whether a and b encode alike.
func sameManifest(a, b publish.Manifest) bool {
	return a.Articles == b.Articles && maps.Equal(a.Assets, b.Assets) && bytes.Equal(a.Organization, b.Organization) &&
		maps.EqualFunc(a.Sources, b.Sources, func(x, y publish.Published) bool { return x.Page == y.Page && slices.Equal(x.Files, y.Files) })
}
