package content

import (
	"context"
	"errors"
	"io/fs"
	"path"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/parallel"
)

// IsMarkdown reports whether a file name is a Markdown content file.
func IsMarkdown(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// Ignored reports whether a file name is an editor's temporary or backup file, or hidden.
// The preview watcher uses the same rule.
func Ignored(name string) bool {
	base := path.Base(filepath.ToSlash(name))
	switch {
	case base == "4913", // vim's write test
		strings.HasPrefix(base, "."), // .swp, .#lock, .DS_Store, .goutputstream-*
		strings.HasSuffix(base, "~"),
		strings.HasSuffix(base, ".swp"), strings.HasSuffix(base, ".swx"), strings.HasSuffix(base, ".tmp"),
		strings.Contains(base, "___jb_"),
		strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"):
		return true
	}
	return false
}

// File is a content file found by Walk: its slash path relative to the site root, the
// root of the file system it was found in ("content/tin-tuc/x.md").
type File struct {
	Rel string
}

// Walk lists the Markdown files and bundle resources under content/ in fsys, the site
// folder, in a stable order. Symbolic links are not followed: not content/ itself, not a
// folder in it (fs.WalkDir does not descend into them), not a file (not a regular entry).
//
// Symbolic links and special files are not listed: err is then a *diag.Errors naming
// each (see Refused), with the lists of everything else.
func Walk(fsys fs.FS) (md []File, resources []File, err error) {
	var refused []diag.Diagnostic
	// fs.WalkDir follows its root when it is a symbolic link; Lstat does not.
	if st, err := fs.Lstat(fsys, "content"); err != nil || !st.IsDir() {
		if err == nil || errors.Is(err, fs.ErrNotExist) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	err = fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if Ignored(d.Name()) && p != "content" {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			target := ""
			if rl, ok := fsys.(fs.ReadLinkFS); ok && d.Type()&fs.ModeSymlink != 0 {
				target, _ = rl.ReadLink(p)
			}
			refused = append(refused, Refused(p, d.Type(), target))
			return nil
		}
		f := File{Rel: p}
		if IsMarkdown(d.Name()) {
			md = append(md, f)
		} else {
			resources = append(resources, f)
		}
		return nil
	})
	sort.Slice(md, func(i, j int) bool { return md[i].Rel < md[j].Rel })
	sort.Slice(resources, func(i, j int) bool { return resources[i].Rel < resources[j].Rel })
	if err == nil && len(refused) > 0 {
		err = &diag.Errors{Items: refused}
	}
	return md, resources, err
}

// Cache keeps parsed documents between builds of one site (preview, incremental builds):
// a file whose bytes did not change is not parsed again. Safe for concurrent use.
type Cache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
	// base lists the paths of the entries LoadCache read (nil: no saved cache read), for
	// SaveChanges to name those gone since.
	base []string
	// fsys and files are the site folder and Markdown files of the last load: with them
	// a load told which paths changed needs neither a walk nor a stat of every file.
	fsys  fs.FS
	files []File
}

type cacheEntry struct {
	tax   string // the taxonomies the document was parsed with
	key   string // hash of raw bytes + taxonomies
	stat  string // size, modification time and taxonomies: lets a rebuild skip reading the file
	doc   *Document
	diags []diag.Diagnostic
	// bodiless: doc came from a saved cache without its Markdown (LoadCache).
	bodiless bool
	// inBase: the entry is the one LoadCache read from the full saved cache (not from its
	// changes, LoadChanges, nor parsed since): SaveChanges leaves it out.
	inBase bool
}

// reuse fills docs with the cached parses (made with the taxonomies tax) of the files not
// in dirty, reporting their diagnostics again, and returns the indexes of the files that
// must be loaded.
func (c *Cache) reuse(files []File, dirty map[string]bool, tax string, docs []*Document, ds *diag.List) (todo []int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, f := range files {
		if !dirty[f.Rel] {
			if e, ok := c.entries[f.Rel]; ok && e.tax == tax {
				docs[i] = report(e.doc, e.diags, ds)
				continue
			}
		}
		todo = append(todo, i)
	}
	return todo
}

func (c *Cache) setFiles(fsys fs.FS, files []File) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.fsys, c.files = fsys, files
	c.mu.Unlock()
}

