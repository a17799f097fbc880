package build

import (
	"context"
	"crypto/sha256"
	"slices"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/memlimit"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/pdftext"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/site"
)

// lint runs the rules of the rule book that look at the whole loaded site (check.Site)
// on what the build publishes: the pages kept for held-back articles exist for links.
// titles are the near-duplicate title findings (check.DuplicateTitles); memo keeps the
// link rules' work or not (check.Fresh).
func lint(ctx context.Context, opts Options, l *Loaded, static []render.StaticFile, resources []content.File, keep keepPlan, titles []diag.Diagnostic, memo check.Memo, ds *diag.List) {
	check.Site(ctx, check.Input{SiteDir: opts.SiteDir, Docs: l.Docs, Graph: l.Graph, Static: static,
		Resources: resources, Kept: keep.pages(), Now: opts.Now, Titles: titles, Memo: memo}, ds)
}

// ruleMemo keeps the site-wide rules' work between the preview's builds: the near-
// duplicate title rule compares every pair of titles of similar length (seconds at
// 10,000 articles on a busy machine) and a save rarely changes a title; the link rules
// need a table of every page, and a save changes the links of one article. Used by one
// build at a time.
type ruleMemo struct {
	docs   []*content.Document // the documents of the last title findings
	titles []diag.Diagnostic
	state  check.TitleState // each title's folded form and the pairs found

	graph   *site.Graph // the graph of targets (held: its address cannot be reused)
	key     string
	targets *check.Targets
	links   map[*site.Article]linkEntry
}

type linkEntry struct {
	hash, url string // what the findings were for: the article's file and URL
	found     []diag.Diagnostic
}

func (m *ruleMemo) duplicates(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
	if m.docs != nil && check.SameTitles(m.docs, docs) {
		return m.titles
	}
	// A title added, removed or changed: compared with the others, not every pair again.
	found := m.state.Update(ctx, docs)
	// Formatted once here, not by every build's List that reads them (Items).
	for i, d := range found {
		found[i].Message = d.Text(message.Vi)
	}
	if ctx.Err() == nil {
		m.docs, m.titles = slices.Clone(docs), found
	}
	return found
}

func (m *ruleMemo) Targets(g *site.Graph, key string, make func() *check.Targets) *check.Targets {
	if g != m.graph || key != m.key {
		m.graph, m.key, m.targets, m.links = g, key, make(), map[*site.Article]linkEntry{}
	}
	return m.targets
}

func (m *ruleMemo) Links(a *site.Article, find func(*site.Article) []diag.Diagnostic) []diag.Diagnostic {
	if e, ok := m.links[a]; ok && e.hash == a.Hash && e.url == a.URL {
		return e.found
	}
	found := find(a)
	m.links[a] = linkEntry{a.Hash, a.URL, found}
	return found
}

// Check runs every rule of the rule book over the site as Run would build it with opts,
// writing nothing (`portal check`): the same loading, the same held-back articles (with
// the output folder's manifest), the templates parsed, and the same site-wide rules, so
// that check and build report the same findings. It returns them sorted by path and
// line; the error is non-nil only when the check cannot run (cancelled, unreadable
// files).
func Check(ctx context.Context, opts Options) ([]diag.Diagnostic, error) {
	ds, _, err := checkSite(ctx, opts)
	return ds, err
}

