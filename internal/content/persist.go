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
)

// A Cache can be kept on disk between runs of `portal build` (build.DiskCache): Save
// writes the parsed documents of the last load, LoadCache reads them back. A file whose
// identity (size, modification time and, where the system has them, inode and change
// time: see identity) is the recorded one is then not read at all. The documents come
// back without their Markdown (Body is nil: a build that needs it, because its rendered
// form is not in the cache, reads it with ReadBody); documents that had diagnostics are
// not kept (they are parsed again, so that their diagnostics are reported again).

// persistFormat is the version of what Save writes.
const persistFormat = 1

func init() {
	// The values front matter parsers put in Params (besides gob's basic types).
	gob.Register(time.Time{})
	gob.Register([]any{})
	gob.Register(map[string]any{})
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
}

// Save writes the documents of the files of the last load (those without diagnostics)
// to w, without their Markdown.
func (c *Cache) Save(w io.Writer) error {
	c.mu.Lock()
	var list []persisted
	for _, f := range c.files {
		e, ok := c.entries[f.Rel]
		if !ok || len(e.diags) > 0 || e.doc == nil || e.stat == "" || !gobSafe(e.doc.Params) {
			continue
		}
		d := *e.doc
		d.Body = nil
		list = append(list, persisted{Rel: f.Rel, Tax: e.tax, Key: e.key, Stat: e.stat, Doc: &d})
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
	for range h.Entries {
		var p persisted
		if err := dec.Decode(&p); err != nil {
			return nil, message.Errorf("bộ nhớ đệm các bài đã đọc bị hỏng: %v", err)
		}
		if p.Doc == nil {
			return nil, message.Errorf("bộ nhớ đệm các bài đã đọc bị hỏng: %s không có bài", p.Rel)
		}
		if p.Doc.KeyLines == nil {
			p.Doc.KeyLines = map[string]int{}
		}
		if p.Doc.Terms == nil {
			p.Doc.Terms = map[string][]string{}
		}
		c.entries[p.Rel] = cacheEntry{tax: p.Tax, key: p.Key, stat: p.Stat, doc: p.Doc, bodiless: true}
	}
	return c, nil
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
