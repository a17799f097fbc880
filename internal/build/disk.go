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

// DiskCache keeps a build's work in the cache folder dir for the next `portal build`
// into the same output folder: the key and file of every page it published (linked
// instead of rendered next time when neither changed) and the rendered Markdown of every
// article (not parsed or rendered again when its file did not change). binary names the
// portal program in the keys, so that nothing made by another program is reused; ""
// means a hash of the running executable (tests set it). Deleting the folder only makes
// the next build slower; any problem with it is a warning, and the build goes on without
// it.
func DiskCache(dir, binary string) Cache { return diskCache{dir: dir, binary: binary} }

type diskCache struct{ dir, binary string }

func (c diskCache) open(opts Options, ds *diag.List) (*run, error) {
	bin, err := binaryID(c.binary, c.dir)
	if err != nil {
		ds.Warnf(c.dir, 0, 0, "cache", "không dùng bộ nhớ đệm: %v; lần dựng này kết xuất lại mọi trang", err)
		return noCache{}.open(opts, ds)
	}
	dest, err := filepath.Abs(opts.Dest)
	if err != nil {
		ds.Warnf(c.dir, 0, 0, "cache", "không dùng bộ nhớ đệm: %v; lần dựng này kết xuất lại mọi trang", err)
		return noCache{}.open(opts, ds)
	}
	var bodies bodyStore
	locked := false // the cache folder is this build's (the pack's lock)
	p, warning, err := buildcache.OpenBodies(c.dir, bin)
	switch {
	case err != nil:
		ds.Warnf(c.dir, 0, 0, "cache", "%v: phần Markdown đã dựng sẽ không được giữ lại cho lần dựng sau", err)
		if bodies, err = newSpoolBodies(opts.Dest); err != nil {
			return nil, err
		}
	default:
		if warning != nil {
			ds.Warnf(p.IndexPath(), 0, 0, "cache", "%v", warning)
		}
		locked = true
		bodies = &packBodies{pack: p, dest: opts.Dest, ds: ds,
			salt: fmt.Sprintf("bodies %d %d %s", buildcache.BodiesVersion, bodyFormat, bin)}
	}
	// Under the folder's lock (a pack of bodies), unless it could not be taken: a build
	// that would change nothing stops here (asbefore.go).
	var same sameStore = noSame{}
	var pages *diskPages
	var walk siteWalk
	if locked {
		s, walked := openDiskSame(c.dir, bin, dest, opts, func() *diskPages { return openDiskPages(c.dir, bin, dest, true, ds) })
		if _, ok := s.same(); ok {
			return &run{bodies: bodies, same: s}, nil
		}
		same, pages, walk = s, s.pages, walked
	} else {
		pages = openDiskPages(c.dir, bin, dest, false, ds)
	}
	r := oneOff(bodies, pages, fmt.Sprintf("buildcache %d %s", buildcache.Version, bin))
	if locked {
		r.frame = frameKey
	}
	r.same, r.walk = same, walk
	docs := openDiskDocs(c.dir, bin, ds)
	// The documents are written once loaded (stageDocs: the cache's hold on them goes
	// then), and put in place after a successful build.
	// Run calls stageDocs right after loading, so saveDocs, at the end of a successful
	// build, only commits what it staged.
	var save docsSave
	r.docs = docs.cache
	r.stageDocs = func(ds *diag.List) (discard func()) {
		save = stageDiskDocs(c.dir, bin, docs, ds)
		docs.cache, r.docs = nil, nil
		return save.discard
	}
	r.saveDocs = func(ds *diag.List) { save.commit(ds) } // save as stageDocs left it
	titles := diskTitles(c.dir, bin)
	r.titles, r.waitTitles = titles.run, titles.wait
	r.listing, r.known = readDiskListing(c.dir), diskIndexKnown{c.dir}
	if v, err := buildcache.OpenVariants(c.dir); err != nil {
		ds.Warnf(c.dir, 0, 0, "cache", "%v: ảnh sẽ được xử lý lại ở lần dựng sau", err)
	} else {
		r.variants = diskVariants{v}
	}
	if t, err := buildcache.OpenTexts(c.dir); err != nil {
		ds.Warnf(c.dir, 0, 0, "cache", "%v: tệp PDF sẽ được đọc lại ở lần dựng sau", err)
	} else {
		r.texts = newDiskTexts(t, c.dir)
	}
	return r, nil
}

// A one-off build with a DiskCache reuses the pages of the previous build: the cache
// folder's manifest (internal/buildcache) says under which key each page in the output
// folder was rendered and what its file looked like then. A page whose key is the same
// and whose file is exactly the one recorded (size, times, inode) is kept where it is
// (publish.Existing at its own path) instead of being rendered, minified and written again. Keys cover everything
// that can change a page's bytes (see pageKey, structureKey, themeKey), including the
// portal program itself and the manifest's format version.

