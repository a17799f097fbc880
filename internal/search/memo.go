package search

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/vnportal/portal/internal/parallel"
)

// A Memo keeps, from one index build to the next in one process (`portal serve
// --watch`, the preview), what a build would otherwise do again for every document and
// every file after an edit of one article:
//
//   - each document as prepared (NFC, checked) with its digest (docDigest), by URL: a
//     document handed in again with the same fields and the same Hash is not prepared or
//     digested again; the generation is then a digest of the documents' digests;
//   - the index it wrote last: its generation, its files with their sums and identities
//     (checked: the very files it wrote, found by device, inode, size and modification
//     time, which the Writer's renames keep) and its hash table. When that index is the
//     previous one of the next build, its files are not read again to verify them, and
//     its hash table is not parsed again. A file changed since (another build, a copy by
//     hand) is not the same file: it is read and checked as before, and an index the memo
//     does not know is verified whole (the first build of a server).
//
// A Memo never changes what is built: the same documents give the same index and
// generation as a build without one (TestMemoBuildsWhatBuildBuilds). Not safe for
// concurrent use: one build at a time.
type Memo struct {
	docs  map[string]*memoDoc
	epoch uint64 // numbers the builds: a document's entry says which one last had it
	// gen is the generation of the index the memo's last build wrote, files its files,
	// hashes its hash table (nil: read it from the index).
	gen    string
	files  checked
	hashes map[string]string
	// order is the last build's documents' positions in URL order (byURL), and count
	// their number; sameOrder says this build's documents are those URLs in the same
	// positions, so that order holds for them too (urlOrder).
	order     []int
	count     int
	sameOrder bool
	// changedAt are the positions, in this build's documents, of those prepare did not
	// take from the memo as they were (in ascending order): with sameOrder, the only ones
	// whose hash may differ from the last build's. wroteEpoch is the build whose index the
	// memo's gen, hashes and table describe (written or carried over).
	changedAt  []int
	wroteEpoch uint64
	// table is the hash table the memo's last build wrote (encodeInOrderEnds of its documents
	// in order), tableEnd[r] the end of the entry of the r-th URL of order in it, and
	// rank[i] the place of document i in order (nil: not worked out for this order), so
	// that an edit's table is the last one with the changed entries spliced in
	// (hashTable).
	table      []byte
	tableEnd   []int
	rank       []int
	tableEpoch uint64 // the build that encoded table
	// oneOff: a memo of one build that keeps no document for the next (NewOneOffMemo).
	oneOff bool
	// prepared is the slice the last build's prepared documents were in, cleared once
	// that build was done (release), for the next build's: at 100,000 articles a new one
	// was ≈ 36 MB at every save of `portal serve --watch`.
	prepared []preparedDoc
}

// memoDoc is a document as handed in (without LoadBody) and as prepared.
type memoDoc struct {
	in    Document
	p     preparedDoc
	at    int    // its position in the documents of the build that last had it
	epoch uint64 // that build
}

// NewMemo returns an empty Memo: its first build prepares every document and verifies
// the previous index whole, as Build does.
func NewMemo() *Memo { return &Memo{docs: map[string]*memoDoc{}} }

// Build is Build, with what m keeps of the previous builds; it updates m.
func (m *Memo) Build(ctx context.Context, dir, prev string, docs []Document) (BuildStats, error) {
	return buildWith(ctx, dir, prev, docs, defaultDelta(), m, nil)
}

// BuildKnown is Build, with what is known of the previous index prev from an earlier
// process (k, nil: nothing; known.go): its files still with the identities k recorded are
// not read again to be checked.
func (m *Memo) BuildKnown(ctx context.Context, dir, prev string, docs []Document, k *Known) (BuildStats, error) {
	return buildWith(ctx, dir, prev, docs, defaultDelta(), m, k.checked(prev))
}

// filesWith returns the files the memo knows as checked together with known (files of
// the previous index known from an earlier process). Both are used only for files still
// the very ones recorded (checked.same), so taking either is safe.
func (m *Memo) filesWith(known checked) checked {
	if len(known) == 0 {
		return m.files
	}
	if len(m.files) == 0 {
		return known
	}
	all := make(checked, len(m.files)+len(known))
	maps.Copy(all, known)
	maps.Copy(all, m.files)
	return all
}

// Update puts a new generation of the index at dir, built from docs with what m keeps
// of the previous builds, and updates m (updateWith).
func (m *Memo) Update(ctx context.Context, dir string, docs []Document) (BuildStats, error) {
	return updateWith(ctx, dir, docs, m)
}

