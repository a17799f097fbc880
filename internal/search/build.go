package search

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/vnportal/portal/internal/memlimit"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Term is a named taxonomy entry (province, category or tag): its display
// name and its URL slug.
type Term struct{ Name, Slug string }

// Document is one published article as the site assembler hands it to the
// indexer. All text should be NFC; Build normalizes it anyway.
type Document struct {
	URL     string // "/tin-tuc/hoi-nghi-.../"; also the document ID
	Title   string
	Summary string // the lead ("sapo"), plain text
	Body    string // plain text of the body
	// LoadBody, when set and Body is empty, returns the body's plain text. Build calls it
	// when it indexes the document (and, if Hash is empty, to compute the hash), so that a large site's bodies need not all be
	// in memory at once (the build keeps them in a temporary file).
	LoadBody   func() (string, error)
	Date       time.Time
	Provinces  []Term
	Categories []Term
	Tags       []Term
	// Kind is KindArticle (also "") or KindDocument; a legal document's
	// number and facets are in Legal.
	Kind  string
	Legal Legal
	// Hash is a content hash of every field above, used by incremental
	// builds to tell changed documents from unchanged ones. When empty,
	// Build computes one itself.
	Hash string
}

// BuildStats reports what Build did.
type BuildStats struct {
	Added, Updated, Deleted, Unchanged int
	Duration                           time.Duration
	Bytes                              int64 // size of the finished index folder
	// Incremental is true when the previous generation was reused.
	Incremental bool
	// Reused is true when the previous generation was built from the same inputs and was
	// carried over as it is (hard links; no index file written).
	Reused bool
	// FullReason says why a full build was done although prev was given
	// (prev missing, corrupt, or of an older format); empty otherwise.
	// Worth logging: it explains a slower build.
	FullReason string
}

// Batch sizes. Incremental builds write batchSize operations per batch to
// a live index; full builds give the offline builder builderBatch documents
// per segment and merge builderMergeMax segments at a time.
//
// The builder keeps a whole batch of analyzed documents (every token's
// frequency per field, positions and offsets in the few fields that keep
// them) until it writes the segment, and writes up to GOMAXPROCS segments
// at a time while the next batch fills, so builderBatch bounds the full
// build's memory: 250 documents per segment, 40 segments per merge
// (10,000 documents take one merge; 100,000 take nine merges of 40 during
// the analysis, then one of their nine results and the last 40 segments:
// planMerges).
const (
	batchSize       = 500
	builderBatch    = 250
	builderMergeMax = 40
	// analyzeChunk documents are analyzed together by one worker, and each
	// worker may have analyzeAhead finished chunks waiting for the builder.
	analyzeChunk = 32
	analyzeAhead = 2
	// releaseEvery is how often the merges' already-read segment pages
	// are taken out of the resident set (see releaseMapped).
	releaseEvery = 200 * time.Millisecond
	// A full build lets the Go heap grow past what is live by at least
	// gcHeadroomPerDoc per document, within [gcHeadroomMin, gcHeadroomMax]
	// (see memlimit.Follow; at least half the live heap): a large build
	// needs the room to keep the collector from running all the time, a
	// small one finishes in seconds either way and should not take
	// hundreds of megabytes for it. The ceiling sets a large build's peak:
	// at 100,000 articles about 500 MB stay live through the index stage, and
	// 512 MB of room put the build's peak there (1.13 GB resident, BENCHMARKS.md,
	// branch heap100k); 320 MB costs more collections of that heap for a peak
	// under the loaded site's own.
	gcHeadroomPerDoc = 128 << 10
	gcHeadroomMin    = 64 << 20
	gcHeadroomMax    = 320 << 20
)

// gcHeadroom is the heap growth a full build of n documents allows.
func gcHeadroom(n int) int64 {
	return min(max(int64(n)*gcHeadroomPerDoc, gcHeadroomMin), gcHeadroomMax)
}

