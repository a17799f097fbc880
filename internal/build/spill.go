package build

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/spool"
)

// A one-off build (no Cache) keeps rendered bodies out of memory from the Markdown stage
// until each article's page is written and its text indexed: at 100,000 articles the
// HTML and plain text are about 1.5 GB that need not be in memory together. With a cache
// folder they go to its pack (buildcache.Bodies), where the next build finds the bodies
// of the files that did not change and neither parses nor renders them again; without
// one, to a temporary spool file.

// bodyFormat is the version of encodeMeta's format; it is part of every body's key.
const bodyFormat = 1

// bodyStore is where one one-off build keeps its rendered bodies.
type bodyStore struct {
	tmp  *spool.File        // without a cache folder (or when its pack cannot be used)
	pack *buildcache.Bodies // with one
	salt string             // the program and formats, part of every key
	// hits and rendered count the bodies load took from the pack and those it rendered.
	hits, rendered int
}

// openBodyStore opens the cache folder's pack when opts has one, else (or when the pack
// cannot be used, which is a warning in ds) a temporary spool next to the output.
func openBodyStore(opts Options, ds *diag.List) (*bodyStore, error) {
	if opts.CacheDir != "" {
		s, warning, err := openPack(opts)
		if err == nil {
			if warning != "" {
				ds.Warnf(s.pack.IndexPath(), 0, 0, "cache", "%s", warning)
			}
			return s, nil
		}
		ds.Warnf(opts.CacheDir, 0, 0, "cache", "%v: rendered Markdown is not kept for the next build", err)
	}
	f, err := spool.Create(spoolDir(opts.Dest))
	if err != nil {
		return nil, err
	}
	return &bodyStore{tmp: f}, nil
}

func openPack(opts Options) (s *bodyStore, warning string, err error) {
	bin, err := binaryID(opts)
	if err != nil {
		return nil, "", err
	}
	p, warning, err := buildcache.OpenBodies(opts.CacheDir, bin)
	if err != nil {
		return nil, "", err
	}
	return &bodyStore{pack: p, salt: fmt.Sprintf("bodies %d %d %s", buildcache.BodiesVersion, bodyFormat, bin)}, warning, nil
}

// binaryID names the portal program in the cache folder's keys: opts.BinaryID, or a hash
// of the running executable.
func binaryID(opts Options) (string, error) {
	if opts.BinaryID != "" {
		return opts.BinaryID, nil
	}
	return buildcache.Executable()
}

// key is the key of d's body rendered with the Markdown options named by suffix: the raw
// file's hash covers the body, the front matter's summary and the body's first line.
func (s *bodyStore) key(d *content.Document, suffix string) buildcache.BodyKey {
	return sha256.Sum256([]byte(s.salt + "\x00" + suffix + "\x00" + d.Hash))
}

// cached returns d's Source from the pack when an earlier build rendered the same file
// with the same options and program.
func (s *bodyStore) cached(d *content.Document, suffix string) (site.Source, bool) {
	if s.pack == nil {
		return site.Source{}, false
	}
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
	return site.NewSource(d, res, summary, plain, packBody{s.pack, body}), true
}

// put writes the rendered body res of d out of memory (into the pack under d's key, or
// the spool) and returns d's Source reading it from there.
func (s *bodyStore) put(d *content.Document, suffix string, res markdown.Result, summary template.HTML, plain string) (site.Source, error) {
	h, t := string(res.HTML), res.Text
	if s.pack != nil {
		body, err := s.pack.Put(s.key(d, suffix), [buildcache.BodyParts][]byte{encodeMeta(res, summary, plain), []byte(h), []byte(t)})
		if err != nil {
			return site.Source{}, err
		}
		return site.NewSource(d, res, summary, plain, packBody{s.pack, body}), nil
	}
	buf := make([]byte, 0, len(h)+len(t))
	sp, err := s.tmp.Put(append(append(buf, h...), t...))
	if err != nil {
		return site.Source{}, err
	}
	return site.NewSource(d, res, summary, plain, &storedBody{f: s.tmp, html: sp.Slice(0, len(h)), text: sp.Slice(len(h), sp.Len())}), nil
}

// commit keeps the pack's bodies for the next build (after a successful one); a pack
// that cannot be written is a warning.
func (s *bodyStore) commit(ds *diag.List) {
	if s.pack == nil {
		return
	}
	if err := s.pack.Commit(); err != nil {
		ds.Warnf(s.pack.Dir(), 0, 0, "cache", "%v: the next build renders every article's Markdown again", err)
	}
}

func (s *bodyStore) close() {
	if s.tmp != nil {
		s.tmp.Close()
	}
	if s.pack != nil {
		s.pack.Close()
	}
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
// lead, the lead as plain text, the word count, headings and links.
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
	if bad || len(b) != 0 {
		return markdown.Result{}, "", "", errMeta
	}
	return res, summary, plain, nil
}
