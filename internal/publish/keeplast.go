package publish

import "strings"

// Keeping what the last commit kept, without adding it again. `portal serve --watch`
// adds every page of the site at each save (173,000 at 100,000 articles), nearly all of
// them Existing files kept unread (keep.go): each cost a look-up in the listing and an
// insertion into the kept set, and the kept set itself (≈ 15 MB a save at 100,000) was
// made anew. A caller that knows which of its files the last commit kept, and which of
// them are no longer to be kept, says so in one call instead (KeepLast), and the cost of
// a save in the Writer is that of the files it adds.
//
// The files a Listing carries for KeepLast are those its commit was given with
// File.Carry and kept unread, plus those that commit kept by KeepLast (less its gone
// ones). It carries none when any file given with Carry was not kept unread (the caller
// would believe it kept), when its commit was not planned from an untouched previous
// listing, or when a file of kind Kept was kept unread (its sizes counted in the stats).

// carried is the set of files a Listing carries for the next Writer's KeepLast: by path,
// its source (for messages) and whether the listing has its .gz sibling (counted as
// keepListed counts an Existing file's: Stats.Precompressed, and staleOnlyAmong's sum).
type carried struct {
	files       map[string]carriedFile
	gz          int  // files with a listed .gz sibling
	gzNamed     int  // paths ending in GzipSuffix
	precompress bool // Options.Precompress of the commit that made it
}

type carriedFile struct {
	source string
	gz     bool
}

// KeepLast keeps in place, unread, every file the last commit carried (see above: the
// files it was given with File.Carry or kept by KeepLast), but those at the paths gone,
// and reports whether it could: only with a listing of the output kept in memory and
// trusted at Begin (Options.Previous, as keepListed needs), without Options.Durable, and
// once per Writer. Call it after the files of this generation are added, before Commit.
// The caller's promise is that of Existing for each file kept: it did not change since
// that commit. A file of gone not added again is deleted by the commit, with its .gz
// sibling; a file added again while not in gone is an error (ErrCollision), at once or
// at Commit.
func (w *Writer) KeepLast(gone []string) (bool, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	c := w.prev.carriedFiles()
	if w.state != stateOpen || c == nil || w.last != nil || w.opts.Durable || w.prevParent.IsZero() || c.precompress != w.opts.Precompress {
		return false, nil
	}
	w.gone = make(map[string]bool, len(gone))
	files, gz, gzNamed := len(c.files), c.gz, c.gzNamed
	for _, rel := range gone {
		if w.gone[rel] {
			continue
		}
		w.gone[rel] = true
		if f, ok := c.files[rel]; ok {
			files--
			if f.gz {
				gz--
			}
			if strings.HasSuffix(rel, GzipSuffix) {
				gzNamed--
			}
		}
	}
	w.last = c
	// The files kept one by one (keepListed) that the last commit carried too: two
	// files at one path.
	for rel, src := range w.listedKept {
		if f, ok := w.lastKept(rel); ok {
			w.last, w.gone = nil, nil
			return false, collision(w.show(rel), owner{source: f.source}, src)
		}
	}
	w.lastFiles, w.lastGz, w.lastGzNamed = files, gz, gzNamed
	w.files.Add(int64(files))
	w.precompressed.Add(int64(gz))
	return true, nil
}

// carriedFiles is l's carried set (nil: none, or no listing).
func (l *Listing) carriedFiles() *carried {
	if l == nil {
		return nil
	}
	return l.carried
}

// lastKept reports whether rel is kept by KeepLast.
func (w *Writer) lastKept(rel string) (carriedFile, bool) {
	if w.last == nil || w.gone[rel] {
		return carriedFile{}, false
	}
	f, ok := w.last.files[rel]
	return f, ok
}

// keptSource reports whether rel is kept unread, one by one (keepListed) or by KeepLast,
// and its source.
func (w *Writer) keptSource(rel string) (string, bool) {
	if src, ok := w.listedKept[rel]; ok {
		return src, true
	}
	f, ok := w.lastKept(rel)
	return f.source, ok
}

// rangeKept calls f with each file kept unread, until f returns false.
func (w *Writer) rangeKept(f func(rel, src string) bool) {
	for rel, src := range w.listedKept {
		if !f(rel, src) {
			return
		}
	}
	if w.last == nil {
		return
	}
	for rel, c := range w.last.files {
		if !w.gone[rel] && !f(rel, c.source) {
			return
		}
	}
}

// keptCount is how many files are kept unread, and how many of their .gz siblings the
// listing has.
func (w *Writer) keptCount() (files, gz int) {
	return len(w.listedKept) + w.lastFiles, w.listedKeptGz + w.lastGz
}

// carryInto makes the carried set of the listing l this Writer's commit made: the last one's,
// less the gone files, plus the files given with Carry and kept unread (its map changed
// in place: the last listing is used up). None when the commit was not planned from an
// untouched listing or a file given with Carry was not kept unread.
func (w *Writer) carryInto(l *Listing) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.carryRefused || w.keptKind || w.prev == nil || !w.untouched {
		return
	}
	c := w.last
	if c == nil {
		c = &carried{files: make(map[string]carriedFile, len(w.carry)), precompress: w.opts.Precompress}
	} else {
		for rel := range w.gone {
			delete(c.files, rel)
		}
		c.gz, c.gzNamed = w.lastGz, w.lastGzNamed
	}
	for rel, f := range w.carry {
		c.files[rel] = f
		if f.gz {
			c.gz++
		}
		if strings.HasSuffix(rel, GzipSuffix) {
			c.gzNamed++
		}
	}
	l.carried = c
}

// roomKept is the room to make for the files kept one by one (keepListed): as many as
// the last commit kept unread, less those it carried (they come by KeepLast), or the
// listing's size when it kept none.
func (w *Writer) roomKept() int {
	n := w.prev.keptUnread
	if n == 0 {
		return len(w.prev.files)
	}
	if c := w.prev.carried; c != nil {
		n -= min(n, len(c.files))
	}
	return n + n/8
}