// Build writes a search index of docs into dir, which must not exist yet
// (it normally lives in the build's temporary output folder).
//
// If prev names the previous generation's index and that index is intact
// and of the current format, Build copies it into dir (verifying every
// file's checksum while copying) and applies only the differences: documents
// are added, updated or deleted by URL and Hash. Otherwise (prev is "",
// missing, corrupt, or from an older format) it builds from scratch and
// says why in BuildStats.FullReason.
//
// On success dir holds a closed, consistent index and a manifest
// (manifest.json, written last) that Open verifies; a folder without a valid
// manifest is a half-written index. On error the partial dir is removed.
// Cancelling ctx stops the build between batches.
func Build(ctx context.Context, dir, prev string, docs []Document) (BuildStats, error) {
	return buildWith(ctx, dir, prev, docs, defaultDelta(), NewMemo(), nil)
}

// buildWith is Build with the merge policy pol of an incremental update, what memo keeps
// of the previous builds (memo.go), which it updates, and the files of prev known from an
// earlier process to need no check (known.go; nil: none).
func buildWith(ctx context.Context, dir, prev string, docs []Document, pol deltaPolicy, memo *Memo, known checked) (BuildStats, error) {
	start := time.Now()
	var stats BuildStats
	if dir == "" {
		return stats, errors.New("search: Build needs an output folder for the index")
	}
	if _, err := os.Lstat(dir); err == nil {
		return stats, fmt.Errorf("search: index folder %s already exists; Build writes a new folder and never overwrites one", dir)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return stats, fmt.Errorf("search: checking index folder: %w", err)
	}
	prepared, err := memo.prepare(docs)
	if err != nil {
		return stats, err
	}
	defer memo.release(prepared)
	gen := digestInOrder(prepared, memo.urlOrder(prepared))

	if prev != "" {
		st, ok, err := reusePrevious(ctx, dir, prev, gen, memo, known)
		if err != nil {
			return stats, err
		}
		if ok {
			st.Duration = time.Since(start)
			return st, nil
		}
		st, err = buildIncremental(ctx, dir, prev, prepared, gen, pol, memo, known)
		if err == nil {
			st.Duration = time.Since(start)
			return st, nil
		}
		_ = os.RemoveAll(dir)
		if ctx.Err() != nil {
			return stats, fmt.Errorf("search: index build cancelled: %w", ctx.Err())
		}
		stats.FullReason = err.Error()
	} else {
		stats.FullReason = "no previous index given"
	}

	st, err := buildFull(ctx, dir, prepared, gen)
	if err != nil {
		_ = os.RemoveAll(dir)
		return stats, err
	}
	memo.wrote(dir, gen, nil)
	st.FullReason = stats.FullReason
	st.Duration = time.Since(start)
	return st, nil
}

// updateWith puts a new generation of the index at dir, built from docs with what memo
// keeps of the previous builds (memo.go): it is built beside dir (dir+".next") with the
// index at dir, if any, as Build's prev, then renamed into place, and the replaced
// generation is removed (searches still running on it keep their open files). A Live on
// dir opens the new generation at its next check; call Reload to have it now. On error
// dir is left as it was.
func updateWith(ctx context.Context, dir string, docs []Document, memo *Memo) (BuildStats, error) {
	next, old := dir+".next", dir+".old"
	_ = os.RemoveAll(next)
	_ = os.RemoveAll(old)
	prev := dir
	if _, err := os.Stat(dir); err != nil {
		prev = ""
	}
	st, err := buildWith(ctx, next, prev, docs, defaultDelta(), memo, nil)
	if err != nil {
		return st, err
	}
	if prev != "" {
		if err := os.Rename(dir, old); err != nil {
			_ = os.RemoveAll(next)
			return st, fmt.Errorf("search: cannot replace the index at %s: %w", dir, err)
		}
	}
	if err := os.Rename(next, dir); err != nil {
		if prev != "" {
			_ = os.Rename(old, dir)
		}
		_ = os.RemoveAll(next)
		return st, fmt.Errorf("search: cannot replace the index at %s: %w", dir, err)
	}
	_ = os.RemoveAll(old)
	return st, nil
}

// preparedDoc is a Document normalized to NFC with its hash and the field
// map handed to bleve.
type preparedDoc struct {
	url  string
	hash string
	doc  Document
	sum  [sha256.Size]byte // docDigest: its part of the generation
}

