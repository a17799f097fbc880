package publish

import (
	"cmp"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// In-place commit. A Writer stages only what changes: every file it writes (and every
// file it links from elsewhere) goes into its staging folder beside the output, under
// the file's own relative path; a file of kind Existing whose SrcPath is the same path
// of the current output stays where it is ("kept"). Commit then, holding the output
// folder's lock:
//
//  1. rolls forward the journal of a build killed while it applied one (recoverJournals);
//  2. plans: each staged file is a rename over its final name, unless it is the very file
//     already there (a hard link made by the search index) or holds the same bytes (a
//     .gz sibling: only with Options.Changes); each file of the output that is neither kept nor staged is a
//     deletion (the files of Options.Previous, the last commit's Listing, while nothing
//     else changed the output since; else a walk of the output's names: listing.go);
//  3. writes the plan as a journal in the staging folder (written beside, then renamed:
//     its appearance is the commit point);
//  4. renames the staged files over their final names, manifests last, then deletes the
//     stale files and the folders left empty;
//  5. removes the journal and the staging folder.
//
// A build killed before step 3 leaves the output untouched (Recover removes the staging
// folder: roll back); one killed after it leaves every new byte on disk and the journal
// that says where it goes, and the next Begin, Commit or Recover (portal serve calls it
// at start) finishes the renames and deletions (roll forward): the output is then the
// complete new site. Renames and deletions are idempotent, so a recovery killed in turn
// is finished by the next one.

// journalName is the journal's name at the top of a staging folder. The Writer claims
// it, so no output file can take it.
const journalName = ".portal-journal"

// journalFormat is the version of the journal's fields.
const journalFormat = 1

// journal is the plan of one in-place commit: files to rename from the staging folder
// over their final names, in order, then files of the output to delete.
type journal struct {
	Format  int      `json:"format"`
	Renames []string `json:"renames"`
	Deletes []string `json:"deletes"`
}

// plan is what Commit will do to the output, with the change list it makes, the files
// the output holds before it (from Options.Previous or a walk) and the stamps of folders
// known to hold them (listing.go).
type plan struct {
	journal
	changes []Change
	files   map[string]struct{}
	dirs    map[string]dirStamp
	prev    *Listing // the listing files and dirs come from (nil: a walk)
}

// listing is the Listing of dest once p was applied: p's files, less the deletions, plus
// the renames; the stamps of the folders apply left alone (touched: the others). The
// maps are changed in place: the previous Listing is used up.
func (p plan) listing(dest string, touched map[string]bool) *Listing {
	t, ok := parentTime(dest)
	if !ok {
		return nil
	}
	added := 0
	for _, rel := range p.Deletes {
		delete(p.files, rel)
	}
	for _, rel := range p.Renames {
		if _, ok := p.files[rel]; !ok {
			added++
			p.files[rel] = struct{}{}
		}
	}
	if p.dirs == nil {
		p.dirs = map[string]dirStamp{}
	}
	for dir := range touched {
		delete(p.dirs, dir)
	}
	changed := p.prev == nil || p.prev.changed || len(p.Renames) > 0 || len(p.Deletes) > 0 || len(touched) > 0
	filesChanged := p.prev.prevFiles() || added > 0 || len(p.Deletes) > 0
	return &Listing{dest: dest, files: p.files, parent: t, dirs: p.dirs, changed: changed,
		filesChanged: filesChanged, restamped: p.prev.Restamped()}
}

// renameOrder sorts staged files so that what readers find first (manifests) changes
// last: ordinary files by path, then the manifest.json of each reserved folder (the
// search index, which its readers verify against it), then the build's manifest.
func renameOrder(reserved []string) func(a, b string) int {
	rank := func(rel string) int {
		switch {
		case rel == ManifestName:
			return 2
		case path.Base(rel) == "manifest.json" && slices.Contains(reserved, path.Dir(rel)):
			return 1
		}
		return 0
	}
	return func(a, b string) int {
		if c := cmp.Compare(rank(a), rank(b)); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
}

// makePlan compares the staging folder with the output and returns what to rename and
// delete. Staged files that need no rename (the same file, or the same bytes when the
// change list is asked for) are removed from the staging folder.
func (w *Writer) makePlan() (plan, error) {
	var p plan
	p.Format = journalFormat
	staged := map[string]bool{}
	fresh, newOutput := w.freshStamps()
	var err error
	if newOutput {
		// No output to compare with: every staged file is added, and the staging folder
		// is read on every core (fresh.go).
		var files []string
		files, err = fresh.walk(w.ctx, w.tmp)
		for _, rel := range files {
			staged[rel] = true
			p.Renames = append(p.Renames, rel)
			p.changes = append(p.changes, Change{Added, rel})
		}
	} else {
		err = filepath.WalkDir(w.tmp, func(full string, d fs.DirEntry, err error) error {
			return w.planStaged(&p, staged, full, d, err)
		})
	}
	if err != nil {
		return p, message.Errorf("không lập được danh sách tệp thay đổi: %w", err)
	}
	stale := func(rel string, regular bool) {
		if staged[rel] || w.isKept(rel) {
			return
		}
		p.Deletes = append(p.Deletes, rel)
		if regular {
			p.changes = append(p.changes, Change{Deleted, rel})
		}
	}
	if w.prev != nil {
		// The files of the output are those the last commit left (listing.go).
		p.files, p.dirs, p.prev = w.prev.files, w.prev.dirs, w.prev
		if only, ok := w.staleOnlyAmong(staged); ok {
			for _, rel := range only {
				stale(rel, true)
			}
		} else {
			for rel := range p.files {
				stale(rel, true)
			}
		}
	} else if p.files, p.dirs, err = w.walkOutput(stale); err != nil {
		return p, message.Errorf("không lập được danh sách tệp cần xoá: %w", err)
	}
	if newOutput && len(p.files) == 0 {
		p.dirs = fresh.of(staged)
	}
	w.mu.Lock()
	reserved := slices.Clone(w.reserved)
	w.mu.Unlock()
	slices.SortFunc(p.Renames, renameOrder(reserved))
	slices.Sort(p.Deletes)
	slices.SortFunc(p.changes, func(a, b Change) int { return cmp.Compare(a.Path, b.Path) })
	return p, nil
}

// planStaged plans the staged file full (a step of filepath.WalkDir over the staging
// folder, d and err as WalkDir gives them) against the output's file of the same path:
// added, changed (renamed over it), or the same (removed from the staging folder).
func (w *Writer) planStaged(p *plan, staged map[string]bool, full string, d fs.DirEntry, err error) error {
	if err != nil || d.IsDir() {
		return err
	}
	rel, err := filepath.Rel(w.tmp, full)
	if err != nil {
		return err
	}
	rel = filepath.ToSlash(rel)
	if rel == journalName {
		return nil
	}
	staged[rel] = true
	old := filepath.Join(w.dest, filepath.FromSlash(rel))
	oi, err := os.Lstat(old)
	// ENOTDIR: a folder on the path is a file in the current output.
	if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || (err == nil && !oi.Mode().IsRegular()) {
		p.Renames = append(p.Renames, rel)
		p.changes = append(p.changes, Change{Added, rel})
		return nil
	}
	if err != nil {
		return err
	}
	ni, err := d.Info()
	if err != nil {
		return err
	}
	// A file written with the bytes the output has is not renamed over it: an
	// unchanged rebuild leaves the output's files (and folders) as they were. (Not a
	// .gz sibling, unless the change list is asked for: one made again because the
	// current one is older than its file must replace it, or it would be made again
	// by every build.)
	same := os.SameFile(oi, ni)
	if !same && oi.Size() == ni.Size() && (w.opts.Changes || !strings.HasSuffix(rel, GzipSuffix)) {
		if same, err = sameFileBytes(old, full, oi.Size()); err != nil {
			return err
		}
	}
	if same {
		return os.Remove(full) // the output has it already
	}
	p.Renames = append(p.Renames, rel)
	p.changes = append(p.changes, Change{Modified, rel})
	return nil
}

// walkOutput calls stale for every entry of the output that is not a folder, and returns
// their paths, with the stamps of the folders stamped before they were read and old
// enough to trust (listing.go).
func (w *Writer) walkOutput(stale func(rel string, regular bool)) (map[string]struct{}, map[string]dirStamp, error) {
	w.step("walked the output")
	files, dirs := map[string]struct{}{}, map[string]dirStamp{}
	start, margin := time.Now(), w.opts.margin()
	err := filepath.WalkDir(w.dest, func(full string, d fs.DirEntry, err error) error {
		if full == w.dest && errors.Is(err, fs.ErrNotExist) {
			return fs.SkipAll // the first build
		}
		if err != nil {
			return err
		}
		if d.IsDir() {
			// WalkDir calls this before it reads the folder: a change after the stamp
			// shows in the next one.
			if st, isDir, err := stampDir(full); err == nil && isDir && st.known(start, margin) {
				rel, err := filepath.Rel(w.dest, full)
				if err != nil {
					return err
				}
				dirs[filepath.ToSlash(rel)] = st
			}
			return nil
		}
		rel, err := filepath.Rel(w.dest, full)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		files[rel] = struct{}{}
		stale(rel, d.Type().IsRegular())
		return nil
	})
	return files, dirs, err
}

// isKept reports whether rel is a file of the current output that the generation keeps
// as it is: a file of kind Existing at its own path, its kept .gz sibling, or the
// top-level .gitkeep (the repository tracks public/.gitkeep) when none was added.
func (w *Writer) isKept(rel string) bool {
	if _, ok := w.keptSource(rel); ok {
		return true
	}
	if _, ok := w.keptSibling(rel); ok { // counted by keepListed when listed
		return true
	}
	if w.kept.Has(rel) {
		return true
	}
	return rel == gitkeep
}

const gitkeep = ".gitkeep"

// writeJournal writes j into the staging folder: beside its name first, synced, then
// renamed, so that a journal is either whole or absent.
func writeJournal(staging string, j journal) error {
	b, err := json.Marshal(j)
	if err != nil {
		return err
	}
	tmp := filepath.Join(staging, journalName+".tmp")
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, filepath.Join(staging, journalName)); err != nil {
		return err
	}
	return syncDir(staging)
}

// readJournal reads the journal of a staging folder; ok is false when it has none.
func readJournal(staging string) (j journal, ok bool, err error) {
	b, err := os.ReadFile(filepath.Join(staging, journalName))
	if errors.Is(err, fs.ErrNotExist) {
		return j, false, nil
	}
	if err != nil {
		return j, false, err
	}
	if err := json.Unmarshal(b, &j); err != nil {
		return j, false, message.Errorf("nhật ký %s bị hỏng: %v", filepath.Join(staging, journalName), err)
	}
	if j.Format != journalFormat {
		return j, false, message.Errorf("nhật ký %s có định dạng %d, bản portal này đọc định dạng %d", filepath.Join(staging, journalName), j.Format, journalFormat)
	}
	for _, rel := range slices.Concat(j.Renames, j.Deletes) {
		if c, err := cleanRel(rel); err != nil || c != rel {
			return j, false, message.Errorf("nhật ký %s ghi một đường dẫn không hợp lệ %q", filepath.Join(staging, journalName), rel)
		}
	}
	return j, true, nil
}

// apply carries out journal j from staging into dest: renames (a rename whose staged
// file is gone was done already), then deletions (of files already gone too), then the
// folders the deletions left empty. It returns the folders whose entries it changed
// ("." is dest), for syncApplied, which must run before the journal is removed.
func apply(dest, staging string, j journal, step func(string)) (map[string]bool, error) {
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return nil, err
	}
	d := dirMaker{dest: dest, made: map[string]bool{".": true}, touched: map[string]bool{}}
	for _, rel := range j.Renames {
		from := filepath.Join(staging, filepath.FromSlash(rel))
		if _, err := os.Lstat(from); errors.Is(err, fs.ErrNotExist) {
			continue // renamed before the interruption
		}
		if err := d.parents(rel); err != nil {
			return nil, err
		}
		to := filepath.Join(dest, filepath.FromSlash(rel))
		if fi, err := os.Lstat(to); err == nil && fi.IsDir() {
			// A folder of the old output where the new one has a file: all it holds is stale.
			if err := os.RemoveAll(to); err != nil {
				return nil, err
			}
		}
		if err := os.Rename(from, to); err != nil {
			return nil, err
		}
		d.touched[path.Dir(rel)] = true
		step("renamed " + rel)
	}
	emptied := map[string]bool{}
	for _, rel := range j.Deletes {
		full := filepath.Join(dest, filepath.FromSlash(rel))
		fi, err := os.Lstat(full)
		switch {
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ENOTDIR):
			// removed before an interruption, or a folder on its path is a new file
		case err != nil:
			return nil, err
		case fi.IsDir():
			// a file of the old output whose path is a folder of the new one
		default:
			if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
		}
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			emptied[dir] = true
		}
		d.touched[path.Dir(rel)] = true
	}
	// Deepest first, so a folder emptied by removing its empty subfolders goes too; a
	// folder that still holds something stays (Remove refuses it).
	dirs := slices.Collect(func(yield func(string) bool) {
		for dir := range emptied {
			if !yield(dir) {
				return
			}
		}
	})
	slices.SortFunc(dirs, func(a, b string) int {
		if c := cmp.Compare(strings.Count(b, "/"), strings.Count(a, "/")); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for _, dir := range dirs {
		full := filepath.Join(dest, filepath.FromSlash(dir))
		if fi, err := os.Lstat(full); err != nil || !fi.IsDir() {
			continue // gone, or a file of the new output
		}
		if err := os.Remove(full); err == nil {
			d.touched[path.Dir(dir)] = true
		}
	}
	return d.touched, nil
}

// syncApplied makes what apply did durable before its journal is removed: dest is
// fsynced, and with durable every folder apply changed.
func syncApplied(dest string, touched map[string]bool, durable bool) error {
	if durable {
		for dir := range touched {
			if err := syncDir(filepath.Join(dest, filepath.FromSlash(dir))); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return err
			}
		}
	}
	return syncDir(dest)
}

