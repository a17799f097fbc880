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
	// oneOff: a memo of one build that keeps no document for the next (NewOneOffMemo).
	oneOff bool
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
	fresh, errs := m.prepareChanged(docs)
	out := make([]preparedDoc, 0, len(docs))
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
		m.order = byURL(docs)
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
}

// reused records that the previous index, of generation gen and verified as files, was
// carried over as it is (hard links: the same files).
func (m *Memo) reused(gen string, files checked) {
	if gen != m.gen {
		m.hashes = nil
	}
	m.gen, m.files = gen, files
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
