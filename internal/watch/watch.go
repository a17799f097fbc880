// Package watch runs `portal serve --watch`: the production server that keeps the site
// graph warm (build.ServeCache), rebuilds into the output folder through the one Writer on
// every save of an input and at the next scheduled time (an article's publishDate or
// expiryDate), and answers from the output folder and its search index. A change is
// switched in whole: the Writer's Commit and the search index's reload run inside the
// server's Gate, so a request is answered entirely from the state before or after it. A
// failed rebuild keeps serving (and keeping on disk) the last good state.
package watch

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"os"
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
	"github.com/vnportal/portal/internal/vietnamese"
)

// Options configure a Session.
type Options struct {
	SiteDir string
	// Dest is the output folder; "" means SiteDir/public.
	Dest string
	// Debounce is the quiet time after the last file event before a rebuild (default
	// 10 ms, as the preview's: a save by an editor or a copy, in place or atomic, sends
	// its last event within 0.02 ms of its first; a writer pausing longer mid-file is
	// not told finished by any such wait, and its next event rebuilds again).
	Debounce time.Duration
	// Clock decides what is published and when the next scheduled rebuild runs; nil is
	// the system clock.
	Clock Clock
	// Stderr gets the log: what each rebuild did, its errors (in Lang).
	Stderr io.Writer
	Lang   message.Lang
	// AllowShrink publishes a rebuild that removes more articles than config.toml's
	// build.maxShrink allows (see build.ShrinkError).
	AllowShrink bool
}

// retryFailed is how long after a failed rebuild that was due (a scheduled time had
// come) the next one is tried, when no file changes before.
const retryFailed = time.Minute

// maxSleep bounds one wait for the next scheduled time, so that a clock set by hand or a
// machine waking from sleep is noticed within it.
const maxSleep = time.Minute

// Session is a running `portal serve --watch`: the cache, the output folder's handler,
// the search index it answers from and the schedule.
type Session struct {
	opts    Options
	clock   Clock
	dest    string
	cache   *build.ServeCache
	gate    *server.Gate
	live    *search.Live // nil with search disabled
	handler *server.Handler
	logf    func(string, ...any)

	// mu: one build at a time, and no search page rendered while a build runs (a
	// rebuild may refresh the site graph in place).
	mu     sync.RWMutex
	closed bool
	// pending are the files changed since the last successful build (under mu).
	pending fswatch.Pending
	page    atomic.Pointer[func(*render.SearchView) ([]byte, error)]

	// next is the next scheduled rebuild (zero: none); rescheduled tells the schedule
	// loop that it changed.
	schedMu     sync.Mutex
	next        build.Scheduled
	rescheduled chan struct{}

	builds, failures atomic.Int64
	took             atomic.Int64 // the last successful build's duration
	// idle collects once a build is switched in, when the next save would otherwise start
	// a collection in its middle and share its cores with it (memlimit.Idle).
	idle memlimit.Idle
}

// New creates a session and runs its first build (a full one, into the output folder). A
// failed first build is not an error: the output folder's current site, if any, is served
// until the files are fixed.
func New(ctx context.Context, opts Options) (*Session, error) {
	if opts.Debounce == 0 {
		opts.Debounce = 10 * time.Millisecond
	}
	if opts.Stderr == nil {
		opts.Stderr = io.Discard
	}
	if opts.Clock == nil {
		opts.Clock = SystemClock()
	}
	abs, err := filepath.Abs(opts.SiteDir)
	if err != nil {
		return nil, err
	}
	opts.SiteDir = abs
	dest, err := filepath.Abs(cmp.Or(opts.Dest, filepath.Join(abs, "public")))
	if err != nil {
		return nil, err
	}
	ds := &diag.List{}
	cfg, reg, err := build.LoadConfig(build.Options{SiteDir: abs}, ds)
	if err != nil {
		return nil, ds.Absorb(err)
	}
	s := &Session{opts: opts, clock: opts.Clock, dest: dest, cache: build.NewServeCache(), gate: &server.Gate{},
		logf: server.Logger(opts.Stderr, opts.Lang), rescheduled: make(chan struct{}, 1), idle: memlimit.Idle{Headroom: build.ServeGCHeadroom}}
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return nil, message.Errorf("không tạo được thư mục đầu ra %s: %w", dest, err)
	}
	th, err := search.NewThesaurus(cfg.Search.SynonymSets(), reg)
	if err != nil {
		return nil, message.Errorf("config.toml: [search.synonyms]: %v", err)
	}
	sopts := server.Options{Root: dest, Logf: s.logf, Thesaurus: th, Gate: s.gate,
		SearchPage: s.renderSearch, TermURL: server.TermURLs(cfg.TaxonomyPaths())}
	if !cfg.Search.Disabled {
		index := cfg.Search.Index
		if !filepath.IsAbs(index) {
			index = filepath.Join(dest, index)
		}
		s.live = search.NewLive(index, s.logf)
		sopts.Searcher = s.live
	}
	s.Rebuild(ctx, nil)
	if s.page.Load() == nil {
		page, err := fallbackPage(abs, dest, cfg, reg)
		if err != nil {
			s.logf("cảnh báo: trang kết quả tìm kiếm dùng giao diện tối giản vì không nạp được giao diện: %v", err)
		}
		s.page.CompareAndSwap(nil, &page)
	}
	h, err := server.New(sopts)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.handler = h
	return s, nil
}

