package publish

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// steps commits files (kept: paths of the current output reused in place) into dest
// with opts and returns the steps the Writer reported.
func steps(t *testing.T, dest string, opts Options, files map[string]string, kept ...string) (Stats, []string) {
	t.Helper()
	var seen []string
	ctx := WithStep(context.Background(), func(name string) {
		if name == "walked the output" || name == "verified the listing" || strings.HasPrefix(name, "read folder ") {
			seen = append(seen, name)
		}
	})
	w, err := Begin(ctx, dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, rel := range kept {
		if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(dest, filepath.FromSlash(rel)), Source: rel, Kind: Existing}); err != nil {
			t.Fatal(err)
		}
	}
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		if err := w.Add(File{Rel: rel, Data: []byte(files[rel]), Source: "src/" + rel + ".md"}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(seen)
	return st, seen
}

// saved is l written and read back, as the next `portal build` finds it in its cache
// folder.
func saved(t *testing.T, l *Listing) *Listing {
	t.Helper()
	if l == nil {
		t.Fatal("no listing after the commit")
	}
	var buf bytes.Buffer
	if _, err := l.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := ReadListing(&buf)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// A listing saved after a commit and read back by another process replaces the walk:
// only the folders the last commit changed are read (the others' stamps are checked),
// and a file added to the output by hand, in a folder the commit changed or in one it did
// not, is noticed (the Writer walks and deletes it) with the listing it would have missed.
func TestSavedListingReplacesTheWalk(t *testing.T) {
	tiny := Options{racyMargin: time.Nanosecond} // folders stamped a moment ago count
	dest := newDest(t, map[string]string{"old/index.html": "cũ"})
	all := map[string]string{"index.html": "trang chủ", "a/index.html": "a", "b/index.html": "b", "c/d/index.html": "d"}
	st, seen := steps(t, dest, tiny, all)
	if !slices.Equal(seen, []string{"walked the output"}) {
		t.Fatalf("first build: steps %v, want a walk", seen)
	}

	// The next build edits a/ and keeps the rest: no walk; of the folders, only those the
	// first commit changed are read, and none of b/, c/, c/d/ twice.
	opts := tiny
	opts.Previous = saved(t, st.Listing)
	opts.Changes = true
	st, seen = steps(t, dest, opts, map[string]string{"a/index.html": "a2"}, "index.html", "b/index.html", "c/d/index.html")
	if slices.Contains(seen, "walked the output") || !slices.Contains(seen, "verified the listing") {
		t.Fatalf("second build: steps %v, want the listing verified and no walk", seen)
	}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, map[string]string{"index.html": "trang chủ", "a/index.html": "a2", "b/index.html": "b", "c/d/index.html": "d"}) {
		t.Errorf("dest = %v", got)
	}
	if len(st.Changes) != 1 || st.Changes[0].String() != "M a/index.html" {
		t.Errorf("changes = %v, want only a/index.html modified", st.Changes)
	}

	// The second commit changed a/ only: only it is read.
	opts.Previous = saved(t, st.Listing)
	st, seen = steps(t, dest, opts, nil, "index.html", "a/index.html", "b/index.html", "c/d/index.html")
	if want := []string{"read folder a", "verified the listing"}; !slices.Equal(seen, want) {
		t.Errorf("third build: steps %v, want %v", seen, want)
	}
	listing := saved(t, st.Listing)

	// A file copied by hand into c/d/ (a folder known by its stamp) is noticed.
	sitetest.WriteFiles(t, dest, map[string]string{"c/d/them.html": "của ai đó"})
	opts.Previous = listing
	st, seen = steps(t, dest, opts, nil, "index.html", "a/index.html", "b/index.html", "c/d/index.html")
	if !slices.Contains(seen, "walked the output") {
		t.Errorf("a file added to a stamped folder was not noticed: steps %v", seen)
	}
	if _, err := os.Stat(filepath.Join(dest, "c/d/them.html")); err == nil {
		t.Error("the file added by hand is still in the output")
	}
	if !slices.ContainsFunc(st.Changes, func(c Change) bool { return c.String() == "D c/d/them.html" }) {
		t.Errorf("changes = %v, want the added file deleted", st.Changes)
	}

	// And one in c/d/ again, which the last commit changed (its names are read).
	listing = saved(t, st.Listing)
	sitetest.WriteFiles(t, dest, map[string]string{"c/d/them.html": "x"})
	opts.Previous = listing
	if _, seen = steps(t, dest, opts, nil, "index.html", "a/index.html", "b/index.html", "c/d/index.html"); !slices.Contains(seen, "read folder c/d") || !slices.Contains(seen, "walked the output") {
		t.Errorf("a file added to a folder without a stamp was not noticed: steps %v", seen)
	}
	if _, err := os.Stat(filepath.Join(dest, "c/d/them.html")); err == nil {
		t.Error("the file added by hand is still in the output")
	}
}

