package search

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"
)

// TestPlanMerges: merges take the oldest segments first, at most max at a time, and
// the result of each merge joins the end of the queue.
func TestPlanMerges(t *testing.T) {
	for _, c := range []struct {
		n, max int
		want   [][]int
	}{
		{1, 3, nil},
		{2, 3, [][]int{{0, 1}}},
		{3, 3, [][]int{{0, 1, 2}}},
		{7, 3, [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}}},
		{8, 3, [][]int{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 10}}},
	} {
		if got := planMerges(c.n, c.max); !reflect.DeepEqual(got, c.want) {
			t.Errorf("planMerges(%d, %d) = %v, want %v", c.n, c.max, got, c.want)
		}
	}
}

// TestSegmentWriterIsReproducible: many small segments, written and merged in several
// rounds by one worker and then by three (with GOMAXPROCS 1, then 2), give the same
// final segment, byte for byte, which holds every document.
func TestSegmentWriterIsReproducible(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := prepareDocs(shortDocs(100, 3))
	if err != nil {
		t.Fatal(err)
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	var segs [][]byte
	for _, workers := range []int{1, 3} {
		runtime.GOMAXPROCS(min(workers, 2))
		scratch := t.TempDir()
		w := newSegmentWriter(scratch, workers)
		w.batchMax, w.mergeMax = 7, 3 // 15 segments, merged in 7 merges
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
	if !bytes.Equal(segs[0], segs[1]) {
		t.Errorf("one worker and three wrote different segments (%d and %d bytes)", len(segs[0]), len(segs[1]))
	}
}
