package publish

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// Keeping the files of the last commit without reading them. With a usable
// Options.Previous (nothing else changed the output since the commit that made the
// Listing), a file of kind Existing at its own path that the Listing lists is kept where
// it is as soon as it is added: no stat, no worker, and its .gz sibling is kept when the
// Listing lists it too (the last commit left both). `portal serve --watch` adds ~18,000
// such pages per save at 10,000 articles; reading each one and its sibling again cost
// more than the rest of the commit. The caller's promise is that of Existing: the file
// did not change since that commit. Without a usable listing (the first build, another
// build or a recovery in between), or with Options.Durable, an Existing file is checked
// and linked by a worker as before.
//
// Such a file costs one look-up in the listing and one in the kept set when it is added:
// it is not claimed (claims.go's walk up its folders, its sibling's claim) and not
// cleaned (a listed path is a clean path inside the output). That two sources want one
// path is still an error: two kept files at one path when the second is added, a kept
// file and a claimed one at Commit (checkKept), before anything changes, from the side of
// the few files claimed.

// keepListed keeps j in place when the Writer plans from the previous Listing and it
// lists j (see above); it reports whether it did, or the collision with a file already
// kept at j's path. A file claimed at that path, before or after, is checkKept's at
// Commit (one pass over the few claimed files instead of a look-up per kept file). Its
// .gz sibling, when listed, is kept by the plan (keptFile).
//
// A file of kind Kept is kept so with any listing, one still to be checked at Commit
// too (`portal build` reads it back from its cache folder): its caller has just
// compared its identity and its sibling's with those recorded after the last commit,
// which is what the listing would vouch for. One whose sibling the Writer should have but
// the caller does not vouch for goes to a worker (keep), as without a listing. At 100,000
// articles that is every page of a build with one edit, ~173,000: each was claimed (its
// folders walked up, its sibling's name made and claimed), queued, and stored twice in
// the kept set by a worker.
func (w *Writer) keepListed(j File) (bool, error) {
	// prevParent is set only when the listing was trusted at Begin (the output's parent
	// folder as the listing's commit left it); a listing still to be checked at Commit
	// (a saved one, or one after another build) does not vouch for a file's bytes, which
	// a Kept file's caller did.
	switch {
	case w.prev == nil || w.opts.Durable || !w.prev.Has(j.Rel) || !w.isCurrent(j.SrcPath, j.Rel):
		return w.notCarried(j)
	case j.Kind == Existing && !w.prevParent.IsZero():
	case j.Kind == Kept && w.keepsKeptUnread(j):
	default:
		return w.notCarried(j)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state != stateOpen {
		w.carryRefused = w.carryRefused || j.Carry
		return false, nil // enqueue explains it
	}
	if prev, ok := w.keptSource(j.Rel); ok {
		return false, collision(w.show(j.Rel), owner{source: prev}, j.Source)
	}
	if w.listedKept == nil {
		// Room for as many as the last commit kept (35,000 listed files at 10,000
		// articles, ~17,800 of them pages kept unread at a save, the rest their .gz
		// siblings), less those it carried, which come by KeepLast (keeplast.go); the
		// map grows if more are.
		w.listedKept = make(map[string]string, w.roomKept())
	}
	w.listedKept[j.Rel] = j.Source
	w.files.Add(1)
	if strings.HasSuffix(j.Rel, GzipSuffix) {
		w.keptGzNamed++
	}
	if j.Kind == Kept { // its sizes are known: the stats count it as keep would
		w.keptKind, w.carryRefused = true, w.carryRefused || j.Carry // not carried (keeplast.go)
		w.bytes.Add(j.Size)
		w.bytesBefore.Add(j.Size)
		if j.GzSize > 0 && w.wantsSibling(j.Rel, j.Size) {
			w.gzBytes.Add(j.GzSize)
			w.precompressed.Add(1)
			w.gzName = append(append(w.gzName[:0], j.Rel...), GzipSuffix...)
			if _, ok := w.prev.files[string(w.gzName)]; ok {
				w.listedKeptGz++
			}
		}
		return true, nil
	}
	gz := false
	if w.opts.Precompress && precompressible(j.Rel) {
		// Its sibling's name in a reused buffer: a map look-up by string(bytes) makes no
		// string.
		w.gzName = append(append(w.gzName[:0], j.Rel...), GzipSuffix...)
		if _, gz = w.prev.files[string(w.gzName)]; gz {
			w.listedKeptGz++
			w.precompressed.Add(1)
		}
	}
	if j.Carry {
		if w.carry == nil {
			w.carry = make(map[string]carriedFile, w.roomKept())
		}
		w.carry[j.Rel] = carriedFile{source: j.Source, gz: gz}
	}
	return true, nil
}

// notCarried is keepListed's answer for a file it does not keep: a file given with Carry
// then makes the listing carry nothing (keeplast.go).
func (w *Writer) notCarried(j File) (bool, error) {
	if j.Carry {
		w.mu.Lock()
		w.carryRefused = true
		w.mu.Unlock()
	}
	return false, nil
}

// keepsKeptUnread reports whether keepListed may keep the Kept file j as keep would
// without a worker: its caller vouches for the sibling it should have, and a small
// file's sibling that keep would delete (one kept file's siblings are kept by the plan,
// keptSibling) is not in the listing.
func (w *Writer) keepsKeptUnread(j File) bool {
	if w.wantsSibling(j.Rel, j.Size) {
		return j.GzSize > 0
	}
	if !w.opts.Precompress || !precompressible(j.Rel) {
		return true
	}
	_, listed := w.prev.files[j.Rel+GzipSuffix] // not under mu: no shared buffer
	return !listed
}

// staleOnlyAmong returns the only listed files that may be stale, when every other file
// of the previous listing is kept or written again by this generation: then the plan
// need not look up each listed path (35,000 at 10,000 articles) to find the few to
// delete. The others are counted, not looked up: the kept files (keepListed's, their
// listed siblings, the workers' Existing files), the staged files outside the reserved
// folders that the listing has, and the top-level .gitkeep; each is a distinct listed
// path (the claims and checkKept make sure no path is kept or written twice). What
// remains are the listed files inside the reserved folders (the search index, whose
// files change with every update), found by reading those folders in the output. When
// the counts do not add up to the listing (a page or asset no longer made), ok is false
// and the plan looks at every listed file. Called by makePlan with w.prev set.
func (w *Writer) staleOnlyAmong(staged map[string]bool) (only []string, ok bool) {
	w.mu.Lock()
	files, gz := w.keptCount()
	n := files + gz
	reserved := slices.Clone(w.reserved)
	_, keptGitkeep := w.keptSource(gitkeep)
	w.mu.Unlock()
	inReserved := func(rel string) bool {
		for _, d := range reserved {
			if len(rel) > len(d) && rel[len(d)] == '/' && rel[:len(d)] == d {
				return true
			}
		}
		return false
	}
	w.kept.Range(func(rel string) bool {
		if w.prev.Has(rel) && !staged[rel] {
			n++
		}
		return true
	})
	if w.prev.Has(gitkeep) && !staged[gitkeep] && !keptGitkeep && !w.kept.Has(gitkeep) {
		n++
	}
	for rel := range staged {
		if w.prev.Has(rel) && !inReserved(rel) {
			n++
		}
	}
	// The files KeepLast was told are gone and that were not added again, with their
	// siblings: stale unless something else keeps them.
	w.mu.Lock()
	for rel := range w.gone {
		for _, r := range [2]string{rel, rel + GzipSuffix} {
			if !w.prev.Has(r) || staged[r] || w.kept.Has(r) {
				continue
			}
			if _, ok := w.keptSource(r); ok {
				continue
			}
			if _, ok := w.keptSibling(r); ok {
				continue
			}
			only = append(only, r)
		}
	}
	w.mu.Unlock()
	for _, d := range reserved {
		root := w.current(d)
		err := filepath.WalkDir(root, func(full string, e fs.DirEntry, err error) error {
			if full == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // a first index
			}
			if err != nil || e.IsDir() {
				return err
			}
			r, err := filepath.Rel(w.dest, full)
			if err != nil {
				return err
			}
			if r = filepath.ToSlash(r); w.prev.Has(r) {
				only = append(only, r)
			}
			return nil
		})
		if err != nil {
			return nil, false
		}
	}
	return only, n+len(only) == len(w.prev.files)
}

