package publish

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// KeepLast keeps what the last commit carried without the files being added: the files
// stay (the same inodes, their .gz siblings too), the stats count them, a gone file not
// added again is deleted with its sibling, a carried file written again without being
// said gone is refused, and a Carry file not kept unread makes the next listing carry
// nothing.
func TestKeepLastKeepsWhatTheLastCommitCarried(t *testing.T) {
	page := func(s string) string { return "<p>" + strings.Repeat(s+" trang ", 400) + "</p>" }
	opts := Options{Precompress: true}
	dest := newDest(t, nil)
	st := publishAll(t, dest, opts, map[string]string{"a/index.html": page("a"), "b/index.html": page("b"), "c/index.html": page("c")})
	existing := func(rel string) File {
		return File{Rel: rel, SrcPath: filepath.Join(dest, filepath.FromSlash(rel)), Source: "src/" + rel, Kind: Existing, Carry: true}
	}
	commit := func(prev *Listing, add []File, gone []string) (Stats, bool, error) {
		t.Helper()
		o := opts
		o.Previous = prev
		w, err := Begin(context.Background(), dest, o)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		for _, f := range add {
			if err := w.Add(f); err != nil {
				return Stats{}, false, err
			}
		}
		kept, err := w.KeepLast(gone)
		if err != nil {
			return Stats{}, kept, err
		}
		st, err := w.Commit()
		return st, kept, err
	}
	ino := func(rel string) uint64 { return inode(t, filepath.Join(dest, filepath.FromSlash(rel))) }
	files := func() []string {
		var out []string
		_ = filepath.WalkDir(dest, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				r, _ := filepath.Rel(dest, p)
				out = append(out, filepath.ToSlash(r))
			}
			return err
		})
		slices.Sort(out)
		return out
	}

	// The first listing carries nothing: every page is added, with Carry.
	st, kept, err := commit(st.Listing, []File{existing("a/index.html"), existing("b/index.html"), existing("c/index.html")}, nil)
	if err != nil || kept {
		t.Fatalf("second commit: KeepLast %v, %v; want false, nil", kept, err)
	}
	before := map[string]uint64{}
	for _, rel := range []string{"a/index.html", "a/index.html.gz", "b/index.html", "b/index.html.gz"} {
		before[rel] = ino(rel)
	}

	// Nothing added for a and b; c written again, said gone.
	st, kept, err = commit(st.Listing, []File{{Rel: "c/index.html", Data: []byte(page("c mới")), Source: "src/c"}}, []string{"c/index.html"})
	if err != nil || !kept {
		t.Fatalf("third commit: KeepLast %v, %v; want true, nil", kept, err)
	}
	for rel, was := range before {
		if now := ino(rel); now != was {
			t.Errorf("%s was not kept in place (inode %d, was %d)", rel, now, was)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dest, "c/index.html")); string(b) != page("c mới") {
		t.Errorf("c/index.html = %.20q, want the new page", b)
	}
	if st.Files != 3 || st.Precompressed != 3 {
		t.Errorf("third commit's stats: %d files, %d siblings; want 3, 3", st.Files, st.Precompressed)
	}

	// b gone and not added: deleted with its sibling; c (written, not carried) added with Carry.
	st, kept, err = commit(st.Listing, []File{existing("c/index.html")}, []string{"b/index.html"})
	if err != nil || !kept {
		t.Fatalf("fourth commit: KeepLast %v, %v; want true, nil", kept, err)
	}
	if got, want := files(), []string{"a/index.html", "a/index.html.gz", "c/index.html", "c/index.html.gz"}; !slices.Equal(got, want) {
		t.Errorf("after b went: %q, want %q", got, want)
	}
	if st.Files != 2 || st.Precompressed != 2 {
		t.Errorf("fourth commit's stats: %d files, %d siblings; want 2, 2", st.Files, st.Precompressed)
	}

	// A carried file written again without being said gone: refused, nothing changed, and
	// the listing still serves.
	if _, _, err := commit(st.Listing, []File{{Rel: "a/index.html", Data: []byte("khác"), Source: "src/khac"}}, nil); !errors.Is(err, ErrCollision) {
		t.Errorf("a carried file written again: %v, want ErrCollision", err)
	}
	if _, _, err := commit(st.Listing, []File{existing("a/index.html")}, nil); !errors.Is(err, ErrCollision) {
		t.Errorf("a carried file added again: %v, want ErrCollision", err)
	}
	st, kept, err = commit(st.Listing, nil, nil)
	if err != nil || !kept {
		t.Fatalf("after the refused commits: KeepLast %v, %v; want true, nil", kept, err)
	}
	if got, want := files(), []string{"a/index.html", "a/index.html.gz", "c/index.html", "c/index.html.gz"}; !slices.Equal(got, want) {
		t.Errorf("after the refused commits: %q, want %q", got, want)
	}

	// A Carry file that is not kept unread (not the output's own path): the next listing
	// carries nothing, and the caller adds its files again.
	other := existing("c/index.html")
	other.Rel = "d/index.html"
	st, kept, err = commit(st.Listing, []File{other}, nil)
	if err != nil || !kept {
		t.Fatalf("commit with d: KeepLast %v, %v; want true, nil", kept, err)
	}
	if _, kept, err = commit(st.Listing, []File{existing("a/index.html"), existing("c/index.html"), existing("d/index.html")}, nil); err != nil || kept {
		t.Errorf("after a Carry file linked, not kept unread: KeepLast %v, %v; want false, nil", kept, err)
	}
	if got, want := files(), []string{"a/index.html", "a/index.html.gz", "c/index.html", "c/index.html.gz", "d/index.html", "d/index.html.gz"}; !slices.Equal(got, want) {
		t.Errorf("at the end: %q, want %q", got, want)
	}
}

