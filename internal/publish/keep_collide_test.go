package publish

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A file kept unread from the listing is not claimed when it is added (keep.go), but a
// second source at its path, at its .gz sibling's, at a folder it needs or inside it is
// refused as claim refuses it, in either order, and the output is left as it was.
func TestKeptFilesStillCollide(t *testing.T) {
	big := strings.Repeat("<p>Nội dung đủ dài để được nén sẵn.</p>", 100)
	setup := func(t *testing.T) (string, Options) {
		dest := newDest(t, nil)
		opts := Options{Precompress: true}
		st, _ := generation(t, dest, opts, map[string]string{"a/index.html": big, "b/index.html": big + "b", "c/x/index.html": big + "c"})
		opts.Previous = st.Listing
		return dest, opts
	}
	kept := func(dest, rel, source string) File {
		return File{Rel: rel, SrcPath: filepath.Join(dest, rel), Source: source, Kind: Existing}
	}
	cases := []struct {
		name  string
		files func(dest string) []File
		want  []string // in the error
	}{
		{"kept then written", func(dest string) []File {
			return []File{kept(dest, "a/index.html", "bài A"), {Rel: "a/index.html", Data: []byte("B"), Source: "bài B"}}
		}, []string{"bài A", "bài B"}},
		{"written then kept", func(dest string) []File {
			return []File{{Rel: "a/index.html", Data: []byte("B"), Source: "bài B"}, kept(dest, "a/index.html", "bài A")}
		}, []string{"bài A", "bài B"}},
		{"kept twice", func(dest string) []File {
			return []File{kept(dest, "a/index.html", "bài A"), kept(dest, "a/index.html", "bài B")}
		}, []string{"bài A", "bài B"}},
		{"the sibling's name", func(dest string) []File {
			return []File{kept(dest, "a/index.html", "bài A"), {Rel: "a/index.html.gz", Data: []byte("B"), Source: "bài B"}}
		}, []string{"bản nén .gz của bài A", "bài B"}},
		{"a kept file at a kept file's sibling", func(dest string) []File {
			return []File{kept(dest, "a/index.html.gz", "bài B"), kept(dest, "a/index.html", "bài A")}
		}, []string{"bản nén .gz của bài A", "bài B"}},
		{"a file inside a kept file", func(dest string) []File {
			return []File{kept(dest, "a/index.html", "bài A"), {Rel: "a/index.html/x", Data: []byte("B"), Source: "bài B"}}
		}, []string{"bài A", "bài B"}},
		{"a file where a kept file's folder is", func(dest string) []File {
			return []File{kept(dest, "c/x/index.html", "bài C"), {Rel: "c/x", Data: []byte("B"), Source: "bài B"}}
		}, []string{"bài C", "bài B"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dest, opts := setup(t)
			w, err := Begin(t.Context(), dest, opts)
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			for _, f := range tc.files(dest) {
				if err = w.Add(f); err != nil {
					break
				}
			}
			if err == nil {
				_, err = w.Commit()
			}
			if !errors.Is(err, ErrCollision) {
				t.Fatalf("err = %v, want a collision", err)
			}
			for _, s := range tc.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("the error %q does not name %q", err, s)
				}
			}
			if b, err := os.ReadFile(filepath.Join(dest, "a/index.html")); err != nil || string(b) != big {
				t.Errorf("the output changed: %v", err)
			}
		})
	}
}

