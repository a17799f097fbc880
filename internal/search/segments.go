package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"slices"
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
//     that depends on their number alone (planMerges);
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
type segmentWriter struct {
	scratch  string
	plugin   *zap.ZapPlugin
	batch    []index.Document
	batchMax int      // documents per segment (builderBatch)
	mergeMax int      // segments per merge (builderMergeMax)
	paths    []string // the segments written or being written, oldest first
	next     int      // number of the next segment file

	sem  chan struct{} // one token per segment being written or merged
	wg   sync.WaitGroup
	mu   sync.Mutex
	errs []error
}

func newSegmentWriter(scratch string, workers int) *segmentWriter {
	return &segmentWriter{
		scratch: scratch, plugin: &zap.ZapPlugin{},
		batchMax: builderBatch, mergeMax: builderMergeMax,
		sem: make(chan struct{}, max(workers, 1)),
	}
}

// Index adds an analyzed document (see analyzeDoc) to the current batch, writing the
// batch as a segment when it is full.
func (w *segmentWriter) Index(d index.Document) error {
	w.batch = append(w.batch, d)
	if len(w.batch) >= w.batchMax {
		return w.flush()
	}
	return w.err()
}

// flush starts writing the current batch as a segment, once fewer than workers
// segments are being written; it returns the first error of a segment written before.
func (w *segmentWriter) flush() error {
	if len(w.batch) == 0 {
		return w.err()
	}
	batch, p := w.batch, w.path()
	w.batch = make([]index.Document, 0, w.batchMax)
	w.paths = append(w.paths, p)
	w.sem <- struct{}{}
	w.wg.Add(1)
	go func() {
		defer func() { <-w.sem; w.wg.Done() }()
		w.fail(w.write(batch, p))
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
	clear(batch) // the segment holds what it needs
	u, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("search: segment %T cannot be written", seg)
	}
	if err := u.Persist(p); err != nil {
		return fmt.Errorf("search: writing segment %s: %w", p, err)
	}
	_ = seg.Close()
	return nil
}

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

func (w *segmentWriter) path() string {
	p := filepath.Join(w.scratch, fmt.Sprintf("%012x.zap", w.next))
	w.next++
	return p
}

// analyzeIndexed is what scorch does to a document before it goes into a segment: each
// indexed field is analyzed (the fields analyzeDoc prepared already are; _id is not yet)
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

// finish writes the last batch and merges every segment into one, mergeMax at a time,
// oldest first (see planMerges), merges that do not depend on each other side by
// side; it returns the last segment's path.
func (w *segmentWriter) finish(ctx context.Context) (string, error) {
	err := w.flush()
	w.wg.Wait()
	if err == nil {
		err = w.err()
	}
	if err != nil {
		return "", err
	}
	if len(w.paths) == 0 { // no documents: an empty segment
		seg, _, err := w.plugin.New(nil)
		if err != nil {
			return "", fmt.Errorf("search: writing an empty segment: %w", err)
		}
		p := w.path()
		if err := seg.(segment.UnpersistedSegment).Persist(p); err != nil {
			return "", fmt.Errorf("search: writing segment %s: %w", p, err)
		}
		w.paths = append(w.paths, p)
	}
	n := len(w.paths)
	merges := planMerges(n, w.mergeMax)
	paths := slices.Clip(w.paths)
	done := make([]chan struct{}, len(merges))
	for i := range done {
		done[i] = make(chan struct{})
	}
	for i, m := range merges {
		paths = append(paths, w.path())
		in := make([]string, len(m))
		for k, j := range m {
			in[k] = paths[j]
		}
		out := paths[len(paths)-1]
		w.wg.Add(1)
		go func() {
			defer w.wg.Done()
			defer close(done[i])
			for _, j := range m { // wait for the merges making the inputs
				if j >= n {
					<-done[j-n]
				}
			}
			select {
			case w.sem <- struct{}{}:
			case <-ctx.Done():
			}
			if ctx.Err() != nil {
				w.fail(fmt.Errorf("search: index build cancelled: %w", ctx.Err()))
				return
			}
			defer func() { <-w.sem }()
			if w.err() == nil {
				w.fail(w.merge(in, out))
			}
		}()
	}
	w.wg.Wait()
	if err := w.err(); err != nil {
		return "", err
	}
	return paths[len(paths)-1], nil
}

// planMerges plans the merges of n segments into one, at most max at a time, oldest
// first: segments are numbered 0..n-1 and merge i writes segment n+i, which joins the
// end of the queue; each merge lists the segments it merges. The plan depends on n
// alone, so the output does not depend on which merge finishes first.
func planMerges(n, max int) [][]int {
	queue := make([]int, n)
	for i := range queue {
		queue[i] = i
	}
	var out [][]int
	for len(queue) > 1 {
		k := min(max, len(queue))
		out = append(out, queue[:k:k])
		queue = append(queue[k:], n+len(out)-1)
	}
	return out
}

// merge merges the segments at paths into a new one at out, and removes them.
func (w *segmentWriter) merge(paths []string, out string) error {
	segs := make([]segment.Segment, 0, len(paths))
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
		segs = append(segs, s)
	}
	if _, _, err := w.plugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), out, nil, nil); err != nil {
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
