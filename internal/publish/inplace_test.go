package publish

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// A file reused at its own path is not touched: same inode, same times; only what
// changed is written, and what the generation no longer has is removed, folders too.
func TestCommitUpdatesInPlace(t *testing.T) {
	dest := newDest(t, map[string]string{
		"keep/index.html": "giữ nguyên",
		"edit/index.html": "cũ",
		"gone/a/b.html":   "bỏ",
		"gone/c.html":     "bỏ",
	})
	past := time.Now().Add(-time.Hour).Truncate(time.Second)
	kept := filepath.Join(dest, "keep", "index.html")
	if err := os.Chtimes(kept, past, past); err != nil {
		t.Fatal(err)
	}
	before, err := os.Stat(kept)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Begin(context.Background(), dest, Options{Changes: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, f := range []File{
		{Rel: "keep/index.html", SrcPath: kept, Source: "keep.md", Kind: Existing},
		{Rel: "edit/index.html", Data: []byte("mới"), Source: "edit.md"},
		{Rel: "new/index.html", Data: []byte("thêm"), Source: "new.md"},
	} {
		if err := w.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"keep/index.html": "giữ nguyên", "edit/index.html": "mới", "new/index.html": "thêm"}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
	after, err := os.Stat(kept)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !after.ModTime().Equal(past) {
		t.Errorf("the kept file was replaced or touched: same file %v, mtime %v (was %v)", os.SameFile(before, after), after.ModTime(), past)
	}
	if _, err := os.Stat(filepath.Join(dest, "gone")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder of the removed files is still there: %v", err)
	}
	wantChanges := []Change{{Modified, "edit/index.html"}, {Deleted, "gone/a/b.html"}, {Deleted, "gone/c.html"}, {Added, "new/index.html"}}
	if len(st.Changes) != len(wantChanges) {
		t.Fatalf("changes = %v, want %v", st.Changes, wantChanges)
	}
	for i := range wantChanges {
		if st.Changes[i] != wantChanges[i] {
			t.Errorf("changes = %v, want %v", st.Changes, wantChanges)
			break
		}
	}
	if got := siblings(t, dest); len(got) != 1 {
		t.Errorf("leftovers beside dest: %v", got)
	}
}

// A file of the old output where the new one needs a folder, a folder where it needs a
// file, and a symbolic link where it needs a folder are all stale: they are replaced,
// and the link is never followed out of the output.
func TestCommitReplacesFilesFoldersAndLinks(t *testing.T) {
	outside := t.TempDir()
	dest := newDest(t, map[string]string{
		"a":               "a was a file",
		"b/x.html":        "b was a folder",
		"b/deeper/y.html": "y",
	})
	if err := os.Symlink(outside, filepath.Join(dest, "c")); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a/index.html": "a is a folder", "b": "b is a file", "c/index.html": "c is a folder"}
	publishAll(t, dest, Options{}, want)
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
	if fi, err := os.Lstat(filepath.Join(dest, "c")); err != nil || !fi.IsDir() {
		t.Errorf("c is not a real folder: %v %v", fi, err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("the commit wrote through the link, outside the output: %v", entries)
	}
}

// The journal's name is the Writer's: no output file may take it.
func TestJournalNameIsClaimed(t *testing.T) {
	w, err := Begin(context.Background(), newDest(t, nil), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: journalName, Data: []byte("x"), Source: "x.md"}); !errors.Is(err, ErrCollision) {
		t.Errorf("Add(%s) = %v, want a collision", journalName, err)
	}
}

// A journal left by a killed build is finished by the next Commit even when no Begin
// ran after the kill (two builds at once): the later plan is made against a whole site.
func TestCommitFinishesAnEarlierJournal(t *testing.T) {
	dest := newDest(t, map[string]string{"index.html": "cũ", "x.html": "x"})
	staging := filepath.Join(filepath.Dir(dest), tmpPrefix(dest)+"dead")
	sitetest.WriteFiles(t, staging, map[string]string{"index.html": "của lần dựng bị ngắt"})
	alive, err := lockDir(staging) // the other build, still running when this one begins
	if err != nil {
		t.Fatal(err)
	}
	w, err := Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	// Then it journals its plan and dies.
	if err := writeJournal(staging, journal{Format: journalFormat, Renames: []string{"index.html"}, Deletes: []string{"x.html"}}); err != nil {
		t.Fatal(err)
	}
	alive.Close()
	if err := w.Add(File{Rel: "y.html", Data: []byte("y"), Source: "y.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	// The earlier build's index.html was renamed into place, then this generation, which
	// has no index.html, removed it with x.html.
	if got, want := sitetest.ReadTree(t, dest), map[string]string{"y.html": "y"}; !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
	if _, err := os.Stat(staging); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the earlier staging folder is left: %v", err)
	}
}

// A build stopped at the last moment before its journal (the plan made) changes
// nothing: not even a first build's output folder is created.
func TestCommitStoppedBeforeTheJournalChangesNothing(t *testing.T) {
	for _, existed := range []bool{true, false} {
		var old map[string]string
		if existed {
			old = map[string]string{"index.html": "cũ"}
		}
		dest := newDest(t, old)
		ctx, cancel := context.WithCancel(context.Background())
		ctx = WithStep(ctx, func(name string) {
			if name == "planned" {
				cancel()
			}
		})
		w, err := Begin(ctx, dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(File{Rel: "index.html", Data: []byte("mới"), Source: "a.md"}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Commit(); !errors.Is(err, context.Canceled) {
			t.Errorf("Commit = %v, want the cancellation", err)
		}
		if existed {
			if got := sitetest.ReadTree(t, dest); !maps.Equal(got, old) {
				t.Errorf("dest = %v, want %v", got, old)
			}
		} else if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a stopped first build created the output folder: %v", err)
		}
	}
}

// CommitWith hands swap the renames alone: the journal is on disk before swap runs, the
// output changes only inside apply, and the output is synced ("applied") and the journal
// removed after swap returned. A swap that does not apply fails the commit and leaves the
// journal, which the next Recover finishes. A first build's output folder appears inside
// apply too.
func TestCommitWithSwapsTheRenamesOnly(t *testing.T) {
	dest := newDest(t, map[string]string{"index.html": "cũ", "old.html": "cũ"})
	var steps []string
	ctx := WithStep(context.Background(), func(name string) { steps = append(steps, name) })
	w, err := Begin(ctx, dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "index.html", Data: []byte("mới"), Source: "a.md"}); err != nil {
		t.Fatal(err)
	}
	var before, inside []string
	var during map[string]string
	if _, err := w.CommitWith(func(apply func() error) error {
		before = slices.Clone(steps)
		if got := sitetest.ReadTree(t, dest); got["index.html"] != "cũ" || got["old.html"] != "cũ" {
			t.Errorf("the output changed before apply: %v", got)
		}
		if _, err := os.Stat(filepath.Join(w.Dir(), journalName)); err != nil {
			t.Errorf("no journal before apply: %v", err)
		}
		err := apply()
		inside = slices.Clone(steps)
		during = sitetest.ReadTree(t, dest)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(before, "journaled") || slices.Contains(before, "renamed index.html") {
		t.Errorf("steps before apply: %q", before)
	}
	if !slices.Contains(inside, "renamed index.html") || slices.Contains(inside, "applied") {
		t.Errorf("steps when apply returned: %q (the sync and \"applied\" come after swap)", inside)
	}
	if !maps.Equal(during, map[string]string{"index.html": "mới"}) {
		t.Errorf("the output right after apply = %v", during)
	}
	if !slices.Contains(steps, "applied") {
		t.Errorf("steps: %q", steps)
	}
	if _, err := os.Stat(w.Dir()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the staging folder is left: %v", err)
	}

	// A swap that never applies: the commit fails, the journal stays, Recover finishes it.
	w, err = Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "index.html", Data: []byte("mới hơn"), Source: "a.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.CommitWith(func(func() error) error { return nil }); err == nil {
		t.Error("a swap that did not apply committed")
	}
	if got := sitetest.ReadTree(t, dest); got["index.html"] != "mới" {
		t.Errorf("the output changed without apply: %v", got)
	}
	if err := Recover(dest); err != nil {
		t.Fatal(err)
	}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, map[string]string{"index.html": "mới hơn"}) {
		t.Errorf("after Recover the output = %v, want the journaled generation", got)
	}

	// A first build: the output folder appears inside apply.
	fresh := filepath.Join(t.TempDir(), "public")
	w, err = Begin(context.Background(), fresh, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "index.html", Data: []byte("đầu"), Source: "a.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.CommitWith(func(apply func() error) error {
		if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("the output folder exists before apply: %v", err)
		}
		return apply()
	}); err != nil {
		t.Fatal(err)
	}
	if got := sitetest.ReadTree(t, fresh); !maps.Equal(got, map[string]string{"index.html": "đầu"}) {
		t.Errorf("first build = %v", got)
	}
}