// A commit that keeps what the last one carried costs what it adds, not what it keeps:
// the bytes a Writer allocates keeping 2,000 carried files by KeepLast are about those
// of keeping 200 (adding each file again as an Existing one with Carry: ≈ 576 bytes a
// file more, measured by swapping the last commit to add them).
func TestKeepLastBytesDoNotGrowWithTheCarriedFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 2,200 files")
	}
	perCommit := func(n int) uint64 {
		dest := newDest(t, nil)
		files := map[string]string{}
		for i := range n {
			files[fmt.Sprintf("trang-%d/index.html", i)] = "<p>trang</p>"
		}
		opts := Options{Precompress: true}
		st := publishAll(t, dest, opts, files)
		commit := func(add bool) Stats {
			o := opts
			o.Previous = st.Listing
			w, err := Begin(context.Background(), dest, o)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if add {
				for rel := range files {
					if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(dest, filepath.FromSlash(rel)), Source: rel, Kind: Existing, Carry: true}); err != nil {
						t.Fatal(err)
					}
				}
			} else if kept, err := w.KeepLast(nil); err != nil || !kept {
				t.Fatalf("KeepLast: %v, %v", kept, err)
			}
			st, err := w.Commit()
			if err != nil {
				t.Fatal(err)
			}
			if st.Files != n {
				t.Fatalf("%d files kept, want %d", st.Files, n)
			}
			return st
		}
		st = commit(true) // the listing carries them from here
		st = commit(false)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		st = commit(false)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	small, large := perCommit(200), perCommit(2000)
	per := (float64(large) - float64(small)) / 1800
	t.Logf("a commit keeping 200 carried files allocated %d bytes, 2,000: %d (%.1f bytes a file)", small, large, per)
	if per > 20 {
		t.Errorf("a commit that keeps carried files by KeepLast allocated %.1f bytes more per file kept (%d for 200, %d for 2,000), want at most 20", per, small, large)
	}
}
