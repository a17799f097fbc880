// Package build runs the pipeline for one site: config → content → markdown → site →
// render → publish, plus the search index. It holds no state between runs except what
// the caller keeps (a Cache for incremental rebuilds).
package build

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/memlimit"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/schedule"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// gcHeadroom is the least a one-off build lets the heap grow past what is live (see
// memlimit.Pace): sites that keep less than twice this live are collected once per
// gcHeadroom allocated, large ones when the heap has grown by half.
const gcHeadroom = 256 << 20

// gcFloor is the least limit a one-off build sets (memlimit.PaceFloor): its heap grows to
// about this much between collections however little is live. Measured on the prose
// corpus at 10,000 articles, pages only (live heap under 100 MB): 10 collections with
// gcHeadroom alone, 2.07 CPU-s of collection by GODEBUG=gctrace; BENCHMARKS.md, twentieth
// session, load22. A site that keeps more than ≈ 256 MB live gets gcHeadroom's limit, so
// the peak of a large build stays where it was.
const gcFloor = 512 << 20

// pace paces the collector of a build (run.paceGC, memlimit.Pace): a one-off build with
// gcFloor under its limit; serve --watch (whose graph lives on) without, as its process
// stays between builds.
func (r *run) pace() func() {
	if r.keepGraph {
		return memlimit.Pace(gcHeadroom, 200*time.Millisecond)
	}
	return memlimit.PaceFloor(gcHeadroom, gcFloor, 200*time.Millisecond)
}

// Options describe one build.
type Options struct {
	SiteDir string
	// Dest is the output folder; "" means SiteDir/public.
	Dest    string
	Include content.Include
	// BaseURL overrides config.toml's baseURL when set.
	BaseURL string
	Minify  bool
	// Precompress writes "<name>.gz" beside each text file worth it, for `portal serve`
	// (publish.Options.Precompress). A Sink given by Output does not precompress.
	Precompress bool
	// Now decides what is future or expired; zero means time.Now().
	Now time.Time
	// Preview marks the output for `portal preview` (draft banners, live reload script).
	Preview       bool
	LiveReloadURL string
	// NoSearch skips the search index.
	NoSearch bool
	// Cache is how the build keeps its work for the next one (NewMemoryCache, DiskCache,
	// NoCache); nil is NoCache.
	Cache Cache
	// Output, when set, receives the files instead of a publish.Writer on Dest. Unless
	// the Sink is an OutputFolder, the build makes no search index (the preview updates
	// its own: search.Update) and has no shrink guard.
	Output func(ctx context.Context) (publish.Sink, error)
	// AllowShrink publishes even when the build removes more than config.toml's
	// build.maxShrink share of the articles in Dest, or all of them (see ShrinkError).
	AllowShrink bool
	// Changes lists in Report.Publish.Changes the files the build added, modified and
	// deleted in Dest (publish.Options.Changes).
	Changes bool
	// Strict fails the build on any error, as before articles could be held back (also
	// config.toml's build.strict): otherwise an article whose file has errors is held
	// back (Report.HeldBack) and the rest of the site is published.
	Strict bool
	// Images decides when the photo variants the cache lacks are encoded: EncodeFirst
	// (nil) before the pages are published, a *PhotoQueue (the preview) after.
	Images ImageEncoding
	// First are pages rendered and added to the Sink before all the others (the preview's:
	// the pages its browser tabs show). See FirstPages.
	First FirstPages
}

// FirstPages are the pages a build renders before the others, so that a caller can show
// them while the rest of the site is rendered (`portal preview`: the page a browser tab
// shows reloads before the lists, feeds and sitemap are done). They are rendered from the
// build's final graph with its renderer, so their bytes are final: the rest of the build
// does not change them. A build that holds articles back (their files have errors) renders
// no page first: its overlay comes with the end of the build.
type FirstPages struct {
	// Paths are output paths ("tin-tuc/x/index.html"); a path the site has no page for
	// is left out.
	Paths []string
	// Ready is called, once those pages are in the Sink and before any other page is
	// rendered, with the ones whose bytes differ from the cached previous build (all of
	// them without a Cache that keeps pages). Not called when Paths is empty, nor when
	// rendering one of them failed.
	Ready func(changed []string)
}

// OutputFolder is a Sink on a site's output folder that citizens read: a publish.Writer,
// or a Sink of Options.Output wrapping one (`portal serve --watch`). A build into one
// guards against shrinking (checkShrink) and makes the search index in the folder that
// Reserve hands out.
type OutputFolder interface {
	publish.Sink
	Reserve(rel, source string) (string, error)
}

// pagesAdded is an output that keeps something for the pages to come (publish.Writer's
// minified fragments) and lets it go when told that they are all added.
type pagesAdded interface{ PagesAdded() }

// Stage is the time one pipeline stage took.
type Stage struct {
	Name string
	Took time.Duration
}

