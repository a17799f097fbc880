package search

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrUnavailable is wrapped by Live.Search when no index can be served
// (missing or damaged); the server answers 503 and shows a notice.
var ErrUnavailable = errors.New("search index unavailable")

// checkEvery is how often Live looks at the manifest for a new generation.
const checkEvery = time.Second

// Live serves searches from whatever index is currently at a path, reopening
// it when a build has put a new generation there. Use it from the server:
//
//	l := search.NewLive(filepath.Join(out, "_search"), log.Printf)
//	defer l.Close()
//	q, err := search.NewQuery(req) // once, where the request comes in
//	res, err := l.Search(ctx, q)   // errors.Is(err, search.ErrUnavailable) → 503
//
// Live reads the manifest's generation id at most once per second (during
// a Search) or when Reload is called. A new generation is opened and
// verified first, then swapped in; the old index is closed once the searches
// still running on it have finished (reference counting).
//
// If the index at path cannot be opened (missing, half-written, damaged),
// Live keeps serving the generation it already has open and reports the
// problem through logf and Status; with nothing open, Search returns an
// error wrapping ErrUnavailable and the reason.
type Live struct {
	path string
	logf func(format string, args ...any)

	reload sync.Mutex // one reopen at a time

	mu        sync.Mutex // guards the fields below
	cur       *liveIndex
	err       error // why the index at path could not be opened; nil if fine
	lastCheck time.Time
	closed    bool
}

// liveIndex is an open index with a reference count (guarded by Live.mu):
// one reference for being current, one per running search.
type liveIndex struct {
	ix   *Index
	refs int
}

// LiveStatus describes what a Live serves, for health checks and logs.
type LiveStatus struct {
	Generation string    // "" when nothing is open
	Docs       uint64    // documents in the open index
	Checked    time.Time // last look at the manifest
	Err        error     // last problem opening the index at path; nil if none
}

// NewLive returns a Live for the index folder at path and tries to open it
// right away (a failure is logged and retried on later searches). logf may
// be nil.
func NewLive(path string, logf func(format string, args ...any)) *Live {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	l := &Live{path: path, logf: logf}
	_ = l.Reload()
	return l
}

// Search runs q on the current index. It returns an error wrapping
// ErrUnavailable when no index can be served.
func (l *Live) Search(ctx context.Context, q Query) (Result, error) {
	l.maybeCheck()
	li, err := l.acquire()
	if err != nil {
		return Result{}, err
	}
	defer l.release(li)
	return li.ix.search(ctx, q)
}

// Reload looks at the index at path now and swaps it in if its generation
// differs from the open one. It returns why the index could not be opened,
// if so (the previous generation, if any, stays in service).
func (l *Live) Reload() error {
	l.reload.Lock()
	defer l.reload.Unlock()
	return l.check()
}

// Path returns the folder l serves the index of.
func (l *Live) Path() string { return l.path }

// Opened is an index generation opened and verified ahead of the moment it is to be
// served (Live.Open): Live.Use swaps it in, Close lets go of it.
type Opened struct{ ix *Index }

// Close closes an Opened that will not be used.
func (o *Opened) Close() error { return o.ix.Close() }

// Open opens and verifies the index generation in dir, a folder whose files are about to
// become the index at l's path (`portal serve --watch`: the Writer's staging copy,
// renamed into the output by its commit), so that the commit's switch need only swap it
// in (Use) instead of reading the new generation (its doc table: 25 ms at 10,000
// articles) while readers wait. The files it shares with the open generation are not
// read again. On Linux an open index keeps its files when they are renamed or removed.
func (l *Live) Open(dir string) (*Opened, error) {
	l.mu.Lock()
	var cur *Index
	if l.cur != nil {
		cur = l.cur.ix
	}
	l.mu.Unlock()
	ix, err := openKnown(dir, cur) // reads only what cur keeps in memory: safe even if cur was closed meanwhile
	if err != nil {
		return nil, err
	}
	ix.dir = l.path
	ix.warmVocabulary(cur) // reads only cur's flag: safe even if cur was closed meanwhile
	return &Opened{ix: ix}, nil
}

// Use serves o from now on, as Reload would once its files are at l's path; o is then
// l's to close (closed at once when l is).
func (l *Live) Use(o *Opened) error {
	l.reload.Lock()
	defer l.reload.Unlock()
	return l.swapIn(o.ix)
}

