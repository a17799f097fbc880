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
