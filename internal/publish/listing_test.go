package publish

import (
	"context"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// generation commits files (kept: paths of the current output reused in place) into dest
// with opts and reports whether the Writer walked the output.
func generation(t *testing.T, dest string, opts Options, files map[string]string, kept ...string) (Stats, bool) {
	t.Helper()
	walked := false
	ctx := WithStep(context.Background(), func(name string) {
		if name == "walked the output" {
			walked = true
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
	return st, walked
}

// With the Listing of the last commit, a Writer does not walk the output, and still
// removes what the new generation no longer has, keeps what it reuses and writes what
// changed. A commit by another Writer (or a recovery) in between makes it walk again,
// and a failed generation leaves the listing usable.
func TestListingReplacesTheWalk(t *testing.T) {
	dest := newDest(t, map[string]string{"old/index.html": "cũ", "a/index.html": "a"})
	st, walked := generation(t, dest, Options{}, map[string]string{"a/index.html": "a", "b/index.html": "b", "c/x.css": "c"})
	if !walked {
		t.Error("the first Writer did not walk the output")
	}
	if st.Listing == nil || st.Listing.Len() != 3 {
		t.Fatalf("listing after the first commit: %+v", st.Listing)
	}

	// Warm: b kept, a edited, c gone (its folder too), d added.
	st, walked = generation(t, dest, Options{Previous: st.Listing, Changes: true}, map[string]string{"a/index.html": "a2", "d/index.html": "d"}, "b/index.html")
	if walked {
		t.Error("a Writer given the last commit's listing walked the output")
	}
	want := map[string]string{"a/index.html": "a2", "b/index.html": "b", "d/index.html": "d"}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dest, "c")); err == nil {
		t.Error("the folder of the stale file is left")
	}
	var changes []string
	for _, c := range st.Changes {
		changes = append(changes, c.String())
	}
	if got, want := strings.Join(changes, ","), "M a/index.html,D c/x.css,A d/index.html"; got != want {
		t.Errorf("changes = %s, want %s", got, want)
	}
	listing := st.Listing

	// A failed generation changes nothing: the listing still holds.
	w, err := Begin(context.Background(), dest, Options{Previous: listing})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "x.html", SrcPath: filepath.Join(dest, "missing"), Source: "x", Kind: Static}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err == nil {
		t.Fatal("a generation with a missing file committed")
	}
	st, walked = generation(t, dest, Options{Previous: listing}, map[string]string{"a/index.html": "a3"}, "b/index.html", "d/index.html")
	if walked {
		t.Error("the listing was not used after a failed generation")
	}
	listing = st.Listing

	// Another Writer commits without it (another build): the listing no longer matches.
	generation(t, dest, Options{}, map[string]string{"a/index.html": "a3", "e/index.html": "khác"}, "b/index.html")
	_, walked = generation(t, dest, Options{Previous: listing}, map[string]string{"a/index.html": "a4"})
	if !walked {
		t.Error("a stale listing was used after another build committed")
	}
	if got, want := sitetest.ReadTree(t, dest), map[string]string{"a/index.html": "a4"}; !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v (the other build's e/index.html is stale)", got, want)
	}

	// A listing of another folder is not used for this one.
	other := newDest(t, map[string]string{"z.html": "z"})
	st, _ = generation(t, other, Options{}, map[string]string{"z.html": "z"})
	if _, walked = generation(t, dest, Options{Previous: st.Listing}, map[string]string{"a/index.html": "a5"}); !walked {
		t.Error("a listing of another folder was used")
	}
}

// A build killed after its journal, recovered by the next Begin, makes a listing made
// before it unusable (the recovery changed the output).
func TestListingAfterARecovery(t *testing.T) {
	dest := newDest(t, map[string]string{"index.html": "cũ"})
	st, _ := generation(t, dest, Options{}, map[string]string{"index.html": "1", "x.html": "x"})
	// A killed build's journal: it renames index.html and deletes x.html.
	staging := filepath.Join(filepath.Dir(dest), tmpPrefix(dest)+"dead")
	sitetest.WriteFiles(t, staging, map[string]string{"index.html": "của lần dựng bị ngắt", "y.html": "y"})
	if err := writeJournal(staging, journal{Format: journalFormat, Renames: []string{"index.html", "y.html"}, Deletes: []string{"x.html"}}); err != nil {
		t.Fatal(err)
	}
	_, walked := generation(t, dest, Options{Previous: st.Listing}, map[string]string{"index.html": "2"})
	if !walked {
		t.Error("the listing was used after a recovery changed the output")
	}
	if got, want := sitetest.ReadTree(t, dest), map[string]string{"index.html": "2"}; !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v (y.html, renamed in by the recovery, is stale)", got, want)
	}
}
