package search

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// TestFreqPoolHandsOutEmptySets: a set given back comes out again empty (no term of the
// field it counted before, every TokenFreq zero), with room for the terms asked for.
func TestFreqPoolHandsOutEmptySets(t *testing.T) {
	var p freqPool
	for _, n := range []int{1, 2, 3, 5, 64, 65, 1000} {
		s := p.get(n)
		if len(s.m) != 0 || len(s.tfs) != n || cap(s.tfs) < n {
			t.Fatalf("get(%d): map of %d, TokenFreqs %d/%d", n, len(s.m), len(s.tfs), cap(s.tfs))
		}
		for i := range s.tfs {
			if s.tfs[i].Term != nil || s.tfs[i].Frequency() != 0 || s.tfs[i].Locations != nil {
				t.Fatalf("get(%d): TokenFreq %d is %+v, want zero", n, i, s.tfs[i])
			}
			s.tfs[i].Term = []byte("stale")
			s.tfs[i].SetFrequency(7)
			s.m[string(rune('a'+i%26))+string(rune(i))] = &s.tfs[i]
		}
		p.put(s)
	}
	big := p.get(classTerms(maxFreqClass) + 1)
	if big.class != -1 || len(big.tfs) != classTerms(maxFreqClass)+1 {
		t.Fatalf("a set larger than the largest class: class %d, %d TokenFreqs", big.class, len(big.tfs))
	}
	p.put(big) // not pooled, no panic
}

// TestRecycledCountsEqualBleveAnalysis writes documents through the segment writer in
// batches of 3, so that the counts of the first segments' fields are recycled for later
// documents, and compares the merged segment with the one of bleve's own analysis of the
// same documents: a term or count left over from a recycled set would change its bytes.
func TestRecycledCountsEqualBleveAnalysis(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(append(goldenDocs(), shortDocs(40, 5)...))
	if err != nil {
		t.Fatal(err)
	}
	segment := func(index func(w *segmentWriter)) []byte {
		t.Helper()
		w := newSegmentWriter(t.TempDir(), 1)
		w.batchMax, w.mergeMax = 3, 4
		index(w)
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
	ours := segment(func(w *segmentWriter) {
		if err := feedBuilder(context.Background(), w, im, prepared); err != nil {
			t.Fatal(err)
		}
	})
	theirs := segment(func(w *segmentWriter) {
		for _, d := range prepared {
			doc := document.NewDocument(d.url)
			m, err := d.fields()
			if err != nil {
				t.Fatal(err)
			}
			if err := im.MapDocument(doc, m); err != nil {
				t.Fatal(err)
			}
			if err := w.Index(index.Document(doc)); err != nil { // analyzed by bleve when written
				t.Fatal(err)
			}
		}
	})
	if !bytes.Equal(ours, theirs) {
		t.Fatalf("the segment of recycled counts (%d bytes) differs from bleve's analysis (%d bytes)", len(ours), len(theirs))
	}
}

// TestFreqClassFitsTheTerms: a set of a class holds the terms it is given, and the class
// is the smallest that does (a larger map costs the segment writer more to range over).
func TestFreqClassFitsTheTerms(t *testing.T) {
	for n := 1; n <= 5000; n++ {
		c := freqClass(n)
		if classTerms(c) < n {
			t.Fatalf("%d terms: class %d holds %d", n, c, classTerms(c))
		}
		if c > 1 && classTerms(c-1) >= n {
			t.Fatalf("%d terms: class %d, but class %d holds %d", n, c, c-1, classTerms(c-1))
		}
	}
}
