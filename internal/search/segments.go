package search

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/util"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v15"
	bolt "go.etcd.io/bbolt"
)

// A full build writes the index's files itself, with bleve's own segment format, so that
// the same documents give the same bytes on every machine (an index is reproducible like
// the pages). bleve's offline builder (scorch.Builder) does not: it keeps a batch in a map
// (documents land in a segment in random order), zap v16 writes its per-field sections
// in map order, and root.bolt records the time it was written. Here:
//
//   - documents go into segments in the order given, builderBatch at a time (the
//     segments are written on every core, each from its own batch);
//   - segments are zap v15 (the last version without sections; bleve reads every version,
//     and incremental updates write v15 too: scorchConfig);
//   - segments are merged builderMergeMax at a time, oldest first, into one, along a plan
//     that depends on their number alone (planMerges; the last raw segments go straight
//     into the last merge);
//   - root.bolt holds the one snapshot bleve's builder would write, with a fixed time.
//
// TestFullBuildIsReproducible builds twice and compares the bytes; TestSegmentsOpenInBleve
// checks bleve reads the result like the builder's.

// segmentType and segmentVersion are the format of every segment Build writes.
const (
	segmentType    = zap.Type
	segmentVersion = zap.Version
)

// snapshotTime is the time written into root.bolt: bleve uses it only to space out the
// old snapshots it keeps, and an index holds one.
var snapshotTime = time.Unix(0, 0).UTC()

// segmentWriter turns documents into segment files in a scratch folder and merges them.
//
// Segments are written on up to workers goroutines at a time, and merges that do not
// depend on each other run side by side too. The output does not depend on the
// scheduling: a segment holds the batch of documents it was given (the batches are cut
// in the order given), and which segments are merged together, in what order, is
// planned from their number alone (see planMerges).
//
// When the number of documents is known beforehand (expect), the plan is made at once
// and each merge starts as soon as the segments it merges are written, while later
// documents are still being analyzed: at 100,000 articles the first rounds of merges
// overlap the analysis instead of all running after it.
type segmentWriter struct {
	scratch  string
	plugin   *zap.ZapPlugin
	batch    []index.Document
	batchMax int // documents per segment (builderBatch)
	mergeMax int // segments per merge (builderMergeMax)
	written  int // segments flushed (being written or written)

	// freqs gets back the analyzed documents' term counts once their segment is
	// written (freqpool.go); the analysis workers feeding the writer take them from it.
	freqs *freqPool

	sem  chan struct{} // one token per segment being written or merged
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error

	// The merge plan, once the number of segments is known (expect, or finish): segments
	// 0..n-1 are the batches, n+j is what merge j writes. ready[i] is set when segment i
	// is on disk, started[j] when merge j has begun; stop ends merges still waiting for a
	// token. Guarded by mu.
	n       int
	plan    [][]int
	ready   []bool
	started []bool
	stop    <-chan struct{}
}

func newSegmentWriter(scratch string, workers int) *segmentWriter {
	return &segmentWriter{
		scratch: scratch, plugin: &zap.ZapPlugin{},
		batchMax: builderBatch, mergeMax: builderMergeMax,
		freqs: &freqPool{},
		sem:   make(chan struct{}, max(workers, 1)),
	}
}

// expect says that docs documents will be indexed (docs > 0), before the first: the
// merges are planned now and each starts when its segments are written. Cancelling
// ctx stops the merges not yet started.
func (w *segmentWriter) expect(ctx context.Context, docs int) {
	if docs <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stop = ctx.Done()
	w.setPlan((docs + w.batchMax - 1) / w.batchMax)
}

// setPlan plans the merges of n segments (mu held).
func (w *segmentWriter) setPlan(n int) {
	w.n, w.plan = n, planMerges(n, w.mergeMax)
	w.ready = make([]bool, n+len(w.plan))
	w.started = make([]bool, len(w.plan))
}

// Index adds an analyzed document (see docAnalyzer.analyze) to the current batch, writing the
// batch as a segment when it is full.
func (w *segmentWriter) Index(d index.Document) error {
	w.batch = append(w.batch, d)
	if len(w.batch) >= w.batchMax {
		return w.flush()
	}
	return w.err()
}

