package search

import (
	"container/list"
	"context"
	"encoding/binary"
	"fmt"
	"math"
	"sync"

	index "github.com/blevesearch/bleve_index_api"
)

// Decoded posting lists.
//
// Reading a posting list through bleve costs about 80 ns per posting
// (60 ns from the segment directly): decoding chunked frequencies and
// norms. A query like "dịch vụ công trực tuyến" at 100,000 articles
// walks 400,000 postings, so decoding alone would cost 30 ms per query.
// But citizens' queries are made of a few thousand syllables, and the
// common ones (the long lists) come back all the time. A read-only index
// never changes, so a list decoded once, into the table rows of its
// articles and the part of each one's score that does not depend on the
// query, stays right for the index's lifetime: postingCache keeps the
// most recently used ones within a memory budget, and walking a decoded
// list costs about 1 ns per posting.

// postingCacheBytes is the default memory budget of an Index's decoded
// posting lists: about 6 bytes per posting (see postingList), so about 11
// million postings, the 120 longest lists of a 100,000-article index.
const postingCacheBytes = 64 << 20

// postingList is one term's postings in one field, decoded.
//
// Each posting's tn is bleve's tf-idf term score before idf and the query
// weight: √(term frequency) × field-length norm, computed exactly as
// bleve's TermQueryScorer computes it (see termScorer). A list has far
// fewer distinct tn values than postings (a few term frequencies times the
// norms of the few hundred article lengths), so they are kept once, in
// vals, and each posting has a 2-byte code: 6 bytes a posting instead of
// 12 (at 100,000 articles), which keeps twice as many lists in the cache's
// budget. A list with
// more than 65,536 distinct values, or more than one for every 1.33
// postings (where codes would take more room), keeps them per posting, in tn.
type postingList struct {
	rows []int32 // doc table rows of the articles holding the term, ascending
	code []uint16
	vals []float64
	tn   []float64 // nil unless the values did not fit in codes
	// maxTn is the highest tn of the list; bits, the bitmap of rows,
	// when the list holds at least one row in denseListDivisor (see
	// collectSets).
	maxTn float64
	bits  bitset
	// blockMax, kept with bits, is the highest tn of each 64 rows
	// (bits' words): a tighter bound of a block's matches.
	blockMax []float64
	// weight is, for a compound's list (see compoundPostings), its
	// searcher's share of bleve's query norm.
	weight float64
}

// tnAt is the decoded term score of the j-th posting.
func (pl *postingList) tnAt(j int) float64 {
	if pl.tn != nil {
		return pl.tn[j]
	}
	return pl.vals[pl.code[j]]
}

func (pl *postingList) bytes() int64 {
	return int64(len(pl.rows))*4 + int64(len(pl.code))*2 + int64(len(pl.vals)+len(pl.tn)+len(pl.bits)+len(pl.blockMax))*8 + 64
}

// tnCoder builds a postingList's codes.
type tnCoder struct {
	pl   *postingList
	code map[uint64]uint16 // math.Float64bits(value) → code
}

func (c *tnCoder) add(tn float64) {
	pl := c.pl
	pl.maxTn = max(pl.maxTn, tn)
	if pl.tn != nil {
		pl.tn = append(pl.tn, tn)
		return
	}
	key := math.Float64bits(tn)
	k, ok := c.code[key]
	if !ok {
		if len(pl.vals) == 1<<16 {
			// Too many distinct values: every posting keeps its own.
			pl.tn = make([]float64, len(pl.code), cap(pl.code))
			for j, k := range pl.code {
				pl.tn[j] = pl.vals[k]
			}
			pl.code, pl.vals, c.code = nil, nil, nil
			pl.tn = append(pl.tn, tn)
			return
		}
		k = uint16(len(pl.vals))
		c.code[key] = k
		pl.vals = append(pl.vals, tn)
	}
	pl.code = append(pl.code, k)
}

// done ends the list: when its codes and values take more room than one
// value a posting (a short list whose articles have different lengths),
// every posting keeps its own.
func (c *tnCoder) done() {
	pl := c.pl
	if pl.tn != nil || 2*len(pl.code)+8*len(pl.vals) <= 8*len(pl.code) {
		return
	}
	pl.tn = make([]float64, len(pl.code))
	for j, k := range pl.code {
		pl.tn[j] = pl.vals[k]
	}
	pl.code, pl.vals, c.code = nil, nil, nil
}

type postingKey struct{ field, term string }

// postingCache is a byte-bounded LRU cache of decoded posting lists. It
// is safe for concurrent use; concurrent misses of one list decode it once.
type postingCache struct {
	max int64

	mu    sync.Mutex
	size  int64
	items map[postingKey]*list.Element // of *cacheEntry
	lru   list.List                    // front: most recently used
}

