package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/util"
	bolt "go.etcd.io/bbolt"
)

// How an incremental update merges. A full build leaves one segment, the base. An edit
// adds a small segment (the changed documents) and marks their old versions deleted in
// the base; merging that small segment into the base would rewrite the whole index (2 s
// at 2,000 documents on a busy machine), so only the small segments are merged, among
// themselves, along scorch's tiered plan: a segment takes part while it holds fewer than
// a tenth of the documents (at least deltaPolicy.minBase: a site of a few dozen articles
// merges everything, which takes milliseconds). Searches skip deleted
// documents and count only live ones, so the answers are a full build's
// (TestUpdateKeepsTheBaseSegment). When the deleted documents kept in the segments
// exceed deltaPolicy.reclaim of the live ones, everything is merged into one segment
// again, once.

// deltaPolicy is the merge policy of incremental updates.
type deltaPolicy struct {
	// minBase: a segment of at least max(minBase, docs/10) documents is not merged by an
	// ordinary update.
	minBase int64
	// reclaim is the share of deleted to live documents over which an update merges every
	// segment into one.
	reclaim float64
}

// defaultDelta is the policy of Build.
func defaultDelta() deltaPolicy { return deltaPolicy{minBase: 64, reclaim: 0.25} }

// plan is scorch's default tiered plan, with only the segments smaller than a base
// segment of an index of docs documents taking part.
func (p deltaPolicy) plan(docs int) mergeplan.MergePlanOptions {
	o := mergeplan.DefaultMergePlanOptions
	o.MaxSegmentSize = 2 * max(int64(docs)/10, p.minBase) // eligible: fewer than half of it
	return o
}

// config is the scorch configuration of an index updated with p: the background merger
// follows the same plan.
func (p deltaPolicy) config(docs int) map[string]interface{} {
	o := p.plan(docs)
	c := scorchConfig()
	c["scorchMergePlanOptions"] = map[string]interface{}{ // JSON: the options hold functions
		"MaxSegmentsPerTier": o.MaxSegmentsPerTier, "MaxSegmentSize": o.MaxSegmentSize,
		"MaxSegmentFileSize": o.MaxSegmentFileSize, "TierGrowth": o.TierGrowth,
		"SegmentsPerMergeTask": o.SegmentsPerMergeTask, "FloorSegmentSize": o.FloorSegmentSize,
		"FloorSegmentFileSize": o.FloorSegmentFileSize, "ReclaimDeletesWeight": o.ReclaimDeletesWeight,
	}
	return c
}

// merge merges idx, an index of docs documents just updated, along p.
func (p deltaPolicy) merge(ctx context.Context, idx bleve.Index, docs int) error {
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("search: index internals: %w", err)
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	live, deleted, err := liveAndDeleted(s)
	if err != nil {
		return fmt.Errorf("search: index internals: %w", err)
	}
	opts := p.plan(docs)
	if float64(deleted) > p.reclaim*float64(live) {
		opts = mergeplan.SingleSegmentMergePlanOptions
	}
	if err := s.ForceMerge(ctx, &opts); err != nil {
		return fmt.Errorf("search: merging index segments: %w", err)
	}
	// ForceMerge returns once the merged segments are in use, not once root.bolt records
	// them: an internal operation (deleting a key no one sets) introduces a snapshot and
	// waits until it is persisted, merges included.
	if err := idx.DeleteInternal([]byte("portal-merged")); err != nil {
		return fmt.Errorf("search: recording merged segments: %w", err)
	}
	return nil
}

// liveAndDeleted counts the live documents of s and the deleted ones its segments still
// hold.
func liveAndDeleted(s *scorch.Scorch) (live, deleted int64, err error) {
	r, err := s.Reader()
	if err != nil {
		return 0, 0, err
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return 0, 0, fmt.Errorf("unexpected reader %T", r)
	}
	for _, seg := range snap.Segments() {
		live += seg.LiveSize()
		deleted += seg.FullSize() - seg.LiveSize()
	}
	return live, deleted, nil
}

// canonicalStore rewrites the closed index's root.bolt at dir as a new file that holds its
// latest snapshot only (the one scorch opens), with snapshotTime for the time scorch
// persisted it: what bleve's live index leaves there depends on when it ran (the time of
// each persist, the snapshots it kept, the pages bolt freed on the way), so two updates of
// the same index by the same documents wrote different root.bolt files (issue 19,
// reproducible output). The copy is made in one transaction, keys in bolt's order, as
// writeStore writes a full build's. It returns the segment files that snapshot uses.
func canonicalStore(dir string) (used map[string]bool, err error) {
	path := filepath.Join(dir, "store", "root.bolt")
	src, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("search: reading root.bolt: %w", err)
	}
	tmp := path + ".tmp"
	dst, err := bolt.Open(tmp, 0o600, nil)
	if err != nil {
		src.Close()
		return nil, fmt.Errorf("search: writing root.bolt: %w", err)
	}
	used = map[string]bool{}
	err = src.View(func(stx *bolt.Tx) error {
		snapshots := stx.Bucket(util.BoltSnapshotsBucket)
		if snapshots == nil {
			return errors.New("no snapshots")
		}
		epoch, _ := snapshots.Cursor().Last()
		snap := snapshots.Bucket(epoch)
		if snap == nil {
			return errors.New("no snapshot")
		}
		err := snap.ForEachBucket(func(name []byte) error {
			if p := snap.Bucket(name).Get(util.BoltPathKey); p != nil {
				used[string(p)] = true
			}
			return nil
		})
		if err != nil {
			return err
		}
		return dst.Update(func(dtx *bolt.Tx) error {
			out, err := dtx.CreateBucket(util.BoltSnapshotsBucket)
			if err != nil {
				return err
			}
			if out, err = out.CreateBucket(epoch); err != nil {
				return err
			}
			if err := copyBucket(out, snap); err != nil {
				return err
			}
			meta := out.Bucket(util.BoltMetaDataKey)
			if meta == nil {
				return errors.New("snapshot without its metadata")
			}
			ts, err := snapshotTime.MarshalText()
			if err != nil {
				return err
			}
			return meta.Put(util.BoltMetaDataTimeStamp, ts)
		})
	})
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if cerr := src.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("search: writing root.bolt: %w", err)
	}
	if len(used) == 0 {
		return nil, errors.New("search: root.bolt's snapshot lists no segment")
	}
	return used, nil
}

// copyBucket copies every key and nested bucket of src into dst, in bolt's key order.
func copyBucket(dst, src *bolt.Bucket) error {
	return src.ForEach(func(k, v []byte) error {
		if v != nil {
			return dst.Put(k, v)
		}
		inner, err := dst.CreateBucket(k)
		if err != nil {
			return err
		}
		return copyBucket(inner, src.Bucket(k))
	})
}

// pruneSegments removes from the closed index at dir the segment files that root.bolt's
// latest snapshot (the one scorch opens) does not use (used, from canonicalStore): scorch
// removes the segments a merge replaced only some time after, and a new generation must not
// carry them (nor list them in its manifest).
func pruneSegments(dir string, used map[string]bool) error {
	store := filepath.Join(dir, "store")
	entries, err := os.ReadDir(store)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if immutable("store/"+e.Name()) && !used[e.Name()] {
			if err := os.Remove(filepath.Join(store, e.Name())); err != nil {
				return fmt.Errorf("search: removing a merged segment: %w", err)
			}
		}
	}
	return nil
}
