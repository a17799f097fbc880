package search

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnportal/portal/internal/message"
)

// Index is an open, read-only search index. It is safe for concurrent
// Search calls; Close must not be called while searches run (Live takes
// care of that for the server).
type Index struct {
	dir string
	idx bleve.Index
	m   manifest
	// checked are the files verified at Open, so that Live need not read them again when
	// the next generation shares them (carry.go).
	checked checked
	table   *docTable // read at Open; immutable
	// postings are decoded posting lists (see postingCache), scratch
	// collectTerms' per-row arrays (*scratch).
	postings *postingCache
	scratch  sync.Pool
	// bleveOnly makes collect run bleve's searchers for every plan:
	// tests compare the two ways.
	bleveOnly bool
	// postingsPerHit: see the constant; tests change it to choose the
	// highlighting method.
	postingsPerHit int
	// merges are the facet merges per *Thesaurus (see mergesFor).
	merges sync.Map
	// vocab reads the index's vocabulary once, when a query first needs a
	// suggestion (see didyoumean.go), or ahead of it (warmVocabulary).
	vocab func() (*vocabulary, error)
	// vocabAsked says a query of this index needed its vocabulary (a query that found
	// little), so that Live reads the next generation's ahead (warmVocabulary);
	// warming is that reading, which Close waits for.
	vocabAsked atomic.Bool
	warming    sync.WaitGroup
}

// Open opens the index in dir read-only after verifying its manifest and
// the size and checksum of every index file. A missing, half-written,
// truncated or corrupted index gives an error saying so (never an index
// that silently returns no results).
func Open(dir string) (*Index, error) { return openKnown(dir, nil) }

// openKnown is Open, except that the files known to be right (the very files prev, another
// generation, verified: see checked) are not read again, nor the doc table's rows of the
// segments it shares with prev (loadDocTable). prev may be nil, or closed meanwhile: only
// what it keeps in memory is read.
func openKnown(dir string, prev *Index) (*Index, error) {
	var known checked
	var prevTable *docTable
	if prev != nil {
		known, prevTable = prev.checked, prev.table
	}
	m, seen, err := readManifestKnown(dir, known)
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if m.Analysis != analysisVersion {
		return nil, message.Errorf("chỉ mục tìm kiếm ở %s được dựng với cách phân tích phiên bản %d, bản portal này cần %d (hãy dựng lại trang)", dir, m.Analysis, analysisVersion)
	}
	idx, err := openBleve(dir)
	if err != nil {
		return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: %v (hãy dựng lại trang)", dir, err)
	}
	n, err := idx.DocCount()
	if err != nil || n != m.Docs {
		_ = idx.Close()
		if err == nil {
			err = fmt.Errorf("it holds %d documents, its manifest says %d", n, m.Docs)
		}
		return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: %v (hãy dựng lại trang)", dir, err)
	}
	ix := &Index{dir: dir, idx: idx, m: m, checked: seen, postings: newPostingCache(postingCacheBytes), postingsPerHit: postingsPerHit}
	ix.vocab = sync.OnceValues(func() (*vocabulary, error) { return loadVocabulary(ix) })
	if ix.table, err = readTable(ix, prevTable, known); err != nil {
		_ = idx.Close()
		return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: %v (hãy dựng lại trang)", dir, err)
	}
	if uint64(len(ix.table.url)) != m.Docs {
		_ = idx.Close()
		return nil, message.Errorf("chỉ mục tìm kiếm ở %s bị hỏng: có %d bài, danh sách ghi %d (hãy dựng lại trang)", dir, len(ix.table.url), m.Docs)
	}
	return ix, nil
}

// reader opens a reader on the index's current snapshot; the caller closes it.
func (ix *Index) reader() (index.IndexReader, error) {
	adv, err := ix.idx.Advanced()
	if err != nil {
		return nil, err
	}
	return adv.Reader()
}

// readTable reads the index's doc table (see collect.go), with the rows prev (the table of
// the generation whose files are known) has of the segments they share.
func readTable(ix *Index, prev *docTable, known checked) (*docTable, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return loadDocTable(context.Background(), r, ix, prev, known)
}

// openBleve opens a verified index read-only, turning a panic from a
// damaged segment into an error.
func openBleve(dir string) (idx bleve.Index, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("opening failed: %v", r)
		}
	}()
	return bleve.OpenUsing(dir, map[string]interface{}{"read_only": true})
}

// Close closes the index, once the reading of its vocabulary ahead, if any, is done.
func (ix *Index) Close() error {
	ix.warming.Wait()
	return ix.idx.Close()
}

// warmVocabulary reads ix's vocabulary in the background, when its predecessor (the
// generation Live served before) was asked for its own: the first query after the
// switch that finds little then need not read the whole vocabulary of the new
// generation (20–40 ms at 10,000 articles) while its reader waits. Its vocabulary is
// asked for in turn, so the next generation is read ahead too.
func (ix *Index) warmVocabulary(predecessor *Index) {
	if predecessor == nil || !predecessor.vocabAsked.Load() {
		return
	}
	ix.vocabAsked.Store(true)
	ix.warming.Go(func() { _, _ = ix.vocab() })
}

// DocCount returns the number of documents in the index.
func (ix *Index) DocCount() (uint64, error) { return ix.idx.DocCount() }

// Generation returns the digest of the inputs the index was built from: indexes of the
// same documents (with the same format and analysis) share it.
func (ix *Index) Generation() string { return ix.m.Generation }

// Dir returns the folder the index was opened from.
func (ix *Index) Dir() string { return ix.dir }