// fallbackPage is the search page before a build succeeded: the theme's, with the asset
// URLs of the output's manifest, or the server's minimal page.
func fallbackPage(source, dest string, cfg config.Config, reg *province.Registry) (func(*render.SearchView) ([]byte, error), error) {
	m, err := publish.ReadManifest(dest)
	if err != nil {
		return server.BuiltinSearchPage, err
	}
	g, _ := site.Assemble(site.Input{Config: cfg, Registry: reg}) // menus, taxonomies: no articles
	r, err := render.New(render.Options{SiteDir: source, Config: cfg, Graph: g, Assets: m.Assets})
	if err != nil {
		return server.BuiltinSearchPage, err
	}
	page, err := server.PageRenderer(r, g)
	if err != nil {
		return server.BuiltinSearchPage, err
	}
	return page, nil
}

func (s *Session) renderSearch(v *render.SearchView) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return (*s.page.Load())(v)
}

// Handler serves the site.
func (s *Session) Handler() *server.Handler { return s.handler }

// Builds returns the number of builds finished so far, and how many of them failed.
func (s *Session) Builds() (all, failed int64) { return s.builds.Load(), s.failures.Load() }

// Next returns the next scheduled change (zero At: none).
func (s *Session) Next() build.Scheduled {
	s.schedMu.Lock()
	defer s.schedMu.Unlock()
	return s.next
}

// Close waits for a build in progress and stops later ones, then closes the search index.
func (s *Session) Close() error {
	s.mu.Lock()
	s.closed = true
	s.cache.Close()
	s.mu.Unlock()
	s.idle.Close()
	if s.handler != nil {
		s.handler.Close()
	}
	if s.live != nil {
		return s.live.Close()
	}
	return nil
}

// switched is the Sink of a rebuild: the Writer on the output folder, whose Commit runs
// inside the server's gate together with the search index's reload.
type switched struct {
	*publish.Writer
	s   *Session
	ctx context.Context
	// at: a build made ahead of a scheduled time is switched in at that time, not before.
	at time.Time
	// index is the staging folder of the search index the build reserved ("": none yet).
	index string
}

// Reserve reserves a folder of the output as the Writer does, and remembers the search
// index's, which Commit opens before the switch.
func (o *switched) Reserve(rel, source string) (string, error) {
	dir, err := o.Writer.Reserve(rel, source)
	if err == nil && o.s.live != nil && filepath.Join(o.s.dest, filepath.FromSlash(rel)) == o.s.live.Path() {
		o.index = dir
	}
	return dir, err
}

