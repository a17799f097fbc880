package publish

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// freshFiles is a small site: pages in their own folders (big enough for a .gz sibling),
// a stylesheet and a file at the top.
func freshFiles() map[string]string {
	files := map[string]string{"robots.txt": "User-agent: *\n", "css/site.css": "body { color: red; }\n"}
	for i := range 12 {
		files[fmt.Sprintf("tin-tuc/bai-%d/index.html", i)] = fmt.Sprintf("<!doctype html><p>bài %d %s</p>", i, strings.Repeat("Tin tức tỉnh. ", 200))
	}
	return files
}

// commitObserved commits files into dest (and one file through a reserved folder, as the
// search index does) and returns the stats and the steps Commit reported.
func commitObserved(t *testing.T, dest string, opts Options, files map[string]string) (Stats, []string) {
	t.Helper()
	var steps []string
	w, err := Begin(WithStep(context.Background(), func(name string) {
		if !strings.HasPrefix(name, "renamed tin-tuc/") {
			steps = append(steps, name)
		}
	}), dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	dir, err := w.Reserve(".search", "the search index")
	if err != nil {
		t.Fatal(err)
	}
	sitetest.WriteFiles(t, dir, map[string]string{"manifest.json": "{}"})
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		if err := w.Add(File{Rel: rel, Data: []byte(files[rel]), Source: "src/" + rel}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return st, steps
}

// A build into an output folder that does not exist makes it with one rename of the
// staging folder, no journal, and gives the same files, stats, change list and listing as
// the in-place commit into an empty folder; the next build uses that listing as usual.
func TestFirstBuildRenamesTheStagingFolder(t *testing.T) {
	opts := Options{Minify: true, Precompress: true, Changes: true}
	fresh := newDest(t, nil)
	st, steps := commitObserved(t, fresh, opts, freshFiles())
	if !slices.Contains(steps, "renamed the staging folder") || slices.Contains(steps, "journaled") {
		t.Errorf("first build into a new folder: steps %v, want the staging folder renamed and no journal", steps)
	}
	empty := newDest(t, map[string]string{})
	want, steps := commitObserved(t, empty, opts, freshFiles())
	if slices.Contains(steps, "renamed the staging folder") || !slices.Contains(steps, "journaled") {
		t.Errorf("build into an existing empty folder: steps %v, want the journal", steps)
	}
	got := sitetest.ReadTree(t, fresh)
	if w := sitetest.ReadTree(t, empty); !maps.Equal(got, w) {
		t.Errorf("output of the renamed staging folder:\n%v\nwant (in-place commit):\n%v", slices.Sorted(maps.Keys(got)), slices.Sorted(maps.Keys(w)))
	}
	if _, ok := got["tin-tuc/bai-3/index.html.gz"]; !ok || len(got) != 2*12+3 {
		t.Errorf("output holds %d files %v, want the 12 pages with their siblings, the stylesheet, robots.txt and the index's file", len(got), slices.Sorted(maps.Keys(got)))
	}
	if st.Files != want.Files || st.Bytes != want.Bytes || st.Precompressed != want.Precompressed || !slices.Equal(st.Changes, want.Changes) {
		t.Errorf("stats %+v, want %+v", st, want)
	}
	if st.Listing == nil || st.Listing.Len() != len(got) {
		t.Fatalf("listing after the rename: %+v, want %d files", st.Listing, len(got))
	}
	fi, err := os.Stat(fresh)
	if err != nil || fi.Mode().Perm() != 0o755 {
		t.Errorf("output folder: %v, %v; want mode 0755", fi, err)
	}
	if names := siblings(t, fresh); !slices.Equal(names, []string{"public"}) {
		t.Errorf("beside the output: %v", names)
	}

	// The next build replaces it in place, with the listing of the first.
	next := freshFiles()
	delete(next, "robots.txt")
	opts.Previous = st.Listing
	_, walked := generation(t, fresh, opts, next)
	if walked {
		t.Error("the second build walked the output instead of using the first one's listing")
	}
	if _, err := os.Stat(filepath.Join(fresh, "robots.txt")); err == nil {
		t.Error("the second build left robots.txt, which it no longer makes")
	}
}

// A first build killed before its rename leaves no output folder (and Recover removes its
// staging folder); killed right after it, the output is whole and nothing is left beside.
// Killed at random moments, the folder is absent or whole, never partial.
func TestSIGKILLDuringAFirstBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	run := func(dest, step string, after time.Duration) error {
		cmd := exec.Command(exe, "-test.run=^$")
		cmd.Env = append(os.Environ(), envCrashDest+"="+dest, envCrashGen+"=1", envCrashStep+"="+step, "GORACE=atexit_sleep_ms=0")
		if after == 0 {
			return cmd.Run()
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		return cmd.Wait()
	}
	// absentOrWhole checks dest after a kill and a Recover, and reports whether it is whole.
	absentOrWhole := func(dest string) bool {
		t.Helper()
		if err := Recover(dest); err != nil {
			t.Fatal(err)
		}
		names := siblings(t, dest)
		if len(names) == 0 {
			return false
		}
		if !slices.Equal(names, []string{"public"}) {
			t.Fatalf("after Recover, beside the output: %v", names)
		}
		if got := checkGeneration(t, dest); got != 1 {
			t.Fatalf("output holds generation %d, want 1", got)
		}
		return true
	}
	for _, c := range []struct {
		step  string
		whole bool
	}{{"planned", false}, {"renamed the staging folder", true}} {
		dest := newDest(t, nil)
		if err := run(dest, c.step, 0); err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("child did not die at %q: %v", c.step, err)
		}
		if hasJournal(t, dest) {
			t.Errorf("killed at %q: a first build left a journal", c.step)
		}
		if got := absentOrWhole(dest); got != c.whole {
			t.Errorf("killed at %q: output whole %v, want %v", c.step, got, c.whole)
		}
	}
	// One uninterrupted child for the time a run takes, then kills spread over it.
	dest := newDest(t, nil)
	started := time.Now()
	if err := run(dest, "", 0); err != nil {
		t.Fatal(err)
	}
	runTime := time.Since(started)
	if !absentOrWhole(dest) {
		t.Fatal("an uninterrupted first build left no output")
	}
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d, run %v", seed, runTime)
	rng := rand.New(rand.NewPCG(seed, 0))
	var whole int
	for range 8 {
		dest := filepath.Join(t.TempDir(), "public")
		_ = run(dest, "", time.Duration(rng.Int64N(int64(runTime)))+time.Millisecond)
		if absentOrWhole(dest) {
			whole++
		}
	}
	t.Logf("%d of 8 killed first builds had published (whole), the rest left nothing", whole)
}

// The staging folder of a new output is read level by level on every core (walk): it
// must list the same files and stamp the same folders as one filepath.WalkDir with a
// stamp before each folder's read, as the commit plan did before. The tree has more
// folders on one level than one worker's chunk, folders at several depths, an empty
// folder, a symbolic link (a file, not a folder to enter), and the journal's name at the
// top (not listed) and below it (listed).
func TestFreshWalkListsAsWalkDir(t *testing.T) {
	tmp := t.TempDir()
	files := map[string]string{journalName: "j", "index.html": "trang chủ", "a/" + journalName: "x"}
	for i := range 3*walkChunk + 5 {
		files[fmt.Sprintf("tin-tuc/bai-%03d/index.html", i)] = "bài"
		files[fmt.Sprintf("tin-tuc/bai-%03d/index.html.gz", i)] = "gz"
	}
	for i := range walkChunk + 1 {
		files[fmt.Sprintf("the/t%d/page/2/index.html", i)] = "trang 2"
	}
	sitetest.WriteFiles(t, tmp, files)
	if err := os.MkdirAll(filepath.Join(tmp, "rong", "rong"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("tin-tuc", filepath.Join(tmp, "a", "lien-ket")); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(time.Hour) // every folder old enough
	want := &freshStampsFor{start: start, stamps: map[string]dirStamp{}}
	var wantFiles []string
	err := filepath.WalkDir(tmp, func(full string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(tmp, full)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." {
				want.walked = append(want.walked, rel)
				if st, isDir, err := stampDir(full); err == nil && isDir && st.known(start, 0) {
					want.stamps[rel] = st
				}
			}
			return nil
		}
		if rel != journalName {
			wantFiles = append(wantFiles, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := &freshStampsFor{start: start, stamps: map[string]dirStamp{}}
	gotFiles, err := got.walk(context.Background(), tmp)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(gotFiles)
	if !slices.Equal(gotFiles, wantFiles) {
		t.Errorf("files: %d, want %d (%v…, want %v…)", len(gotFiles), len(wantFiles), gotFiles[:4], wantFiles[:4])
	}
	if !slices.Contains(gotFiles, "a/lien-ket") || !slices.Contains(gotFiles, "a/"+journalName) || slices.Contains(gotFiles, journalName) {
		t.Errorf("files %v…: want the link and a/%s, not the top's journal", gotFiles[:4], journalName)
	}
	slices.Sort(got.walked)
	slices.Sort(want.walked)
	if !slices.Equal(got.walked, want.walked) {
		t.Errorf("walked %d folders, want %d", len(got.walked), len(want.walked))
	}
	if !maps.Equal(got.stamps, want.stamps) || len(got.stamps) != len(want.walked) {
		t.Errorf("%d stamps, want %d, one per folder", len(got.stamps), len(want.stamps))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := (&freshStampsFor{start: start, stamps: map[string]dirStamp{}}).walk(ctx, tmp); err == nil {
		t.Error("a cancelled walk returned no error")
	}
}