// A listing older than the output (a build since then went without it: --no-cache, or
// a build killed after its journal and recovered) is not trusted: the output is as the
// new generation says, with the other build's files deleted.
func TestSavedListingOfAnOlderOutput(t *testing.T) {
	tiny := Options{racyMargin: time.Nanosecond}
	dest := newDest(t, nil)
	st, _ := steps(t, dest, tiny, map[string]string{"index.html": "1", "a/index.html": "a", "b/x/index.html": "x"})
	old := saved(t, st.Listing)
	// Another build: adds e/ and b/y/, removes b/x/.
	steps(t, dest, tiny, map[string]string{"index.html": "2", "a/index.html": "a", "e/index.html": "e", "b/y/index.html": "y"})
	opts := tiny
	opts.Previous = old
	_, seen := steps(t, dest, opts, map[string]string{"index.html": "3"}, "a/index.html")
	if !slices.Contains(seen, "walked the output") {
		t.Errorf("steps %v: the older listing was trusted", seen)
	}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, map[string]string{"index.html": "3", "a/index.html": "a"}) {
		t.Errorf("dest = %v, want the other build's e/ and b/y/ deleted", got)
	}
}

// Folders changed less than the margin before they were stamped are read, not trusted
// by their stamps: a change in the same clock tick would not show.
func TestSavedListingReadsRecentFolders(t *testing.T) {
	for _, c := range []struct {
		margin time.Duration
		want   []string
	}{
		{time.Hour, []string{"read folder .", "read folder a", "read folder b", "read folder b/c", "verified the listing"}},
		{time.Nanosecond, []string{"verified the listing"}},
	} {
		dest := newDest(t, nil)
		opts := Options{racyMargin: c.margin}
		kept := []string{"index.html", "a/index.html", "b/c/index.html"}
		st, _ := steps(t, dest, opts, map[string]string{"index.html": "1", "a/index.html": "a", "b/c/index.html": "c"})
		// The first commit made every folder: the next build reads them all, and stamps
		// those changed longer than the margin ago; the one after reads the others.
		opts.Previous = saved(t, st.Listing)
		st, _ = steps(t, dest, opts, nil, kept...)
		opts.Previous = saved(t, st.Listing)
		if _, seen := steps(t, dest, opts, nil, kept...); !slices.Equal(seen, c.want) {
			t.Errorf("margin %v: steps %v, want %v", c.margin, seen, c.want)
		}
	}
}

// A damaged or foreign saved listing is refused; one of another folder is not used.
func TestSavedListingDamaged(t *testing.T) {
	dest := newDest(t, nil)
	st, _ := steps(t, dest, Options{}, map[string]string{"index.html": "1"})
	var buf bytes.Buffer
	if _, err := st.Listing.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	for _, i := range []int{0, len(b) / 2, len(b) - 1} {
		bad := slices.Clone(b)
		bad[i] ^= 0x20
		if _, err := ReadListing(bytes.NewReader(bad)); err == nil {
			t.Errorf("a listing with byte %d changed was read", i)
		}
	}
	if _, err := ReadListing(bytes.NewReader(b[:len(b)-1])); err == nil {
		t.Error("a truncated listing was read")
	}
	other := newDest(t, nil)
	if _, seen := steps(t, other, Options{Previous: saved(t, st.Listing)}, map[string]string{"x.html": "x"}); !slices.Contains(seen, "walked the output") {
		t.Errorf("a listing of another folder was used: steps %v", seen)
	}
}

