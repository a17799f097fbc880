package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/photo"
	"github.com/vnportal/portal/internal/publish"
)

// ImageEncoding decides when a build encodes the photo variants its cache does not
// have. There are two:
//
//   - EncodeFirst (portal build, portal serve --watch; a nil Options.Images): every
//     variant is encoded and written before the pages are, so a published page never
//     names a missing file.
//   - *PhotoQueue (portal preview): the pages are published at once, naming variants a
//     background worker then encodes and writes; a request for one still queued waits
//     for it (PhotoQueue.Wait).
type ImageEncoding interface {
	publish(ctx context.Context, s *imageSet, srcs []*imageSource, store variantStore, w publish.Sink, ds *diag.List) (imageCounts, map[string]bool, error)
}

// EncodeFirst encodes every missing variant before the pages are published.
type EncodeFirst struct{}

func (EncodeFirst) publish(ctx context.Context, s *imageSet, srcs []*imageSource, store variantStore, w publish.Sink, ds *diag.List) (imageCounts, map[string]bool, error) {
	return s.publishImages(ctx, srcs, store, w, ds)
}

func (o Options) images() ImageEncoding {
	if o.Images == nil {
		return EncodeFirst{}
	}
	return o.Images
}

// Putter writes a file into an output folder outside the order of a build
// (publish.Folder.Put): atomically, so a reader never sees half of it.
type Putter interface {
	Put(publish.File) error
}

// PhotoQueue encodes, in the background, the photo variants the preview's builds
// published pages for before they existed (issue 16: an editor saving an article with
// a new camera photo sees it reload at once). One worker, owned by whoever made the
// queue, takes one source image at a time (decoded once, the variants encoded on every
// core, WebP narrowest first, then the fallbacks) and writes each variant into the
// variant store and the output as soon as it is encoded. Jobs are deduplicated by
// variant name; the newest build's jobs go first, and a job whose variant a browser is
// waiting for (Wait) goes before them. The queue stops when the context given to NewPhotoQueue ends, or at Close.
type PhotoQueue struct {
	ctx  context.Context
	stop context.CancelFunc
	out  Putter
	logf func(string, ...any)
	mu   sync.Mutex
	jobs []*photoJob // waiting, first to run first
	// ready has a channel for each variant queued or being encoded, closed once it is
	// written (or its job ended without it); the name leaves the map then.
	ready   map[string]chan struct{}
	wake    chan struct{}
	done    chan struct{}
	encoded atomic.Int64
	waiting atomic.Int64
}

// photoJob is the missing variants of one source image.
type photoJob struct {
	rel      string // site path
	file     string // the source file
	hash     string
	settings photo.Settings
	specs    []photo.Spec // in the order they are encoded
	names    []string     // specs' variant names
	store    variantStore
}

// NewPhotoQueue starts a queue whose worker writes into out until ctx ends. logf gets
// the problems found only while encoding (a photo whose header was fine but whose pixels
// are not): the build that queued it has already published.
func NewPhotoQueue(ctx context.Context, out Putter, logf func(string, ...any)) *PhotoQueue {
	ctx, stop := context.WithCancel(ctx)
	q := &PhotoQueue{ctx: ctx, stop: stop, out: out, logf: logf, ready: map[string]chan struct{}{},
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	go q.work()
	return q
}

// Close stops the worker and waits for it: the variant being encoded is given up, none
// is left half-written (the Putter writes whole files), and the requests waiting for a
// variant go on.
func (q *PhotoQueue) Close() {
	q.stop()
	<-q.done
}

// Pending returns the number of variants queued or being encoded.
func (q *PhotoQueue) Pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.ready)
}

// Encoded returns the number of variants the queue has written so far.
func (q *PhotoQueue) Encoded() int64 { return q.encoded.Load() }

// Waiting returns the number of Wait calls waiting for a variant now.
func (q *PhotoQueue) Waiting() int64 { return q.waiting.Load() }

// Queued reports whether the variant name (the file name under ImagesDir) is queued or
// being encoded.
func (q *PhotoQueue) Queued(name string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	_, ok := q.ready[name]
	return ok
}

// Wait waits until the variant name (the file name under ImagesDir) is written, when it
// is queued, moving its job to the front; it returns at once for any other name, and
// early when ctx ends or the queue stops.
func (q *PhotoQueue) Wait(ctx context.Context, name string) {
	q.mu.Lock()
	ch, ok := q.ready[name]
	if ok {
		if i := slices.IndexFunc(q.jobs, func(j *photoJob) bool { return slices.Contains(j.names, name) }); i > 0 {
			j := q.jobs[i]
			q.jobs = slices.Insert(slices.Delete(q.jobs, i, i+1), 0, j)
		}
	}
	q.mu.Unlock()
	if !ok {
		return
	}
	q.waiting.Add(1)
	defer q.waiting.Add(-1)
	select {
	case <-ch:
	case <-ctx.Done():
	case <-q.done:
	}
}

