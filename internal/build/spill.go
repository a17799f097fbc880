package build

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"sync"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/spool"
)

// A one-off build (DiskCache, NoCache) keeps rendered bodies out of memory from the Markdown stage
// until each article's page is written and its text indexed: at 100,000 articles the
// HTML and plain text are about 1.5 GB that need not be in memory together. With a cache
// folder they go to its pack (buildcache.Bodies), where the next build finds the bodies
// of the files that did not change and neither parses nor renders them again; without
// one, to a temporary spool file.

// bodyFormat is the version of encodeMeta's format; it is part of every body's key.
const bodyFormat = 2

// bodyStore is where a build keeps its rendered bodies: in memory (memoryBodies), in the
// cache folder's pack (packBodies) or in a temporary spool (spoolBodies). get and put are
// safe for concurrent use.
type bodyStore interface {
	// get returns d's Source when the store has its body rendered with the Markdown
	// options named by suffix (an earlier build rendered the same file).
	get(d *content.Document, suffix string) (site.Source, bool)
	// put keeps the rendered body res of d and returns d's Source reading it from there.
	put(d *content.Document, suffix string, res markdown.Result, summary template.HTML, plain string) (site.Source, error)
	// commit keeps what this build used for the next one (after a successful build).
	commit(ds *diag.List)
	close()
}

// spoolBodies keeps the bodies of one build in a temporary file.
type spoolBodies struct{ f *spool.File }

// newSpoolBodies creates the spool of a build into dest, beside dest.
func newSpoolBodies(dest string) (*spoolBodies, error) {
	f, err := spool.Create(spoolDir(dest))
	return &spoolBodies{f: f}, err
}

func (*spoolBodies) get(*content.Document, string) (site.Source, bool) { return site.Source{}, false }

func (s *spoolBodies) put(d *content.Document, _ string, res markdown.Result, summary template.HTML, plain string) (site.Source, error) {
	h, t := string(res.HTML), res.Text
	buf := make([]byte, 0, len(h)+len(t))
	sp, err := s.f.Put(append(append(buf, h...), t...))
	if err != nil {
		return site.Source{}, err
	}
	d.Body = nil // a one-off build needs the Markdown no more
	return site.NewSource(d, res, summary, plain, &storedBody{f: s.f, html: sp.Slice(0, len(h)), text: sp.Slice(len(h), sp.Len())}), nil
}

func (*spoolBodies) commit(*diag.List) {}
func (s *spoolBodies) close()          { s.f.Close() }

// packBodies keeps the bodies in the cache folder's pack, where the next build finds the
// bodies of the files that did not change. The cache is only a hint: when the pack cannot
// be written (a full disk), the build goes on with a temporary spool, says so once, and
// cuts off what it appended to the pack.
type packBodies struct {
	pack *buildcache.Bodies
	salt string // the program and formats, part of every key
	dest string // the output folder, beside which a spool goes

	mu     sync.Mutex
	failed error        // why the pack could not be written
	spill  *spoolBodies // where bodies go after that
	ds     *diag.List
}

// key is the key of d's body rendered with the Markdown options named by suffix: the raw
// file's hash covers the body, the front matter's summary and the body's first line.
func (s *packBodies) key(d *content.Document, suffix string) buildcache.BodyKey {
	return sha256.Sum256([]byte(s.salt + "\x00" + suffix + "\x00" + d.Hash))
}

func (s *packBodies) get(d *content.Document, suffix string) (site.Source, bool) {
	key := s.key(d, suffix)
	body, meta, ok := s.pack.Get(key)
	if !ok {
		return site.Source{}, false
	}
	res, summary, plain, err := decodeMeta(meta)
	if err != nil {
		s.pack.Forget(key)
		return site.Source{}, false
	}
	d.Body = nil // neither parsed nor rendered again: the pack has it
	return site.NewSource(d, res, summary, plain, packBody{s.pack, body}), true
}

func (s *packBodies) put(d *content.Document, suffix string, res markdown.Result, summary template.HTML, plain string) (site.Source, error) {
	if spill := s.spilled(); spill != nil {
		return spill.put(d, suffix, res, summary, plain)
	}
	body, err := s.pack.Put(s.key(d, suffix), [buildcache.BodyParts][]byte{encodeMeta(res, summary, plain), []byte(res.HTML), []byte(res.Text)})
	if err != nil {
		spill, serr := s.fail(err)
		if serr != nil {
			return site.Source{}, serr
		}
		return spill.put(d, suffix, res, summary, plain)
	}
	d.Body = nil
	return site.NewSource(d, res, summary, plain, packBody{s.pack, body}), nil
}

func (s *packBodies) spilled() *spoolBodies {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.spill
}

// fail switches to a temporary spool after the pack could not be written.
func (s *packBodies) fail(err error) (*spoolBodies, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.spill != nil {
		return s.spill, nil
	}
	spill, serr := newSpoolBodies(s.dest)
	if serr != nil {
		return nil, fmt.Errorf("%w (and no temporary file either: %v)", err, serr)
	}
	s.failed, s.spill = err, spill
	s.ds.Warnf(s.pack.Dir(), 0, 0, "cache", "không ghi được bộ nhớ đệm (%v): lần dựng này tiếp tục mà không dùng nó, và phần đã ghi dở vào đó được xoá", err)
	return s.spill, nil
}

