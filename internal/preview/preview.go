// Package preview runs `portal preview`: it builds the site (drafts and future articles
// included) into a private temporary folder, serves it with search, watches the inputs,
// rebuilds incrementally on every save and tells the open browser tabs to reload (or, for
// a CSS-only change, to swap the stylesheets). A failed build keeps the last good site
// served and shows its errors as an overlay in the browser and in the terminal.
package preview

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/fswatch"
	"github.com/vnportal/portal/internal/memlimit"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/site"
)

// Options configure a preview session.
type Options struct {
	SiteDir string
	// Drafts includes draft articles (the default for `portal preview`).
	Drafts bool
	// Debounce is the quiet time after the last file event before a rebuild (default 10 ms:
	// editors finish a save, atomic or not, within a millisecond or two).
	Debounce time.Duration
	// Stdout gets progress lines, Stderr build errors.
	Stdout, Stderr io.Writer
	// Now decides what is future/expired; zero means the clock.
	Now time.Time
	// AllowRemote lets the preview listen on an address other than loopback and answer
	// requests addressed to any of the machine's addresses (see CheckAddr).
	AllowRemote bool
	// Hosts are more names the preview answers to, on any port (a name of the machine,
	// a reverse proxy's). See CleanHost.
	Hosts []string
	// Lang is the language of the messages: terminal, logs and the browser overlay.
	Lang message.Lang
}

// Session is a running preview: its output folder, build cache and browser hub.
type Session struct {
	opts  Options
	out   *publish.Folder
	cache *build.MemoryCache
	hub   *hub
	// photos encodes, after the reload, the photo variants a build published pages for
	// (issue 16); a request for one still queued waits for it.
	photos  *build.PhotoQueue
	handler *server.Handler
	// mu: one build at a time, and no search page rendered while a build runs (a
	// rebuild may refresh the site graph in place, see site.Refresh).
	mu sync.RWMutex
	// closed (under mu) is set by Close: a build that would start after it does nothing.
	closed bool
	// changes are the files changed since the last successful build (under mu).
	changes fswatch.Pending
	page    atomic.Pointer[func(*render.SearchView) ([]byte, error)]
	logf    func(string, ...any)
	// Builds counts finished builds (tests wait on it).
	builds atomic.Int64
	// warned are the warnings the last build printed (under mu): the next prints only
	// new ones (printNew).
	warned map[seenDiag]bool

	// The search index is rebuilt in the background after each successful build.
	index     string
	memo      *search.Memo // the index's prepared documents and last generation (one indexer at a time)
	live      *search.Live
	bg        context.Context
	stopBG    context.CancelFunc
	idxMu     sync.Mutex
	pending   *site.Graph // the newest graph not yet indexed
	idxBusy   bool
	idxCancel context.CancelFunc
	lastBuild time.Time
	idxWG     sync.WaitGroup
	indexed   atomic.Int64
	// idle collects once a save is built and indexed, when the next save would otherwise
	// start a collection in its middle and share its cores with it (memlimit.Idle).
	idle memlimit.Idle
}

// New creates a session and runs the first build. A failed first build is not an error:
// the preview starts and shows the errors until the files are fixed.
func New(ctx context.Context, opts Options) (*Session, error) {
	if opts.Debounce == 0 {
		opts.Debounce = 10 * time.Millisecond
	}
	if opts.Stdout == nil {
		opts.Stdout = io.Discard
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	abs, err := filepath.Abs(opts.SiteDir)
	if err != nil {
		return nil, err
	}
	opts.SiteDir = abs
	out, err := publish.TempFolder("portal-preview-")
	if err != nil {
		return nil, err
	}
	s := &Session{opts: opts, out: out, cache: build.NewMemoryCache(), index: filepath.Join(out.Dir(), ".search"), memo: search.NewMemo()}
	s.bg, s.stopBG = context.WithCancel(context.Background())
	s.logf = server.Logger(opts.Stderr, opts.Lang)
	s.hub = newHub(s.logf)
	s.photos = build.NewPhotoQueue(s.bg, out, s.logf)
	s.Rebuild(ctx, nil)
	cfg, _ := config.Load(os.DirFS(opts.SiteDir), opts.SiteDir)
	s.live = search.NewLive(s.index, func(string, ...any) {})
	th := search.DefaultThesaurus()
	if reg, err := province.ForConfig(cfg); err == nil {
		if t, err := search.NewThesaurus(cfg.Search.SynonymSets(), reg); err == nil {
			th = t
		}
	}
	h, err := server.New(server.Options{
		Root: out.Dir(), Searcher: s.live, Logf: s.logf, Thesaurus: th,
		SearchPage: s.renderSearch, TermURL: server.TermURLs(cfg.TaxonomyPaths()),
	})
	if err != nil {
		s.Close()
		return nil, err
	}
	s.handler = h
	return s, nil
}

func (s *Session) renderSearch(v *render.SearchView) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	page := s.page.Load()
	if page == nil {
		return nil, errors.New("the site has not been built yet")
	}
	return (*page)(v)
}

