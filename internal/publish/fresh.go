package publish

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"

	"github.com/vnportal/portal/internal/parallel"
)

// A build into an output folder that does not exist yet (the first build of a site, a
// build into a new folder, every cold build of bench/run.sh) has nothing to replace,
// keep or delete: the staging folder holds the whole new output, and one rename of the
// folder itself makes it the output. The rename is atomic, so it is its own commit point:
// a build killed before it leaves no output (and a staging folder without a journal, which
// the next Begin or Recover removes: roll back), one killed after it leaves the complete
// new output. No journal is written. The in-place commit would instead rename every file
// into a folder it makes file by file and then remove the staging folder's empty folders:
// at 10,000 prose articles, 37,625 renames and 18,800 folders made and removed, about
// 3.7 s of a cold pages-only build on one core (BENCHMARKS.md, issue 22).

// renameWhole reports whether the plan p may be applied by renaming the staging folder
// over the output: the output folder does not exist (Lstat, under the parent's lock), so
// nothing is deleted and no file is kept in place.
func (w *Writer) renameWhole(p plan) bool {
	if len(p.Deletes) > 0 {
		return false
	}
	_, err := os.Lstat(w.dest)
	return errors.Is(err, fs.ErrNotExist)
}

// commitWhole renames the staging folder to the output (see renameWhole) and reports
// whether it did; when the rename is refused nothing changed, and the caller commits file
// by file instead. The caller holds the parent folder's lock; the staging folder's own
// lock (a handle on the folder) moves with it and is released by the caller. With
// Options.Durable the files and folders were synced before; the parent folder is always
// synced after the rename, as apply syncs the output.
func (w *Writer) commitWhole() (bool, error) {
	if err := os.Rename(w.tmp, w.dest); err != nil {
		return false, nil
	}
	w.mu.Lock()
	w.state = stateCommitted
	w.mu.Unlock()
	w.cancel()
	w.step("renamed the staging folder")
	return true, syncDir(filepath.Dir(w.dest))
}

// The folders of a new output are stamped as the plan walks the staging folder, for the
// listing of the commit (listing.go): the rename of the staging folder leaves the folders
// inside it as they are (the same inode, times and names), so the next build checks
// each one's stamp instead of reading it. Without them, the first build after a cold
// build read every folder of the output name by name (at 100,000 articles, more than
// 100,000 folders) before it trusted the listing.

// freshStampsFor collects those stamps during one walk of the staging folder.
type freshStampsFor struct {
	start  time.Time
	margin time.Duration
	stamps map[string]dirStamp
	walked []string // every folder walked, for those without a file under them
}

// freshStamps returns a collector and true when the commit may rename the staging folder
// over the output (there is no output and no listing of one). Called under the parent
// folder's lock.
func (w *Writer) freshStamps() (*freshStampsFor, bool) {
	if w.prev != nil {
		return nil, false
	}
	if _, err := os.Lstat(w.dest); !errors.Is(err, fs.ErrNotExist) {
		return nil, false
	}
	return &freshStampsFor{start: time.Now(), margin: w.opts.margin(), stamps: map[string]dirStamp{}}, true
}

// walkChunk is how many folders one worker of walk reads at a time.
const walkChunk = 64

// walk returns the files of the staging folder tmp (slash paths; every entry that is not
// a folder), and stamps its folders, each before it is read (a change after the stamp
// shows in the next one) when old enough to trust; the staging folder itself is renamed,
// which changes its stamp, and is left out. The folders are read level by level, each
// level on every core: one goroutine's filepath.WalkDir at the end of a cold build, with
// an lstat of the absent output's path for every file, was the build's last serial
// stage (at 10,000 prose articles, 18,821 folders and 37,625 files: about 131,000 system
// calls; BENCHMARKS.md, nineteenth session, branch sys22).
func (f *freshStampsFor) walk(ctx context.Context, tmp string) ([]string, error) {
	type read struct {
		stamp   dirStamp
		stamped bool
		files   []string
		dirs    []string
		err     error
	}
	var files []string
	for level := []string{"."}; len(level) > 0; {
		reads := make([]read, len(level))
		err := parallel.Each(ctx, (len(level)+walkChunk-1)/walkChunk, func(c int) {
			for i := c * walkChunk; i < min(len(level), (c+1)*walkChunk); i++ {
				dir, r := level[i], &reads[i]
				full := filepath.Join(tmp, filepath.FromSlash(dir))
				if dir != "." {
					st, isDir, err := stampDir(full)
					r.stamp, r.stamped = st, err == nil && isDir && st.known(f.start, f.margin)
				}
				entries, err := os.ReadDir(full)
				if err != nil {
					r.err = err
					continue
				}
				for _, e := range entries {
					rel := e.Name()
					if dir != "." {
						rel = dir + "/" + rel
					}
					switch {
					case e.IsDir():
						r.dirs = append(r.dirs, rel)
					case rel != journalName:
						r.files = append(r.files, rel)
					}
				}
			}
		})
		if err != nil {
			return nil, err
		}
		var next []string
		for i, dir := range level {
			r := &reads[i]
			if r.err != nil {
				return nil, r.err
			}
			if dir != "." {
				f.walked = append(f.walked, dir)
				if r.stamped {
					f.stamps[dir] = r.stamp
				}
			}
			files = append(files, r.files...)
			next = append(next, r.dirs...)
		}
		level = next
	}
	return files, nil
}

// of returns the stamps of the folders that hold the files staged (every file of the new
// output), less those of folders that also hold a folder without a file under it: the
// listing does not name such a folder, and a check of the parent's names would fail.
func (f *freshStampsFor) of(staged map[string]bool) map[string]dirStamp {
	holding := map[string]bool{}
	for rel := range staged {
		for dir := path.Dir(rel); dir != "." && !holding[dir]; dir = path.Dir(dir) {
			holding[dir] = true
		}
	}
	for _, dir := range f.walked {
		if !holding[dir] {
			delete(f.stamps, dir)
			delete(f.stamps, path.Dir(dir))
		}
	}
	return f.stamps
}
