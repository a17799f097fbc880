package content

import (
	"io"

	"github.com/vnportal/portal/internal/message"
)

// The changes since the saved cache: after one edit, writing every document again (at
// 100,000 articles about 200 MB) cost more than the rest of the build's cache work, so a
// build that changed few documents writes only those (SaveChanges) beside the full save,
// and the next build reads both (LoadCache, then LoadChanges). Each entry still carries
// the identity of its file, so an entry is only ever used for the very file it was
// parsed from, whichever of the two it came from.

// changed returns the paths of the documents of the last load that differ from the full
// save LoadCache read (parsed since, or read from saved changes), and the paths of that
// save's entries the last load no longer has. ok is false when the cache was not read
// from a full save. Called with c.mu held.
func (c *Cache) changed() (upserts, removed []string, ok bool) {
	if c.base == nil || c.files == nil {
		return nil, nil, false
	}
	same := make(map[string]bool, len(c.files))
	for _, f := range c.files {
		e, ok := c.entries[f.Rel]
		switch {
		case !ok || !e.saveable():
		case e.inBase:
			same[f.Rel] = true
		default:
			upserts = append(upserts, f.Rel)
			same[f.Rel] = true // written again: no need to name it gone
		}
	}
	for _, rel := range c.base {
		if !same[rel] {
			removed = append(removed, rel)
		}
	}
	return upserts, removed, true
}

// Changes reports how many documents SaveChanges would write, how many paths of the
// full save it would name as gone, and how many documents that save holds; ok is false
// when the cache was not read from a full save (LoadCache), and SaveChanges cannot be
// used.
func (c *Cache) Changes() (entries, removed, saved int, ok bool) {
	if c == nil {
		return 0, 0, 0, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	u, r, ok := c.changed()
	return len(u), len(r), len(c.base), ok
}

// SaveChanges writes what Save would write that differs from the full save LoadCache
// read: the documents parsed since (or read from saved changes), and the paths of that
// save gone since. LoadCache of the full save followed by LoadChanges of these gives the
// documents Save would write now.
func (c *Cache) SaveChanges(w io.Writer) error {
	c.mu.Lock()
	paths, removed, ok := c.changed()
	if !ok {
		c.mu.Unlock()
		return message.Errorf("bộ nhớ đệm các bài đã đọc chưa được đọc từ tệp đầy đủ")
	}
	// The header (format, count, the paths gone), then the records as Save writes them.
	var e encoder
	e.Uint(persistFormat)
	e.Uint(uint64(len(paths)))
	e.strs(removed)
	var rec encoder
	for _, rel := range paths {
		rec.Buf = rec.Buf[:0]
		rec.entry(rel, c.entries[rel])
		e.Uint(uint64(len(rec.Buf)))
		e.Buf = append(e.Buf, rec.Buf...)
	}
	c.mu.Unlock()
	cw := &checkedWriter{w: w}
	if _, err := cw.Write(e.Buf); err != nil {
		return err
	}
	return cw.end()
}

// LoadChanges applies changes written by SaveChanges to a cache LoadCache read from the
// full save they were made against. On an error the cache is left as it was: the caller
// drops it (every entry is still checked against its file's identity before use, so a
// mismatched pair costs parsing, never a stale document).
func (c *Cache) LoadChanges(r io.Reader) error {
	var removed []string
	rels, entries, err := readSaved(r, func(d *decoder) { removed = d.strs() })
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, rel := range removed {
		delete(c.entries, rel)
	}
	for i, rel := range rels {
		c.entries[rel] = entries[i]
	}
	return nil
}