// checkSite is Check, with what reading the PDF attachments did.
func checkSite(ctx context.Context, opts Options) ([]diag.Diagnostic, AttachmentStats, error) {
	var st AttachmentStats
	opts = opts.withDest()
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Cache == nil {
		opts.Cache = NewMemoryCache()
	}
	// A check is one-off work like a build's: the heap grows by half of what is live
	// instead of doubling (see Run).
	defer memlimit.Follow(gcHeadroom, 200*time.Millisecond)()
	ds := &diag.List{}
	r, err := opts.cache().open(opts, ds)
	if err != nil {
		return nil, st, err
	}
	defer r.bodies.close()
	l, _, _ := load(ctx, opts, ds, &timer{last: time.Now()}, r, func([]*content.Document) {})
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	if l == nil { // config.toml could not be read: ds says why
		return ds.Items(), st, nil
	}
	static, err := render.StaticFiles(opts.SiteDir, l.Config.Theme)
	if _, ok := diag.AsErrors(err); err != nil && !ok {
		return nil, st, message.Errorf("không đọc được các tệp tĩnh: %w", err)
	}
	ds.Absorb(err) // a symbolic link out of the site, a FIFO: reported with the rest
	// The layouts as the build parses them: template errors, links out of the site.
	if _, err := render.New(render.Options{SiteDir: opts.SiteDir, Config: l.Config, Graph: l.Graph}); err != nil {
		if _, ok := diag.AsErrors(err); !ok {
			ds.Errorf("layouts", 0, 0, "theme", "%v", err)
		}
		ds.Absorb(err)
	}
	lint(ctx, opts, l, static, bundleResources(opts.SiteDir, l.Graph), planKeep(opts.Dest, l.HeldBack, diskManifest{}), check.DuplicateTitles(ctx, l.Docs), check.Fresh{}, ds)
	if err := ctx.Err(); err != nil {
		return nil, st, err
	}
	// The PDF attachments, read as the build reads them for the index (the same function
	// and the cache's store of texts: with CheckCache, a PDF read once by a build or a
	// check is not read again): scanned, encrypted and damaged files are attachment-text
	// warnings here too.
	if pdfs := PDFsOf(l.Graph); !l.Config.Search.Disabled && len(pdfs.files) > 0 {
		_, used, ast, err := readAttachments(ctx, opts.SiteDir, pdfs, r.texts, ds)
		st = ast
		if err != nil {
			return nil, st, err
		}
		r.texts.commit(used, ds)
	}
	return ds.Items(), st, nil
}

// CheckCache is the Cache of `portal check`: a MemoryCache (nothing of the site is kept)
// except for the text of PDF attachments, kept in the cache folder dir as a DiskCache
// keeps it (pdftext/, and the engine's compiled code in wazero/), so that a check after
// a build, or a second check, reads no PDF. A folder that cannot be used is a warning:
// the check reads the PDFs.
func CheckCache(dir string) Cache { return checkCache{dir} }

type checkCache struct{ dir string }

func (c checkCache) open(opts Options, ds *diag.List) (*run, error) {
	r, err := NewMemoryCache().open(opts, ds)
	if err != nil {
		return nil, err
	}
	r.texts = &lazyDiskTexts{dir: c.dir, ds: ds, fallback: r.texts}
	return r, nil
}

// lazyDiskTexts opens the cache folder's texts when a PDF is first looked up, so that a
// check of a site without PDF attachments creates no folder.
type lazyDiskTexts struct {
	dir      string
	ds       *diag.List
	fallback textStore // when the folder cannot be used
	once     sync.Once // lookups come from several goroutines
	store    textStore
}

func (l *lazyDiskTexts) open() textStore {
	l.once.Do(func() {
		if t, err := buildcache.OpenTexts(l.dir); err != nil {
			l.ds.Warnf(l.dir, 0, 0, "cache", "%v: tệp PDF sẽ được đọc lại ở lần dựng sau", err)
			l.store = l.fallback
		} else {
			l.store = newDiskTexts(t, l.dir)
		}
	})
	return l.store
}

func (l *lazyDiskTexts) get(key string) (keptText, bool) { return l.open().get(key) }
func (l *lazyDiskTexts) put(key, text string, err *pdftext.Error) keptText {
	return l.open().put(key, text, err)
}
func (l *lazyDiskTexts) engine() (pdftext.Options, func()) { return l.open().engine() }
func (l *lazyDiskTexts) sum(source string, id buildcache.FileID) ([sha256.Size]byte, bool) {
	return l.open().sum(source, id)
}
func (l *lazyDiskTexts) setSum(source string, id buildcache.FileID, sum [sha256.Size]byte) {
	l.open().setSum(source, id, sum)
}
func (l *lazyDiskTexts) commit(used map[string]bool, ds *diag.List) { l.open().commit(used, ds) }