// A build killed after its journal, finished by the next Begin's recovery, changed the
// output after the saved listing was made: the listing is not trusted, and what the
// recovery renamed in is stale for the new generation.
func TestSavedListingAfterARecovery(t *testing.T) {
	tiny := Options{racyMargin: time.Nanosecond}
	dest := newDest(t, map[string]string{"index.html": "cũ"})
	st, _ := steps(t, dest, tiny, map[string]string{"index.html": "1", "x.html": "x", "a/b/index.html": "b"})
	opts := tiny
	opts.Previous = saved(t, st.Listing)
	staging := filepath.Join(filepath.Dir(dest), tmpPrefix(dest)+"dead")
	sitetest.WriteFiles(t, staging, map[string]string{"a/b/y.html": "của lần dựng bị ngắt"})
	if err := writeJournal(staging, journal{Format: journalFormat, Renames: []string{"a/b/y.html"}, Deletes: []string{"x.html"}}); err != nil {
		t.Fatal(err)
	}
	_, seen := steps(t, dest, opts, map[string]string{"index.html": "2"}, "a/b/index.html")
	if !slices.Contains(seen, "walked the output") {
		t.Errorf("steps %v: the listing was trusted after a recovery changed the output", seen)
	}
	if got, want := sitetest.ReadTree(t, dest), map[string]string{"index.html": "2", "a/b/index.html": "b"}; !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
}

// A file written again with the bytes the output has is not renamed over it, so a build
// that changes nothing leaves every folder as it was (and the next build reads none).
func TestSameBytesLeaveTheOutputAlone(t *testing.T) {
	tiny := Options{racyMargin: time.Nanosecond}
	dest := newDest(t, nil)
	files := map[string]string{"index.html": "trang chủ", "a/index.html": "a"}
	st, _ := steps(t, dest, tiny, files)
	fi, err := os.Stat(filepath.Join(dest, "a/index.html"))
	if err != nil {
		t.Fatal(err)
	}
	opts := tiny
	opts.Previous = saved(t, st.Listing)
	st, _ = steps(t, dest, opts, files) // reads the folders the first commit made
	if !st.Listing.Changed() {
		t.Error("a listing that got its folders' stamps says it did not change")
	}
	opts.Previous = saved(t, st.Listing)
	st, seen := steps(t, dest, opts, files)
	if want := []string{"verified the listing"}; !slices.Equal(seen, want) {
		t.Errorf("steps %v, want %v: the unchanged build changed a folder", seen, want)
	}
	if st.Listing.Changed() {
		t.Error("the listing of a build that changed nothing says it changed (it would be saved again)")
	}
	now, err := os.Stat(filepath.Join(dest, "a/index.html"))
	if err != nil || !os.SameFile(fi, now) {
		t.Errorf("a/index.html was replaced by a file of the same bytes (%v)", err)
	}
	if st.Files != 2 {
		t.Errorf("stats count %d files, want 2", st.Files)
	}
}

