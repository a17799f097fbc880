package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/pdftext"
	"github.com/vnportal/portal/internal/site"
)

// The text of legal documents' PDF attachments goes into the search index
// (SearchDocumentsWith). The attachments stage of a build (readAttachments) hashes every
// PDF a document lists, looks the result up in the run's textStore under pdftext.Key
// (the file's SHA-256, the engine's version and the limits), and reads only the files
// the store lacks, with one pdftext.Extractor made for them and closed after: a site
// without PDFs, or a build whose PDFs are all known, starts no engine. A file that cannot
// be read is a warning (attachment-text) at the document's `files` line, never a failed
// build; a lasting outcome (scanned, encrypted, damaged, not a PDF, too large) is kept
// like a text, so the next build warns again without reading the file.
//
// The engine stops a document wherever it is when its time limit or the build's ctx
// ends (pdftext's default, not Options.StopBetweenPages): that costs about 4 times the
// CPU of stopping between pages, but it is paid once per PDF (the result is kept), and
// a page the engine never finishes cannot hold a build, the preview or `portal serve
// --watch` forever.

// attachmentLimits bound what reading one attachment may cost.
func attachmentLimits() pdftext.Limits { return pdftext.DefaultLimits() }

// isPDF reports whether an attachment's text is read: a PDF by its name.
func isPDF(name string) bool { return strings.EqualFold(path.Ext(name), ".pdf") }

// keptText is what reading a PDF gave: its text (read when the index asks) or a lasting
// failure.
type keptText struct {
	text func() (string, error)
	err  *pdftext.Error
}

// textStore keeps the outcomes of reading attachments between builds (per cache
// strategy), by pdftext.Key.
type textStore interface {
	get(key string) (keptText, bool)
	// put keeps a text (err nil) or a lasting failure; it returns the entry as kept.
	put(key, text string, err *pdftext.Error) keptText
	// engine returns the options of the run's Extractor (its compilation cache) and
	// what to call once it is closed.
	engine() (pdftext.Options, func())
	// sum returns the SHA-256 recorded for the file at source when it is still the file
	// id; setSum records it.
	sum(source string, id buildcache.FileID) ([sha256.Size]byte, bool)
	setSum(source string, id buildcache.FileID, sum [sha256.Size]byte)
	// commit is called after a successful build with the keys it used.
	commit(used map[string]bool, ds *diag.List)
}

// AttachmentStats count a build's PDF attachments: Read were read by the engine,
// Reused found in the cache (text or lasting failure), Hashed hashed because their
// file changed or was not known.
type AttachmentStats struct{ Read, Reused, Hashed int }

// pdfFile is one PDF attachment of the graph, with the documents listing it.
type pdfFile struct {
	source string // in the site folder
	uses   []pdfUse
	id     buildcache.FileID
	sum    [sha256.Size]byte
	key    string
	kept   keptText
	found  bool
	fail   *pdftext.Error // not kept: the next build tries again
}

type pdfUse struct {
	path      string // the document's file and where the attachment's name is in it
	line, col int
	name      string
}

// PDFAttachments are the PDF attachments of a graph, with the documents listing them
// (PDFsOf).
type PDFAttachments struct{ files []*pdfFile }

// PDFsOf lists the graph's PDF attachments. It reads the graph: call it while no build
// refreshes it.
func PDFsOf(g *site.Graph) PDFAttachments {
	var files []*pdfFile
	bySource := map[string]*pdfFile{}
	for _, a := range g.Documents {
		if a.DocInfo == nil || a.Document == nil {
			continue
		}
		for _, f := range a.DocInfo.Attachments {
			if !isPDF(f.Name) {
				continue
			}
			p := bySource[f.Source]
			if p == nil {
				p = &pdfFile{source: f.Source}
				bySource[f.Source] = p
				files = append(files, p)
			}
			line, col := a.ItemPos("files", f.Name)
			p.uses = append(p.uses, pdfUse{a.Path, line, col, f.Name})
		}
	}
	return PDFAttachments{files}
}

// ReadAttachments is the attachments stage for the preview, which indexes after the
// pages are served: the text of pdfs through the cache, its warnings, and what it did.
// It fails only when ctx ends. pdfs are for one call.
func (c *MemoryCache) ReadAttachments(ctx context.Context, siteDir string, pdfs PDFAttachments) (AttachmentText, []diag.Diagnostic, AttachmentStats, error) {
	var ds diag.List
	text, used, st, err := readAttachments(ctx, siteDir, pdfs, c.texts, &ds)
	if err != nil {
		return nil, nil, st, err
	}
	c.texts.commit(used, &ds)
	return text, ds.Items(), st, nil
}

