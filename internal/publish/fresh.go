package publish

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
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