// prepareDoc is d normalized and checked, with its hash and digest.
func prepareDoc(d Document) (preparedDoc, error) {
	d.Title = strings.TrimSpace(vietnamese.NFC(d.Title))
	d.Summary = strings.TrimSpace(vietnamese.NFC(d.Summary))
	d.Body = strings.TrimSpace(vietnamese.NFC(d.Body))
	if d.Body != "" {
		d.LoadBody = nil
	}
	d.Provinces = nfcTerms(d.Provinces)
	d.Categories = nfcTerms(d.Categories)
	d.Tags = nfcTerms(d.Tags)
	d.Kind = kindOf(d.Kind)
	if d.Kind == KindDocument {
		if d.Legal.Number == "" || d.Legal.Type.Slug == "" {
			return preparedDoc{}, fmt.Errorf("search: legal document %s has no number or type; every document in the library needs both", d.URL)
		}
		l := &d.Legal
		l.Number = vietnamese.NFC(l.Number)
		l.Type.Name, l.Issuer.Name, l.Status.Name = vietnamese.NFC(l.Type.Name), vietnamese.NFC(l.Issuer.Name), vietnamese.NFC(l.Status.Name)
	} else {
		d.Legal = Legal{}
	}
	if err := validUTF8(d); err != nil {
		return preparedDoc{}, err
	}
	h := d.Hash
	if h == "" {
		full, err := withBody(d)
		if err != nil {
			return preparedDoc{}, err
		}
		h = contentHash(full)
	}
	p := preparedDoc{url: d.URL, hash: h, doc: d}
	p.sum = docDigest(p)
	return p, nil
}

// withBody returns d with its body loaded (see Document.LoadBody).
func withBody(d Document) (Document, error) {
	if d.LoadBody == nil {
		return d, nil
	}
	b, err := d.LoadBody()
	if err != nil {
		return d, fmt.Errorf("search: reading the text of %s: %w", d.URL, err)
	}
	d.Body, d.LoadBody = strings.TrimSpace(vietnamese.NFC(b)), nil
	return d, validUTF8(d)
}

// validUTF8 reports text of d that is not UTF-8. bleve's tokenizer stops
// at the first invalid byte, so such text would silently be missing from
// the index; the content loader rejects such files, so this is a
// programming error of the caller.
func validUTF8(d Document) error {
	check := func(what, s string) error {
		if i := invalidAt(s); i >= 0 {
			return fmt.Errorf("search: the %s of %s is not valid UTF-8 (byte %d): the index would lose the text after it; pass text decoded as UTF-8", what, d.URL, i)
		}
		return nil
	}
	errs := []error{check("title", d.Title), check("summary", d.Summary), check("text", d.Body)}
	for _, ts := range [][]Term{d.Provinces, d.Categories, d.Tags, {d.Legal.Type, d.Legal.Issuer, d.Legal.Status}} {
		for _, t := range ts {
			errs = append(errs, check("term name", t.Name))
		}
	}
	errs = append(errs, check("document number", d.Legal.Number))
	return errors.Join(errs...)
}