// Close stops background indexing and removes the session's temporary folder.
func (s *Session) Close() error {
	s.hub.close()
	s.stopBG()
	// Wait for a build in progress (it may start an index update) and stop later ones,
	// before waiting for the index updates and removing the folder.
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.idxWG.Wait()
	s.idle.Close()
	s.photos.Close()
	if s.handler != nil {
		s.handler.Close()
	}
	if s.live != nil {
		s.live.Close()
	}
	return s.out.Remove()
}

// indexIdle is how long the preview waits after a build before updating the search
// index: an update takes CPU (about a second at 10,000 articles), and an editor saving
// again soon must not wait for it. A build that starts while an update runs cancels it;
// it runs again, with the newest documents, once the builds pause. The first index of
// the session is not cancelled (restarting it on every save could postpone it forever):
// builds share the CPU with it until it is done.
const indexIdle = 300 * time.Millisecond

// indexLater updates the search index with the graph's articles after the pages are
// already served, so that indexing never delays a reload. Requests made while an update
// waits or runs are coalesced: only the newest graph is indexed next.
func (s *Session) indexLater(g *site.Graph) {
	s.idxMu.Lock()
	s.pending = g
	s.lastBuild = time.Now()
	busy := s.idxBusy
	s.idxBusy = true
	s.idxMu.Unlock()
	if busy {
		return
	}
	s.idxWG.Add(1)
	go func() {
		defer s.idxWG.Done()
		for {
			s.idxMu.Lock()
			g := s.pending
			if g == nil || s.bg.Err() != nil {
				s.idxBusy = false
				s.idxMu.Unlock()
				return
			}
			if wait := indexIdle - time.Since(s.lastBuild); wait > 0 {
				s.idxMu.Unlock()
				select {
				case <-time.After(wait):
				case <-s.bg.Done():
				}
				continue
			}
			s.pending = nil
			ctx, cancel := context.WithCancel(s.bg)
			if s.indexed.Load() > 0 {
				s.idxCancel = cancel
			}
			s.idxMu.Unlock()
			// The documents are taken under the build lock: a build may refresh the graph
			// in place (site.Refresh). The PDF attachments are read without it (through
			// the cache: only new or replaced files), so a save is not kept waiting.
			s.mu.RLock()
			pdfs := build.PDFsOf(g)
			s.mu.RUnlock()
			err := s.indexGraph(ctx, g, pdfs)
			cancelled := ctx.Err() != nil
			cancel()
			s.idxMu.Lock()
			s.idxCancel = nil
			if cancelled && s.pending == nil {
				s.pending = g // interrupted by a build that failed: index it later
			}
			s.idxMu.Unlock()
			switch {
			case cancelled:
			case err != nil:
				s.logf("chỉ mục tìm kiếm: %v", err)
			default:
				s.indexed.Add(1)
				s.idle.Collect() // the save is fully served, its index too: collect, if due, before the next
			}
		}
	}()
}

// pauseIndexing stops a running index update: a build is starting.
func (s *Session) pauseIndexing() {
	s.idxMu.Lock()
	s.lastBuild = time.Now()
	if s.idxCancel != nil {
		s.idxCancel()
	}
	s.idxMu.Unlock()
}

// indexGraph reads the text of the graph's PDF attachments (printing their warnings)
// and indexes the graph with it.
func (s *Session) indexGraph(ctx context.Context, g *site.Graph, pdfs build.PDFAttachments) error {
	text, warnings, _, err := s.cache.ReadAttachments(ctx, s.opts.SiteDir, pdfs)
	if err != nil {
		return err
	}
	for _, d := range warnings {
		fmt.Fprintln(s.opts.Stderr, d.In(s.opts.Lang))
	}
	if s.hub.notes.fromPDFs(warnings) {
		s.hub.notify()
	}
	s.mu.RLock()
	docs := s.cache.SearchDocumentsWith(g, text)
	s.mu.RUnlock()
	return s.reindex(ctx, docs)
}

