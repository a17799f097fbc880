package build

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
)

// A one-off build with Options.CacheDir reuses the pages of the previous build: the cache
// folder's manifest (internal/buildcache) says under which key each page in the output
// folder was rendered and what its file looked like then. A page whose key is the same
// and whose file is exactly the one recorded (size, times, inode) is linked into the new
// generation instead of being rendered, minified and written again. Keys cover everything
// that can change a page's bytes (see pageKey, structureKey, themeKey), including the
// portal program itself and the manifest's format version.

// diskCache is one build's use of the cache folder.
type diskCache struct {
	dir    string
	binary string
	dest   string                      // the absolute output folder
	prev   map[string]buildcache.Entry // the previous build's pages; nil: nothing to reuse
	out    publish.Sink

	// paths and keys of g.Pages[i], filled by renderPages for the next manifest (the
	// graph may be gone by the time it is written); was[i] is the file a reused page
	// was linked from.
	paths, keys []string
	was         []*buildcache.FileID
}

// openDiskCache prepares the reuse of the previous build's pages. Any problem with the
// cache is a warning in ds, never an error: it returns nil (build without the cache) or a
// cache with nothing to reuse, and the build renders every page.
func openDiskCache(opts Options, w publish.Sink, ds *diag.List) *diskCache {
	manifest := buildcache.Path(opts.CacheDir)
	binary, err := binaryID(opts)
	if err != nil {
		ds.Warnf(manifest, 0, 0, "cache", "not using the build cache: %v", err)
		return nil
	}
	dest, err := filepath.Abs(opts.Dest)
	if err != nil {
		ds.Warnf(manifest, 0, 0, "cache", "not using the build cache: %v", err)
		return nil
	}
	d := &diskCache{dir: opts.CacheDir, binary: binary, dest: dest, out: w}
	m, err := buildcache.Load(opts.CacheDir)
	const all = "every page is rendered again"
	switch {
	case buildcache.IsNotExist(err):
		// The first build into a new folder (or one holding only a .gitkeep) has nothing
		// to reuse; a build over a built site without its cache is worth saying (the
		// cache was deleted, or the last build ran without it).
		if _, err := os.Stat(filepath.Join(dest, "index.html")); err == nil {
			ds.Warnf(manifest, 0, 0, "cache", "no build cache for %s: %s (the next build reuses them)", dest, all)
		}
	case errors.Is(err, buildcache.ErrVersion):
		ds.Warnf(manifest, 0, 0, "cache", "%v: %s", err, all)
	case err != nil:
		ds.Warnf(manifest, 0, 0, "cache", "%v: %s; the cache is rewritten after this build", err, all)
	case m.Binary != binary:
		ds.Warnf(manifest, 0, 0, "cache", "the build cache was written by another build of portal: %s", all)
	case m.Dest != dest:
		ds.Warnf(manifest, 0, 0, "cache", "the build cache is for the output folder %s, not %s: %s", m.Dest, dest, all)
	default:
		d.prev = m.Pages
	}
	return d
}

// salt is what the cache adds to the theme key: pages made by another portal program or
// under another cache format are never reused.
func (d *diskCache) salt() string {
	if d == nil {
		return ""
	}
	return fmt.Sprintf("buildcache %d %s", buildcache.Version, d.binary)
}

// start makes room for the keys of n pages.
func (d *diskCache) start(n int) {
	d.paths, d.keys, d.was = make([]string, n), make([]string, n), make([]*buildcache.FileID, n)
}

// reuse queues page i of the previous build when its key is key and its file in the
// output folder is still exactly the one the previous build left there. It reports
// whether it did (err is a queueing error).
func (d *diskCache) reuse(i int, p *site.Page, key string) (bool, error) {
	d.paths[i], d.keys[i] = p.Path, key
	e, ok := d.prev[p.Path]
	if !ok || e.Key != key {
		return false, nil
	}
	src := filepath.Join(d.dest, filepath.FromSlash(p.Path))
	if id, err := buildcache.Stat(src); err != nil || id != e.File {
		return false, nil
	}
	d.was[i] = &e.File
	return true, d.out.Add(publish.File{Rel: p.Path, SrcPath: src, Source: source(p), Kind: publish.Existing})
}

// save writes the manifest of the generation just committed: each page's key with its
// file as it is now in the output folder. A page that cannot be read back is left out (it
// is rendered next time); a manifest that cannot be written is a warning in ds.
func (d *diskCache) save(ctx context.Context, ds *diag.List) {
	ids := make([]buildcache.FileID, len(d.paths))
	ok := make([]bool, len(d.paths))
	err := parallel.Each(ctx, len(d.paths), func(i int) {
		if d.paths[i] == "" {
			return
		}
		var err error
		ids[i], err = buildcache.Stat(filepath.Join(d.dest, filepath.FromSlash(d.paths[i])))
		ok[i] = err == nil
		if was := d.was[i]; ok[i] && was != nil {
			// Linking changed the file's change time, not its size and modification
			// time (a copy, where links fail, keeps them too): a file written to
			// between the check and the link is not vouched for.
			ok[i] = ids[i].Size == was.Size && ids[i].ModNs == was.ModNs
		}
	})
	if err == nil {
		m := &buildcache.Manifest{Binary: d.binary, Dest: d.dest, Pages: make(map[string]buildcache.Entry, len(d.paths))}
		for i, p := range d.paths {
			if ok[i] {
				m.Pages[p] = buildcache.Entry{Key: d.keys[i], File: ids[i]}
			}
		}
		err = m.Save(d.dir)
	}
	if err != nil {
		// The previous manifest could not be reused anyway (every file it names was
		// replaced or relinked, which changed its identity); remove it all the same.
		_ = buildcache.Remove(d.dir)
		ds.Warnf(buildcache.Path(d.dir), 0, 0, "cache", "%v; the next build renders every page again", err)
	}
}
