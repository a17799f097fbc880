package search

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// withReader calls f with the snapshot ix's table was read from.
func withReader(t *testing.T, ix *Index, f func(r index.IndexReader)) {
	t.Helper()
	adv, err := ix.idx.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if ix.table.snap != r {
		t.Fatal("the reader is not the table's snapshot")
	}
	f(r)
}

// TestPostingCache: a decoded list is kept and shared, concurrent misses
// decode it once, the budget evicts the least recently used lists, and
// neither a failed decode nor a list over the budget is kept.
func TestPostingCache(t *testing.T) {
	ix, _ := buildFixture(t, rankCorpus())
	ctx := context.Background()
	withReader(t, ix, func(r index.IndexReader) {
		c := newPostingCache(1 << 30)
		a, err := c.get(ctx, r, ix.table, fieldAllF, "cac")
		if err != nil || len(a.rows) == 0 || len(a.rows) != len(a.code) || a.tn != nil {
			t.Fatalf("all_f:cac: %v, %v", a, err)
		}
		if b, _ := c.get(ctx, r, ix.table, fieldAllF, "cac"); b != a {
			t.Error("a second get decoded the list again")
		}
		// Concurrent misses share one decode.
		var wg sync.WaitGroup
		got := make([]*postingList, 8)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], _ = c.get(ctx, r, ix.table, fieldAllF, "tinh")
			}()
		}
		wg.Wait()
		for _, pl := range got {
			if pl == nil || pl != got[0] {
				t.Fatal("concurrent gets of one list returned different decodes")
			}
		}

		// A budget of about one list: getting another evicts the first.
		n, err := c.get(ctx, r, ix.table, fieldAllF, "ninh")
		if err != nil {
			t.Fatal(err)
		}
		small := newPostingCache(max(a.bytes(), n.bytes()))
		first, _ := small.get(ctx, r, ix.table, fieldAllF, "cac")
		if again, _ := small.get(ctx, r, ix.table, fieldAllF, "cac"); again != first {
			t.Error("a list within the budget was not kept")
		}
		if _, err := small.get(ctx, r, ix.table, fieldAllF, "ninh"); err != nil {
			t.Fatal(err)
		}
		if again, _ := small.get(ctx, r, ix.table, fieldAllF, "cac"); again == first {
			t.Error("the least recently used list was not evicted")
		}
		if small.size > small.max {
			t.Errorf("cache holds %d bytes, budget %d", small.size, small.max)
		}
		tiny := newPostingCache(16)
		x, _ := tiny.get(ctx, r, ix.table, fieldAllF, "cac")
		if y, _ := tiny.get(ctx, r, ix.table, fieldAllF, "cac"); x == nil || y == x || tiny.size != 0 || len(tiny.items) != 0 {
			t.Error("a list over the whole budget was kept")
		}

		// A cancelled decode is an error and is not kept.
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := c.get(cancelled, r, ix.table, fieldAllF, "an"); !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled get: %v, want context.Canceled", err)
		}
		if pl, err := c.get(ctx, r, ix.table, fieldAllF, "an"); err != nil || len(pl.rows) == 0 {
			t.Errorf("get after a cancelled one: %v, %v", pl, err)
		}
		// A word that is in no article: an empty list, no error.
		if pl, err := c.get(ctx, r, ix.table, fieldAllF, "zzzkhongco"); err != nil || len(pl.rows) != 0 {
			t.Errorf("absent word: %v, %v", pl, err)
		}
	})
}

// TestPostingCodesKeepEveryScore: a decoded list gives back, per posting,
// exactly √freq × norm as bleve reads them, in about 6 bytes a posting;
// a list with more distinct values than codes keeps each one.
func TestPostingCodesKeepEveryScore(t *testing.T) {
	ix, _ := buildFixture(t, rankCorpus())
	ctx := context.Background()
	withReader(t, ix, func(r index.IndexReader) {
		for _, ft := range [][2]string{{fieldAllF, "cac"}, {fieldAllF, "tinh"}, {fieldHeadF, "ninh"}} {
			pl, err := decodePostings(ctx, r, ix.table, ft[0], ft[1])
			if err != nil {
				t.Fatal(err)
			}
			tfr, err := r.TermFieldReader(ctx, []byte(ft[1]), ft[0], true, true, false)
			if err != nil {
				t.Fatal(err)
			}
			var d index.TermFieldDoc
			j := 0
			for {
				td, err := tfr.Next(&d)
				if err != nil {
					t.Fatal(err)
				}
				if td == nil {
					break
				}
				if want := math.Sqrt(float64(td.Freq)) * td.Norm; pl.tnAt(j) != want {
					t.Errorf("%s:%s posting %d: %v, want %v", ft[0], ft[1], j, pl.tnAt(j), want)
				}
				j++
			}
			tfr.Close()
			if j == 0 || j != len(pl.rows) {
				t.Errorf("%s:%s: %d postings decoded, %d read", ft[0], ft[1], len(pl.rows), j)
			}
			if pl.tn != nil || len(pl.vals) >= j && j > 10 {
				t.Errorf("%s:%s: %d values for %d postings, not coded", ft[0], ft[1], len(pl.vals), j)
			}
		}
	})

	// Values nearly all distinct: codes would take more room, so every
	// posting keeps its own; few distinct values stay coded.
	for _, distinct := range []int{1000, 10} {
		pl := &postingList{}
		c := tnCoder{pl: pl, code: map[uint64]uint16{}}
		for i := range 1000 {
			c.add(float64(i%distinct) + 0.25)
		}
		c.done()
		if coded := pl.tn == nil; coded != (distinct == 10) {
			t.Errorf("%d distinct values of 1000: coded %v", distinct, coded)
		}
		for j := range 1000 {
			if want := float64(j%distinct) + 0.25; pl.tnAt(j) != want {
				t.Fatalf("%d distinct, posting %d: %v, want %v", distinct, j, pl.tnAt(j), want)
			}
		}
		if pl.bytes() > 1000*12+64 {
			t.Errorf("%d distinct values: %d bytes, more than 12 a posting", distinct, pl.bytes())
		}
	}

	// More distinct values than 2-byte codes: every posting keeps its own.
	pl := &postingList{}
	c := tnCoder{pl: pl, code: map[uint64]uint16{}}
	const n = 1<<16 + 10
	for i := range n {
		c.add(float64(i%(1<<16+5)) + 0.5)
	}
	if pl.tn == nil || len(pl.tn) != n || pl.code != nil {
		t.Fatalf("overflow: tn %d, code %d", len(pl.tn), len(pl.code))
	}
	for j := range n {
		if want := float64(j%(1<<16+5)) + 0.5; pl.tnAt(j) != want {
			t.Fatalf("overflow posting %d: %v, want %v", j, pl.tnAt(j), want)
		}
	}
}