// invalidAt returns the offset of the first byte of s that is not part of
// valid UTF-8, or -1.
func invalidAt(s string) int {
	if utf8.ValidString(s) {
		return -1
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return -1
}

// nfcTerms returns ts with every name in NFC: ts itself when they all are (the usual
// case: no copy per document to keep through the index stage), else a copy.
func nfcTerms(ts []Term) []Term {
	if len(ts) == 0 {
		return nil
	}
	if !slices.ContainsFunc(ts, func(t Term) bool { return !vietnamese.IsNFC(t.Name) }) {
		return ts
	}
	out := make([]Term, len(ts))
	for i, t := range ts {
		out[i] = Term{Name: vietnamese.NFC(t.Name), Slug: t.Slug}
	}
	return out
}

// contentHash hashes every indexed field of d (used when the assembler
// gives no Hash).
func contentHash(d Document) string {
	h := sha256.New()
	w := func(s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
	}
	w(d.URL)
	w(d.Title)
	w(d.Summary)
	w(d.Body)
	w(d.Date.UTC().Format(time.RFC3339Nano))
	for _, ts := range [][]Term{d.Provinces, d.Categories, d.Tags} {
		w(strconv.Itoa(len(ts)))
		for _, t := range ts {
			w(t.Name)
			w(t.Slug)
		}
	}
	w(kindOf(d.Kind))
	l := d.Legal
	for _, s := range []string{l.Number, l.Type.Name, l.Type.Slug, l.Issuer.Name, l.Issuer.Slug, l.Status.Name, l.Status.Slug} {
		w(s)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// vnZone is Vietnam's time zone (UTC+7, no daylight saving time since
// 1975); an article's year is the year of its date there.
var vnZone = time.FixedZone("ICT", 7*3600)

// docMeta is stored with each document to rebuild Hit.Provinces and
// Hit.Categories without another lookup.
type docMeta struct {
	P [][2]string `json:"p,omitempty"`
	C [][2]string `json:"c,omitempty"`
	L *legalMeta  `json:"l,omitempty"` // a legal document's number and facets
}

func termPairs(ts []Term) [][2]string {
	out := make([][2]string, 0, len(ts))
	for _, t := range ts {
		out = append(out, [2]string{t.Name, t.Slug})
	}
	return out
}

// topicNames lists the names of d's provinces, categories and tags (each
// an array element, so a phrase cannot span two names).
func topicNames(d Document) []string {
	var out []string
	for _, ts := range [][]Term{d.Provinces, d.Categories, d.Tags} {
		for _, t := range ts {
			if t.Name != "" {
				out = append(out, t.Name)
			}
		}
	}
	return out
}

func slugs(ts []Term) []string {
	out := make([]string, 0, len(ts))
	for _, t := range ts {
		if t.Slug != "" {
			out = append(out, t.Slug)
		}
	}
	return out
}

// fields is the bleve document for d (loading its body if it was not given).
func (p preparedDoc) fields() (map[string]interface{}, error) {
	d, err := withBody(p.doc)
	if err != nil {
		return nil, err
	}
	dm := docMeta{P: termPairs(d.Provinces), C: termPairs(d.Categories)}
	if d.Kind == KindDocument {
		dm.L = toLegalMeta(d.Legal)
	}
	meta, _ := json.Marshal(dm)
	m := map[string]interface{}{
		fieldTitle:      d.Title,
		fieldSummary:    d.Summary,
		fieldBody:       d.Body,
		fieldProvinces:  slugs(d.Provinces),
		fieldCategories: slugs(d.Categories),
		fieldTags:       slugs(d.Tags),
		fieldMeta:       string(meta),
		fieldTopics:     topicNames(d),
	}
	facet := make([]string, 0, len(d.Provinces)+len(d.Categories)+2)
	facet = append(facet, facetPrefixKind+d.Kind)
	if d.Kind == KindDocument {
		m[fieldNumber] = d.Legal.Number
		facet = append(facet, legalFacets(d.Legal, d.Date)...)
	}
	for _, s := range slugs(d.Provinces) {
		facet = append(facet, facetPrefixProvince+s)
	}
	for _, s := range slugs(d.Categories) {
		facet = append(facet, facetPrefixCategory+s)
	}
	if !d.Date.IsZero() {
		y := yearString(d.Date.In(vnZone).Year())
		m[fieldDate] = d.Date
		m[fieldYear] = y
		m[fieldNewest] = newestKey(d.Date, p.url)
		facet = append(facet, facetPrefixYear+y)
	}
	m[fieldFacet] = facet
	return m, nil
}

// newestKey sorts ascending as newest first, then by URL: the seconds from
// the date to year 9999, zero-padded, a space, the URL.
func newestKey(t time.Time, url string) string {
	return fmt.Sprintf("%012d %s", int64(253402300799)-t.Unix(), url)
}

// scorchConfig is the runtime configuration for indexes Build writes to.
// Batches wait for persistence (no unsafe_batch) so Close never loses data.
// New segments have the format of a full build's (segments.go).
func scorchConfig() map[string]interface{} {
	return map[string]interface{}{"forceSegmentType": segmentType, "forceSegmentVersion": int(segmentVersion)}
}

// buildFull writes a new index offline, like bleve's offline builder
// (scorch.Builder) but reproducibly (segments.go): it turns batches of
// builderBatch documents into segment files and merges them into one segment
// at the end, without the background merging, persisting and fsyncs of a live
// index. The result is a single-segment index, the fastest to search.
//
// The documents are mapped and analyzed by parallel workers, a few small
// chunks ahead (feedBuilder), and handed over in order with their fields
// wrapped in preAnalyzed so that they are not analyzed again; the segments
// are written, and merged, on every core too (segmentWriter), in an order
// that does not depend on the scheduling.
//
// Memory: the build's own footprint does not grow with len(docs). At most
// GOMAXPROCS+1 builder batches and a few chunks are analyzed at a time, the heap may
// grow by max(gcHeadroom(len(docs)), live/2) over what is live (memlimit.Follow), and the
// merges take the segment pages they have read out of the resident set
// (releaseMapped). Measured by TestBuildMemory.
func buildFull(ctx context.Context, dir string, docs []preparedDoc, gen string) (BuildStats, error) {
	var stats BuildStats
	im, err := newMapping()
	if err != nil {
		return stats, fmt.Errorf("search: index mapping: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return stats, fmt.Errorf("search: creating parent of index folder: %w", err)
	}
	if err := buildOffline(ctx, dir, im, docs); err != nil {
		return stats, err
	}
	hashes := make(map[string]string, len(docs))
	for _, d := range docs {
		hashes[d.url] = d.hash
	}
	stats.Added = len(docs)
	stats.Bytes, err = finish(dir, docs, hashes, gen, nil, nil)
	return stats, err
}

// indexMetaJSON is the index_meta.json bleve writes for a scorch index
// (bleve.NewBuilder writes exactly this; Build writes the index itself).
const indexMetaJSON = `{"storage":"scorch","index_type":"scorch"}`

func buildOffline(ctx context.Context, dir string, im *mapping.IndexMappingImpl, docs []preparedDoc) error {
	mappingJSON, err := json.Marshal(im)
	if err != nil {
		return fmt.Errorf("search: index mapping: %w", err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return fmt.Errorf("search: creating index folder: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index_meta.json"), []byte(indexMetaJSON), 0o644); err != nil {
		return fmt.Errorf("search: writing index metadata: %w", err)
	}
	// The segments are written next to dir (same file system).
	scratch, err := os.MkdirTemp(filepath.Dir(dir), ".search-build-")
	if err != nil {
		return fmt.Errorf("search: creating scratch folder: %w", err)
	}
	defer os.RemoveAll(scratch)
	w := newSegmentWriter(scratch, runtime.GOMAXPROCS(0))
	defer w.wg.Wait() // before the scratch folder goes, if a segment is still being written
	w.expect(ctx, len(docs))

	// Follow, not a limit fixed at the start: the builder's own live data grows as
	// segments pile up, and a fixed limit then had the collector run all the time
	// (28-39 % of CPU in the index stage of a 100,000-article build).
	defer memlimit.Follow(gcHeadroom(len(docs)), 200*time.Millisecond)()
	// The merges map the segments they merge, from the first one (which starts while
	// documents are still being analyzed): keep the segment pages already read from
	// piling up in the resident set.
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(releaseEvery)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				releaseMapped(scratch)
			}
		}
	}()
	defer func() {
		close(done)
		wg.Wait()
	}()
	if err := feedBuilder(ctx, w, im, docs); err != nil {
		return err // the scratch folder and dir are removed
	}
	// What is left on the heap is the caller's plus the segments being written and
	// merged: give the freed memory back before the last merges map the largest files.
	debug.FreeOSMemory()
	seg, err := w.finish(ctx)
	if err != nil {
		return fmt.Errorf("search: finishing index: %w", err)
	}
	return writeStore(dir, seg, mappingJSON)
}

// feedBuilder analyzes docs on every core and hands them, in order, to the
// offline builder. Memory stays bounded whatever len(docs) is: worker w
// analyzes chunks w, w+W, w+2W, ... of analyzeChunk documents and may run
// at most analyzeAhead chunks ahead of the builder, so at most the
// builder's batch plus W·(analyzeAhead+1) chunks are analyzed at a time.
// Each analyzed document becomes garbage as soon as the builder has written
// the segment that holds it.
func feedBuilder(ctx context.Context, b *segmentWriter, im *mapping.IndexMappingImpl, docs []preparedDoc) error {
	type chunk struct {
		docs []index.Document
		err  error
	}
	workers := min(runtime.GOMAXPROCS(0), (len(docs)+analyzeChunk-1)/analyzeChunk)
	chunks := (len(docs) + analyzeChunk - 1) / analyzeChunk
	outs := make([]chan chunk, workers)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer func() {
		close(stop)
		wg.Wait()
	}()
	for w := range outs {
		outs[w] = make(chan chunk, analyzeAhead)
		wg.Add(1)
		go func(out chan<- chunk) {
			defer wg.Done()
			a := newDocAnalyzer(im, b.freqs)
			for k := w; k < chunks; k += workers {
				lo, hi := k*analyzeChunk, min((k+1)*analyzeChunk, len(docs))
				c := chunk{docs: make([]index.Document, 0, hi-lo)}
				for _, d := range docs[lo:hi] {
					if c.err = ctx.Err(); c.err != nil {
						break
					}
					ad, err := a.analyze(d)
					if err != nil {
						c.err = err
						break
					}
					c.docs = append(c.docs, ad)
				}
				select {
				case out <- c:
				case <-stop:
					return
				}
				if c.err != nil {
					return
				}
			}
		}(outs[w])
	}
	for k := 0; k < chunks; k++ {
		c := <-outs[k%workers]
		if c.err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("search: index build cancelled: %w", ctx.Err())
			}
			return c.err
		}
		for i, d := range c.docs {
			if err := b.Index(d); err != nil {
				return fmt.Errorf("search: indexing %s: %w", d.ID(), err)
			}
			c.docs[i] = nil // the builder's batch holds it now
		}
	}
	return nil
}