// prepare checks that every document has a URL of its own and prepares it (prepareDoc),
// taking from m each document handed in unchanged; the documents no longer handed in are
// let go.
func (m *Memo) prepare(docs []Document) ([]preparedDoc, error) {
	if m.oneOff {
		return m.prepareOnce(docs)
	}
	m.epoch++
	same := len(docs) == m.count && m.order != nil
	m.sameOrder, m.count = false, -1 // until every document is prepared
	m.changedAt = m.changedAt[:0]
	fresh, errs := m.prepareChanged(docs)
	out := m.prepared[:0]
	m.prepared = nil // until release gives it back
	if cap(out) < len(docs) {
		out = make([]preparedDoc, 0, len(docs))
	}
	for i, d := range docs {
		if d.URL == "" {
			return nil, errNoURL(i, d)
		}
		e := m.docs[d.URL]
		if e != nil && e.epoch == m.epoch {
			return nil, errSameURL(e.at, i, d)
		}
		same = same && e != nil && e.epoch == m.epoch-1 && e.at == i
		in := d
		in.LoadBody = nil
		if e == nil || d.Hash == "" || !sameInput(e.in, in) {
			if errs[i] != nil {
				return nil, errs[i]
			}
			p := fresh[i]
			if p == nil { // a second document of its URL, which prepareChanged took for the memo's
				var err error
				if p, err = prepareFresh(d); err != nil {
					return nil, err
				}
			}
			if e == nil {
				e = &memoDoc{}
				m.docs[d.URL] = e
			}
			e.in, e.p = in, *p
			m.changedAt = append(m.changedAt, i)
		}
		e.at, e.epoch = i, m.epoch
		p := e.p
		if p.doc.Body == "" {
			p.doc.LoadBody = d.LoadBody
		}
		out = append(out, p)
	}
	if !same {
		m.order = nil // urlOrder sorts this build's documents
	}
	m.sameOrder, m.count = same, len(docs)
	if len(m.docs) > len(docs) {
		for u, e := range m.docs {
			if e.epoch != m.epoch {
				delete(m.docs, u)
			}
		}
	}
	return out, nil
}

// release takes back the slice prepare returned, once its build is done with it: it is
// cleared (no document, nor the build's body loader, stays reachable from it) and kept
// for the next build's documents. Nothing may read docs afterwards.
func (m *Memo) release(docs []preparedDoc) {
	if m.oneOff {
		return
	}
	clear(docs)
	m.prepared = docs[:0]
}

// prepareChunk is how many documents one worker of prepareChanged takes at a time.
const prepareChunk = 256

// prepareChanged prepares, on every core, the documents that m does not hold as they are
// handed in (all of them for a new memo, as in a one-off build: at 100,000 articles the
// normalization and digests took a second on one core), without changing m; prepare
// then records them in order. fresh[i] is nil for a document m holds (or one without a
// URL), errs[i] the error of preparing document i.
func (m *Memo) prepareChanged(docs []Document) (fresh []*preparedDoc, errs []error) {
	fresh, errs = make([]*preparedDoc, len(docs)), make([]error, len(docs))
	_ = parallel.Each(context.Background(), (len(docs)+prepareChunk-1)/prepareChunk, func(c int) {
		for i := c * prepareChunk; i < min(len(docs), (c+1)*prepareChunk); i++ {
			d := docs[i]
			if d.URL == "" {
				continue
			}
			in := d
			in.LoadBody = nil
			if e := m.docs[d.URL]; e == nil || d.Hash == "" || !sameInput(e.in, in) {
				fresh[i], errs[i] = prepareFresh(d)
			}
		}
	})
	return fresh, errs
}

// prepareFresh is prepareDoc for the memo: without this build's body loader.
func prepareFresh(d Document) (*preparedDoc, error) {
	p, err := prepareDoc(d)
	if err != nil {
		return nil, err
	}
	p.doc.LoadBody = nil // kept: not this build's bodies
	return &p, nil
}

// urlOrder returns the positions of docs (this build's, as prepare returned them) in the
// order of their URLs: the last build's order when the documents have the same URLs in
// the same positions (an edit), else sorted again (byURL). At 100,000 articles the sort
// costs tens of milliseconds per save of `portal serve --watch`.
func (m *Memo) urlOrder(docs []preparedDoc) []int {
	if !m.sameOrder || m.order == nil || len(m.order) != len(docs) {
		m.order, m.rank = byURL(docs), nil
	}
	m.sameOrder = true
	return m.order
}

// sameInput reports whether two documents handed in (without LoadBody) are the same:
// then their prepared forms are too, their bodies being named by Hash.
func sameInput(a, b Document) bool {
	return a.URL == b.URL && a.Hash == b.Hash && a.Title == b.Title && a.Summary == b.Summary && a.Body == b.Body &&
		a.Date.Equal(b.Date) && a.Kind == b.Kind && a.Legal == b.Legal &&
		slices.Equal(a.Provinces, b.Provinces) && slices.Equal(a.Categories, b.Categories) && slices.Equal(a.Tags, b.Tags)
}

// wrote records the index just finished in dir (generation gen, hash table hashes; nil:
// not kept): its manifest's files with their identities. A file that cannot be found
// there leaves the memo without an index.
func (m *Memo) wrote(dir, gen string, hashes map[string]string) {
	m.gen, m.files, m.hashes = "", nil, nil
	m.wroteEpoch = m.epoch
	man, err := readManifestOnly(dir)
	if err != nil {
		return
	}
	files := make(checked, len(man.Files))
	for _, f := range man.Files {
		fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err != nil {
			return
		}
		files[f.Path] = checkedFile{sum: f, fi: fi}
	}
	m.gen, m.files, m.hashes = gen, files, hashes
	if m.tableEpoch != m.epoch {
		m.table = nil // an older build's: this one wrote its table otherwise (encodeHashes)
	}
}