// Report says what a build did.
type Report struct {
	Diagnostics []diag.Diagnostic
	Pages       map[site.Kind]int
	Articles    int
	Publish     publish.Stats
	Search      search.BuildStats
	Stages      []Stage
	Dest        string
	IndexDir    string
	Took        time.Duration
	// Rendered counts pages rendered by templates; Reused counts pages taken from the
	// Cache or, with Options.CacheDir, linked from the previous build's output.
	Rendered, Reused int
	// Keyed counts the pages whose key was computed (pageKey): a cache with the previous
	// build's frame keys only the pages that show an edited article.
	Keyed int
	// MarkdownRendered and MarkdownReused count the documents whose Markdown a one-off
	// build rendered, and those whose rendered Markdown it took from the cache folder
	// (Options.CacheDir) instead.
	MarkdownRendered, MarkdownReused int
	// DocumentsReused counts the content files a DiskCache build did not read, because
	// their parsed documents were in the cache folder and their identity is unchanged.
	DocumentsReused int
	// NextScheduled is the next time the output would change with no file changed (an
	// article's publishDate or expiryDate; see NextScheduled).
	NextScheduled Scheduled
	// ImagesProcessed counts the source images whose variants this build encoded;
	// ImagesReused those whose variants it found in the cache.
	ImagesProcessed, ImagesReused int
	// Attachments counts the PDF attachments whose text this build read, and those whose
	// text (or lasting failure) it found in the cache (attachments.go).
	Attachments AttachmentStats
	// Changed lists the output paths whose bytes differ from the cached previous build
	// (only with a Cache; nil means unknown).
	Changed []string
	// Graph is the assembled site; Renderer the renderer that rendered it (the server
	// renders search result pages with it). A build whose cache strategy keeps its graph
	// (the preview's and serve --watch's) reports both; a one-off build (NoCache,
	// DiskCache) that makes a search index lets them go before its index stage (nil
	// here), and otherwise its articles' bodies were in a temporary file that is gone when
	// Run returns: their Content and TextFunc then fail (menus, lists and metadata are all
	// there).
	Graph    *site.Graph
	Renderer *render.Renderer
	// HeldBack are the articles not published because their files have errors (not with
	// Options.Strict), sorted by path: each keeps its last published version.
	HeldBack []HeldBack
	// AsBefore is true when a DiskCache build found nothing its output depends on
	// changed since the last build, and left the output as it was without running a
	// stage (asbefore.go): the counts are those of the last build, every page reused.
	AsBefore bool
	// documents counts the content files the build loaded (for the next AsBefore).
	documents int
}

// Warnings returns the warning diagnostics.
func (r Report) Warnings() []diag.Diagnostic {
	var out []diag.Diagnostic
	for _, d := range r.Diagnostics {
		if d.Severity == diag.Warning {
			out = append(out, d)
		}
	}
	return out
}

type timer struct {
	stages []Stage
	last   time.Time
	early  map[string]time.Duration // a later stage's time spent ahead (ahead)
}

func (t *timer) mark(name string) {
	now := time.Now()
	t.stages = append(t.stages, Stage{name, now.Sub(t.last) + t.early[name]})
	t.last = now
}

// ahead runs f, work of the later stage name done now: its time counts in that stage's
// mark, not in the current one's.
func (t *timer) ahead(name string, f func()) {
	start := time.Now()
	f()
	took := time.Since(start)
	t.last = t.last.Add(took)
	if t.early == nil {
		t.early = map[string]time.Duration{}
	}
	t.early[name] += took
}

// Loaded is a site read from disk and assembled, before anything is written.
type Loaded struct {
	Config config.Config
	Graph  *site.Graph
	// Docs are all parsed documents, published or not.
	Docs []*content.Document
	// HeldBack are the content files whose errors hold them back (sorted): they are not
	// in Graph. Always empty with Options.Strict or build.strict.
	HeldBack []string
	// images are the build's images; photos the sources the published articles use.
	images *imageSet
	photos []*imageSource
	// photoFiles are the variants each content file's page shows (output paths).
	photoFiles map[string][]string
	// frame is the input's frame (run.frame; "" when articles are held back).
	frame string
}

// withDest returns o with Dest set: "" is SiteDir/public.
func (o Options) withDest() Options {
	o.Dest = cmp.Or(o.Dest, filepath.Join(o.SiteDir, "public"))
	return o
}

// cache is the Cache the build uses.
func (o Options) cache() Cache {
	if o.Cache == nil {
		return NoCache()
	}
	return o.Cache
}

// Load is the one way a site is read: config.toml, the province registry, the content
// with its Markdown rendered, and the assembled graph (portal build, preview and check
// all come through it; serve uses its first stage, LoadConfig). Diagnostics (warnings
// and errors) are added to ds; err is non-nil when the site cannot be built. A Loaded
// comes back with errors in the content or the assembly too, for `portal check` to look
// at; it is nil when the configuration could not be read or the load was cancelled.
//
// With a one-off Cache (NoCache, DiskCache) the articles' bodies are gone when Load
// returns (their Content fails; metadata, headings and links are there): use a
// MemoryCache to keep them.
func Load(ctx context.Context, opts Options, ds *diag.List) (*Loaded, error) {
	opts = opts.withDest()
	r, err := opts.cache().open(opts, ds)
	if err != nil {
		return nil, err
	}
	defer r.bodies.close()
	l, _, err := load(ctx, opts, ds, &timer{last: time.Now()}, r, func([]*content.Document) {})
	return l, err
}

// LoadConfig reads config.toml (with --base-url applied) and the province registry it
// makes: the first stage of Load, and all that `portal serve` needs of the sources.
func LoadConfig(opts Options, ds *diag.List) (config.Config, *province.Registry, error) {
	cfg, reg, err := loadConfig(opts, ds, province.ForConfig)
	if err != nil && onlyOrganizationErrors(ds) { // serving needs no organisation data (holdorg.go)
		err = nil
	}
	return cfg, reg, err
}

func loadConfig(opts Options, ds *diag.List, registry func(config.Config) (*province.Registry, error)) (config.Config, *province.Registry, error) {
	cfg, cds := config.Load(os.DirFS(opts.SiteDir), opts.SiteDir)
	ds.Merge(cds)
	if opts.BaseURL != "" {
		var err error
		if cfg, err = cfg.WithBaseURL(opts.BaseURL); err != nil {
			ds.Errorf("--base-url", 0, 0, "usage", "%v", err)
		}
	}
	reg, err := registry(cfg)
	if err != nil {
		ds.Errorf(filepath.Join(opts.SiteDir, config.FileName), 0, 0, "config", "danh sách tỉnh (provinces): %v", err)
		reg = province.Default()
	}
	return cfg, reg, ds.Err()
}