// readAttachments reads the text of the PDF attachments pdfs through store, and returns
// it as the search index's AttachmentText with the keys it used. It fails only when ctx
// ends. pdfs are for one call (it records its work in them).
func readAttachments(ctx context.Context, siteDir string, pdfs PDFAttachments, store textStore, ds *diag.List) (AttachmentText, map[string]bool, AttachmentStats, error) {
	files := pdfs.files
	var st AttachmentStats
	used := map[string]bool{}
	if len(files) == 0 {
		return NoAttachmentText, used, st, nil
	}
	lim := attachmentLimits()
	var mu sync.Mutex
	// Hash each file (unless its identity is the one hashed before) and look it up.
	err := parallel.Each(ctx, len(files), func(i int) {
		p := files[i]
		full := filepath.Join(siteDir, filepath.FromSlash(p.source))
		id, err := buildcache.Stat(full)
		if err != nil {
			p.fail = &pdftext.Error{Kind: pdftext.Unreadable, Detail: err.Error()}
			return
		}
		p.id = id
		sum, ok := store.sum(p.source, id)
		if !ok {
			if sum, err = hashFile(full); err != nil {
				p.fail = &pdftext.Error{Kind: pdftext.Unreadable, Detail: err.Error()}
				return
			}
			mu.Lock()
			st.Hashed++
			mu.Unlock()
		}
		p.sum, p.key = sum, pdftext.Key(sum, lim)
		p.kept, p.found = store.get(p.key)
	})
	if err != nil {
		return nil, nil, st, err
	}
	var todo []*pdfFile
	for _, p := range files {
		switch {
		case p.fail != nil:
		case p.found:
			st.Reused++
		default:
			todo = append(todo, p)
		}
	}
	if len(todo) > 0 {
		if err := extractAll(ctx, siteDir, todo, store, lim); err != nil {
			return nil, nil, st, err
		}
		st.Read = len(todo)
	}
	texts := map[string]*pdfFile{}
	for _, p := range files {
		if p.key != "" && p.fail == nil {
			used[p.key] = true
			store.setSum(p.source, p.id, p.sum)
		}
		failure := p.fail
		if failure == nil {
			failure = p.kept.err
		}
		if failure != nil {
			for _, u := range p.uses {
				ds.Warnf(u.path, u.line, u.col, "attachment-text", "tệp đính kèm %q không được đưa vào tìm kiếm: %v", u.name, failure)
			}
			continue
		}
		texts[p.source] = p
	}
	text := func(source string) (string, func() (string, error)) {
		p, ok := texts[source]
		if !ok {
			return "", nil
		}
		return hex.EncodeToString(p.sum[:]), p.kept.text
	}
	return text, used, st, nil
}

// extractAll reads the files of todo with one Extractor, keeping each text and lasting
// failure in store. It fails only when ctx ends.
func extractAll(ctx context.Context, siteDir string, todo []*pdfFile, store textStore, lim pdftext.Limits) error {
	opt, release := store.engine()
	defer release()
	ex, err := pdftext.New(ctx, opt)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		for _, p := range todo {
			p.fail = asPDFError(err)
		}
		return nil
	}
	defer ex.Close()
	return parallel.Each(ctx, len(todo), func(i int) {
		p := todo[i]
		if lim.MaxBytes > 0 && p.id.Size > lim.MaxBytes { // refused unread, as Extract would
			p.kept = store.put(p.key, "", &pdftext.Error{Kind: pdftext.TooLarge, Size: p.id.Size, Limit: lim.MaxBytes})
			return
		}
		// The bytes read are the bytes hashed, so that a file saved during the build
		// never puts its text under the key of its previous content.
		data, err := readSized(filepath.Join(siteDir, filepath.FromSlash(p.source)), lim.MaxBytes)
		if err == nil && sha256.Sum256(data) != p.sum {
			err = errors.New("tệp thay đổi trong khi dựng")
		}
		if err != nil {
			p.fail = &pdftext.Error{Kind: pdftext.Unreadable, Detail: err.Error()}
			return
		}
		t, err := ex.Extract(ctx, bytes.NewReader(data), int64(len(data)), lim)
		if err == nil {
			p.kept = store.put(p.key, t.Text, nil)
			return
		}
		if e := asPDFError(err); e.Kind.Lasting() {
			p.kept = store.put(p.key, "", e)
		} else {
			p.fail = e
		}
	})
}

func asPDFError(err error) *pdftext.Error {
	var e *pdftext.Error
	if errors.As(err, &e) {
		return e
	}
	return &pdftext.Error{Kind: pdftext.Engine, Detail: err.Error()}
}

// readSized reads the file name, or max+1 bytes of it when it is larger than max (0: no
// limit), which Extract then refuses as too large without the rest being read.
func readSized(name string, max int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if max > 0 {
		r = io.LimitReader(f, max+1)
	}
	return io.ReadAll(r)
}