// diskPages is one build's use of the cache folder's manifest of pages.
type diskPages struct {
	dir    string
	binary string
	dest   string                      // the absolute output folder
	prev   map[string]buildcache.Entry // the previous build's pages; nil: nothing to reuse
	// manifest is the one prev comes from, against which save writes only the changes.
	manifest *buildcache.Manifest
	// out is the output folder opened for the pages' checks, between begin and end.
	out *buildcache.Dir

	// saved is the manifest's pages once save has written it (or found it written), for
	// the record of what the next build checks (asbefore.go); nil before, or on failure.
	saved map[string]buildcache.Entry

	// paths and keys of g.Pages[i], filled as the pages are rendered or reused, for the
	// next manifest (the graph may be gone by the time it is written); was[i] is the
	// entry of a reused page, kept in place (its .gz sibling too when Gz is set).
	paths, keys []string
	was         []*buildcache.Entry

	// locked: the build holds the cache folder's lock, so that the frame record read with
	// the manifest is the one saved with it (frame_disk.go); without it no record is read
	// or written. record is the one read (nil: none); frame and arts are this build's
	// record, written beside the manifest by save. local: the previous build's record has
	// this build's frame, so that only the pages that depend on dirty (the articles whose
	// keys changed) can differ from their last render (see site.Frame): the others keep
	// their last key without being keyed.
	locked bool
	record *frameRecord
	frame  string
	arts   []string
	local  bool
	dirty  []*site.Article
}

// openDiskPages prepares the reuse of the previous build's pages. Any problem with the
// manifest is a warning in ds, never an error: nothing is reused, and the build renders
// every page.
func openDiskPages(dir, binary, dest string, locked bool, ds *diag.List) *diskPages {
	manifest := buildcache.Path(dir)
	d := &diskPages{dir: dir, binary: binary, dest: dest, locked: locked}
	m, err := buildcache.Load(dir)
	switch {
	case buildcache.IsNotExist(err):
		// The first build into a new folder (or one holding only a .gitkeep) has nothing
		// to reuse; a build over a built site without its cache is worth saying (the
		// cache was deleted, or the last build ran without it).
		if _, err := os.Stat(filepath.Join(dest, "index.html")); err == nil {
			ds.Warnf(manifest, 0, 0, "cache", "chưa có bộ nhớ đệm cho %s: lần dựng này kết xuất lại mọi trang (lần dựng sau sẽ dùng lại được)", dest)
		}
	case errors.Is(err, buildcache.ErrVersion):
		ds.Warnf(manifest, 0, 0, "cache", "%v: lần dựng này kết xuất lại mọi trang", err)
	case err != nil:
		ds.Warnf(manifest, 0, 0, "cache", "%v: lần dựng này kết xuất lại mọi trang và ghi lại bộ nhớ đệm sau đó", err)
	case m.Binary != binary:
		ds.Warnf(manifest, 0, 0, "cache", "bộ nhớ đệm do một bản portal khác ghi: lần dựng này kết xuất lại mọi trang")
	case m.Dest != dest:
		ds.Warnf(manifest, 0, 0, "cache", "bộ nhớ đệm này dành cho thư mục đầu ra %s, không phải %s: lần dựng này kết xuất lại mọi trang", m.Dest, dest)
	default:
		d.prev, d.manifest = m.Pages, m
		if locked {
			d.record = readFrame(dir)
		}
	}
	return d
}

// begin makes room for the keys of g's pages, and finds whether the previous build's
// frame is this one's (local).
func (d *diskPages) begin(g *site.Graph, st *structure, arts *articleKeys) {
	n := len(g.Pages)
	d.paths, d.keys, d.was = make([]string, n), make([]string, n), make([]*buildcache.Entry, n)
	d.out = buildcache.OpenDir(d.dest)
	if st.frame == "" || !d.locked {
		return
	}
	contents := g.Contents()
	d.frame = newKey().str(st.frame).str(st.whole).sum()
	d.arts = arts.all(contents)
	if d.record == nil || d.record.frame != d.frame || len(d.record.arts) != len(d.arts) {
		return
	}
	for i, k := range d.arts {
		if k != d.record.arts[i] {
			if len(d.dirty) == maxDirty {
				d.dirty = nil
				return // past maxDirty, every page is keyed
			}
			d.dirty = append(d.dirty, contents[i])
		}
	}
	d.local = true
}

// reuse returns page i's file in the output folder when the previous build rendered it
// under the same key and the file is still exactly the one it left there.
func (d *diskPages) reuse(i int, p *site.Page, key *lazyKey) (publish.File, bool) {
	e, ok := d.prev[p.Path]
	if ok && d.local && !p.DependsOn(d.dirty) {
		d.paths[i], d.keys[i] = p.Path, e.Key // what key.get() would give
	} else {
		d.paths[i], d.keys[i] = p.Path, key.get()
	}
	if !ok || e.Key != d.keys[i] {
		return publish.File{}, false
	}
	f, ok := keptFile(d.out, p, &e)
	if ok {
		d.was[i] = &e
	}
	return f, ok
}

// asBefore reports whether every page of the build was reused with its entry as it was
// (its sibling too, when one was recorded), and the previous build had no other page:
// the manifest of this build is the previous one.
func (d *diskPages) asBefore() bool {
	if d.prev == nil || len(d.prev) != len(d.paths) {
		return false
	}
	for i, p := range d.paths {
		if d.was[i] == nil || *d.was[i] != d.prev[p] {
			return false
		}
	}
	return true
}