// With files kept unread, the plan still finds what is stale: a page no longer added
// and its sibling are deleted, a page that stays (kept or written again) and its sibling
// are not, and a generation that keeps or writes every listed file deletes nothing
// (allListedKept's count), the .gitkeep included.
func TestKeptFilesAndStaleOnes(t *testing.T) {
	big := strings.Repeat("<p>Nội dung đủ dài để được nén sẵn.</p>", 100)
	dest := newDest(t, map[string]string{".gitkeep": ""})
	opts := Options{Precompress: true, Changes: true}
	st, _ := generation(t, dest, opts, map[string]string{"a/index.html": big, "b/index.html": big + "b", "c/index.html": big + "c", "d.css": "x"})
	opts.Previous = st.Listing
	st, walked := generation(t, dest, opts, map[string]string{"b/index.html": big + "b mới", "d.css": "x"}, "a/index.html")
	if walked {
		t.Error("walked the output with a listing")
	}
	var deleted []string
	for _, c := range st.Changes {
		if c.Op == Deleted {
			deleted = append(deleted, c.Path)
		}
	}
	if want := []string{"c/index.html", "c/index.html.gz"}; !slices.Equal(deleted, want) {
		t.Errorf("deleted %v, want %v", deleted, want)
	}
	for _, rel := range []string{".gitkeep", "a/index.html", "a/index.html.gz", "b/index.html", "b/index.html.gz", "d.css"} {
		if _, err := os.Stat(filepath.Join(dest, rel)); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}
	opts.Previous = st.Listing
	st, _ = generation(t, dest, opts, map[string]string{"d.css": "y"}, "a/index.html", "b/index.html")
	for _, c := range st.Changes {
		if c.Op == Deleted {
			t.Errorf("deleted %s though every file was kept or written", c.Path)
		}
	}
	for _, step := range []struct {
		kept []string
		want []string
	}{
		{[]string{"a/index.html", "b/index.html"}, []string{"d.css"}}, // one file stale
		{[]string{"a/index.html"}, []string{"b/index.html", "b/index.html.gz"}},
	} {
		opts.Previous = st.Listing
		st, _ = generation(t, dest, opts, nil, step.kept...)
		deleted = nil
		for _, c := range st.Changes {
			if c.Op == Deleted {
				deleted = append(deleted, c.Path)
			}
		}
		if !slices.Equal(deleted, step.want) {
			t.Errorf("keeping %v: deleted %v, want %v", step.kept, deleted, step.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dest, ".gitkeep")); err != nil {
		t.Errorf(".gitkeep: %v", err)
	}
}

// With pages kept unread and a reserved folder whose files change at every commit (the
// search index), the plan deletes the reserved folder's old files and nothing else, and
// still finds a page no longer added.
func TestKeptFilesBesideAReservedFolder(t *testing.T) {
	big := strings.Repeat("<p>Nội dung đủ dài để được nén sẵn.</p>", 100)
	dest := newDest(t, nil)
	opts := Options{Precompress: true, Changes: true}
	commit := func(index []string, kept []string, files map[string]string) Stats {
		t.Helper()
		w, err := Begin(t.Context(), dest, opts)
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		dir, err := w.Reserve(".idx", "chỉ mục")
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, name := range index {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(name), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, rel := range kept {
			if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(dest, rel), Source: rel, Kind: Existing}); err != nil {
				t.Fatal(err)
			}
		}
		for rel, data := range files {
			if err := w.Add(File{Rel: rel, Data: []byte(data), Source: rel}); err != nil {
				t.Fatal(err)
			}
		}
		st, err := w.Commit()
		if err != nil {
			t.Fatal(err)
		}
		opts.Previous = st.Listing
		return st
	}
	deleted := func(st Stats) []string {
		var d []string
		for _, c := range st.Changes {
			if c.Op == Deleted {
				d = append(d, c.Path)
			}
		}
		return d
	}
	commit([]string{"a", "b"}, nil, map[string]string{"p/index.html": big, "q/index.html": big + "q"})
	st := commit([]string{"b", "c"}, []string{"p/index.html", "q/index.html"}, nil)
	if want := []string{".idx/a"}; !slices.Equal(deleted(st), want) {
		t.Errorf("deleted %v, want %v", deleted(st), want)
	}
	st = commit([]string{"c", "d"}, []string{"p/index.html"}, nil)
	if want := []string{".idx/b", "q/index.html", "q/index.html.gz"}; !slices.Equal(deleted(st), want) {
		t.Errorf("deleted %v, want %v", deleted(st), want)
	}
	for _, rel := range []string{".idx/c", ".idx/d", "p/index.html", "p/index.html.gz"} {
		if _, err := os.Stat(filepath.Join(dest, rel)); err != nil {
			t.Errorf("%s: %v", rel, err)
		}
	}
}