// flush starts writing the current batch as a segment, once fewer than workers
// segments are being written or merged; it returns the first error of a segment
// written or merged before.
func (w *segmentWriter) flush() error {
	if len(w.batch) == 0 {
		return w.err()
	}
	i := w.written
	w.mu.Lock()
	over := w.plan != nil && i >= w.n
	w.mu.Unlock()
	if over {
		return fmt.Errorf("search: more documents than the %d segments planned", w.n)
	}
	batch := w.batch
	w.batch = make([]index.Document, 0, w.batchMax)
	w.written++
	w.sem <- struct{}{}
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		err := w.write(batch, w.pathOf(i))
		<-w.sem
		if err != nil {
			w.fail(err)
			return
		}
		w.done(i)
	}()
	return w.err()
}

// write writes the documents of batch as the segment at p.
func (w *segmentWriter) write(batch []index.Document, p string) error {
	for _, d := range batch {
		d.AddIDField()
		analyzeIndexed(d)
	}
	seg, _, err := w.plugin.New(batch)
	if err != nil {
		return fmt.Errorf("search: writing a segment: %w", err)
	}
	for _, d := range batch { // the segment holds what it needs
		w.freqs.recycle(d)
	}
	clear(batch)
	sb, ok := seg.(*zap.SegmentBase)
	if !ok {
		return fmt.Errorf("search: segment %T cannot be written", seg)
	}
	if err := writeScratch(p, func(w io.Writer) error {
		_, err := sb.WriteTo(w)
		return err
	}); err != nil {
		return fmt.Errorf("search: writing segment %s: %w", p, err)
	}
	return nil
}

// writeScratch writes a scratch segment file at p with write, without syncing it: a
// batch's segment and an intermediate merge's are read back by the next merge and
// removed, most of them within seconds, so they need not reach the disk (zap's Persist
// and Merge sync every file: 410 fsyncs at 100,000 articles, each holding a writer's
// token while it waits). Only the last merge, the index's one segment, is synced
// (mergeFile).
func writeScratch(p string, write func(io.Writer) error) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = write(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(p)
	}
	return err
}

// done records that segment i is on disk and starts the merges it completes.
func (w *segmentWriter) done(i int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.plan == nil { // planned, and marked ready, by finish
		return
	}
	w.ready[i] = true
	w.startReady()
}

// startReady starts every merge not started whose segments are all on disk (mu held).
func (w *segmentWriter) startReady() {
	for j, m := range w.plan {
		if w.started[j] || !allReady(w.ready, m) {
			continue
		}
		w.started[j] = true
		in := make([]string, len(m))
		for k, i := range m {
			in[k] = w.pathOf(i)
		}
		out := w.n + j
		stop := w.stop
		w.wg.Add(1) // by a goroutine counted in wg, or by finish before it waits
		go func() {
			defer w.wg.Done()
			select {
			case w.sem <- struct{}{}:
			case <-stop:
				w.fail(errCancelled)
				return
			}
			var err error
			if w.err() == nil {
				err = w.merge(stop, in, w.pathOf(out), j == len(w.plan)-1)
			}
			<-w.sem
			if err != nil {
				w.fail(err)
				return
			}
			w.done(out)
		}()
	}
}

func allReady(ready []bool, segs []int) bool {
	for _, i := range segs {
		if !ready[i] {
			return false
		}
	}
	return true
}

// errCancelled is the error of a merge that did not start because the build was
// cancelled.
var errCancelled = errors.New("search: index build cancelled")

func (w *segmentWriter) fail(err error) {
	if err != nil {
		w.mu.Lock()
		w.errs = append(w.errs, err)
		w.mu.Unlock()
	}
}

// err is the first error of the segments written or merged so far.
func (w *segmentWriter) err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.errs) > 0 {
		return w.errs[0]
	}
	return nil
}

// pathOf is the file of segment i: a batch's (i < n) or a merge's.
func (w *segmentWriter) pathOf(i int) string {
	return filepath.Join(w.scratch, fmt.Sprintf("%012x.zap", i))
}