// collision is the error for two files at one path, prev's and source's (claim's and
// keepListed's): "used by both" when prev is a reserved folder.
func collision(shown string, prev owner, source string) error {
	if prev.reserved {
		return message.Errorf("%w: %s được cả %s và %s dùng", ErrCollision, shown, prev.name(), source)
	}
	return message.Errorf("%w: %s sẽ bị cả %s và %s ghi vào; đặt slug hoặc url khác cho một trong hai",
		ErrCollision, shown, prev.name(), source)
}

// keptSibling reports whether rel is the .gz sibling of a kept file, which the Writer
// would have claimed for it.
func (w *Writer) keptSibling(rel string) (string, bool) {
	base, ok := strings.CutSuffix(rel, GzipSuffix)
	if !ok || !w.opts.Precompress || !precompressible(base) {
		return "", false
	}
	return w.keptSource(base)
}

// checkKept reports a kept file (keepListed) that collides with a claimed one, or with
// another kept file's sibling: what claim would have refused had the kept files been
// claimed. Called by Commit once every file is added, before anything changes; its
// cost is that of the claimed files (the rendered ones, the reserved folders), not of the
// kept ones, but for one pass over the kept paths' suffixes.
func (w *Writer) checkKept() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if files, _ := w.keptCount(); files == 0 {
		return nil
	}
	if w.keptGzNamed > 0 || w.lastGzNamed > 0 { // a kept file named like another kept file's sibling
		var err error
		w.rangeKept(func(rel, src string) bool {
			if kept, ok := w.keptSibling(rel); ok {
				err = collision(w.show(rel), owner{source: kept, sibling: true}, src)
			}
			return err == nil
		})
		if err != nil {
			return err
		}
	}
	var folders []string // claimed paths that are folders of the output
	for rel, o := range w.claimed.files {
		if src, ok := w.keptSource(rel); ok {
			return collision(w.show(rel), o, src)
		}
		if src, ok := w.keptSibling(rel); ok {
			return collision(w.show(rel), owner{source: src, sibling: true}, o.name())
		}
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			if src, ok := w.keptSource(dir); ok {
				return message.Errorf("%w: %s của %s cần %s là thư mục, nhưng %s ghi nó thành tệp",
					ErrCollision, w.show(rel), o.name(), w.show(dir), src)
			}
		}
		if w.prev.Has(rel) {
			continue // a file of the output, so no kept file is inside it
		}
		if fi, err := os.Lstat(w.current(rel)); err == nil && fi.IsDir() {
			folders = append(folders, rel)
		}
	}
	for _, dir := range folders {
		prefix := dir + "/"
		var err error
		w.rangeKept(func(rel, src string) bool {
			if !strings.HasPrefix(rel, prefix) {
				return true
			}
			o := w.claimed.files[dir]
			if o.reserved {
				err = message.Errorf("%w: %s của %s nằm trong %s, thư mục đã dành cho %s",
					ErrCollision, w.show(rel), src, w.show(dir), o.name())
			} else {
				err = message.Errorf("%w: %s của %s sẽ là một tệp, nhưng %s cần nó là thư mục",
					ErrCollision, w.show(dir), o.name(), src)
			}
			return false
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// isCurrent reports whether src is the path of rel in the current output (w.current(rel),
// without making it).
func (w *Writer) isCurrent(src, rel string) bool {
	if filepath.Separator != '/' {
		return filepath.Clean(src) == w.current(rel)
	}
	n := len(w.dest)
	return len(src) == n+1+len(rel) && src[:n] == w.dest && src[n] == '/' && src[n+1:] == rel
}

// Current reports whether l still lists the output folder dest as it is: nothing but the
// Writer that made it changed the folder since (see Listing). A caller that keeps what
// it knows of the files of dest from that commit may trust it while this holds.
func (l *Listing) Current(dest string) bool { return l.forDest(dest).parentUnchanged(dest) }

// Has reports whether l lists the file rel (slash-separated, relative to the output).
func (l *Listing) Has(rel string) bool {
	_, ok := l.files[rel]
	return ok
}