func (s *packBodies) commit(ds *diag.List) {
	if s.failed != nil {
		// Give the space back now: the page manifest is written next.
		s.pack.Abandon()
		s.pack = nil
		return
	}
	if err := s.pack.Commit(); err != nil {
		ds.Warnf(s.pack.Dir(), 0, 0, "cache", "%v: lần dựng sau sẽ dựng lại Markdown của mọi bài", err)
	}
}

func (s *packBodies) close() {
	switch {
	case s.failed == nil:
		s.pack.Close()
	case s.pack != nil: // the build failed before commit
		s.pack.Abandon()
		s.spill.close()
	default:
		s.spill.close()
	}
}

// binaryID names the portal program in the keys of the cache folder dir: id, or a hash of
// the running executable, remembered in dir by the executable's identity
// (buildcache.ProgramFile).
func binaryID(id, dir string) (string, error) {
	if id != "" {
		return id, nil
	}
	return buildcache.ExecutableIn(dir)
}

// storedBody is one article's HTML and plain text in the temporary spool.
type storedBody struct {
	f          *spool.File
	html, text spool.Span
}

func (b *storedBody) HTML() (template.HTML, error) {
	s, err := b.f.ReadString(b.html)
	return template.HTML(s), err
}

func (b *storedBody) Text() (string, error) { return b.f.ReadString(b.text) }

// packBody is one article's record in the pack: metadata, HTML, plain text.
type packBody struct {
	p    *buildcache.Bodies
	body buildcache.Body
}

func (b packBody) HTML() (template.HTML, error) {
	h, err := b.p.Read(b.body, 1)
	return template.HTML(h), err
}

func (b packBody) Text() (string, error) {
	t, err := b.p.Read(b.body, 2)
	return string(t), err
}

// spoolDir picks the folder for a build's spool: next to the output folder, which is on a
// disk the user chose for a large output (the system's temporary folder may be in memory).
func spoolDir(dest string) string {
	dir := filepath.Dir(dest)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}

// encodeMeta writes what a Source holds besides its body's HTML and text: the rendered
// lead, the lead as plain text, the word count, headings, links and citations.
func encodeMeta(res markdown.Result, summary template.HTML, plain string) []byte {
	var b []byte
	str := func(s string) { b = binary.AppendUvarint(b, uint64(len(s))); b = append(b, s...) }
	num := func(n int) { b = binary.AppendVarint(b, int64(n)) }
	flag := func(f bool) {
		if f {
			b = append(b, 1)
		} else {
			b = append(b, 0)
		}
	}
	str(string(summary))
	str(plain)
	num(res.WordCount)
	num(len(res.Headings))
	for _, h := range res.Headings {
		num(h.Level)
		str(h.ID)
		str(h.Text)
	}
	num(len(res.Links))
	for _, l := range res.Links {
		str(l.Dest)
		num(l.Line)
		flag(l.Image)
		str(l.Alt)
		flag(l.Blocked)
	}
	num(len(res.Citations))
	for _, c := range res.Citations {
		str(c.Number)
		str(c.Key)
		num(c.Start)
		num(c.End)
		num(c.Line)
		num(c.Col)
	}
	return b
}

var errMeta = errors.New("bad body metadata")

// decodeMeta reads encodeMeta's bytes back.
func decodeMeta(b []byte) (res markdown.Result, summary template.HTML, plain string, err error) {
	bad := false
	str := func() string {
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			bad, b = true, nil
			return ""
		}
		s := string(b[k : k+int(n)])
		b = b[k+int(n):]
		return s
	}
	num := func() int {
		n, k := binary.Varint(b)
		if k <= 0 {
			bad, b = true, nil
			return 0
		}
		b = b[k:]
		return int(n)
	}
	count := func() int {
		// Each heading or link takes at least 3 bytes: a count larger than what is left
		// is damage, not a reason to allocate.
		n := num()
		if n < 0 || n > len(b)/3 {
			bad = true
			return 0
		}
		return n
	}
	flag := func() bool {
		if len(b) == 0 || b[0] > 1 {
			bad, b = true, nil
			return false
		}
		f := b[0] == 1
		b = b[1:]
		return f
	}
	summary = template.HTML(str())
	plain = str()
	res.WordCount = num()
	if n := count(); n > 0 {
		res.Headings = make([]markdown.Heading, n)
		for i := range res.Headings {
			res.Headings[i] = markdown.Heading{Level: num(), ID: str(), Text: str()}
		}
	}
	if n := count(); n > 0 {
		res.Links = make([]markdown.Link, n)
		for i := range res.Links {
			res.Links[i] = markdown.Link{Dest: str(), Line: num(), Image: flag(), Alt: str(), Blocked: flag()}
		}
	}
	if n := count(); n > 0 {
		res.Citations = make([]markdown.Citation, n)
		for i := range res.Citations {
			res.Citations[i] = markdown.Citation{Number: str(), Key: str(), Start: num(), End: num(), Line: num(), Col: num()}
		}
	}
	if bad || len(b) != 0 {
		return markdown.Result{}, "", "", errMeta
	}
	return res, summary, plain, nil
}