type cacheEntry struct {
	key  postingKey
	done chan struct{} // closed when pl and err are set
	pl   *postingList
	err  error
	size int64 // counted in postingCache.size (0 until decoded)
}

func newPostingCache(max int64) *postingCache {
	return &postingCache{max: max, items: map[postingKey]*list.Element{}}
}

// get returns the decoded postings of term in field from r, whose
// documents t maps to rows (t.snap must be r).
func (c *postingCache) get(ctx context.Context, r index.IndexReader, t *docTable, field, term string) (*postingList, error) {
	return c.getWith(ctx, postingKey{field, term}, func() (*postingList, error) { return decodePostings(ctx, r, t, field, term) })
}

// getWith returns the list kept under key, made by decode when missing.
func (c *postingCache) getWith(ctx context.Context, key postingKey, decode func() (*postingList, error)) (*postingList, error) {
	c.mu.Lock()
	if el, ok := c.items[key]; ok {
		c.lru.MoveToFront(el)
		e := el.Value.(*cacheEntry)
		c.mu.Unlock()
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			if ctx.Err() == nil {
				// Another search's decode failed or was cancelled:
				// this one decodes for itself.
				return decode()
			}
			return nil, e.err
		}
		return e.pl, nil
	}
	e := &cacheEntry{key: key, done: make(chan struct{})}
	el := c.lru.PushFront(e)
	c.items[key] = el
	c.mu.Unlock()

	e.pl, e.err = decode()
	close(e.done)

	c.mu.Lock()
	defer c.mu.Unlock()
	if e.err != nil || e.pl.bytes() > c.max {
		// An error (a cancelled decode, too) is not kept; nor is a list
		// larger than the whole budget.
		if c.items[key] == el {
			delete(c.items, key)
			c.lru.Remove(el)
		}
		return e.pl, e.err
	}
	e.size = e.pl.bytes()
	c.size += e.size
	for c.size > c.max {
		last := c.lru.Back()
		if last == el {
			break
		}
		old := last.Value.(*cacheEntry)
		delete(c.items, old.key)
		c.lru.Remove(last)
		c.size -= old.size
	}
	return e.pl, nil
}

// decodePostings reads term's postings in field with frequencies and
// norms, and turns their document numbers into table rows.
func decodePostings(ctx context.Context, r index.IndexReader, t *docTable, field, term string) (*postingList, error) {
	tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, false)
	if err != nil {
		return nil, err
	}
	defer tfr.Close()
	n := tfr.Count()
	pl := &postingList{rows: make([]int32, 0, n), code: make([]uint16, 0, n)}
	coder := tnCoder{pl: pl, code: map[uint64]uint16{}}
	var d index.TermFieldDoc
	for i := 0; ; i++ {
		if i%(16*checkEveryDocs) == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		td, err := tfr.Next(&d)
		if err != nil {
			return nil, err
		}
		if td == nil {
			break
		}
		if len(td.ID) != 8 {
			return nil, fmt.Errorf("document %x: unexpected internal ID", []byte(td.ID))
		}
		num := binary.BigEndian.Uint64(td.ID)
		if num >= uint64(len(t.byNum)) || t.byNum[num] < 0 {
			return nil, fmt.Errorf("document %d is not in the index's table", num)
		}
		pl.rows = append(pl.rows, t.byNum[num])
		// bleve: tf = √freq (its SqrtCache holds math.Sqrt values), then
		// tf × norm × idf, evaluated left to right.
		coder.add(math.Sqrt(float64(td.Freq)) * td.Norm)
	}
	coder.done()
	if uint64(len(pl.rows)) != n {
		return nil, fmt.Errorf("term %q in %s: %d postings read, %d counted", term, field, len(pl.rows), n)
	}
	for j := 1; j < len(pl.rows); j++ {
		// Rows follow document numbers (see loadDocTable), which the
		// postings do: collectSets relies on it.
		if pl.rows[j] <= pl.rows[j-1] {
			return nil, fmt.Errorf("term %q in %s: posting rows out of order (%d after %d)", term, field, pl.rows[j], pl.rows[j-1])
		}
	}
	pl.setBits(len(t.url))
	return pl, nil
}

// setBits keeps the bitmap of pl's rows (of a table of n) when the list
// is dense enough (see denseListDivisor).
func (pl *postingList) setBits(n int) {
	if len(pl.rows)*denseListDivisor >= n {
		pl.bits = newBitset(n)
		pl.blockMax = make([]float64, len(pl.bits))
		for j, row := range pl.rows {
			pl.bits.set(row)
			pl.blockMax[row>>6] = max(pl.blockMax[row>>6], pl.tnAt(j))
		}
	}
}
