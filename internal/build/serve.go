package build

import (
	"context"
	"os"
	"path/filepath"

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
	// dest is the output folder of pages; pages the key and file of each page of the
	// last build committed there (nil: none yet, render every page).
	dest  string
	pages map[string]buildcache.Entry
}

// NewServeCache returns an empty cache: its first build renders every page.
func NewServeCache() *ServeCache { return &ServeCache{mem: NewMemoryCache()} }

func (c *ServeCache) open(opts Options, ds *diag.List) (*run, error) {
	return c.Changed(nil).open(opts, ds)
}

// Changed returns the cache for a build after the given files changed (absolute paths,
// as the watcher knows them); nil means unknown (every file is checked).
func (c *ServeCache) Changed(paths []string) Cache { return serveChanged{c, paths} }

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
		m.c.dest, m.c.pages = dest, nil
	}
	r.pages = &outputPages{c: m.c, dest: dest}
	r.manifest = outputManifest{m.c.mem}
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
type outputPages struct {
	c         *ServeCache
	dest      string
	structure string
	ok        bool // every page was rendered or reused
	// paths and keys of g.Pages[i]; was[i] is the file a reused page was found as.
	paths, keys []string
	was         []*buildcache.FileID
}

func (o *outputPages) begin(g *site.Graph, structure string) {
	n := len(g.Pages)
	o.structure = structure
	o.paths, o.keys, o.was = make([]string, n), make([]string, n), make([]*buildcache.FileID, n)
}

// reuse returns page i's file in the output folder when the last committed build left it
// there under the same key and it is still exactly that file. A page that shows no article
// refreshed since then keeps its key without computing it (MemoryCache.unchanged).
func (o *outputPages) reuse(i int, p *site.Page, key func() string) (publish.File, bool) {
	o.paths[i] = p.Path
	e, had := o.c.pages[p.Path]
	if had && o.c.mem.unchanged(p, o.structure) {
		o.keys[i] = e.Key
	} else {
		o.keys[i] = key()
	}
	if !had || e.Key != o.keys[i] {
		return publish.File{}, false
	}
	f, ok := outputFile(o.dest, p, e.File)
	if ok {
		o.was[i] = &e.File
	}
	return f, ok
}

func (*outputPages) keep(int, *site.Page, func() string, []byte) bool { return false }

// end records a failure: the keys of the last committed build are then checked again, one
// by one, next time.
func (o *outputPages) end(_ *site.Graph, ok bool) {
	o.ok = ok
	if !ok {
		o.c.mem.clean = false
	}
}

// save records each page's key and file as they are in the output folder now that the
// build is committed; a page that cannot be read back is rendered next time.
func (o *outputPages) save(ctx context.Context, _ *diag.List) {
	ids := make([]buildcache.FileID, len(o.paths))
	ok := make([]bool, len(o.paths))
	err := parallel.Each(ctx, len(o.paths), func(i int) {
		if o.paths[i] == "" {
			return
		}
		var err error
		ids[i], err = buildcache.Stat(filepath.Join(o.dest, filepath.FromSlash(o.paths[i])))
		ok[i] = err == nil
		if was := o.was[i]; ok[i] && was != nil {
			// Linking changes a file's change time, not its size and modification time.
			ok[i] = ids[i].Size == was.Size && ids[i].ModNs == was.ModNs
		}
	})
	pages := make(map[string]buildcache.Entry, len(o.paths))
	if err == nil {
		for i, p := range o.paths {
			if ok[i] {
				pages[p] = buildcache.Entry{Key: o.keys[i], File: ids[i]}
			}
		}
	}
	o.c.pages = pages
	mem := o.c.mem
	if o.ok && err == nil {
		// Every page of this graph is now as its key says: after the next refresh only the
		// pages showing a refreshed article need their keys.
		mem.clean, mem.structure, mem.dirty = true, o.structure, nil
	} else {
		mem.clean = false
	}
}

// outputManifest keeps the last manifest in memory and writes it whole into the output
// folder; the first build finds the previous one there.
type outputManifest struct{ c *MemoryCache }

func (m outputManifest) previous(dest string) (publish.Manifest, error) {
	if m.c.manifest != nil {
		return *m.c.manifest, nil
	}
	return publish.ReadManifest(dest)
}

func (outputManifest) onDisk(m publish.Manifest) publish.Manifest { return m }

func (m outputManifest) committed(man publish.Manifest) { m.c.manifest = &man }