// load is Load with the cache's strategies of one build: each published document's
// body is taken from the cache's store or rendered as soon as the document is parsed,
// on the goroutine that parsed it (a one-off build then drops its Markdown, so that the
// bodies of a whole site are never in memory together). It also returns how many bodies
// it rendered and how many it found.
// read is called with the documents once they are read and their bodies rendered,
// before the site is assembled.
func load(ctx context.Context, opts Options, ds *diag.List, t *timer, r *run, read func([]*content.Document)) (*Loaded, markdownCounts, error) {
	var counts markdownCounts
	cfg, reg, err := loadConfig(opts, ds, r.registry)
	orgHeld := false
	if err != nil && !opts.Strict && !cfg.Build.Strict {
		cfg, orgHeld, err = organizationFallback(cfg, err, opts.Dest, r.manifest, ds)
	}
	if err != nil {
		return nil, counts, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	isPublished := func(d *content.Document) bool {
		return d.Kind != content.SectionIndex && d.Published(now, opts.Include)
	}
	// The leaders' weekly schedules: a few small files, read every build.
	weeks, wds := schedule.Load(os.DirFS(opts.SiteDir))
	ds.Merge(wds)
	md := markdown.New(markdown.Options{Unsafe: cfg.Markup.Unsafe})
	suffix := markdownSuffix(cfg.Markup.Unsafe)
	imgs := newImageSet(opts.SiteDir, cfg)
	var (
		mu sync.Mutex
		// srcs points into blocks of sources (slab): a map value as large as a
		// site.Source is kept behind a pointer the map allocates for each entry, one per
		// article at every rebuild of `portal serve --watch` or the preview otherwise.
		srcs       = map[*content.Document]*site.Source{}
		slab       []site.Source
		fail       atomic.Pointer[error]
		hits, miss atomic.Int64
	)
	keep := func(src site.Source) *site.Source { // under mu, or alone
		if len(slab) == cap(slab) {
			slab = make([]site.Source, 0, 512)
		}
		slab = append(slab, src)
		return &slab[len(slab)-1]
	}
	// The key suffix of a document outside a page bundle is one string per build (most
	// documents): not made again for each, and compared by pointer with the cache's.
	plainSuffix := sync.OnceValue(func() string { return suffix + imgs.docKey(&content.Document{}) })
	suffixOf := func(d *content.Document) string {
		if d.BundleDir == "" {
			return plainSuffix()
		}
		return suffix + imgs.docKey(d)
	}
	body := func(d *content.Document) {
		sfx := suffixOf(d)
		src, ok := r.bodies.get(d, sfx)
		var err error
		if ok {
			hits.Add(1)
		} else {
			miss.Add(1)
			if r.docs.Bodiless(d) { // parsed by an earlier build: read its Markdown now
				if d.Body, err = content.ReadBody(os.DirFS(opts.SiteDir), d, content.SchemaOf(cfg)); err != nil {
					fail.CompareAndSwap(nil, &err)
					return
				}
			}
			src, ok, err = renderOne(md, d, ds, sfx, r.bodies, time.Duration(cfg.Limits.FileSeconds)*time.Second, imgs.page(d))
		}
		if err != nil {
			fail.CompareAndSwap(nil, &err)
		}
		if ok {
			mu.Lock()
			srcs[d] = keep(src)
			mu.Unlock()
		}
	}
	siteFS := walkedFS{fsys: os.DirFS(opts.SiteDir), siteWalk: r.walk}
	docs, lds := content.LoadCached(ctx, siteFS, content.SchemaOf(cfg), r.docs, r.changed, func(d *content.Document) {
		if isPublished(d) {
			body(d)
		}
	})
	r.walk = siteWalk{} // read: the walk's stamps go (≈ 20 MB at 100,000 articles)
	ds.Merge(lds)
	if err := ctx.Err(); err != nil {
		return nil, counts, err
	}
	// Documents the cache kept were not parsed again: their bodies come from its store
	// (after an edit that is every document but one: the lookups are cheaper here than
	// handed to workers), or are rendered in parallel.
	var todo []*content.Document
	// placed holds the sources found in the store at their documents' positions, which
	// become the site's sources in place below (compacted in document order): not kept
	// in blocks and then copied again into the site's slice, which allocated every
	// kept article's source twice at every rebuild (≈ 22 MB at 100,000 articles).
	var placed []site.Source
	if len(docs) > 2*len(srcs) { // a rebuild: the map is filled below, not grown step by step
		all := make(map[*content.Document]*site.Source, len(docs))
		maps.Copy(all, srcs)
		srcs = all
		placed = make([]site.Source, len(docs))
	}
	for i, d := range docs {
		if _, ok := srcs[d]; !ok && isPublished(d) {
			if src, ok := r.bodies.get(d, suffixOf(d)); ok {
				hits.Add(1)
				if placed != nil {
					placed[i] = src
					srcs[d] = &placed[i]
				} else {
					srcs[d] = keep(src)
				}
			} else {
				todo = append(todo, d)
			}
		}
	}
	if err := parallel.Each(ctx, len(todo), func(i int) { body(todo[i]) }); err != nil {
		return nil, counts, err
	}
	if p := fail.Load(); p != nil {
		return nil, counts, *p
	}
	counts = markdownCounts{rendered: int(miss.Load()), reused: int(hits.Load())}
	for _, d := range docs {
		if r.docs.Bodiless(d) {
			counts.docsReused++
		}
	}
	photos, photoFiles, err := attachPhotos(ctx, docs, srcs, imgs, ds)
	if err != nil {
		return nil, counts, err
	}
	attachFiles(opts.SiteDir, srcs, ds)
	// In placed, the i-th document's source (if placed) is at i and is appended at a
	// position at most i, over a slot whose source was appended already: srcs is not
	// used after this.
	sources := placed[:0]
	if placed == nil {
		sources = make([]site.Source, 0, len(srcs))
	}
	var sections []*content.Document
	for _, d := range docs {
		if d.Kind == content.SectionIndex {
			sections = append(sections, d)
		} else if src, ok := srcs[d]; ok {
			sources = append(sources, *src)
		}
	}
	clear(sources[len(sources):cap(sources)]) // what the graph's slice does not show holds nothing
	t.mark("đọc nội dung và markdown")
	read(docs)
	// An article whose file has errors is held back: the site is assembled without it.
	strict := opts.Strict || cfg.Build.Strict
	held := map[string]bool{}
	if !strict {
		heldBack(ds.Items(), held)
		weeks = withoutHeldWeeks(weeks, held)
		if orgHeld { // the last good organisation data stands in for a broken file
			held[config.OrganizationFile] = true
		}
	}
	in := site.Input{Config: cfg, Registry: reg, Sources: sources, SectionIndexes: sections, Weeks: weeks, Now: now}
	// The input's part of the frame is hashed beside the assembly, which only reads in
	// too (on the second core: a fifth of this stage's CPU at 30,000 articles).
	inputFrame, framed := make(chan func(*site.Graph) string, 1), len(held) == 0
	if framed {
		go func() { inputFrame <- r.frame(in) }()
	}
	g := assembleHolding(r, in, ds, held, strict)
	frame := ""
	if framed {
		key := <-inputFrame
		if len(held) == 0 { // else the graph's input is not in
			frame = key(g)
		}
	}
	t.mark("lắp ráp")
	return &Loaded{Config: cfg, Graph: g, Docs: docs, HeldBack: slices.Sorted(maps.Keys(held)), images: imgs, photos: photos, photoFiles: photoFiles, frame: frame}, counts, siteErr(ds.Items(), held)
}

var errTooSlow = errors.New("rendering took too long")

// renderWithin renders body, or gives up with errTooSlow after limit: one file must not
// hold up the build (or a running preview) for ever. The render goes on in the
// background until it ends (goldmark cannot be stopped); Parse refuses the nesting that
// makes it slow, so this is the backstop.
func renderWithin(md *markdown.Renderer, body []byte, limit time.Duration, pg markdown.Page) (markdown.Result, error) {
	type result struct {
		res markdown.Result
		err error
	}
	done := make(chan result, 1)
	go func() {
		res, err := md.RenderPage(body, pg)
		done <- result{res, err}
	}()
	t := time.NewTimer(limit)
	defer t.Stop()
	select {
	case r := <-done:
		return r.res, r.err
	case <-t.C:
		return markdown.Result{}, errTooSlow
	}
}

// markdownCounts are the bodies a build rendered and those it took from its cache.
type markdownCounts struct{ rendered, reused, docsReused int }

// markdownSuffix names the Markdown options in cache keys.
func markdownSuffix(unsafe bool) string {
	if unsafe {
		return "|unsafe"
	}
	return "|safe"
}

// renderOne renders d's Markdown into a Source kept in store (ok is false when it cannot:
// ds says why; err is set when the store cannot be written). The plain-text lead is
// worked out here, once.
func renderOne(md *markdown.Renderer, d *content.Document, ds *diag.List, suffix string, store bodyStore, limit time.Duration, pg markdown.Page) (src site.Source, ok bool, err error) {
	res, err := renderWithin(md, d.Body, limit, pg)
	if errors.Is(err, errTooSlow) {
		ds.Errorf(d.Path, d.BodyLine, 1, "too-slow", "dựng phần nội dung mất hơn %s (limits.fileSeconds trong config.toml): bài quá dài hoặc lồng nhau quá sâu; tách bài hoặc bớt lồng nhau", limit)
		return src, false, nil
	}
	if err != nil {
		ds.Errorf(d.Path, d.BodyLine, 1, "markdown", "không dựng được phần nội dung (Markdown): %v", err)
		return src, false, nil
	}
	summary := md.RenderInline(d.Summary)
	if src, err = store.put(d, suffix, res, summary, site.PlainLead(summary, res.Text)); err != nil {
		return src, false, err
	}
	return src, true, nil
}

// assets prepares the CSS and JS among the static files (publish.PrepareAsset) and
// returns them with their final bytes.
func assets(static []render.StaticFile, minify bool) (publish.Assets, map[string][]byte, error) {
	out := publish.Assets{}
	data := map[string][]byte{}
	for _, f := range static {
		if !publish.IsAsset(f.Rel) {
			continue
		}
		b, err := fs.ReadFile(f.Layer.FS, f.Rel)
		if err != nil {
			return nil, nil, err
		}
		a, b, err := publish.PrepareAsset(f.Rel, b, minify)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", f.Name(), err)
		}
		out[f.Rel], data[f.Rel] = a, b
	}
	return out, data, nil
}