// Status reports the open generation and the last problem, if any.
func (l *Live) Status() LiveStatus {
	l.mu.Lock()
	defer l.mu.Unlock()
	st := LiveStatus{Checked: l.lastCheck, Err: l.err}
	if l.cur != nil {
		st.Generation = l.cur.ix.Generation()
		st.Docs = l.cur.ix.m.Docs
	}
	return st
}

// Close stops serving. The open index is closed when the searches still
// running on it finish; later searches return ErrUnavailable.
func (l *Live) Close() error {
	l.reload.Lock()
	defer l.reload.Unlock()
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	cur := l.cur
	l.cur = nil
	l.mu.Unlock()
	if cur != nil {
		return l.release(cur)
	}
	return nil
}

// maybeCheck runs check if the last one is older than checkEvery and no
// other goroutine is checking (searches never wait for a reopen).
func (l *Live) maybeCheck() {
	l.mu.Lock()
	due := !l.closed && time.Since(l.lastCheck) >= checkEvery
	l.mu.Unlock()
	if !due || !l.reload.TryLock() {
		return
	}
	defer l.reload.Unlock()
	l.mu.Lock()
	due = !l.closed && time.Since(l.lastCheck) >= checkEvery
	l.mu.Unlock()
	if due {
		_ = l.check()
	}
}

// check compares the manifest's generation with the open one and swaps in a
// new index if needed. Called with l.reload held.
func (l *Live) check() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return fmt.Errorf("search: %w: closed", ErrUnavailable)
	}
	l.lastCheck = time.Now()
	var curGen string
	var cur *Index
	if l.cur != nil {
		cur = l.cur.ix
		curGen = cur.Generation()
	}
	l.mu.Unlock()

	m, err := readManifestOnly(l.path)
	if err == nil && m.Generation == curGen {
		l.setErr(nil)
		return nil
	}
	var ix *Index
	if err == nil {
		// The segments the new generation shares with the open one are not read again.
		ix, err = openKnown(l.path, cur)
	}
	if err != nil {
		l.setErr(err)
		return err
	}
	ix.warmVocabulary(cur)
	return l.swapIn(ix)
}

// swapIn makes ix the index searched from now on and lets go of the one before (closed
// once its searches finish). Called with l.reload held.
func (l *Live) swapIn(ix *Index) error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		_ = ix.Close()
		return fmt.Errorf("search: %w: closed", ErrUnavailable)
	}
	l.lastCheck = time.Now()
	old := l.cur
	l.cur = &liveIndex{ix: ix, refs: 1}
	l.err = nil
	l.mu.Unlock()
	n, _ := ix.DocCount()
	l.logf("tìm kiếm: dùng chỉ mục thế hệ %s (%d bài) ở %s", ix.Generation(), n, l.path)
	if old != nil {
		if err := l.release(old); err != nil {
			l.logf("tìm kiếm: lỗi khi đóng chỉ mục thế hệ trước %s: %v", old.ix.Generation(), err)
		}
	}
	return nil
}

// setErr records a problem, logging it when it differs from the last one.
func (l *Live) setErr(err error) {
	l.mu.Lock()
	prev := l.err
	l.err = err
	serving := l.cur != nil
	l.mu.Unlock()
	if err != nil && (prev == nil || prev.Error() != err.Error()) {
		if serving {
			l.logf("tìm kiếm: không mở được chỉ mục ở %s, vẫn dùng chỉ mục trước: %v", l.path, err)
		} else {
			l.logf("tìm kiếm: không mở được chỉ mục ở %s, tìm kiếm tạm ngừng: %v", l.path, err)
		}
	}
}

func (l *Live) acquire() (*liveIndex, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cur == nil {
		reason := l.err
		if l.closed {
			reason = errors.New("closed")
		}
		if reason == nil {
			reason = errors.New("no index opened yet")
		}
		return nil, fmt.Errorf("%w: %w", ErrUnavailable, reason)
	}
	l.cur.refs++
	return l.cur, nil
}

// release drops one reference and closes the index when none is left.
func (l *Live) release(li *liveIndex) error {
	l.mu.Lock()
	li.refs--
	last := li.refs == 0
	l.mu.Unlock()
	if last {
		return li.ix.Close()
	}
	return nil
}