// Commit commits the Writer, holding readers off for its renames (publish.CommitWith's
// apply) and the search index's reload, and lets them in again before the output is
// fsynced and the staging folder removed: the plan and the journal (with its fsyncs) come
// before the gate, so readers wait for the renames of an edit and the reload only.
func (o *switched) Commit() (publish.Stats, error) {
	if wait := o.at.Sub(o.s.clock.Now()); !o.at.IsZero() && wait > 0 {
		t := o.at.In(vietnamese.Location())
		o.s.logf("bản dựng cho giờ hẹn %02d:%02d:%02d đã sẵn sàng, chờ %s để xuất bản", t.Hour(), t.Minute(), t.Second(), wait.Round(time.Millisecond))
	}
	for {
		wait := o.at.Sub(o.s.clock.Now())
		if o.at.IsZero() || wait <= 0 {
			break
		}
		select {
		case <-o.s.clock.After(wait):
		case <-o.ctx.Done():
			return publish.Stats{}, o.ctx.Err() // the build's Abort removes the staging folder
		}
	}
	// The new index generation is opened and verified before the switch, while its files
	// are still in the staging folder (the plan removes the ones the output has already);
	// the switch only swaps it in. One that cannot be opened is reloaded inside the
	// switch, which logs why and keeps the last generation.
	var opened *search.Opened
	if o.index != "" {
		opened, _ = o.s.live.Open(o.index)
	}
	st, err := o.Writer.CommitWith(func(apply func() error) error {
		return o.s.gate.Switch(func() error {
			err := apply()
			if err == nil && opened != nil {
				_ = o.s.live.Use(opened)
				opened = nil
			} else {
				o.s.reload()
			}
			return err
		})
	})
	if opened != nil {
		_ = opened.Close()
	}
	if err == nil {
		// The output's files as this commit left them: the next Writer plans from them
		// instead of walking the output, and the cache keeps its pages unread while
		// nothing else changes the folder (build.ServeCache).
		o.s.cache.Committed(st)
	}
	return st, err
}

// reload has the search answer from the index now in the output folder; a problem is
// logged by Live, which keeps the index it has (after a failed commit: the same one, and
// nothing to reopen).
func (s *Session) reload() {
	if s.live != nil {
		_ = s.live.Reload()
	}
}

func (s *Session) output(ctx context.Context, at time.Time) (publish.Sink, error) {
	w, err := publish.Begin(ctx, s.dest, publish.Options{Minify: true, Precompress: true, Previous: s.cache.Listing()})
	if err != nil {
		return nil, err
	}
	return &switched{Writer: w, s: s, ctx: ctx, at: at}, nil
}

// Rebuild builds the site again after the given input files changed (nil: unknown, or
// nothing: a scheduled time came) and switches the result in. It returns the build's
// report and error; a failed build changes nothing that is served.
func (s *Session) Rebuild(ctx context.Context, changed []string) (build.Report, error) {
	return s.rebuild(ctx, changed, time.Time{})
}

// rebuild is Rebuild; a build for a scheduled time at still in the future is made now, as
// the site will be at that time, and switched in at it.
func (s *Session) rebuild(ctx context.Context, changed []string, at time.Time) (build.Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return build.Report{}, message.Errorf("máy chủ đã dừng")
	}
	defer s.builds.Add(1)
	hint := s.pending.Add(changed)
	now := s.clock.Now()
	if at.After(now) {
		now = at
	} else {
		at = time.Time{}
	}
	rep, err := build.Run(ctx, build.Options{
		SiteDir: s.opts.SiteDir, Dest: s.dest, Now: now, Include: content.Include{},
		Minify: true, Precompress: true, AllowShrink: s.opts.AllowShrink,
		Cache:  s.cache.Changed(hint),
		Output: func(ctx context.Context) (publish.Sink, error) { return s.output(ctx, at) },
	})
	first := s.builds.Load() == 0
	for _, d := range rep.Diagnostics {
		if d.Severity == diag.Error || first { // warnings once, at the start
			s.logf("%s", d.In(s.opts.Lang))
		}
	}
	if err != nil {
		s.failures.Add(1)
		if ctx.Err() != nil {
			return rep, err // stopping
		}
		if _, ok := diag.AsErrors(err); !ok {
			s.logf("lỗi: %v", err)
		}
		s.logf("Dựng lại thất bại: máy chủ tiếp tục phục vụ bản dựng thành công gần nhất; sửa lỗi rồi lưu tệp, trang sẽ được dựng lại.")
		s.schedule(build.Scheduled{}, now, false)
		return rep, err
	}
	s.pending.Built()
	if page, err := server.PageRenderer(rep.Renderer, rep.Graph); err == nil {
		s.page.Store(&page)
	}
	s.idle.Collect() // the new state is served: collect, if due, while no save waits
	if len(rep.HeldBack) > 0 {
		s.logf("%d bài có lỗi chưa được cập nhật (bài đã có giữ bản cũ, bài mới chưa hiện); các trang khác đã cập nhật.", len(rep.HeldBack))
	}
	var stages []string
	for _, st := range rep.Stages {
		stages = append(stages, s.opts.Lang.Sprintf(st.Name)+" "+st.Took.Round(time.Millisecond).String())
	}
	s.took.Store(int64(rep.Took))
	s.logf("đã xuất bản: %d trang mới, %d giữ nguyên, %d bài, %s (%s)", rep.Rendered, rep.Reused, rep.Articles, rep.Took.Round(time.Millisecond), strings.Join(stages, ", "))
	s.schedule(rep.NextScheduled, now, true)
	return rep, nil
}