// Run builds the site into opts.Dest, replacing it only when everything succeeded.
func Run(ctx context.Context, opts Options) (Report, error) {
	start := time.Now()
	t := &timer{last: start}
	ds := &diag.List{}
	var err error
	rep := Report{Pages: map[site.Kind]int{}}
	opts = opts.withDest()
	if opts.Now.IsZero() {
		opts.Now = start // one clock for what is published and what is scheduled
	}
	rep.Dest = opts.Dest
	// waitChecks returns once the site-wide checks, run beside the next stages, are done
	// (their diagnostics are in ds).
	waitChecks := func() {}
	fail := func(err error) (Report, error) {
		waitChecks()
		rep.Diagnostics = ds.Items()
		rep.Took = time.Since(start)
		return rep, err
	}
	cr, err := opts.cache().open(opts, ds)
	if err != nil {
		return fail(err)
	}
	defer cr.bodies.close()
	if same, ok := cr.same.same(); ok {
		t.mark("kiểm tra: không có gì thay đổi")                   // the only stage of a build that found nothing changed
		same.Diagnostics = append(ds.Items(), same.Diagnostics...) // the cache's warnings first, as in a build
		same.Stages, same.Took = t.stages, time.Since(start)
		return same, nil
	}
	defer cr.waitTitles() // a build ends with what it writes (and a failed one too)
	if !cr.keepGraph {
		// A one-off build reads its diagnostics once, at the end: their messages are
		// formatted then, not kept through rendering (30 MB of duplicate-title warnings
		// at 100,000 articles).
		ds.FormatLate()
	}
	stopFollow := func() {}
	if cr.paceGC {
		// A one-off build or serve --watch: the heap grows by half of what is live instead of doubling
		// (GOGC=100): at 100,000 articles that is the difference between 1.3 and 2 GB;
		// and by at least gcHeadroom while what is live is smaller (memlimit.Pace: GOGC
		// off), instead of a collection each time a small heap doubles.
		// (The preview leaves the GC alone.)
		stopFollow = cr.pace()
		defer stopFollow()
	}
	// The site-wide checks come before the pages but for a build with first pages (a
	// tab waits for them, below: checksLate). Their near-duplicate title rule reads the
	// documents only: when the checks come before the pages it runs before the site is
	// assembled, so that its state (every title, folded and cut into pieces, and every
	// similar pair: ≈ a fifth of the live heap there at 30,000 articles by the heap
	// profile) and the assembled graph are not on the heap together; the time counts in
	// the checks' stage. The other checks run beside the next stages (below).
	checksLate := len(opts.First.Paths) > 0 && cr.keepGraph
	var titles []diag.Diagnostic
	early := func(docs []*content.Document) {
		t.ahead("giao diện và kiểm tra", func() { titles = cr.titles(ctx, docs) })
	}
	if checksLate {
		early = func([]*content.Document) {}
	}
	l, mc, err := load(ctx, opts, ds, t, cr, early)
	if err != nil {
		return fail(err)
	}
	// Every document is parsed: a DiskCache writes them into its folder now (renamed
	// into place after the commit) and lets its cache of them go, so that only the graph
	// holds them, until it goes before the index stage. The cache and its keys were 40 MB
	// of the index stage's live heap at 20,000 articles, and that stage's heap room grows
	// with what is live.
	defer cr.stageDocs(ds)()
	rep.MarkdownRendered, rep.MarkdownReused, rep.DocumentsReused = mc.rendered, mc.reused, mc.docsReused
	rep.documents = len(l.Docs)
	rep.NextScheduled = NextScheduled(l.Docs, opts.Now, opts.Include)
	rep.NextScheduled = withNextWeek(rep.NextScheduled, l.Graph, opts.Now)
	keep := planKeep(opts.Dest, l.HeldBack, cr.manifest)
	static, err := render.StaticFiles(opts.SiteDir, l.Config.Theme)
	if err != nil {
		return fail(ds.Absorb(message.Errorf("không đọc được các tệp tĩnh: %w", err)))
	}
	static = withoutCameraFiles(opts.SiteDir, static, l.photos)
	resources := bundleResources(opts.SiteDir, l.Graph)
	checks := func(titles []diag.Diagnostic) { lint(ctx, opts, l, static, resources, keep, titles, cr.rules, ds) }
	// The checks only add diagnostics (ds is safe for concurrent use and Items sorts
	// them): a build with first pages (a tab waits for them) runs them once the pages
	// are rendered. Any other build runs them now, on the second core, beside the
	// theme, the output's start and the images, and waits for them before the graph
	// forgets what they read (ForgetChecked) or the build fails.
	if !checksLate {
		done := make(chan struct{})
		go func() {
			defer close(done)
			checks(titles)
		}()
		waitChecks = func() { <-done }
	}
	assets, assetData, err := assets(static, opts.Minify)
	if err != nil {
		return fail(message.Errorf("không đọc được các tệp tĩnh: %w", err))
	}
	r, err := cr.renderer(render.Options{SiteDir: opts.SiteDir, Config: l.Config, Graph: l.Graph, Assets: assets,
		Preview: opts.Preview, LiveReloadURL: opts.LiveReloadURL})
	if err != nil {
		return fail(ds.Absorb(err))
	}
	t.mark("giao diện và kiểm tra")
	var w publish.Sink
	if opts.Output != nil {
		w, err = opts.Output(ctx)
	} else {
		w, err = publish.Begin(ctx, opts.Dest, publish.Options{Minify: opts.Minify, Precompress: opts.Precompress, Changes: opts.Changes, Previous: cr.listing.previous()})
	}
	if err != nil {
		return fail(err)
	}
	out, _ := w.(OutputFolder) // nil for the preview's Folder
	defer w.Abort()
	if out != nil && !opts.AllowShrink { // an output folder that citizens read
		if err := checkShrink(opts.Dest, l.Config, len(l.Graph.Articles)+keep.articles, cr.manifest); err != nil {
			return fail(err)
		}
	}
	rep.Graph, rep.Renderer = l.Graph, r
	produced := record(w, keep)
	if err := addStatic(opts.SiteDir, produced, static, assets, assetData, l.Graph); err != nil {
		return fail(err)
	}
	ic, usedImages, err := opts.images().publish(ctx, l.images, l.photos, cr.variants, produced, ds)
	if err != nil {
		return fail(err)
	}
	rep.ImagesProcessed, rep.ImagesReused = ic.processed, ic.reused
	waitChecks() // what the checks took beyond the stages beside them counts as the images'
	t.mark("ảnh")
	if !cr.keepGraph {
		l.Graph.ForgetChecked() // the checks and images are done: the pages do not read them
	}
	structure := structureKey(l.Graph, themeKey(r, assets, l.Config, opts, cr.salt))
	structure.frame = l.frame
	first := opts.First
	if len(l.HeldBack) > 0 {
		first = FirstPages{} // the overlay of the held-back articles comes with the build's end
	}
	rs, err := renderPages(ctx, r, l.Graph, produced, cr.pages, structure, first, cr.order)
	if p, ok := w.(pagesAdded); ok {
		p.PagesAdded() // a Writer's minified fragments do not stay through the index stage
	}
	if checksLate {
		checks(cr.titles(ctx, l.Docs))
	}
	for _, d := range rs.templateErrs {
		ds.Add(d)
	}
	if err != nil {
		if _, ok := diag.AsErrors(err); ok {
			err = ds.Err() // the template errors, reported with the build's others
		}
		return fail(err)
	}
	// The held-back articles keep their last published files; the manifest says which
	// files are whose, for the next build.
	kept, err := keep.carry(w, produced, assets)
	if err != nil {
		return fail(err)
	}
	sources, keptArticles := cr.files(l.Graph, resources), 0
	if len(kept) > 0 || len(l.photoFiles) > 0 {
		sources = maps.Clone(sources) // the cache's map stays as it is
	}
	// A page's photo variants are its files too: held back later, it keeps them.
	for p, rels := range l.photoFiles {
		if f, ok := sources[p]; ok {
			f.Files = slices.Concat(f.Files, rels)
			slices.Sort(f.Files)
			f.Files = slices.Compact(f.Files)
			sources[p] = f
		}
	}
	for _, p := range l.HeldBack {
		rep.HeldBack = append(rep.HeldBack, HeldBack{Path: p, Kept: kept[p].Files})
		if f, ok := kept[p]; ok {
			sources[p] = f
			if !f.Page {
				keptArticles++
			}
		}
	}
	rep.Pages, rep.Rendered, rep.Reused, rep.Keyed, rep.Changed = rs.counts, rs.rendered, rs.reused, rs.keyed, rs.changed
	t.mark("kết xuất")
	rep.Articles = len(l.Graph.Articles)
	commitTexts := func() {}
	if out != nil && !opts.NoSearch && !l.Config.Search.Disabled {
		if !cr.keepGraph {
			// The pages are rendered: the renderer and its cache of fragments (up to 64
			// MB) go before the search documents are made beside the graph, where a
			// build of 100,000 articles peaked (1.03 GB resident, bench/heaptrace).
			r, rep.Renderer = nil, nil
			// And are collected now, with rendering's garbage, when the pages were
			// rendered anew: making the search documents allocates ~100 MB at 100,000
			// articles, which the heap, full from rendering, would otherwise take in while
			// a collection marks the whole graph (the cold build's peak: 951 → 1,102 MB
			// resident within 5 s there). After this collection they fit in the room the
			// pacer leaves (memlimit.Pace), and the next one comes when the graph goes.
			if !fewChanged(mc, rep.Articles) {
				runtime.GC()
			}
		}
		attach, used, ast, err := readAttachments(ctx, opts.SiteDir, PDFsOf(l.Graph), cr.texts, ds)
		if err != nil {
			return fail(err)
		}
		rep.Attachments, commitTexts = ast, func() { cr.texts.commit(used, ds) }
		t.mark("tệp PDF")
		docs, releaseDocs := cr.searchDocs(l.Graph, attach)
		defer releaseDocs() // on the way out of a failure before the index is built
		name := l.Config.Search.Index
		known := cr.known.previous()
		if !cr.keepGraph {
			// The graph is done with: at 100,000 articles it is ~850 MB that the index
			// stage, with its own working set, need not carry (the documents share its
			// strings and read bodies from the spool).
			l.Graph, l.Docs, rep.Graph = nil, nil, nil
			// Collect it now: the index stage's memory limit (and, without one, the
			// collector's next goal) follows the live heap of the last collection, which
			// still counts the graph. Measured at 100,000 articles: an unchanged rebuild
			// let the heap grow to 1.27 GB after the release instead of collecting it.
			// Not when few bodies were rendered and the previous index is known: the
			// index stage then carries it over or adds a small segment, and a full
			// collection of the loaded site costs a second at 100,000 articles.
			if !fewChanged(mc, rep.Articles) || known == nil {
				runtime.GC()
			}
		}
		dir, err := out.Reserve(name, "the search index")
		if err != nil {
			return fail(err)
		}
		prev := filepath.Join(opts.Dest, name)
		if _, err := os.Stat(prev); err != nil {
			prev = ""
		}
		// search.Build sets its own limit; until here the build's stays, so that the search
		// documents, made while the graph is still live, do not let the heap double
		// (measured at 100,000 articles: the build's peak, 1.55 GB, came there).
		stopFollow()
		st, err := cr.index.BuildKnown(ctx, dir, prev, docs, known)
		releaseDocs() // read by BuildKnown only (the index's memo keeps copies of them)
		if err != nil {
			return fail(message.Errorf("chỉ mục tìm kiếm: %w", err))
		}
		rep.Search = st
		rep.IndexDir = filepath.Join(opts.Dest, name)
		t.mark("chỉ mục tìm kiếm")
		if cr.paceGC {
			// The write and cache stages are paced again: with search.Build's limit gone
			// and GOGC=100 back, the heap could double what is live there (the Writer's
			// listing, the caches being written): a cold build of 100,000 articles peaked
			// in its cache stage, 1,025 MB resident against 996 MB at the end of rendering
			// (BENCHMARKS.md, sixteenth session's end).
			defer cr.pace()()
		}
	}
	manifest := publish.Manifest{Articles: rep.Articles + keptArticles, Assets: assets, Sources: sources, Organization: orgJSON(l.Config)}
	if err := w.Add(cr.manifest.file(manifest)); err != nil {
		return fail(err)
	}
	pst, err := w.Commit()
	if err != nil {
		return fail(err)
	}
	cr.manifest.committed(manifest)
	t.mark("ghi")
	cr.listing.committed(pst.Listing)
	cr.known.committed(rep.IndexDir)
	cr.bodies.commit(ds)
	cr.pages.save(ctx, ds)
	cr.variants.commit(usedImages, ds)
	commitTexts()
	cr.saveDocs(ds) // last: the largest, and the least worth the space of a full disk
	rep.Publish = pst
	rep.Diagnostics = ds.Items()
	cr.waitTitles()
	cr.same.committed(rep, pst.Listing) // after every other part of the cache
	t.mark("bộ nhớ đệm")
	rep.Stages = t.stages
	rep.Took = time.Since(start)
	return rep, nil
}

