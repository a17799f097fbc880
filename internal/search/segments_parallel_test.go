package search

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v15"
)

// TestPlanMerges: raw segments are merged max at a time in the order written, except
// the last ones, which go straight into the last merge after the merges' results; more
// than max results are merged max at a time first.
func TestPlanMerges(t *testing.T) {
	for _, c := range []struct {
		n, max int
		want   [][]int
	}{
		{1, 3, nil},
		{2, 3, [][]int{{0, 1}}},
		{3, 3, [][]int{{0, 1, 2}}},
		{4, 3, [][]int{{0, 1, 2}, {4, 3}}},
		{7, 3, [][]int{{0, 1, 2}, {3, 4, 5}, {7, 8, 6}}},
		{8, 3, [][]int{{0, 1, 2}, {3, 4, 5}, {8, 9, 6, 7}}},
		{9, 4, [][]int{{0, 1, 2, 3}, {9, 4, 5, 6, 7, 8}}}, // a last group of 1 < 4/2 joins the one before
		{15, 3, [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10, 11}, {15, 16, 17}, {18, 19, 12, 13, 14}}},
	} {
		if got := planMerges(c.n, c.max); !reflect.DeepEqual(got, c.want) {
			t.Errorf("planMerges(%d, %d) = %v, want %v", c.n, c.max, got, c.want)
		}
	}
}

// TestPlanMergesWritesEachDocumentTwice: at 100,000 articles (400 segments of 250, 40
// per merge), nine merges of 40 run while documents are analyzed and the last merge
// takes their nine results and the last 40 raw segments: each document is written
// into a merge at most twice, 190,000 merge writes in all (a tenth merge of 40 after
// the analysis, then a merge of ten, wrote 200,000), and no merge but the last waits
// for the last segment. Every segment is merged exactly once, whatever n.
func TestPlanMergesWritesEachDocumentTwice(t *testing.T) {
	const batch = 250
	for n := 1; n <= 2000; n++ {
		plan := planMerges(n, builderMergeMax)
		docs := make([]int, n+len(plan)) // documents in each segment
		for i := 0; i < n; i++ {
			docs[i] = batch
		}
		used := make([]int, n+len(plan))
		written, waits := 0, 0
		for j, m := range plan {
			if len(m) > builderMergeMax+builderMergeMax/2+builderMergeMax {
				t.Fatalf("n %d: merge %d takes %d segments", n, j, len(m))
			}
			for _, i := range m {
				if i >= n+j {
					t.Fatalf("n %d: merge %d takes segment %d, not yet written", n, j, i)
				}
				used[i]++
				docs[n+j] += docs[i]
				if i == n-1 && j != len(plan)-1 {
					waits++
				}
			}
			written += docs[n+j]
		}
		for i, u := range used[:len(used)-1] {
			if u != 1 {
				t.Fatalf("n %d: segment %d is merged %d times", n, i, u)
			}
		}
		if n > 1 && docs[len(docs)-1] != n*batch {
			t.Fatalf("n %d: the last merge holds %d documents, want %d", n, docs[len(docs)-1], n*batch)
		}
		if waits != 0 {
			t.Errorf("n %d: a merge before the last takes the last segment", n)
		}
		if n == 400 && written != 190_000 {
			t.Errorf("400 segments: %d documents written by merges, want 190,000", written)
		}
	}
}