// schedule records the next scheduled change after a build at now. After a failed build
// (ok false) the last one is kept; if it was due already, it is tried again after
// retryFailed.
func (s *Session) schedule(next build.Scheduled, now time.Time, ok bool) {
	s.schedMu.Lock()
	if ok {
		if next != s.next && !next.At.IsZero() {
			t := next.At.In(vietnamese.Location())
			if next.Expires {
				s.logf("lần dựng hẹn giờ tiếp theo: %02d:%02d:%02d %s (gỡ %s)", t.Hour(), t.Minute(), t.Second(), vietnamese.FormatDate(t), next.Path)
			} else {
				s.logf("lần dựng hẹn giờ tiếp theo: %02d:%02d:%02d %s (đăng %s)", t.Hour(), t.Minute(), t.Second(), vietnamese.FormatDate(t), next.Path)
			}
		}
		s.next = next
	} else if !s.next.At.IsZero() && !s.next.At.After(now) {
		s.next.At = now.Add(retryFailed)
	}
	s.schedMu.Unlock()
	select {
	case s.rescheduled <- struct{}{}:
	default:
	}
}

// Watch rebuilds on every batch of changed inputs and at every scheduled time until ctx
// ends.
func (s *Session) Watch(ctx context.Context) error {
	batches := make(chan []string)
	if err := fswatch.Site(ctx, s.opts.SiteDir, s.opts.Debounce, s.logf, batches); err != nil {
		return err
	}
	for {
		var due <-chan time.Time
		next := s.Next().At
		start := next.Add(-s.lead()) // build ahead, switch in at next
		if !next.IsZero() {
			due = s.clock.After(min(max(start.Sub(s.clock.Now()), 0), maxSleep))
		}
		select {
		case <-ctx.Done():
			return nil
		case batch := <-batches:
			s.Rebuild(ctx, batch)
		case <-s.rescheduled:
		case <-due:
			if !s.clock.Now().Before(start) {
				s.rebuild(ctx, nil, next)
			}
		}
	}
}

// lead is how long before a scheduled time its build starts: twice the last build's time,
// at least a second and at most two minutes, so that the new state is ready to be switched
// in at that time (the switch waits for it) even for a site whose rebuild takes seconds.
// Saves in the meantime are built right after the switch.
func (s *Session) lead() time.Duration {
	return min(max(2*time.Duration(s.took.Load()), time.Second), 2*time.Minute)
}

// Run starts `portal serve --watch` on addr and blocks until ctx ends (SIGINT, SIGTERM):
// the listener stops, requests in flight finish, a build in progress is cancelled.
func Run(ctx context.Context, addr string, opts Options, announce func(ln net.Listener)) error {
	s, err := New(ctx, opts)
	if err != nil {
		return err
	}
	defer s.Close()
	ln, err := server.Listen(addr)
	if err != nil {
		return err
	}
	if announce != nil {
		announce(ln)
	}
	wctx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := s.Watch(wctx); err != nil {
			s.logf("không theo dõi được các tệp của trang: %v", err)
		}
	})
	err = server.Serve(ctx, ln, s.Handler(), s.logf)
	stop()
	wg.Wait()
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