func addStatic(siteDir string, w publish.Sink, static []render.StaticFile, assets publish.Assets, data map[string][]byte, g *site.Graph) error {
	for _, f := range static {
		if a, ok := assets[f.Rel]; ok {
			if err := w.Add(publish.File{Rel: strings.TrimPrefix(a.URL, "/"), Data: data[f.Rel], Source: f.Name(), Kind: publish.Final}); err != nil {
				return err
			}
			continue
		}
		if p := f.Path(); p != "" {
			if err := w.Add(publish.File{Rel: f.Rel, SrcPath: p, Source: f.Name(), Kind: publish.Static}); err != nil {
				return err
			}
			continue
		}
		b, err := fs.ReadFile(f.Layer.FS, f.Rel)
		if err != nil {
			return err
		}
		if err := w.Add(publish.File{Rel: f.Rel, Data: b, Source: f.Name()}); err != nil {
			return err
		}
	}
	// Page bundles: the files next to x/index.md are copied next to the page.
	for _, a := range g.Contents() {
		if a.BundleDir == "" {
			continue
		}
		dir := filepath.Join(siteDir, filepath.FromSlash(a.BundleDir))
		entries, err := os.ReadDir(dir)
		if err != nil {
			return message.Errorf("%s: không đọc được thư mục của bài: %w", a.BundleDir, err)
		}
		for _, e := range entries {
			if e.IsDir() || !e.Type().IsRegular() || content.IsMarkdown(e.Name()) || content.Ignored(e.Name()) || bundlePhoto(e.Name()) {
				continue
			}
			rel := strings.TrimPrefix(a.URL, "/") + e.Name()
			if err := w.Add(publish.File{Rel: rel, SrcPath: filepath.Join(dir, e.Name()), Source: a.BundleDir + "/" + e.Name(), Kind: publish.Static}); err != nil {
				return err
			}
		}
	}
	return nil
}