// preAnalyzed is a document field whose analysis has already been done:
// Analyze is a no-op, everything else is the field's own.
type preAnalyzed struct{ document.Field }

// Analyze implements index.Field; the analysis already happened.
func (preAnalyzed) Analyze() {}

// indexBatches indexes docs and deletes the IDs in del, batchSize
// operations at a time, checking ctx between batches.
func indexBatches(ctx context.Context, idx bleve.Index, docs []preparedDoc, del []string) error {
	b := idx.NewBatch()
	flush := func() error {
		if b.Size() == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("search: index build cancelled: %w", err)
		}
		if err := idx.Batch(b); err != nil {
			return fmt.Errorf("search: writing index batch: %w", err)
		}
		b.Reset()
		return nil
	}
	for _, id := range del {
		b.Delete(id)
		if b.Size() >= batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	for _, d := range docs {
		fields, err := d.fields()
		if err != nil {
			return err
		}
		if err := b.Index(d.url, fields); err != nil {
			return fmt.Errorf("search: indexing %s: %w", d.url, err)
		}
		if b.Size() >= batchSize {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

func buildIncremental(ctx context.Context, dir, prev string, docs []preparedDoc, gen string, pol deltaPolicy, memo *Memo, known checked) (BuildStats, error) {
	var stats BuildStats
	m, seen, err := readManifestKnown(prev, memo.filesWith(known))
	if err != nil {
		return stats, fmt.Errorf("previous index unusable: %w", err)
	}
	if m.Format != manifestFormat || m.Analysis != analysisVersion {
		return stats, fmt.Errorf("previous index %s has format %d/analysis %d, this version writes %d/%d", prev, m.Format, m.Analysis, manifestFormat, analysisVersion)
	}
	// The segments are shared (hard links), the small files copied (carry.go).
	linked, err := carryOver(ctx, prev, dir, m, seen)
	if err != nil {
		return stats, fmt.Errorf("previous index unusable: %w", err)
	}
	old, err := memo.hashesOf(dir, m.Generation)
	if err != nil {
		return stats, fmt.Errorf("previous index unusable: %w", err)
	}
	if uint64(len(old)) != m.Docs {
		return stats, fmt.Errorf("previous index unusable: %s lists %d documents, manifest says %d", hashesFile, len(old), m.Docs)
	}

	var changed []preparedDoc
	var changedAt []int // positions in docs of changed
	var hashes map[string]string
	var del []string
	edit := memo.edit(m.Generation)
	if edit {
		// The same URLs as the memo's last index: only the documents prepared anew may
		// have changed, and the memo's table of hashes becomes this build's in place
		// (let go until this build is written: wrote records it again).
		hashes, memo.hashes = old, nil
		for _, i := range memo.changedAt {
			if d := docs[i]; old[d.url] != d.hash {
				stats.Updated++
				changed, changedAt = append(changed, d), append(changedAt, i)
				hashes[d.url] = d.hash
			}
		}
		stats.Unchanged = len(docs) - stats.Updated
	} else {
		hashes = make(map[string]string, len(docs))
		for _, d := range docs {
			hashes[d.url] = d.hash
			h, ok := old[d.url]
			switch {
			case !ok:
				stats.Added++
				changed = append(changed, d)
			case h != d.hash:
				stats.Updated++
				changed = append(changed, d)
			default:
				stats.Unchanged++
			}
		}
		for u := range old {
			if _, ok := hashes[u]; !ok {
				del = append(del, u)
			}
		}
	}
	stats.Deleted = len(del)

	idx, err := bleve.OpenUsing(dir, pol.config(len(docs)))
	if err != nil {
		return stats, fmt.Errorf("previous index unusable: opening copy: %w", err)
	}
	if len(changed) > 0 || len(del) > 0 {
		err = indexBatches(ctx, idx, changed, del)
		if err == nil {
			err = pol.merge(ctx, idx, len(docs))
		}
	}
	var n uint64
	if err == nil {
		n, err = idx.DocCount()
		if err == nil && n != uint64(len(docs)) {
			err = fmt.Errorf("updated index holds %d documents, expected %d", n, len(docs))
		}
	}
	if cerr := idx.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("closing index: %w", cerr)
	}
	if err == nil {
		var used map[string]bool
		if used, err = canonicalStore(dir); err == nil {
			err = pruneSegments(dir, used)
		}
	}
	if err != nil {
		return stats, err
	}
	stats.Incremental = true
	table, err := memo.hashTable(docs, memo.urlOrder(docs), changedAt, edit)
	if err != nil {
		return stats, err
	}
	stats.Bytes, err = finish(dir, docs, hashes, gen, linked, table)
	if err == nil {
		memo.wrote(dir, gen, hashes)
	}
	return stats, err
}

// finish writes the hash table and then the manifest (last, atomically) of
// the closed index in dir, built from docs (gen is their digestInOrder), and returns the
// folder's size. The sums of the known files (segments linked from the previous index)
// are taken as they are.
// It writes the hash table (the URL and hash of each of docs: hashes, written in the
// URLs' order; table is it encoded when known (Memo.hashTable), nil: encoded here) and the
// manifest.
func finish(dir string, docs []preparedDoc, hashes map[string]string, gen string, known checked, table []byte) (int64, error) {
	b := table
	if b == nil {
		var err error
		if b, err = encodeHashes(hashes); err != nil {
			return 0, err
		}
	}
	if err := writeHashesFile(dir, b); err != nil {
		return 0, err
	}
	m := manifest{
		Format:     manifestFormat,
		Analysis:   analysisVersion,
		Generation: gen,
		Docs:       uint64(len(docs)),
	}
	m.Provinces, m.Categories = termNames(docs)
	m.Documents = docTermNames(docs)
	files, size, err := listFiles(dir, known)
	if err != nil {
		return 0, err
	}
	m.Files = files
	if err := writeManifest(dir, m); err != nil {
		return 0, err
	}
	return size, nil
}

// hashesFile holds the URL → content hash table of an index, used by the
// next incremental build.
const hashesFile = "hashes.json"

func writeHashesFile(dir string, b []byte) error {
	if err := os.WriteFile(filepath.Join(dir, hashesFile), b, 0o644); err != nil {
		return fmt.Errorf("search: writing %s: %w", hashesFile, err)
	}
	return nil
}

func readHashes(dir string) (map[string]string, error) {
	b, err := os.ReadFile(filepath.Join(dir, hashesFile))
	if err != nil {
		return nil, err
	}
	h, err := decodeHashes(b)
	if err != nil {
		return nil, fmt.Errorf("%s is damaged: %w", hashesFile, err)
	}
	return h, nil
}

func safeRel(p string) bool {
	return p != "" && !strings.HasPrefix(p, "/") && !strings.Contains(p, "..") && !strings.Contains(p, "\\")
}
