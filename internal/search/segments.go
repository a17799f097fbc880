package search

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
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
//   - documents go into segments in the order given, builderBatch at a time;
//   - segments are zap v15 (the last version without sections; bleve reads every version,
//     and incremental updates write v15 too: scorchConfig);
//   - segments are merged builderMergeMax at a time, oldest first, into one;
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
type segmentWriter struct {
	scratch string
	plugin  *zap.ZapPlugin
	batch   []index.Document
	paths   []string // the segments written, oldest first
	next    int      // number of the next segment file
}

func newSegmentWriter(scratch string) *segmentWriter {
	return &segmentWriter{scratch: scratch, plugin: &zap.ZapPlugin{}}
}

// Index adds an analyzed document (see analyzeDoc) to the current batch, writing the
// batch as a segment when it is full.
func (w *segmentWriter) Index(d index.Document) error {
	w.batch = append(w.batch, d)
	if len(w.batch) >= builderBatch {
		return w.flush()
	}
	return nil
}

// flush writes the current batch as a segment.
func (w *segmentWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	for _, d := range w.batch {
		d.AddIDField()
		analyzeIndexed(d)
	}
	seg, _, err := w.plugin.New(w.batch)
	if err != nil {
		return fmt.Errorf("search: writing a segment: %w", err)
	}
	for i := range w.batch {
		w.batch[i] = nil
	}
	w.batch = w.batch[:0]
	p := w.path()
	u, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("search: segment %T cannot be written", seg)
	}
	if err := u.Persist(p); err != nil {
		return fmt.Errorf("search: writing segment %s: %w", p, err)
	}
	_ = seg.Close()
	w.paths = append(w.paths, p)
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

// finish writes the last batch and merges every segment into one, builderMergeMax at a
// time, oldest first; it returns the last segment's path.
func (w *segmentWriter) finish(ctx context.Context) (string, error) {
	if err := w.flush(); err != nil {
		return "", err
	}
	if len(w.paths) == 0 { // no documents: an empty segment
		w.batch = w.batch[:0]
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
	for len(w.paths) > 1 {
		if err := ctx.Err(); err != nil {
			return "", fmt.Errorf("search: index build cancelled: %w", err)
		}
		n := min(builderMergeMax, len(w.paths))
		if err := w.merge(w.paths[:n]); err != nil {
			return "", err
		}
		w.paths = w.paths[n:]
	}
	return w.paths[0], nil
}

// merge merges the segments at paths into a new one at the end of w.paths, and removes
// them.
func (w *segmentWriter) merge(paths []string) error {
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
	out := w.path()
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
	w.paths = append(w.paths, out)
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