type renderStats struct {
	counts           map[site.Kind]int
	rendered, reused int
	keyed            int
	changed          []string
	// templateErrs are the pages' template errors, one per place and cause (the error
	// renderPages returns then is only about them when it is a *diag.Errors).
	templateErrs []diag.Diagnostic
}

// renderPages renders the pages of g into w, reusing what pages (the cache's strategy)
// still has of the previous build: first's pages before the others (see FirstPages), the
// others in renderOrder (as orderOf gives it).
func renderPages(ctx context.Context, r *render.Renderer, g *site.Graph, w publish.Sink, pages pageStore, structure structure, first FirstPages, orderOf func(*site.Graph) ([]int, int)) (renderStats, error) {
	st := renderStats{counts: map[site.Kind]int{}}
	var (
		mu               sync.Mutex
		errs             []error
		rendered, reused atomic.Int64
		keyed            atomic.Int64
		templates        templateFailures
	)
	fail := func(err error) {
		mu.Lock()
		if len(errs) < 20 {
			errs = append(errs, err)
		}
		mu.Unlock()
	}
	for _, p := range g.Pages {
		st.counts[p.Kind]++
	}
	arts := lazyArticleKeys()
	// The pages in flight at one time: being rendered, queued for the Sink, being written.
	bufs := publish.NewBuffers(4 * runtime.GOMAXPROCS(0))
	pages.begin(g, &structure, arts)
	// Each page's key, computed when first asked for: one slice for the build, not a
	// closure and its state per page (three allocations for each of 173,000 pages at
	// 100,000 articles, at every save of `portal serve --watch`, which keys a dozen).
	keys := make([]lazyKey, len(g.Pages))
	kr := keyer{structure: &structure, r: r, arts: arts, keyed: &keyed}
	one := func(i int) {
		p := g.Pages[i]
		key := &keys[i]
		key.k, key.p = &kr, p
		if f, ok := pages.reuse(i, p, key); ok {
			reused.Add(1)
			if f.Rel == "" { // kept by the Sink without being added (pages.keepLast)
				return
			}
			if err := w.Add(f); err != nil {
				fail(err)
			}
			return
		}
		b, frags, err := r.RenderFragments(bufs.Get(), p)
		if err != nil {
			if !templates.add(p.URL, err) {
				fail(fmt.Errorf("%s: %w", p.URL, err))
			}
			return
		}
		f := publish.File{Rel: p.Path, Data: b, Source: source(p), Fragments: frags}
		changed, holds := pages.keep(i, p, key, b)
		if changed {
			mu.Lock()
			st.changed = append(st.changed, p.Path)
			mu.Unlock()
		}
		if !holds { // the Writer gives b back once written
			f.Buffers = bufs
		}
		rendered.Add(1)
		if err := w.Add(f); err != nil {
			fail(fmt.Errorf("%s: %w", p.URL, err))
		}
	}
	firsts := firstIndexes(g, first.Paths)
	err := parallel.Each(ctx, len(firsts), func(j int) { one(firsts[j]) })
	if err == nil && len(firsts) > 0 {
		mu.Lock()
		failed, changed := len(errs) > 0 || templates.any(), slices.Clone(st.changed)
		mu.Unlock()
		if !failed {
			slices.Sort(changed)
			first.Ready(changed)
		}
	}
	if err == nil {
		// The other pages, in renderOrder (firsts is sorted).
		order, lists := orderOf(g)
		each := func(order []int) error {
			return parallel.Each(ctx, len(order), func(j int) {
				if _, done := slices.BinarySearch(firsts, order[j]); !done {
					one(order[j])
				}
			})
		}
		err = each(order[:lists])
		if err == nil {
			// The list pages: their cards are found again within listFragmentBytes, and
			// no list shows the related items the pages before kept.
			r.KeepFragments(listFragmentBytes)
			err = each(order[lists:])
		}
	}
	st.rendered, st.reused, st.keyed = int(rendered.Load()), int(reused.Load()), int(keyed.Load())
	if err == nil {
		err = errors.Join(errs...)
	}
	if err == nil && !templates.any() {
		err = pages.keepLast(w)
	}
	if templates.any() {
		st.templateErrs = templates.diagnostics()
		if err == nil {
			err = &diag.Errors{Items: st.templateErrs}
		}
	}
	pages.end(g, err == nil)
	slices.Sort(st.changed)
	return st, err
}