// dirMaker makes the folders of new files in the output, once each. A file or a
// symbolic link of the old output where a folder is needed is stale and removed, so a
// rename never goes through a link to outside the output.
type dirMaker struct {
	dest    string
	made    map[string]bool // folders known to be real folders
	touched map[string]bool // folders whose entries changed
}

func (d *dirMaker) parents(rel string) error {
	dir := path.Dir(rel)
	if d.made[dir] {
		return nil
	}
	if err := d.parents(dir); err != nil {
		return err
	}
	full := filepath.Join(d.dest, filepath.FromSlash(dir))
	fi, err := os.Lstat(full)
	switch {
	case err == nil && fi.IsDir():
	case err == nil:
		if err := os.Remove(full); err != nil {
			return err
		}
		fallthrough
	case errors.Is(err, fs.ErrNotExist):
		if err := os.Mkdir(full, 0o755); err != nil {
			return err
		}
		d.touched[path.Dir(dir)] = true
	default:
		return err
	}
	d.made[dir] = true
	return nil
}

// finishJournal applies the journal of staging (if it has one) to dest and removes
// the journal. The caller holds dest's lock and staging's.
func finishJournal(dest, staging string) error {
	j, ok, err := readJournal(staging)
	if err != nil || !ok {
		return err
	}
	touched, err := apply(dest, staging, j, func(string) {})
	if err == nil {
		err = syncApplied(dest, touched, false)
	}
	if err != nil {
		return message.Errorf("không hoàn tất được lần dựng bị ngắt (nhật ký %s): %w; hãy dựng lại trang", filepath.Join(staging, journalName), err)
	}
	return os.Remove(filepath.Join(staging, journalName))
}