// analyzeIndexed is what scorch does to a document before it goes into a segment: each
// indexed field is analyzed (the fields docAnalyzer.analyze prepared already are; _id is not yet)
// and composed into the composite fields.
func analyzeIndexed(d index.Document) {
	d.VisitFields(func(f index.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if d.HasComposite() && f.Name() != "_id" {
			d.VisitComposite(func(cf index.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}

// finish writes the last batch and waits for every segment to be merged into one,
// along planMerges' plan, merges that do not depend on each
// other side by side; it returns the last segment's path. Without expect, the merges
// are planned, and start, now.
func (w *segmentWriter) finish(ctx context.Context) (string, error) {
	if err := w.flush(); err != nil {
		w.wg.Wait()
		return "", err
	}
	w.mu.Lock()
	planned := w.plan != nil
	w.mu.Unlock()
	if !planned {
		w.wg.Wait() // every segment written
		if err := w.err(); err != nil {
			return "", err
		}
		if w.written == 0 { // no documents: an empty segment
			seg, _, err := w.plugin.New(nil)
			if err != nil {
				return "", fmt.Errorf("search: writing an empty segment: %w", err)
			}
			p := w.pathOf(0)
			if err := seg.(segment.UnpersistedSegment).Persist(p); err != nil {
				return "", fmt.Errorf("search: writing segment %s: %w", p, err)
			}
			w.written = 1
		}
		w.mu.Lock()
		w.stop = ctx.Done()
		w.setPlan(w.written)
		for i := 0; i < w.n; i++ {
			w.ready[i] = true
		}
		w.startReady()
		w.mu.Unlock()
	}
	w.wg.Wait()
	if err := w.err(); err != nil {
		if errors.Is(err, errCancelled) && ctx.Err() != nil {
			return "", fmt.Errorf("search: index build cancelled: %w", ctx.Err())
		}
		return "", err
	}
	if w.written != w.n {
		return "", fmt.Errorf("search: %d segments written, %d planned", w.written, w.n)
	}
	last := w.n + len(w.plan) - 1
	if !w.ready[last] {
		return "", fmt.Errorf("search: the merges did not finish")
	}
	return w.pathOf(last), nil
}

// planMerges plans the merges of n segments into one, at most max at a time, oldest
// first: segments are numbered 0..n-1 and merge i writes segment n+i; each merge lists
// the segments it merges. The plan depends on n alone, so the output does not depend on
// which merge finishes first.
//
// The segments are merged max at a time in the order they are written, except the last
// ones: a merge of the segments written last could only start once the analysis is
// over, and then it and the last merge would run one after the other on one core. So
// the last raw segments (from 1 to max, or up to max+max/2-1 when the last group would
// be short) go straight into the last merge, beside the merges of the others; each of
// their documents is written once less. The merges' results are merged max at a time
// too, oldest first, while there are more than max of them (more than max·max segments).
// The last merge takes the merges' results first, then the raw segments, so documents
// keep the order they were given in (while there are at most max·max segments).
func planMerges(n, max int) [][]int {
	if n <= 1 {
		return nil
	}
	g := (n - 1) / max // merges of max raw segments; the rest go into the last merge
	if g > 0 && n-g*max < max/2 {
		g--
	}
	var out [][]int
	queue := make([]int, 0, g)
	for i := 0; i < g; i++ {
		m := make([]int, max)
		for k := range m {
			m[k] = i*max + k
		}
		out = append(out, m)
		queue = append(queue, n+i)
	}
	for len(queue) > max {
		out = append(out, queue[:max:max])
		queue = append(queue[max:], n+len(out)-1)
	}
	last := queue[:len(queue):len(queue)]
	for i := g * max; i < n; i++ {
		last = append(last, i)
	}
	return append(out, last)
}

// merge merges the segments at paths into a new one at out, and removes them; the last
// merge (last) syncs its file, which becomes the index's segment. Once stop is closed
// the merge gives up between terms with errCancelled (at 100,000 articles the last merge
// alone takes tens of seconds: a build told to stop does not wait for it).
func (w *segmentWriter) merge(stop <-chan struct{}, paths []string, out string, last bool) error {
	segs := make([]*zap.Segment, 0, len(paths))
	defer func() {
		for _, s := range segs {
			_ = s.Close()
		}
	}()
	for _, p := range paths {
		s, err := w.plugin.Open(p)
		if err != nil {
			return fmt.Errorf("search: opening segment %s: %w", p, err)
		}
		zs, ok := s.(*zap.Segment)
		if !ok {
			_ = s.Close()
			return fmt.Errorf("search: segment %s is a %T", p, s)
		}
		segs = append(segs, zs)
	}
	closeCh := make(chan struct{}) // zap wants a chan struct{}, not a receive-only one
	merged := make(chan struct{})
	go func() {
		select {
		case <-stop:
			close(closeCh)
		case <-merged:
		}
	}()
	err := mergeFile(segs, out, closeCh, last)
	close(merged)
	if err != nil {
		select {
		case <-stop:
			return errCancelled
		default:
		}
		return fmt.Errorf("search: merging segments: %w", err)
	}
	for _, s := range segs {
		_ = s.Close()
	}
	segs = nil
	for _, p := range paths {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("search: removing a merged segment: %w", err)
		}
	}
	return nil
}

// mergeFile writes the merge of segs at out: the bytes zap's Merge writes (its
// MergeToWriter, then the footer its persistFooter writes: the document count, the
// stored fields', fields' and doc values' offsets, the chunk mode, the version, and the
// CRC-32 of everything before it), synced only when sync is set (see writeScratch).
// closeCh closed stops the merge between terms.
func mergeFile(segs []*zap.Segment, out string, closeCh chan struct{}, sync bool) error {
	bases := make([]*zap.SegmentBase, len(segs))
	for i, s := range segs {
		bases[i] = &s.SegmentBase
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	err = func() error {
		bw := bufio.NewWriterSize(f, zap.DefaultFileMergerBufferSize)
		cw := zap.NewCountHashWriter(bw)
		chunkMode := zap.DefaultChunkMode
		_, docs, stored, fields, docValues, _, _, _, err := zap.MergeToWriter(bases, make([]*roaring.Bitmap, len(bases)), chunkMode, cw, closeCh)
		if err != nil {
			return err
		}
		for _, v := range []any{docs, stored, fields, docValues, chunkMode, uint32(segmentVersion)} {
			if err := binary.Write(cw, binary.BigEndian, v); err != nil {
				return err
			}
		}
		if err := binary.Write(bw, binary.BigEndian, cw.Sum32()); err != nil {
			return err
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		if sync {
			return f.Sync()
		}
		return nil
	}()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(out)
	}
	return err
}

// finalSegment is the name bleve's builder gives the one segment of an index.
const finalSegment = "000000000002.zap"

// writeStore moves the segment at seg into dir/store and writes root.bolt beside it: the
// snapshot bleve's builder writes (epoch 3, segment 0 at finalSegment, the mapping as
// internal data), with snapshotTime.
func writeStore(dir, seg string, mappingJSON []byte) error {
	store := filepath.Join(dir, "store")
	if err := os.Mkdir(store, 0o700); err != nil {
		return fmt.Errorf("search: creating index folder: %w", err)
	}
	if err := os.Rename(seg, filepath.Join(store, finalSegment)); err != nil {
		return fmt.Errorf("search: moving the segment into place: %w", err)
	}
	db, err := bolt.Open(filepath.Join(store, "root.bolt"), 0o600, nil)
	if err != nil {
		return fmt.Errorf("search: writing root.bolt: %w", err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		snapshots, err := tx.CreateBucket(util.BoltSnapshotsBucket)
		if err != nil {
			return err
		}
		snap, err := snapshots.CreateBucket(uvarintAscending(3))
		if err != nil {
			return err
		}
		meta, err := snap.CreateBucket(util.BoltMetaDataKey)
		if err != nil {
			return err
		}
		if err := meta.Put(util.BoltMetaDataSegmentTypeKey, []byte(segmentType)); err != nil {
			return err
		}
		version := make([]byte, binary.MaxVarintLen32) // as bleve writes it: 4 bytes, then a zero
		binary.BigEndian.PutUint32(version, segmentVersion)
		if err := meta.Put(util.BoltMetaDataSegmentVersionKey, version); err != nil {
			return err
		}
		ts, err := snapshotTime.MarshalText()
		if err != nil {
			return err
		}
		if err := meta.Put(util.BoltMetaDataTimeStamp, ts); err != nil {
			return err
		}
		internal, err := snap.CreateBucket(util.BoltInternalKey)
		if err != nil {
			return err
		}
		if err := internal.Put(util.MappingInternalKey, mappingJSON); err != nil {
			return err
		}
		sb, err := snap.CreateBucket(uvarintAscending(0))
		if err != nil {
			return err
		}
		return sb.Put(util.BoltPathKey, []byte(finalSegment))
	})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("search: writing root.bolt: %w", err)
	}
	return nil
}

// uvarintAscending is scorch's key for a small number (epochs, segment ids up to 109):
// one byte, 0x88 + v (scorch/int.go, encodeUvarintAscending).
func uvarintAscending(v uint64) []byte {
	if v > 109 {
		panic("search: uvarintAscending is for small numbers only")
	}
	return []byte{0x88 + byte(v)}
}
