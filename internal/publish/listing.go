package publish

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/parallel"
)

// Listing is the set of files an output folder holds once a Writer has committed to it
// (Stats.Listing). Given to the next Writer on the same folder (Options.Previous), it
// replaces the walk of the whole output that finds the files to delete: the plan takes
// the listed files that the new generation neither keeps nor writes (at 10,000 articles,
// 35,000 files in 17,800 folders, the walk took 0.45 s of every save of `portal serve
// --watch` on a busy machine).
//
// A listing is only as good as the knowledge that nothing else changed the folder's
// names since. The Writer trusts it in one of two ways, checked under the output's lock
// at Commit:
//
//   - Kept in memory by the process that committed it (`portal serve --watch`): every
//     other build, and every recovery of a killed one, creates or removes its staging
//     folder beside the output, which changes the modification time of the output's
//     parent folder, so the listing holds while that time is the one recorded after the
//     commit that made it (checked at Begin, before the Writer's own staging folder is
//     made, and again at Commit). A Writer that fails or is aborted changes nothing in
//     the output and keeps the listing usable (it records the parent's time again once
//     its staging folder is gone). A file copied by hand into the output meanwhile is
//     not seen this way.
//   - Otherwise (a listing read back with ReadListing by the next `portal build`, or the
//     parent's time changed), by its folders' stamps (verify): adding, removing or
//     renaming an entry of a folder changes the folder's change time, which cannot be set
//     by hand, so a folder whose stamp (device, inode, modification and change times) is
//     the recorded one holds the names it held then. A folder without a recorded stamp
//     (one the last commit changed, or one changed less than racyMargin before its stamp
//     was taken, when a change in the same clock tick would not show) has its names read
//     and compared with the listing instead. Any difference, and the Writer walks the
//     output as it did without a listing: a file copied by hand into the output is seen
//     and deleted, as it always was.
type Listing struct {
	dest  string              // the absolute output folder
	files map[string]struct{} // slash-separated paths of the files in it
	// parent is the parent folder's modification time after the commit; zero for a
	// listing read back (ReadListing), whose folders' stamps are checked instead.
	parent time.Time
	// dirs holds the stamps of folders known to hold the listed names ("." is the
	// output); a folder of the listing without one has its names read by verify.
	dirs map[string]dirStamp
	// changed: l may differ from the listing it was made from (Changed).
	changed bool
	// filesChanged: l's files may differ from those of the listing it was made from
	// (FilesChanged); restamped counts the folders verify stamped anew (Restamped).
	filesChanged bool
	restamped    int
	// keptUnread is how many files the commit that made l kept unread (keep.go), by
	// KeepLast too: the next Writer's room for its own, which are about as many (less
	// those l carries, when it uses KeepLast).
	keptUnread int
	// carried are the files the next Writer may keep by KeepLast (keeplast.go); nil
	// for none, and for a listing read back.
	carried *carried
}

// Changed reports whether l may differ from the listing the Writer that made it was
// given (Options.Previous): it is made by a walk, or files were renamed or deleted, or
// folders were changed or stamped. A listing read back and not changed need not be saved
// again.
func (l *Listing) Changed() bool { return l.changed }

// FilesChanged reports whether l's files may differ from those of the listing read back
// that the Writer which made it was given: it is made by a walk, or files were added or
// deleted (a file renamed over one of the same name is no change). A listing saved
// before, whose files are l's, is still a true account of the output: its stale stamps
// only make verify read those folders (StaleStamps).
func (l *Listing) FilesChanged() bool { return l.prevFiles() }

func (l *Listing) prevFiles() bool { return l == nil || l.filesChanged }

// Restamped is how many folders verify read (their stamps in the listing read back no
// longer held, or it had none) and stamped anew, for the listing l was made from: what
// saving l instead of keeping the listing read back would spare the next verify. A
// listing kept with stale stamps is still true; those folders are read each time.
func (l *Listing) Restamped() int {
	if l == nil {
		return 0
	}
	return l.restamped
}