// reused records that the previous index, of generation gen and verified as files, was
// carried over as it is (hard links: the same files).
func (m *Memo) reused(gen string, files checked) {
	if gen != m.gen {
		m.hashes, m.table = nil, nil
	} else {
		m.wroteEpoch = m.epoch
	}
	m.gen, m.files = gen, files
}

// edit reports whether this build's documents are the last build's, with the same URLs
// in the same positions, and that build's index (generation gen) is the one the memo
// describes: then only the documents at changedAt may have another hash than in
// m.hashes, and no URL was added or removed.
func (m *Memo) edit(gen string) bool {
	return !m.oneOff && m.sameOrder && m.hashes != nil && gen == m.gen && m.wroteEpoch+1 == m.epoch && len(m.hashes) == m.count
}

// hashTable returns the hash table of docs (this build's) in order (urlOrder's): when
// edit holds and the memo has the last build's table, that table with the entries of the
// documents at changed (positions in docs) encoded again, else the whole table. It keeps
// the result for the next build.
func (m *Memo) hashTable(docs []preparedDoc, order []int, changed []int, edit bool) ([]byte, error) {
	if !edit || m.table == nil || len(m.tableEnd) != len(docs) {
		return m.encodeTable(docs, order)
	}
	if m.rank == nil {
		m.rank = make([]int, len(order))
		for r, i := range order {
			m.rank[i] = r
		}
	}
	if m.overwrite(docs, changed) {
		m.tableEpoch = m.epoch
		return m.table, nil
	}
	ranks := make([]int, len(changed))
	for j, i := range changed {
		ranks[j] = m.rank[i]
	}
	slices.Sort(ranks)
	b := make([]byte, 0, len(m.table)+len(changed)*64)
	at, shift, next := 0, 0, 0 // copied up to at in the old table; shift: new minus old offsets
	var err error
	for _, r := range ranks {
		start := 1 // after '{'
		switch {
		case r > 0 && r-1 < next: // the entry before was spliced: it ended at at
			start = at + 1
		case r > 0:
			start = m.tableEnd[r-1] + 1 // after ','
		}
		for ; next < r; next++ {
			m.tableEnd[next] += shift
		}
		b = append(b, m.table[at:start]...)
		if b, err = appendEntry(b, docs[order[r]]); err != nil {
			m.table = nil // tableEnd is half updated
			return nil, err
		}
		at = m.tableEnd[r]
		m.tableEnd[r] = len(b)
		shift = len(b) - at
		next = r + 1
	}
	for ; next < len(m.tableEnd); next++ {
		m.tableEnd[next] += shift
	}
	b = append(b, m.table[at:]...)
	m.table, m.tableEpoch = b, m.epoch
	return b, nil
}

// overwrite encodes the entries of the documents at changed (positions in docs) over
// their last ones in m.table, when each is as long as it was (an edit of an article's
// body: the same URL, a hash of the same length), and reports whether it did; otherwise
// it may have overwritten some (with what hashTable's splice writes there again). The
// table is written to the index's file before the next build (finish): no one holds the
// last one. At 100,000 articles a new table was ≈ 28 MB at every save of `portal serve
// --watch`.
func (m *Memo) overwrite(docs []preparedDoc, changed []int) bool {
	var e []byte
	for _, i := range changed {
		r := m.rank[i]
		start := 1 // after '{'
		if r > 0 {
			start = m.tableEnd[r-1] + 1 // after ','
		}
		var err error
		if e, err = appendEntry(e[:0], docs[i]); err != nil || len(e) != m.tableEnd[r]-start {
			return false
		}
		copy(m.table[start:], e)
	}
	return true
}

// encodeTable is encodeInOrderEnds, keeping the table and its entries' ends in the memo.
func (m *Memo) encodeTable(docs []preparedDoc, order []int) ([]byte, error) {
	m.table, m.tableEnd = nil, slices.Grow(m.tableEnd[:0], len(order))[:len(order)]
	b, err := encodeInOrderEnds(docs, order, m.tableEnd)
	if err == nil && !m.oneOff {
		m.table, m.tableEpoch = b, m.epoch
	}
	return b, err
}

// hashesOf returns the hash table of the index in dir, carried over from the previous
// index of generation gen: the one m wrote, or read from dir.
func (m *Memo) hashesOf(dir, gen string) (map[string]string, error) {
	if m.hashes != nil && gen == m.gen {
		return m.hashes, nil
	}
	return readHashes(dir)
}

// errNoURL and errSameURL are prepare's refusals (and prepareOnce's): the site gives
// every article a URL of its own, so either means a caller's mistake, not a writer's.
func errNoURL(i int, d Document) error {
	return fmt.Errorf("search: document %d (%q) has no URL; every indexed article needs its URL as ID", i, d.Title)
}

func errSameURL(first, i int, d Document) error {
	return fmt.Errorf("search: documents %d and %d have the same URL %s; each article must have its own URL", first, i, d.URL)
}