// outputFile is p's file in the output folder dest, to keep as it is, when it is still
// exactly the file a build left there (id).
func outputFile(dest string, p *site.Page, id buildcache.FileID) (publish.File, bool) {
	src := filepath.Join(dest, filepath.FromSlash(p.Path))
	if now, err := buildcache.Stat(src); err != nil || now != id {
		return publish.File{}, false
	}
	return publish.File{Rel: p.Path, SrcPath: src, Source: source(p), Kind: publish.Existing}, true
}

// keptFile is outputFile for a page of entry e in the output folder out, of kind Kept
// when its .gz sibling is also the one recorded (else e.Gz is cleared, and the Writer
// checks the sibling).
func keptFile(out *buildcache.Dir, p *site.Page, e *buildcache.Entry) (publish.File, bool) {
	if now, err := out.Stat(p.Path); err != nil || now != e.File {
		return publish.File{}, false
	}
	f := publish.File{Rel: p.Path, SrcPath: filepath.Join(out.Path(), filepath.FromSlash(p.Path)), Source: source(p), Kind: publish.Existing}
	if e.Gz == (buildcache.FileID{}) {
		return f, true
	}
	if now, err := out.Stat(p.Path + publish.GzipSuffix); err == nil && now == e.Gz {
		f.Kind, f.Size, f.GzSize = publish.Kept, e.File.Size, e.Gz.Size
	} else {
		e.Gz = buildcache.FileID{}
	}
	return f, true
}

func (*diskPages) keep(int, *site.Page, *lazyKey, []byte) (bool, bool) { return false, false }

func (*diskPages) keepLast(publish.Sink) error { return nil }

func (d *diskPages) end(*site.Graph, bool) {
	if d.out != nil {
		d.out.Close()
	}
}

// save writes the manifest of the generation just committed: each page's key with its
// file as it is now in the output folder. A page that cannot be read back is left out (it
// is rendered next time); a manifest that cannot be written is a warning in ds.
//
// A reused page was kept in place by the Writer: its identity, and its .gz sibling's
// when that was checked too (kind Kept), are the ones checked before reuse, recorded
// without a stat (at 100,000 articles, 173,000 fewer system calls). Had a file been
// written to since the check, its times differ from the recorded ones, and the next build
// renders the page (or checks the sibling). A page without a sibling has none recorded,
// and is kept as Existing (the Writer checks whether it should have one).
func (d *diskPages) save(ctx context.Context, ds *diag.List) {
	// The frame record goes before the manifest changes, and the new one comes after it
	// is saved: a record names the keys of the manifest beside it, or there is none.
	removeFrame(d.dir)
	defer func() {
		if d.saved != nil && d.frame != "" {
			writeFrame(d.dir, d.frame, d.arts)
		}
	}()
	if d.asBefore() {
		d.saved = d.prev
		return // the manifest in the folder says just this
	}
	entries := make([]buildcache.Entry, len(d.paths))
	ok := make([]bool, len(d.paths))
	// The pages are handed out saveChunk at a time: nearly every one was kept, and
	// recorded without a system call.
	const saveChunk = 256
	err := parallel.Each(ctx, (len(d.paths)+saveChunk-1)/saveChunk, func(c int) {
		for i := c * saveChunk; i < min(len(d.paths), (c+1)*saveChunk); i++ {
			d.saveEntry(i, entries, ok)
		}
	})
	if err == nil {
		m := &buildcache.Manifest{Binary: d.binary, Dest: d.dest, Pages: make(map[string]buildcache.Entry, len(d.paths))}
		for i, p := range d.paths {
			if ok[i] {
				m.Pages[p] = entries[i]
			}
		}
		err = m.SaveOver(d.dir, d.manifest)
		if err == nil {
			d.saved = m.Pages
		}
	}
	if err != nil {
		// The previous manifest could not be reused anyway (every file it names was
		// replaced or relinked, which changed its identity); remove it all the same.
		_ = buildcache.Remove(d.dir)
		ds.Warnf(buildcache.Path(d.dir), 0, 0, "cache", "%v; lần dựng sau sẽ kết xuất lại mọi trang", err)
	}
}

// saveEntry records the i-th page in entries[i] (ok[i]), for save: its identity as the
// Writer checked it when it was kept, else stat'ed (left out when it cannot be).
func (d *diskPages) saveEntry(i int, entries []buildcache.Entry, ok []bool) {
	if d.paths[i] == "" {
		return
	}
	e := buildcache.Entry{Key: d.keys[i]}
	full := filepath.Join(d.dest, filepath.FromSlash(d.paths[i]))
	if was := d.was[i]; was != nil {
		e.File, e.Gz = was.File, was.Gz
	} else {
		var err error
		if e.File, err = buildcache.Stat(full); err != nil {
			return
		}
	}
	if e.Gz == (buildcache.FileID{}) {
		e.Gz, _ = buildcache.Stat(full + publish.GzipSuffix) // none: zero
	}
	entries[i], ok[i] = e, true
}