// reindex puts the next index generation in place and has the server search it.
func (s *Session) reindex(ctx context.Context, docs []search.Document) error {
	if _, err := s.memo.Update(ctx, s.index, docs); err != nil {
		return err
	}
	return s.live.Reload()
}

// Builds returns the number of builds finished so far (successful or not).
func (s *Session) Builds() int64 { return s.builds.Load() }

// Rebuild builds the site again after the given input files changed (nil: unknown) and
// notifies the browsers. It returns the build's report and error.
func (s *Session) Rebuild(ctx context.Context, changed []string) (build.Report, error) {
	s.pauseIndexing()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return build.Report{}, message.Errorf("bản xem trước đã dừng")
	}
	defer s.builds.Add(1)
	start := time.Now()
	hint := s.changes.Add(changed) // with the files of failed builds since the last good one
	// The pages the tabs show are rendered first and their tabs reload at once, before
	// the lists, feeds and the rest of the site are rendered (see build.FirstPages): not
	// for a stylesheet (swapped, not reloaded), nor while an overlay is shown (cleared
	// by the build's end).
	var first build.FirstPages
	if changed != nil && !onlyCSS(changed) && s.hub.settled() {
		first = build.FirstPages{Paths: s.hub.viewed(), Ready: s.hub.reloadFirst}
	}
	rep, err := build.Run(ctx, build.Options{
		SiteDir: s.opts.SiteDir, Dest: s.out.Dir(), Now: s.opts.Now,
		Include: content.Include{Drafts: s.opts.Drafts, Future: true},
		Preview: true, LiveReloadURL: scriptURL, Cache: s.cache.Changed(hint), NoSearch: true, Images: s.photos,
		Output: func(ctx context.Context) (publish.Sink, error) { return s.out, s.out.Begin(ctx) },
		First:  first,
	})
	s.warned = printNew(s.opts.Stderr, s.opts.Lang, rep.Diagnostics, s.warned)
	if err != nil {
		if _, ok := diag.AsErrors(err); !ok {
			fmt.Fprint(s.opts.Stderr, s.opts.Lang.Sprintf("lỗi: %v\n", err))
		}
		fmt.Fprintln(s.opts.Stderr, s.opts.Lang.Sprintf("Dựng lại thất bại: trình duyệt tiếp tục hiển thị bản dựng thành công gần nhất."))
		s.hub.fail(rep.Diagnostics, err, s.opts.Lang)
		return rep, err
	}
	s.changes.Built()
	notesChanged := s.hub.notes.fromBuild(rep.Graph, rep.Diagnostics)
	if page, err := server.PageRenderer(rep.Renderer, rep.Graph); err == nil {
		s.page.Store(&page)
	}
	kind := "reload"
	if onlyCSS(changed) {
		kind = "css"
	} else if changed != nil && len(rep.Changed) == 0 {
		kind = ""
	}
	if len(rep.HeldBack) > 0 {
		s.hub.published(kind, errorItems(rep.Diagnostics, s.opts.Lang))
		fmt.Fprintf(s.opts.Stderr, "%d bài có lỗi chưa được cập nhật (bài đã có giữ bản cũ, bài mới chưa hiện); các trang khác đã cập nhật.\n", len(rep.HeldBack))
	} else {
		s.hub.ok(kind)
	}
	if notesChanged && kind == "" {
		s.hub.notify() // a reload fetches them anyway
	}
	s.indexLater(rep.Graph) // after the browsers were told: indexing never delays a reload
	fmt.Fprint(s.opts.Stdout, s.opts.Lang.Sprintf("%s dựng lại: %d trang mới, %d giữ nguyên, %s\n",
		time.Now().Format("15:04:05"), rep.Rendered, rep.Reused, time.Since(start).Round(time.Millisecond)))
	return rep, nil
}

// onlyCSS reports whether every changed file is a stylesheet.
func onlyCSS(changed []string) bool {
	if len(changed) == 0 {
		return false
	}
	for _, p := range changed {
		if filepath.Ext(p) != ".css" {
			return false
		}
	}
	return true
}