// A listing tells `portal build` whether saving it again is worth it: its files are
// those of the listing read back unless files were added or deleted (a page renamed over
// its own name is no change), and Restamped counts the folders its verify read and
// stamped anew (what keeping the saved listing costs the next build in folder reads).
func TestListingSaysWhatChangedSinceTheSavedOne(t *testing.T) {
	tiny := Options{racyMargin: time.Nanosecond}
	dest := newDest(t, nil)
	all := []string{"index.html", "a/index.html", "b/index.html", "c/d/index.html"}
	others := all[:1:1]
	others = append(others, all[2:]...) // all but a/
	st, _ := steps(t, dest, tiny, map[string]string{"index.html": "1", "a/index.html": "a", "b/index.html": "b", "c/d/index.html": "d"})
	if !st.Listing.FilesChanged() {
		t.Error("a listing made by a walk: FilesChanged false")
	}
	opts := tiny
	opts.Previous = saved(t, st.Listing)
	st, _ = steps(t, dest, opts, map[string]string{"a/index.html": "a2"}, others...)
	if st.Listing.FilesChanged() {
		t.Error("an edit (a page renamed over its own name): FilesChanged true")
	}
	once := saved(t, st.Listing)
	opts.Previous = once
	st, seen := steps(t, dest, opts, map[string]string{"a/index.html": "a3"}, others...)
	if st.Listing.FilesChanged() || st.Listing.Restamped() != 1 || !slices.Equal(seen, []string{"read folder a", "verified the listing"}) {
		t.Errorf("after an edit of a/: FilesChanged %v, Restamped %d (steps %v); want false, 1 (a/, which the last commit changed)", st.Listing.FilesChanged(), st.Listing.Restamped(), seen)
	}
	// The listing kept (not saved again) still serves: a/ is read again, nothing walked.
	opts.Previous = saved(t, once)
	if st, seen = steps(t, dest, opts, nil, all...); slices.Contains(seen, "walked the output") || st.Listing.FilesChanged() {
		t.Errorf("with the older listing of the same files: steps %v, FilesChanged %v", seen, st.Listing.FilesChanged())
	}
	opts.Previous = saved(t, st.Listing)
	if st, _ = steps(t, dest, opts, map[string]string{"e/index.html": "e"}, all...); !st.Listing.FilesChanged() {
		t.Error("a file added: FilesChanged false")
	}
	opts.Previous = saved(t, st.Listing)
	if st, _ = steps(t, dest, opts, nil, "index.html", "a/index.html", "b/index.html", "c/d/index.html"); !st.Listing.FilesChanged() {
		t.Error("a file deleted: FilesChanged false")
	}
}

// A commit into a new output folder (one rename of the staging folder) stamps the folders
// it walked, so the next build checks their stamps instead of reading each one's names:
// only the output folder itself, which the rename changed, is read (every folder before).
// A folder holding a folder without a file under it (a reserved folder's builder left
// it) is not trusted by its stamp, as the listing does not name the empty one: it is
// read, and the Writer walks the output.
func TestNewOutputListingHasFolderStamps(t *testing.T) {
	tiny := Options{racyMargin: time.Nanosecond}
	all := map[string]string{"index.html": "trang chủ", "a/index.html": "a", "b/c/index.html": "c", "d/e/f/index.html": "f"}
	kept := []string{"index.html", "a/index.html", "b/c/index.html", "d/e/f/index.html", "idx/seg/1.zap"}
	fresh := func(empty bool) (string, *Listing) {
		dest := filepath.Join(t.TempDir(), "public")
		w, err := Begin(context.Background(), dest, tiny)
		if err != nil {
			t.Fatal(err)
		}
		idx, err := w.Reserve("idx", "the search index")
		if err != nil {
			t.Fatal(err)
		}
		sitetest.WriteFiles(t, idx, map[string]string{"seg/1.zap": "x"})
		if empty {
			if err := os.MkdirAll(filepath.Join(idx, "seg", "empty"), 0o755); err != nil {
				t.Fatal(err)
			}
		}
		for _, rel := range slices.Sorted(maps.Keys(all)) {
			if err := w.Add(File{Rel: rel, Data: []byte(all[rel]), Source: rel}); err != nil {
				t.Fatal(err)
			}
		}
		st, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		return dest, saved(t, st.Listing)
	}

	dest, listing := fresh(false)
	opts := tiny
	opts.Previous = listing
	_, seen := steps(t, dest, opts, nil, kept...)
	if want := []string{"read folder .", "verified the listing"}; !slices.Equal(seen, want) {
		t.Errorf("the build after the first: steps %v, want %v (a, b, b/c, d, d/e, d/e/f, idx, idx/seg known by their stamps)", seen, want)
	}
	want := map[string]string{"index.html": "trang chủ", "a/index.html": "a", "b/c/index.html": "c", "d/e/f/index.html": "f", "idx/seg/1.zap": "x"}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v", got)
	}

	dest, listing = fresh(true)
	opts.Previous = listing
	if _, seen = steps(t, dest, opts, nil, kept...); !slices.Contains(seen, "walked the output") || slices.Contains(seen, "verified the listing") {
		t.Errorf("an empty folder in a new output: steps %v, want the listing refused and a walk", seen)
	}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v", got)
	}
}