// renderOrder returns the indexes of g.Pages in the order to render them, and where the
// list pages start in it: the pages
// without a list in the graph's order, then the list pages (sections', terms', years' and
// the home's pages) by their newest article, newest first. An article's card is on its
// section's list, each of its terms' lists and its year's; in the graph's order (each list
// in turn) the renderer's fragment cache, which keeps the fragments used most recently
// within its budget (render/cached.go), would drop a card between two of its lists once
// the cards outgrow the budget (at 100,000 articles about twice). By their newest
// article, the lists that show an article are rendered close together: on 10,000
// articles with a tenth of the budget (100,000's ratio), 52,282 of the 52,447 cards
// that can be found again are, and rendering every page allocates 741 MB in 21.9 M
// objects, against 965 MB in 27.0 M in the graph's order (BENCHMARKS.md, sixteenth
// session, branch tmpl22).
//
// So the cards of the list pages are found again within a budget that does not grow with
// the site (a page of a term with a tenth of the articles spans a tenth of the years,
// whatever their number): renderPages renders them with listFragmentBytes, where the
// whole budget, full of cards no list would show again, was ≈ 75 MB of the live heap at
// the end of rendering at 100,000 articles, and the build's peak (BENCHMARKS.md,
// seventeenth session, branch peak22).
func renderOrder(g *site.Graph) (order []int, lists int) {
	order = make([]int, 0, len(g.Pages))
	type list struct {
		newest int64 // the newest article's date, Unix seconds: compared without following pointers
		i      int
	}
	var ls []list
	for i, p := range g.Pages {
		if p.Pager != nil && len(p.Pager.Items) > 0 {
			ls = append(ls, list{p.Pager.Items[0].Date.Unix(), i})
		} else {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(ls, func(a, b list) int { return cmp.Compare(b.newest, a.newest) })
	lists = len(order)
	for _, l := range ls {
		order = append(order, l.i)
	}
	return order, lists
}

// listFragmentBytes is the fragment cache's budget while the list pages are rendered (see
// renderOrder): on 10,000 articles a tenth of the whole budget found 52,282 of the 52,447
// list cards that could be found again (BENCHMARKS.md, sixteenth session, branch tmpl22).
const listFragmentBytes = 16 << 20

// firstIndexes are the indexes in g.Pages of the pages at paths, sorted.
func firstIndexes(g *site.Graph, paths []string) []int {
	if len(paths) == 0 {
		return nil
	}
	var out []int
	for i, p := range g.Pages {
		if slices.Contains(paths, p.Path) {
			out = append(out, i)
		}
	}
	return out
}

// themeKey hashes the configuration, the build options that change pages, the templates'
// sources and the assets, so that any change to them re-renders every page; salt is
// added (the disk cache's format version and program identity).
func themeKey(r *render.Renderer, assets publish.Assets, cfg config.Config, opts Options, salt string) string {
	k := newKey().str(fmt.Sprintf("%#v", cfg)).str(fmt.Sprint(opts.Preview, opts.LiveReloadURL, opts.Include, opts.Minify)).str(salt)
	k.str(r.Theme().Key())
	for _, name := range slices.Sorted(maps.Keys(assets)) {
		k.str(name).str(assets[name].URL)
	}
	return k.sum()
}

// source names what made p in the Writer's messages (Vietnamese, as they are): its
// files, or the page at its URL.
func source(p *site.Page) string {
	if len(p.Sources) > 0 {
		return strings.Join(p.Sources, ", ")
	}
	return "trang " + path.Clean(p.URL)
}

// articleSearchDocuments converts the graph's articles into search documents.
func articleSearchDocuments(g *site.Graph) []search.Document {
	out := make([]search.Document, 0, len(g.Articles))
	for _, a := range g.Articles {
		out = append(out, articleSearchDocument(a))
	}
	return out
}

// articleSearchDocument is the search document of an article.
func articleSearchDocument(a *site.Article) search.Document {
	terms := func(ts []*site.Term) []search.Term {
		var r []search.Term
		for _, t := range ts {
			r = append(r, search.Term{Name: t.Name, Slug: t.Slug})
		}
		return r
	}
	d := search.Document{URL: a.URL, Title: a.Title, Summary: a.Plain, LoadBody: a.TextFunc(), Date: a.Date,
		Provinces: terms(a.Provinces()), Categories: terms(a.Categories()), Tags: terms(a.Tags())}
	d.Hash = a.Hash + "|" + a.URL + "|" + termKey(d.Provinces) + termKey(d.Categories) + termKey(d.Tags)
	return d
}

func termKey(ts []search.Term) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(t.Slug)
		b.WriteByte(',')
	}
	b.WriteByte(';')
	return b.String()
}