// Handler returns the preview's handler for a listener: requests whose Host does not name
// the preview are refused (see hostGuard), the others get the live-reload endpoints or
// the site.
func (s *Session) Handler(ln net.Listener) http.Handler {
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return newHostGuard(http.HandlerFunc(s.serve), port, s.opts.AllowRemote, s.opts.Hosts, s.logf)
}

// serve serves the live-reload endpoints, then the site. The preview's own responses
// carry the site's security headers (the overlay and the script are same-origin files,
// which the Content-Security-Policy allows).
func (s *Session) serve(w http.ResponseWriter, r *http.Request) {
	server.SetSecurityHeaders(w.Header())
	switch r.URL.Path {
	case scriptURL, styleURL, eventsURL, notesURL:
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			server.Plain(w, http.StatusMethodNotAllowed, "405 – Phương thức không được hỗ trợ; chỉ nhận GET và HEAD.")
			return
		}
	}
	switch r.URL.Path {
	case scriptURL:
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, liveReloadJS)
		return
	case styleURL:
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		io.WriteString(w, overlayCSS)
		return
	case eventsURL:
		s.hub.serveEvents(w, r)
		return
	case notesURL:
		s.hub.serveNotes(w, r, s.opts.Lang)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if name, _, ok := server.CleanName(r.URL.Path); ok && path.Dir(name) == build.ImagesDir {
		s.photos.Wait(r.Context(), path.Base(name)) // a variant still queued: its job goes first
	}
	if e := s.hub.failure(); e != nil && !s.exists(r.URL.Path) && strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(errorPage(e))
		return
	}
	s.handler.ServeHTTP(w, r)
}

// exists reports whether a URL path has a page in the output.
func (s *Session) exists(p string) bool {
	name, _, ok := server.CleanName(p)
	_, err := os.Stat(filepath.Join(s.out.Dir(), filepath.FromSlash(name)))
	return ok && err == nil
}

// Watch rebuilds on every batch of changes until ctx ends.
func (s *Session) Watch(ctx context.Context) error {
	batches := make(chan []string)
	if err := fswatch.Site(ctx, s.opts.SiteDir, s.opts.Debounce, s.logf, batches); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case batch := <-batches:
			s.Rebuild(ctx, batch)
		}
	}
}

// Run starts a preview on addr and blocks until ctx ends. An address other than loopback
// needs opts.AllowRemote (see CheckAddr).
func Run(ctx context.Context, addr string, opts Options) error {
	if err := CheckAddr(addr, opts.AllowRemote); err != nil {
		return err
	}
	s, err := New(ctx, opts)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := server.Listen(addr)
	if err != nil {
		return err
	}
	s.announce(ln)
	go s.Watch(ctx)
	go func() { <-ctx.Done(); s.hub.close() }()
	return server.Serve(ctx, ln, s.Handler(ln), s.logf)
}

// announce prints where the preview can be opened and, when other machines may reach
// it, a warning that they see the drafts too.
func (s *Session) announce(ln net.Listener) {
	urls, everywhere := listenURLs(ln.Addr(), interfaceAddrs(), s.opts.Hosts)
	dir, err := filepath.Abs(s.opts.SiteDir) // not "Đang xem trước . tại …"
	if err != nil {
		dir = s.opts.SiteDir
	}
	fmt.Fprint(s.opts.Stdout, s.opts.Lang.Sprintf("Đang xem trước %s tại %s (Ctrl+C để dừng)\n", dir, urls[0]))
	if len(urls) > 1 {
		if everywhere {
			fmt.Fprintln(s.opts.Stdout, s.opts.Lang.Sprintf("Bản xem trước lắng nghe trên mọi địa chỉ của máy; cũng mở được tại:"))
		} else {
			fmt.Fprintln(s.opts.Stdout, s.opts.Lang.Sprintf("Cũng mở được tại:"))
		}
		for _, u := range urls[1:] {
			fmt.Fprintf(s.opts.Stdout, "  %s\n", u)
		}
	}
	if s.opts.AllowRemote && !isLoopbackListener(ln) {
		fmt.Fprintln(s.opts.Stderr, s.opts.Lang.Sprintf("cảnh báo: --allow-remote: ai kết nối được tới máy này qua mạng đều xem được trang, kể cả bản nháp chưa xuất bản."))
	}
}

// isLoopbackListener reports whether ln accepts connections from this machine only.
func isLoopbackListener(ln net.Listener) bool {
	a, ok := ln.Addr().(*net.TCPAddr)
	return ok && a.IP.IsLoopback()
}
