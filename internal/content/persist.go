package content

import (
	"bufio"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"time"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// A Cache can be kept on disk between runs of `portal build` (build.DiskCache): Save
// writes the parsed documents of the last load, LoadCache reads them back. A file whose
// identity (size, modification time and, where the system has them, inode and change
// time: see identity) is the recorded one is then not read at all. The documents come
// back without their Markdown (Body is nil: a build that needs it, because its rendered
// form is not in the cache, reads it with ReadBody); documents that had diagnostics are
// not kept (they are parsed again, so that their diagnostics are reported again).

// persistFormat is the version of what Save writes.
const persistFormat = 3 // 3: legal documents keep ValueAt

func init() {
	// The values front matter parsers put in Params (besides gob's basic types); times
	// are saved as savedTime (gob's own encoding of a time keeps its offset, not its
	// location: "+07" of Asia/Ho_Chi_Minh would come back as "+0700", and page keys and
	// formatted dates with it).
	gob.Register(savedTime{})
	gob.Register([]any{})
	gob.Register(map[string]any{})
}

// savedTime is a time with its location's name, its zone's abbreviation and offset.
type savedTime struct {
	Unix   int64
	Nsec   int32
	Loc    string
	Abbrev string
	Offset int
}

func saveTime(t time.Time) savedTime {
	if t.IsZero() {
		return savedTime{}
	}
	abbrev, off := t.Zone()
	return savedTime{Unix: t.Unix(), Nsec: int32(t.Nanosecond()), Loc: t.Location().String(), Abbrev: abbrev, Offset: off}
}

// locations finds the location of a saved time by name, each name once per load.
type locations map[string]*time.Location

func (ls locations) time(s savedTime) time.Time {
	if s == (savedTime{}) {
		return time.Time{}
	}
	t := time.Unix(s.Unix, int64(s.Nsec))
	loc, ok := ls[s.Loc]
	if !ok {
		switch s.Loc {
		case vietnamese.Location().String():
			loc = vietnamese.Location()
		case "UTC":
			loc = time.UTC
		case "Local":
			loc = time.Local
		case "":
		default:
			loc, _ = time.LoadLocation(s.Loc) // nil when unknown: a fixed zone below
		}
		ls[s.Loc] = loc
	}
	if loc != nil {
		if abbrev, off := t.In(loc).Zone(); abbrev == s.Abbrev && off == s.Offset {
			return t.In(loc)
		}
	}
	return t.In(time.FixedZone(s.Abbrev, s.Offset))
}

// saveValue returns v with its times as savedTime (a copy: v is not changed).
func saveValue(v any) any {
	switch x := v.(type) {
	case time.Time:
		return saveTime(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = saveValue(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = saveValue(e)
		}
		return out
	}
	return v
}

// loadValue undoes saveValue in place.
func (ls locations) loadValue(v any) any {
	switch x := v.(type) {
	case savedTime:
		return ls.time(x)
	case []any:
		for i, e := range x {
			x[i] = ls.loadValue(e)
		}
	case map[string]any:
		for k, e := range x {
			x[k] = ls.loadValue(e)
		}
	}
	return v
}

// persistHeader starts the saved cache.
type persistHeader struct {
	Format  int
	Entries int
}

// persisted is one saved entry.
type persisted struct {
	Rel, Tax, Key, Stat string
	Doc                 *Document
	// Dates are Doc's Date, Lastmod, PublishDate and ExpiryDate (zero in Doc).
	Dates [4]savedTime
}

// Save writes the documents of the files of the last load (those without diagnostics)
// to w, without their Markdown.
func (c *Cache) Save(w io.Writer) error {
	c.mu.Lock()
	var list []persisted
	for _, f := range c.files {
		if e, ok := c.entries[f.Rel]; ok && e.saveable() {
			list = append(list, e.persist(f.Rel))
		}
	}
	c.mu.Unlock()
	bw := bufio.NewWriterSize(w, 256<<10)
	enc := gob.NewEncoder(bw)
	if err := enc.Encode(persistHeader{Format: persistFormat, Entries: len(list)}); err != nil {
		return err
	}
	for i := range list {
		if err := enc.Encode(&list[i]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// LoadCache reads a cache written by Save. Its documents have no Body (see Bodiless).
func LoadCache(r io.Reader) (*Cache, error) {
	dec := gob.NewDecoder(bufio.NewReaderSize(r, 256<<10))
	var h persistHeader
	if err := dec.Decode(&h); err != nil {
		return nil, message.Errorf("bộ nhớ đệm các bài đã đọc bị hỏng: %v", err)
	}
	if h.Format != persistFormat {
		return nil, message.Errorf("bộ nhớ đệm các bài đã đọc có định dạng %d, bản portal này đọc định dạng %d", h.Format, persistFormat)
	}
	c := NewCache()
	ls := locations{}
	for range h.Entries {
		var p persisted
		if err := dec.Decode(&p); err != nil {
			return nil, message.Errorf("bộ nhớ đệm các bài đã đọc bị hỏng: %v", err)
		}
		e, err := ls.restore(&p)
		if err != nil {
			return nil, err
		}
		e.inBase = true
		c.entries[p.Rel] = e
		c.base = append(c.base, p.Rel)
	}
	return c, nil
}

// saveable reports whether Save keeps e: a document without diagnostics, read from a
// file with an identity, whose Params gob can write.
func (e cacheEntry) saveable() bool {
	return len(e.diags) == 0 && e.doc != nil && e.stat != "" && gobSafe(e.doc.Params)
}

// persist is e as Save writes it, for the file rel.
func (e cacheEntry) persist(rel string) persisted {
	d := *e.doc
	d.Body = nil
	dates := [4]savedTime{saveTime(d.Date), saveTime(d.Lastmod), saveTime(d.PublishDate), saveTime(d.ExpiryDate)}
	d.Date, d.Lastmod, d.PublishDate, d.ExpiryDate = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	if d.Params != nil {
		d.Params, _ = saveValue(d.Params).(map[string]any)
	}
	return persisted{Rel: rel, Tax: e.tax, Key: e.key, Stat: e.stat, Doc: &d, Dates: dates}
}

// restore undoes persist: the entry of a saved document, without its Markdown.
func (ls locations) restore(p *persisted) (cacheEntry, error) {
	if p.Doc == nil {
		return cacheEntry{}, message.Errorf("bộ nhớ đệm các bài đã đọc bị hỏng: %s không có bài", p.Rel)
	}
	d := p.Doc
	d.Date, d.Lastmod, d.PublishDate, d.ExpiryDate = ls.time(p.Dates[0]), ls.time(p.Dates[1]), ls.time(p.Dates[2]), ls.time(p.Dates[3])
	d.Params, _ = ls.loadValue(d.Params).(map[string]any)
	if d.KeyLines == nil {
		d.KeyLines = map[string]int{}
	}
	if d.Terms == nil {
		d.Terms = map[string][]string{}
	}
	return cacheEntry{tax: p.Tax, key: p.Key, stat: p.Stat, doc: d, bodiless: true}, nil
}

// SavedAsIs reports whether Save would write the documents LoadCache read, as they
// were: every file of the last load was found by its identity in the saved cache (none
// parsed again) and the cache holds no other document. A DiskCache build then need not
// write them again.
func (c *Cache) SavedAsIs() bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.files == nil || len(c.files) != len(c.entries) {
		return false
	}
	for _, f := range c.files {
		if e, ok := c.entries[f.Rel]; !ok || !e.bodiless {
			return false
		}
	}
	return true
}

// Bodiless reports whether d came from a saved cache without its Markdown.
func (c *Cache) Bodiless(d *Document) bool {
	if c == nil {
		return false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[d.Path]
	return ok && e.doc == d && e.bodiless
}

// ReadBody reads the Markdown of d (a document from a saved cache) from its file in
// fsys, which must still hold the bytes d was parsed from.
func ReadBody(fsys fs.FS, d *Document, schema Schema) ([]byte, error) {
	raw, err := fs.ReadFile(fsys, d.Path)
	if err != nil {
		return nil, err
	}
	if sum := sha256.Sum256(raw); hex.EncodeToString(sum[:]) != d.Hash {
		return nil, message.Errorf("%s đã thay đổi trong lúc dựng: dựng lại", d.Path)
	}
	fresh, _ := Parse(d.Path, raw, schema)
	if fresh == nil {
		return nil, fmt.Errorf("%s: cannot parse again a file parsed before", d.Path)
	}
	return fresh.Body, nil
}

// gobSafe reports whether v holds only values Save can write: strings, numbers, bools,
// times, and lists and maps of them.
func gobSafe(v any) bool {
	switch x := v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, time.Time:
		return true
	case []any:
		for _, e := range x {
			if !gobSafe(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !gobSafe(e) {
				return false
			}
		}
		return true
	}
	return false
}