// TestSegmentWriterIsReproducible: many small segments, written and merged in several
// rounds by one worker and then by three (with GOMAXPROCS 1, then 2), with the merges
// planned at the end and then from the start (expect: merges run while documents are
// still analyzed), give the same final segment, byte for byte, which holds every
// document.
func TestSegmentWriterIsReproducible(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(shortDocs(100, 3))
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var segs [][]byte
	for _, c := range []struct {
		workers int
		early   bool
	}{{1, false}, {3, false}, {1, true}, {3, true}} {
		workers := c.workers
		runtime.GOMAXPROCS(min(workers, 2))
		scratch := t.TempDir()
		w := newSegmentWriter(scratch, workers)
		w.batchMax, w.mergeMax = 7, 3 // 15 segments, merged in 7 merges
		if c.early {
			w.expect(context.Background(), len(prepared))
		}
		if err := feedBuilder(context.Background(), w, im, prepared); err != nil {
			t.Fatal(err)
		}
		p, err := w.finish(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		segs = append(segs, b)
		left, _ := filepath.Glob(filepath.Join(scratch, "*.zap"))
		if len(left) != 1 {
			t.Errorf("%d workers: %d segment files left, want the merged one: %v", workers, len(left), left)
		}
		s, err := w.plugin.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		if n := s.Count(); n != uint64(len(prepared)) {
			t.Errorf("%d workers: the segment holds %d documents, want %d", workers, n, len(prepared))
		}
		_ = s.Close()
	}
	for i := 1; i < len(segs); i++ {
		if !bytes.Equal(segs[0], segs[i]) {
			t.Errorf("run %d wrote a different segment from run 0's (%d and %d bytes)", i, len(segs[i]), len(segs[0]))
		}
	}
}

// TestMergesStartBeforeTheLastSegment: with the number of documents known (expect), a
// merge starts as soon as its segments are written, before the last document is
// given, and finish gives the same segment as merges planned at the end.
func TestMergesStartBeforeTheLastSegment(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(shortDocs(100, 4))
	if err != nil {
		t.Fatal(err)
	}
	build := func(early bool) []byte {
		w := newSegmentWriter(t.TempDir(), 2)
		w.batchMax, w.mergeMax = 7, 3 // 15 segments; merge 0 takes segments 0-2
		if early {
			w.expect(context.Background(), len(prepared))
		}
		if err := feedBuilder(context.Background(), w, im, prepared[:70]); err != nil { // segments 0-9
			t.Fatal(err)
		}
		if early {
			deadline := time.Now().Add(20 * time.Second)
			for {
				w.mu.Lock()
				merged := w.ready[w.n] // what merge 0 writes
				w.mu.Unlock()
				if merged {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("no merge ran before the last documents were given")
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		if err := feedBuilder(context.Background(), w, im, prepared[70:]); err != nil {
			t.Fatal(err)
		}
		p, err := w.finish(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if a, b := build(false), build(true); !bytes.Equal(a, b) {
		t.Errorf("merges started early wrote a different segment (%d bytes, %d planned at the end)", len(b), len(a))
	}
}

// TestMergeStopsWhenTold: a merge under way gives up once the build is told to stop
// (errCancelled), leaving the segments it was merging in place, instead of finishing a
// merge that at 100,000 articles takes tens of seconds after SIGTERM.
func TestMergeStopsWhenTold(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(shortDocs(40, 4))
	if err != nil {
		t.Fatal(err)
	}
	w := newSegmentWriter(t.TempDir(), 2)
	w.batchMax = 20
	writeTwo := func() { // two more segments of 20 documents on disk
		t.Helper()
		if err := feedBuilder(context.Background(), w, im, prepared); err != nil {
			t.Fatal(err)
		}
		if err := w.flush(); err != nil {
			t.Fatal(err)
		}
		w.wg.Wait()
	}
	writeTwo()
	in := []string{w.pathOf(0), w.pathOf(1)}
	out := filepath.Join(t.TempDir(), "merged.zap")
	if err := w.merge(make(chan struct{}), in, out, false); err != nil {
		t.Fatalf("a merge not told to stop: %v", err)
	}
	writeTwo()
	stop := make(chan struct{})
	close(stop)
	in = []string{w.pathOf(2), w.pathOf(3)}
	if err := w.merge(stop, in, filepath.Join(t.TempDir(), "merged.zap"), true); !errors.Is(err, errCancelled) {
		t.Fatalf("a merge told to stop: %v, want errCancelled", err)
	}
	for _, p := range in {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("segment %s of a stopped merge: %v", p, err)
		}
	}
}

// TestScratchFilesAreZapFiles: a batch's segment written by the segment writer
// (writeScratch, without zap's sync) holds the bytes zap's Persist writes, and a merge
// written by mergeFile, synced or not, the bytes zap's Merge writes for the same
// segments (mergeFile writes the footer itself).
func TestScratchFilesAreZapFiles(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(shortDocs(60, 5))
	if err != nil {
		t.Fatal(err)
	}
	w := newSegmentWriter(t.TempDir(), 2)
	w.batchMax = 20
	if err := feedBuilder(context.Background(), w, im, prepared); err != nil {
		t.Fatal(err)
	}
	if err := w.flush(); err != nil {
		t.Fatal(err)
	}
	w.wg.Wait()
	if err := w.err(); err != nil {
		t.Fatal(err)
	}

	// The first batch again, through zap's Persist.
	a := newDocAnalyzer(im, &freqPool{})
	batch := make([]index.Document, 0, 20)
	for _, d := range prepared[:20] {
		ad, err := a.analyze(d)
		if err != nil {
			t.Fatal(err)
		}
		ad.AddIDField()
		analyzeIndexed(ad)
		batch = append(batch, ad)
	}
	seg, _, err := w.plugin.New(batch)
	if err != nil {
		t.Fatal(err)
	}
	persisted := filepath.Join(t.TempDir(), "persisted.zap")
	if err := seg.(segment.UnpersistedSegment).Persist(persisted); err != nil {
		t.Fatal(err)
	}
	sameFile(t, w.pathOf(0), persisted)

	var segs []segment.Segment
	var zs []*zap.Segment
	for i := 0; i < 3; i++ {
		s, err := w.plugin.Open(w.pathOf(i))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		segs = append(segs, s)
		zs = append(zs, s.(*zap.Segment))
	}
	dir := t.TempDir()
	want := filepath.Join(dir, "zap.zap")
	if _, _, err := w.plugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), want, nil, nil); err != nil {
		t.Fatal(err)
	}
	for _, sync := range []bool{false, true} {
		got := filepath.Join(dir, fmt.Sprintf("merged-%v.zap", sync))
		if err := mergeFile(zs, got, make(chan struct{}), sync); err != nil {
			t.Fatal(err)
		}
		sameFile(t, got, want)
	}
}

func sameFile(t *testing.T, got, want string) {
	t.Helper()
	g, err := os.ReadFile(got)
	if err != nil {
		t.Fatal(err)
	}
	w, err := os.ReadFile(want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g, w) {
		t.Errorf("%s: %d bytes, not the %d bytes of %s", filepath.Base(got), len(g), len(w), filepath.Base(want))
	}
}