// filesAfter returns the Markdown files of the last load updated with the changed paths,
// and which of them must be read again. ok is false when a walk is needed: no previous
// load, changes unknown, or a change that is not a Markdown file being written or removed.
func (c *Cache) filesAfter(fsys fs.FS, changed []string) (files []File, dirty map[string]bool, ok bool) {
	if c == nil || changed == nil {
		return nil, nil, false
	}
	c.mu.Lock()
	prev, prevFS := c.files, c.fsys
	c.mu.Unlock()
	if prev == nil || differ(prevFS, fsys) {
		return nil, nil, false
	}
	// prev is sorted by Rel: find a file, or the first file below a folder, by binary search.
	find := func(rel string) int { return sort.Search(len(prev), func(i int) bool { return prev[i].Rel >= rel }) }
	dirty = map[string]bool{}
	var added []File
	removed := map[string]bool{}
	for _, rel := range changed {
		rest, under := strings.CutPrefix(rel, "content/")
		if !under || ignoredPath(rest) {
			continue // layouts, static files, config, editor temp files: not content
		}
		i := find(rel)
		known := i < len(prev) && prev[i].Rel == rel
		st, err := fs.Lstat(fsys, rel)
		switch {
		case err == nil && st.Mode().IsRegular():
			if !IsMarkdown(rel) {
				continue // a bundle resource: the build copies bundles itself
			}
			if !known {
				added = append(added, File{Rel: rel})
			}
			dirty[rel] = true
		case errors.Is(err, fs.ErrNotExist):
			if known {
				removed[rel] = true
			} else if j := find(rel + "/"); j < len(prev) && strings.HasPrefix(prev[j].Rel, rel+"/") {
				return nil, nil, false // a removed folder
			}
		default:
			return nil, nil, false // a folder, a symbolic link, or an unreadable path
		}
	}
	if len(added) == 0 && len(removed) == 0 {
		return prev, dirty, true // edits only (the common case): the list stays as it is
	}
	files = make([]File, 0, len(prev)+len(added))
	for _, f := range prev {
		if !removed[f.Rel] {
			files = append(files, f)
		}
	}
	files = append(files, added...)
	sort.Slice(files, func(i, j int) bool { return files[i].Rel < files[j].Rel })
	return files, dirty, true
}

// differ reports whether two file systems are known to be different: of different types,
// or unequal values of a comparable type (os.DirFS of two folders). Maps (fstest.MapFS)
// cannot be compared: the caller's word that it is the same site is taken.
func differ(a, b fs.FS) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	return va.Type() != vb.Type() || va.Comparable() && !va.Equal(vb)
}

// SitePaths converts OS paths (the preview watcher's) to the slash paths relative to the
// site folder dir that LoadCached takes, leaving out those outside it. nil stays nil
// ("unknown"), and so does the whole list when a path cannot be made relative to dir.
func SitePaths(dir string, paths []string) []string {
	if paths == nil {
		return nil
	}
	out := make([]string, 0, len(paths))
	for _, p := range paths {
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return nil
		}
		if rel = filepath.ToSlash(rel); rel != ".." && !strings.HasPrefix(rel, "../") {
			out = append(out, rel)
		}
	}
	return out
}

// ignoredPath reports whether Walk skips a slash path below content/: some part of it is
// an editor's temporary file or hidden.
func ignoredPath(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if Ignored(part) {
			return true
		}
	}
	return false
}