// dirStamp identifies one state of a folder (stamp_linux.go).
type dirStamp struct {
	Dev, Ino     uint64
	ModNs, ChgNs int64
}

// racyMargin is how long after a folder's last change its stamp is trusted: a change in
// the same tick of the file system's clock as the stamp would leave it as it was (git's
// "racily clean" entries), and some file systems keep whole seconds.
const racyMargin = 2 * time.Second

// known reports whether s is a stamp to record for a listing whose folders were stamped
// from the time start on: a real stamp, older than start by more than margin.
func (s dirStamp) known(start time.Time, margin time.Duration) bool {
	return s.ChgNs != 0 && s.ChgNs < start.Add(-margin).UnixNano()
}

// Len is the number of files listed (0 for a nil Listing).
func (l *Listing) Len() int {
	if l == nil {
		return 0
	}
	return len(l.files)
}

// parentTime is the modification time of dest's parent folder.
func parentTime(dest string) (time.Time, bool) {
	fi, err := os.Stat(filepath.Dir(dest))
	if err != nil {
		return time.Time{}, false
	}
	return fi.ModTime(), true
}

// forDest returns l when it is a listing of dest, else nil.
func (l *Listing) forDest(dest string) *Listing {
	if l == nil || l.dest != dest {
		return nil
	}
	return l
}

// parentUnchanged reports whether dest's parent folder has the modification time l
// recorded after its commit (never for a listing read back).
func (l *Listing) parentUnchanged(dest string) bool {
	if l == nil || l.parent.IsZero() {
		return false
	}
	t, ok := parentTime(dest)
	return ok && t.Equal(l.parent)
}

// folders returns every folder that holds a listed file, "." (the output) included.
func (l *Listing) folders() map[string]struct{} {
	dirs := map[string]struct{}{".": {}}
	for rel := range l.files {
		for dir := dirOf(rel); dir != "."; dir = dirOf(dir) {
			if _, ok := dirs[dir]; ok {
				break // its parents are there too
			}
			dirs[dir] = struct{}{}
		}
	}
	return dirs
}

// stampChunk is how many folders one worker of verify stats at a time.
const stampChunk = 1024

// verify reports whether dest holds exactly the listed files' names (see Listing): each
// folder with a recorded stamp is stat'ed, each other one read and compared. Folders read
// and found as listed get their stamp recorded, when old enough (margin). step is told
// "verified the listing" or, for each folder read, "read folder <dir>".
func (l *Listing) verify(dest string, margin time.Duration, step func(string)) bool {
	start := time.Now()
	dirs := l.folders()
	// Every folder is stat'ed (at 100,000 articles, 100,000 folders), on every core.
	list := make([]string, 0, len(dirs))
	for dir := range dirs {
		list = append(list, dir)
	}
	stamps := make([]dirStamp, len(list))
	var bad atomic.Bool
	_ = parallel.Each(context.Background(), (len(list)+stampChunk-1)/stampChunk, func(c int) {
		for i := c * stampChunk; i < min(len(list), (c+1)*stampChunk) && !bad.Load(); i++ {
			st, isDir, err := stampDir(filepath.Join(dest, filepath.FromSlash(list[i])))
			if err != nil || !isDir {
				bad.Store(true)
				return
			}
			stamps[i] = st
		}
	})
	if bad.Load() {
		return false
	}
	var unknown map[string]map[string]bool // folder → its entries' names → is a folder
	fresh := map[string]dirStamp{}
	for i, dir := range list {
		st := stamps[i]
		if was, ok := l.dirs[dir]; ok && was == st {
			continue
		}
		if unknown == nil {
			unknown = map[string]map[string]bool{}
		}
		unknown[dir] = map[string]bool{}
		if st.known(start, margin) {
			fresh[dir] = st
		}
	}
	if unknown != nil {
		// The names each folder to read should hold: its files and its subfolders.
		for dir := range dirs {
			if dir == "." {
				continue
			}
			if want, ok := unknown[dirOf(dir)]; ok {
				want[baseOf(dir)] = true
			}
		}
		for rel := range l.files {
			if want, ok := unknown[dirOf(rel)]; ok {
				want[baseOf(rel)] = false
			}
		}
		for dir, want := range unknown {
			step("read folder " + dir)
			entries, err := os.ReadDir(filepath.Join(dest, filepath.FromSlash(dir)))
			if err != nil || len(entries) != len(want) {
				return false
			}
			for _, e := range entries {
				isDir, ok := want[e.Name()]
				if !ok || isDir != e.IsDir() {
					return false
				}
			}
		}
	}
	if l.dirs == nil {
		l.dirs = map[string]dirStamp{}
	}
	for dir, st := range fresh {
		l.dirs[dir] = st
		l.changed = true
	}
	l.restamped = len(fresh)
	step("verified the listing")
	return true
}