// Idle waits until nothing is queued, or ctx ends.
func (q *PhotoQueue) Idle(ctx context.Context) error {
	for {
		q.mu.Lock()
		var ch chan struct{}
		for _, c := range q.ready {
			ch = c
			break
		}
		q.mu.Unlock()
		if ch == nil {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		case <-q.done:
			return q.ctx.Err()
		}
	}
}

// publish adds the variants store has to w and queues the others; the pages are then
// published at once. The counts: images processed are those with a queued variant.
func (q *PhotoQueue) publish(ctx context.Context, s *imageSet, srcs []*imageSource, store variantStore, w publish.Sink, _ *diag.List) (imageCounts, map[string]bool, error) {
	var c imageCounts
	used := map[string]bool{}
	var jobs []*photoJob
	for _, src := range srcs {
		if err := ctx.Err(); err != nil {
			return c, nil, err
		}
		missing := false
		for _, n := range src.names {
			used[n] = true
			f, ok := store.file(n, ImagesDir+"/"+n)
			if !ok {
				missing = true
				continue
			}
			if err := w.Add(f); err != nil {
				return c, nil, err
			}
		}
		if !missing {
			c.reused++
			continue
		}
		// The whole plan, as EncodeFirst makes it: a variant's pixels depend on the
		// widths resized before it, and its name promises the same bytes every time.
		c.processed++
		jobs = append(jobs, &photoJob{rel: src.rel, file: filepath.Join(s.siteDir, filepath.FromSlash(src.rel)), hash: src.hash,
			settings: s.settings, specs: src.plan, names: src.names, store: store})
	}
	q.enqueue(jobs)
	return c, used, nil
}

// enqueue puts the jobs first, WebP narrowest first in each, without those already
// queued (one of their variants is) or written since the build looked (all are).
func (q *PhotoQueue) enqueue(jobs []*photoJob) {
	q.mu.Lock()
	defer q.mu.Unlock()
	var fresh []*photoJob
	for _, j := range jobs {
		queued, stored := false, 0
		for _, n := range j.names {
			if _, ok := q.ready[n]; ok {
				queued = true
			}
			if _, ok := j.store.file(n, ""); ok {
				stored++
			}
		}
		if queued || stored == len(j.names) {
			continue
		}
		order := make([]int, len(j.names))
		for i := range order {
			order[i] = i
		}
		// The WebP variants narrowest first, then the fallbacks narrowest first: what
		// a phone picks (every browser in use reads WebP) is ready first.
		slices.SortStableFunc(order, func(a, b int) int {
			if wa, wb := j.specs[a].Format == photo.WebP, j.specs[b].Format == photo.WebP; wa != wb {
				if wa {
					return -1
				}
				return 1
			}
			return j.specs[a].Width - j.specs[b].Width
		})
		specs, names := make([]photo.Spec, len(order)), make([]string, len(order))
		for k, i := range order {
			specs[k], names[k] = j.specs[i], j.names[i]
			q.ready[names[k]] = make(chan struct{})
		}
		j.specs, j.names = specs, names
		fresh = append(fresh, j)
	}
	if len(fresh) == 0 {
		return
	}
	q.jobs = append(fresh, q.jobs...) // the newest save first
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *PhotoQueue) work() {
	defer close(q.done)
	defer q.release(nil) // the waiting requests go on (to a 404) when the queue stops
	for {
		q.mu.Lock()
		var j *photoJob
		if len(q.jobs) > 0 {
			j = q.jobs[0]
			q.jobs = q.jobs[1:]
		}
		q.mu.Unlock()
		if j == nil {
			select {
			case <-q.wake:
				continue
			case <-q.ctx.Done():
				return
			}
		}
		q.run(j)
		if q.ctx.Err() != nil {
			return
		}
	}
}

// run encodes job j's variants, writing each as soon as it is encoded.
func (q *PhotoQueue) run(j *photoJob) {
	defer q.release(j.names) // those not written: the job failed or was stopped
	data, err := os.ReadFile(j.file)
	if err == nil && photo.Hash(data) != j.hash {
		return // replaced since the build read it: the build it started queues the new one
	}
	if err != nil {
		q.logf("lỗi: %s: không đọc được tệp ảnh: %v", j.rel, err)
		return
	}
	err = photo.ProcessEach(q.ctx, j.rel, data, j.settings, j.specs, func(i int, v photo.Variant) error {
		f, err := j.store.put(j.names[i], ImagesDir+"/"+j.names[i], v.Data)
		if err != nil {
			return err
		}
		if err := q.out.Put(f); err != nil {
			return err
		}
		q.encoded.Add(1)
		q.release(j.names[i : i+1])
		return nil
	})
	if err != nil && q.ctx.Err() == nil {
		if _, ok := err.(*photo.Error); ok {
			q.logf("lỗi: %v", err) // names the file
		} else {
			q.logf("lỗi: %s: %v", j.rel, err)
		}
	}
}

// release wakes the requests waiting for the variants names (nil: all).
func (q *PhotoQueue) release(names []string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if names == nil {
		for n, ch := range q.ready {
			close(ch)
			delete(q.ready, n)
		}
		return
	}
	for _, n := range names {
		if ch, ok := q.ready[n]; ok {
			close(ch)
			delete(q.ready, n)
		}
	}
}