func (c *Cache) byStat(rel, stat string) (cacheEntry, bool) {
	if c == nil || stat == "" {
		return cacheEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[rel]
	return e, ok && e.stat == stat
}

// NewCache returns an empty document cache.
func NewCache() *Cache { return &Cache{entries: map[string]cacheEntry{}} }

func (c *Cache) get(rel, key string) (cacheEntry, bool) {
	if c == nil {
		return cacheEntry{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[rel]
	return e, ok && e.key == key
}

func (c *Cache) put(rel string, e cacheEntry) {
	if c == nil {
		return
	}
	c.mu.Lock()
	c.entries[rel] = e
	c.mu.Unlock()
}

// Load reads and parses every Markdown file under content/ in fsys, the site folder, in
// parallel. Documents come back in path order; files with errors are left out and reported.
func Load(ctx context.Context, fsys fs.FS, schema Schema) ([]*Document, *diag.List) {
	return LoadCached(ctx, fsys, schema, nil, nil, nil)
}

// LoadCached is Load with a cache of earlier parses (nil: no cache).
//
// changed, when not nil, lists the slash paths relative to fsys that changed since the
// previous load of the same site with this cache (the preview's file watcher knows them;
// SitePaths converts its paths): every other file is taken from the cache without looking
// at the disk. nil means "unknown": every file is walked and
// stat'ed, and read again if its size or modification time changed. A change the list
// cannot describe precisely (a folder created or removed) falls back to the walk.
//
// then, when not nil, is called with each document read (not with those taken from the
// cache without a look at the disk), on the goroutine that read it, as soon as it is
// read: a one-off build renders the body there and drops it, so that the bodies of a
// whole site are never in memory together.
func LoadCached(ctx context.Context, fsys fs.FS, schema Schema, cache *Cache, changed []string, then func(*Document)) ([]*Document, *diag.List) {
	return load(ctx, fsys, schema, cache, changed, then)
}

// loadChunk is how many files a worker of load takes at a time.
const loadChunk = 32

func load(ctx context.Context, fsys fs.FS, schema Schema, cache *Cache, changed []string, then func(*Document)) ([]*Document, *diag.List) {
	ds := &diag.List{}
	tax := schema.key()
	files, dirty, hinted := cache.filesAfter(fsys, changed)
	if !hinted {
		var err error
		if files, _, err = Walk(fsys); err != nil {
			if _, ok := diag.AsErrors(err); !ok {
				ds.Errorf("content", 0, 0, "io", "không đọc được thư mục content/: %v", err)
				return nil, ds
			}
			ds.Absorb(err) // links and special files, reported; the rest is loaded
		}
	}
	cache.setFiles(fsys, files)
	docs := make([]*Document, len(files))
	var todo []int
	if hinted {
		todo = cache.reuse(files, dirty, tax, docs, ds)
	} else {
		todo = make([]int, len(files))
		for i := range todo {
			todo[i] = i
		}
	}
	// Files are handed to the workers loadChunk at a time: after an edit nearly every one
	// is found by its stamp (microseconds each), and handing them out one by one through
	// parallel.Each's channel cost about as much again.
	parallel.Each(ctx, (len(todo)+loadChunk-1)/loadChunk, func(c int) {
		for _, i := range todo[c*loadChunk : min(len(todo), (c+1)*loadChunk)] {
			if ctx.Err() != nil {
				return
			}
			docs[i] = loadFile(fsys, files[i], schema, tax, ds, cache)
			if then != nil && docs[i] != nil {
				then(docs[i])
			}
		}
	})
	if err := ctx.Err(); err != nil {
		ds.Errorf("content", 0, 0, "cancelled", "đã dừng đọc nội dung (%v)", err)
		return nil, ds
	}
	out := docs[:0]
	for _, d := range docs {
		if d != nil {
			out = append(out, d)
		}
	}
	return out, ds
}

// loadFile reads and parses one file, or takes it from the cache; tax is schema.key().
func loadFile(fsys fs.FS, f File, schema Schema, tax string, ds *diag.List, cache *Cache) *Document {
	var stat string // no modification time (a MapFS): no way to tell an edit of the same size
	st, err := fs.Stat(fsys, f.Rel)
	if err == nil && !st.ModTime().IsZero() {
		stat = statKey(st, tax)
	}
	if err == nil && st.Size() > int64(schema.Limits.WithDefaults().ArticleMaxKB)*1024 {
		// Refused before it is read: a 100 MB file would cost its size in memory several times.
		checkSize(f.Rel, st.Size(), schema.Limits.WithDefaults(), ds)
		return nil
	}
	if e, ok := cache.byStat(f.Rel, stat); ok {
		return report(e.doc, e.diags, ds)
	}
	raw, err := fs.ReadFile(fsys, f.Rel)
	if err != nil {
		ds.Errorf(f.Rel, 0, 0, "io", "không đọc được tệp: %v", err)
		return nil
	}
	hash := hashOf(raw)
	key := hash + "|" + tax
	var (
		doc   *Document
		found []diag.Diagnostic
	)
	if e, ok := cache.get(f.Rel, key); ok && !e.bodiless {
		doc, found = e.doc, e.diags
	} else {
		doc, found = parseHashed(f.Rel, raw, hash, schema)
	}
	cache.put(f.Rel, cacheEntry{tax: tax, key: key, stat: stat, doc: doc, diags: found})
	return report(doc, found, ds)
}

// statKey is "size|modification time|identity|taxonomies": what a saved entry's file
// must still show for the entry to be used without reading the file.
func statKey(st fs.FileInfo, tax string) string {
	b := make([]byte, 0, 64+len(tax))
	b = strconv.AppendInt(b, st.Size(), 10)
	b = append(b, '|')
	b = strconv.AppendInt(b, st.ModTime().UnixNano(), 10)
	b = append(b, '|')
	b = appendIdentity(b, st)
	b = append(b, '|')
	return string(append(b, tax...))
}

// report adds a document's diagnostics to ds and returns it, or nil if it has errors.
func report(doc *Document, found []diag.Diagnostic, ds *diag.List) *Document {
	bad := false
	for _, d := range found {
		ds.Add(d)
		bad = bad || d.Severity == diag.Error
	}
	if bad {
		return nil
	}
	return doc
}
