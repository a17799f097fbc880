package content

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/parallel"
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
const persistFormat = 4 // 4: codec.go instead of gob

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

// chunk is how many records a worker decodes at a time.
const chunk = 512

// Save writes the documents of the files of the last load (those without diagnostics)
// to w, without their Markdown (codec.go): the format, the count, each document's record
// with its length, and a checksum.
func (c *Cache) Save(w io.Writer) error {
	c.mu.Lock()
	type saved struct {
		rel string
		e   cacheEntry
	}
	var list []saved
	for _, f := range c.files {
		if e, ok := c.entries[f.Rel]; ok && e.saveable() {
			list = append(list, saved{f.Rel, e})
		}
	}
	c.mu.Unlock()
	bw := bufio.NewWriterSize(w, 256<<10)
	cw := &checkedWriter{w: bw}
	var head encoder
	head.Uint(persistFormat)
	head.Uint(uint64(len(list)))
	if _, err := cw.Write(head.Buf); err != nil {
		return err
	}
	var rec, n encoder
	for _, s := range list {
		rec.Buf = rec.Buf[:0]
		rec.entry(s.rel, s.e)
		n.Buf = n.Buf[:0]
		n.Uint(uint64(len(rec.Buf)))
		if _, err := cw.Write(n.Buf); err != nil {
			return err
		}
		if _, err := cw.Write(rec.Buf); err != nil {
			return err
		}
	}
	if err := cw.end(); err != nil {
		return err
	}
	return bw.Flush()
}

// damaged is the error for a saved cache that cannot be read.
func damaged(err error) error {
	return message.Errorf("bộ nhớ đệm các bài đã đọc bị hỏng: %v", err)
}

// readSaved reads a file Save or SaveChanges wrote: its format checked, the rest of its
// header read by head, then its records, decoded on every core.
func readSaved(r io.Reader, head func(*decoder)) ([]string, []cacheEntry, error) {
	s, ok, err := readChecked(r)
	if err != nil {
		return nil, nil, damaged(err)
	}
	if !ok {
		return nil, nil, damaged(message.Errorf("tổng kiểm tra không khớp hoặc tệp bị cắt ngắn"))
	}
	d := &decoder{Reader: binrec.Reader{S: s}, ls: locations{}}
	if f := d.Uint(); d.Err == nil && f != persistFormat {
		return nil, nil, message.Errorf("bộ nhớ đệm các bài đã đọc có định dạng %d, bản portal này đọc định dạng %d", f, persistFormat)
	}
	n := d.Count()
	head(d)
	// Where each record starts and ends.
	bounds := make([][2]int, n)
	for i := range bounds {
		size := d.Count()
		bounds[i] = [2]int{d.I, d.I + size}
		d.I += size
	}
	if d.Err != nil {
		return nil, nil, damaged(d.Err)
	}
	if d.I != len(s) {
		return nil, nil, damaged(message.Errorf("còn dữ liệu thừa sau bản ghi cuối"))
	}
	rels, entries := make([]string, n), make([]cacheEntry, n)
	var bad atomic.Bool
	parallel.Each(context.Background(), (n+chunk-1)/chunk, func(c int) {
		rd := decoder{Reader: binrec.Reader{S: s}, ls: locations{}}
		for i := c * chunk; i < min(n, (c+1)*chunk); i++ {
			rd.S, rd.I = s[:bounds[i][1]], bounds[i][0]
			rels[i], entries[i] = rd.entry()
			if rd.Err != nil || rd.I != bounds[i][1] || entries[i].doc.Path == "" {
				bad.Store(true)
				return
			}
		}
	})
	if bad.Load() {
		return nil, nil, damaged(binrec.ErrDamaged)
	}
	return rels, entries, nil
}

// LoadCache reads a cache written by Save. Its documents have no Body (see Bodiless).
func LoadCache(r io.Reader) (*Cache, error) {
	rels, entries, err := readSaved(r, func(*decoder) {})
	if err != nil {
		return nil, err
	}
	c := NewCache()
	c.entries = make(map[string]cacheEntry, len(rels))
	c.base = rels
	for i, rel := range rels {
		e := entries[i]
		e.inBase = true
		c.entries[rel] = e
	}
	return c, nil
}

// saveable reports whether Save keeps e: a document without diagnostics, read from a
// file with an identity, whose Params the codec can write.
func (e cacheEntry) saveable() bool {
	return len(e.diags) == 0 && e.doc != nil && e.stat != "" && encodable(e.doc.Params)
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

// encodable reports whether v holds only values Save can write (codec.go): strings, numbers, bools,
// times, and lists and maps of them.
func encodable(v any) bool {
	switch x := v.(type) {
	case nil, string, bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64, time.Time:
		return true
	case []any:
		for _, e := range x {
			if !encodable(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !encodable(e) {
				return false
			}
		}
		return true
	}
	return false
}
