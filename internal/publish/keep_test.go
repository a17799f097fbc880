package publish

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// With the last commit's Listing, a file of the current output added as Existing at its
// own path is kept as it is without being read (not even a stat: here it was removed by
// hand meanwhile, which the Writer does not notice), with its listed .gz sibling; the
// Stats say the commit was planned from the listing. Without a listing the same file is
// checked (and its absence is an error), and Stats.Listed is false.
func TestListedFilesAreKeptUnread(t *testing.T) {
	big := strings.Repeat("<p>Nội dung đủ dài để được nén sẵn.</p>", 100)
	dest := newDest(t, nil)
	opts := Options{Precompress: true}
	st, _ := generation(t, dest, opts, map[string]string{"a/index.html": big, "b/index.html": big + "b"})
	if st.Listed {
		t.Error("the first commit (a walk) says it was planned from a listing")
	}
	for _, rel := range []string{"a/index.html.gz", "b/index.html.gz"} {
		if _, err := os.Stat(filepath.Join(dest, rel)); err != nil {
			t.Fatalf("no sibling to keep: %v", err)
		}
	}
	listing := st.Listing
	if err := os.Remove(filepath.Join(dest, "b/index.html")); err != nil {
		t.Fatal(err)
	}
	opts.Previous = listing
	st, walked := generation(t, dest, opts, map[string]string{"a/index.html": big + "mới"}, "b/index.html")
	if walked || !st.Listed {
		t.Errorf("walked %v, Listed %v: want a commit planned from the listing", walked, st.Listed)
	}
	if st.Files != 2 || st.Precompressed != 2 {
		t.Errorf("stats: %d files, %d precompressed; want 2 and 2 (b kept with its sibling)", st.Files, st.Precompressed)
	}
	if _, err := os.Stat(filepath.Join(dest, "b/index.html.gz")); err != nil {
		t.Errorf("the kept page's sibling was removed: %v", err)
	}
	if !st.Listing.Has("b/index.html") || !st.Listing.Has("b/index.html.gz") {
		t.Error("the next listing lacks the kept page or its sibling")
	}

	// Without a listing the Existing file is looked at: it is gone.
	w, err := Begin(t.Context(), dest, Options{Precompress: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(File{Rel: "b/index.html", SrcPath: filepath.Join(dest, "b/index.html"), Source: "b", Kind: Existing}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err == nil {
		t.Error("a missing Existing file was kept without a listing")
	}
}

// A Writer on a listing trusted at Begin keeps the listed files unread and claims only
// what is written again, so it makes no room ahead for a claim per listed file (at
// 10,000 articles under `portal serve --watch`, 35,000 claims and 17,500 folders: 2.2 MB
// allocated and cleared at every save). Without a trusted listing (here Durable, which
// checks every kept file) every file is claimed, and the room is made ahead.
func TestATrustedListingMakesNoRoomForClaims(t *testing.T) {
	const n = 4000
	files := make(map[string]string, n)
	for i := range n {
		files[fmt.Sprintf("p%d/%d/index.html", i%50, i)] = "x"
	}
	dest := newDest(t, nil)
	st, _ := generation(t, dest, Options{}, files)
	begun := func(opts Options) uint64 {
		opts.Previous, opts.Workers = st.Listing, 1
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		w, err := Begin(t.Context(), dest, opts)
		runtime.ReadMemStats(&after)
		if err != nil {
			t.Fatal(err)
		}
		w.Abort()
		return after.TotalAlloc - before.TotalAlloc
	}
	room := uint64(n * 40) // a claim's key and owner, at the least
	if got := begun(Options{Durable: true}); got < room {
		t.Errorf("Begin without a trusted listing allocated %d bytes, want ≥ %d (room for every listed file's claim)", got, room)
	}
	if got := begun(Options{}); got >= room/4 {
		t.Errorf("Begin with a trusted listing of %d files allocated %d bytes, want < %d: room for claims that will not be made", n, got, room/4)
	}
}

// The kept files' set of a Writer on a trusted listing is made with room for as many as
// the last commit kept, not for every listed file: with precompressed pages half of the
// listing are .gz siblings, which are kept with their pages and not added (at 10,000
// articles, 17,800 kept pages of 35,000 listed files at every save of `portal serve
// --watch`).
func TestKeptFilesAreCountedNotListed(t *testing.T) {
	const n = 600
	big := strings.Repeat("<p>Nội dung đủ dài để được nén sẵn.</p>", 100)
	files := make(map[string]string, n)
	var kept []string
	for i := range n {
		rel := fmt.Sprintf("p%d/%d/index.html", i%20, i)
		files[rel] = big + fmt.Sprint(i)
		kept = append(kept, rel)
	}
	dest := newDest(t, nil)
	opts := Options{Precompress: true}
	st, _ := generation(t, dest, opts, files)
	opts.Previous = st.Listing
	st, _ = generation(t, dest, opts, nil, kept...) // every page kept unread
	if st.Listing.Len() != 2*n || st.Listing.keptUnread != n {
		t.Fatalf("listing of %d files, %d kept unread; want %d and %d", st.Listing.Len(), st.Listing.keptUnread, 2*n, n)
	}
	adding := func() uint64 {
		w, err := Begin(t.Context(), dest, Options{Precompress: true, Previous: st.Listing, Workers: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		for _, rel := range kept {
			if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(dest, filepath.FromSlash(rel)), Source: rel, Kind: Existing}); err != nil {
				t.Fatal(err)
			}
		}
		runtime.ReadMemStats(&after)
		if got := len(w.listedKept); got != n {
			t.Fatalf("%d files kept unread, want %d", got, n)
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	counted := adding()
	st.Listing.keptUnread = 0 // as a listing whose commit kept nothing unread
	listed := adding()
	t.Logf("keeping %d files: %d bytes with room for the last commit's, %d with room for the listed", n, counted, listed)
	if counted*4 > listed*3 {
		t.Errorf("keeping %d files allocated %d bytes with room for the last commit's %d, %d with room for the %d listed: want at most 3/4", n, counted, n, listed, 2*n)
	}
}

// A Writer on a listing read back from the cache folder (`portal build`: not trusted at
// Begin) keeps its Kept pages unclaimed, so it makes no room for claiming every listed
// file: at 100,000 articles that was a map of ~350,000 claims and one of ~175,000
// folders made at every build for the few dozen files written again.
func TestSavedListingMakesNoRoomForClaims(t *testing.T) {
	const n = 2000
	files := make(map[string]string, n)
	for i := range n {
		files[fmt.Sprintf("p%d/%d/index.html", i%20, i)] = fmt.Sprint(i)
	}
	dest := newDest(t, nil)
	st, _ := generation(t, dest, Options{}, files)
	prev := saved(t, st.Listing)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	w, err := Begin(t.Context(), dest, Options{Previous: prev, Workers: 1})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	t.Logf("Begin allocated %d bytes", after.TotalAlloc-before.TotalAlloc)
	if got := after.TotalAlloc - before.TotalAlloc; got > 40*n {
		t.Errorf("Begin on a saved listing of %d files allocated %d bytes, want at most %d", n, got, 40*n)
	}
}