func hashFile(name string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(name)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// memoryTexts keeps the outcomes in memory: the preview's and `portal serve --watch`'s
// (for the next build, those the last build used, and the engine's compiled code, so a
// replaced PDF costs no compile), and a build without a cache folder's (that build only,
// no compilation cache kept).
type memoryTexts struct {
	mu      sync.Mutex
	m       map[string]keptText
	sums    map[string]fileSum
	compile wazero.CompilationCache // nil: compile for each Extractor
}

type fileSum struct {
	id  buildcache.FileID
	sum [sha256.Size]byte
}

func newMemoryTexts(keepCompiled bool) *memoryTexts {
	t := &memoryTexts{m: map[string]keptText{}, sums: map[string]fileSum{}}
	if keepCompiled {
		t.compile = wazero.NewCompilationCache()
	}
	return t
}

func (t *memoryTexts) get(key string) (keptText, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	k, ok := t.m[key]
	return k, ok
}

func (t *memoryTexts) put(key, text string, err *pdftext.Error) keptText {
	k := keptText{err: err}
	if err == nil {
		k.text = func() (string, error) { return text, nil }
	}
	t.mu.Lock()
	t.m[key] = k
	t.mu.Unlock()
	return k
}

func (t *memoryTexts) engine() (pdftext.Options, func()) {
	return pdftext.Options{CompilationCache: t.compile}, func() {}
}

func (t *memoryTexts) sum(source string, id buildcache.FileID) ([sha256.Size]byte, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.sums[source]
	return s.sum, ok && s.id == id
}

func (t *memoryTexts) setSum(source string, id buildcache.FileID, sum [sha256.Size]byte) {
	t.mu.Lock()
	t.sums[source] = fileSum{id, sum}
	t.mu.Unlock()
}

func (t *memoryTexts) commit(used map[string]bool, _ *diag.List) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for k := range t.m {
		if !used[k] {
			delete(t.m, k)
		}
	}
}

// diskTexts keeps the outcomes in the cache folder (buildcache.Texts), the engine's
// compiled code in its wazero folder, and the files' sums by path and identity (a
// PDF whose file did not change is not read at all).
type diskTexts struct {
	t    *buildcache.Texts
	dir  string                    // the cache folder
	prev map[string]buildcache.Sum // the last build's sums (read only)
	mu   sync.Mutex
	cur  map[string]buildcache.Sum // this build's
}

func newDiskTexts(t *buildcache.Texts, dir string) *diskTexts {
	return &diskTexts{t: t, dir: dir, prev: t.Sums(), cur: map[string]buildcache.Sum{}}
}

func (d *diskTexts) get(key string) (keptText, bool) {
	if b, ok := d.t.Read(key, buildcache.Failure); ok {
		var e pdftext.Error
		if json.Unmarshal(b, &e) == nil && e.Kind.Lasting() {
			return keptText{err: &e}, true
		}
		return keptText{}, false
	}
	p, ok := d.t.Path(key, buildcache.Text)
	if !ok {
		return keptText{}, false
	}
	return keptText{text: readText(p)}, true
}

func readText(p string) func() (string, error) {
	return func() (string, error) {
		b, err := os.ReadFile(p)
		return string(b), err
	}
}

func (d *diskTexts) put(key, text string, err *pdftext.Error) keptText {
	k := keptText{err: err}
	if err != nil {
		if b, jerr := json.Marshal(err); jerr == nil {
			_ = d.t.Put(key, buildcache.Failure, b) // a full cache folder only makes the next build slower
		}
		return k
	}
	k.text = func() (string, error) { return text, nil }
	if d.t.Put(key, buildcache.Text, []byte(text)) == nil {
		if p, ok := d.t.Path(key, buildcache.Text); ok {
			k.text = readText(p) // the index reads it when it needs it, not from memory
		}
	}
	return k
}

func (d *diskTexts) engine() (pdftext.Options, func()) {
	cc, err := wazero.NewCompilationCacheWithDir(filepath.Join(d.dir, buildcache.WazeroDir))
	if err != nil {
		return pdftext.Options{}, func() {}
	}
	return pdftext.Options{CompilationCache: cc}, func() { _ = cc.Close(context.Background()) }
}

func (d *diskTexts) sum(source string, id buildcache.FileID) ([sha256.Size]byte, bool) {
	s, ok := d.prev[source]
	return s.Sum, ok && s.File == id
}

func (d *diskTexts) setSum(source string, id buildcache.FileID, sum [sha256.Size]byte) {
	d.mu.Lock()
	d.cur[source] = buildcache.Sum{File: id, Sum: sum}
	d.mu.Unlock()
}

func (d *diskTexts) commit(used map[string]bool, ds *diag.List) {
	if _, err := d.t.Prune(used); err != nil {
		ds.Warnf(buildcache.TextsDir, 0, 0, "cache", "không dọn được chữ cũ của tệp PDF trong bộ nhớ đệm: %v", err)
	}
	if err := d.t.PutSums(d.cur); err != nil {
		ds.Warnf(buildcache.TextsDir, 0, 0, "cache", "%v: tệp PDF sẽ được đọc lại ở lần dựng sau", err)
	}
}