// listingMagic starts a saved listing; the number is its format. Format 1 was gob;
// format 2 (listing_codec.go) is read without a string, a map entry of gob's or a
// growing buffer per listed file.
const listingMagic = "portal-listing 2\n"

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// WriteTo writes l for ReadListing: `portal build` keeps the listing of its last commit
// in its cache folder, so that the next build, another process, need not walk the output.
// Only the listing's files and the stamps of its folders are written: read back, it is
// trusted by those stamps alone.
func (l *Listing) WriteTo(w io.Writer) (int64, error) {
	// Every stamp held: each is of a folder that holds listed files (a folder a commit
	// emptied or removed was changed by it, and its stamp dropped), and one that no
	// longer did would only be ignored by verify, which looks stamps up by the folders
	// of the files.
	b := encodeListing(l)
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(b, castagnoli))
	n, err := w.Write(b)
	return int64(n), err
}

// errBadListing is ReadListing's error for bytes that are not a whole saved listing of
// this format: the caller walks the output instead.
var errBadListing = errors.New("publish: not a saved listing of this format, or damaged")

// ReadListing reads a listing written by WriteTo. Its files are trusted only once the
// stamps of its folders check out against the output (see Listing), so a listing older
// than the output, or of an output changed by hand, only makes the Writer walk it.
func ReadListing(r io.Reader) (*Listing, error) {
	b, err := readAllSized(r)
	if err != nil {
		return nil, err
	}
	if len(b) < len(listingMagic)+4 || string(b[:len(listingMagic)]) != listingMagic {
		return nil, errBadListing
	}
	body, tail := b[:len(b)-4], b[len(b)-4:]
	if binary.BigEndian.Uint32(tail) != crc32.Checksum(body, castagnoli) {
		return nil, errBadListing
	}
	return decodeListing(body)
}

// readAllSized reads r to its end in one buffer of the file's size when r is a file
// (io.ReadAll's doublings of a 38 MB listing allocated 76 MB more).
func readAllSized(r io.Reader) ([]byte, error) {
	f, ok := r.(*os.File)
	if !ok {
		return io.ReadAll(r)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		return io.ReadAll(r)
	}
	b := make([]byte, 0, fi.Size()+1) // +1: the end is seen without growing
	for {
		n, err := f.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return nil, err
		}
		if len(b) == cap(b) { // the file grew meanwhile
			b = append(b, 0)[:len(b)]
		}
	}
}

// Holds reports whether the output folder dest still holds exactly the names l lists,
// checked as a Writer checks a listing read back (verify: the folders' stamps, and the
// names of any folder without a current stamp). It says nothing of the files' bytes: a
// caller that trusts them checks their identities too.
func (l *Listing) Holds(dest string) bool {
	return l.forDest(dest) != nil && l.verify(dest, racyMargin, func(string) {})
}

// Files returns the listed files' paths (slash-separated, relative to the output), sorted.
func (l *Listing) Files() []string {
	if l == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(l.files))
}
