package publish

import (
	"context"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

func TestFolderUpdatesInPlace(t *testing.T) {
	ctx := context.Background()
	f, err := TempFolder("portal-folder-test-")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Remove()
	static := filepath.Join(t.TempDir(), "logo.svg")
	if err := os.WriteFile(static, []byte("<svg> </svg>"), 0o644); err != nil {
		t.Fatal(err)
	}
	generation := func(files ...File) Stats {
		t.Helper()
		if err := f.Begin(ctx); err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			if err := f.Add(file); err != nil {
				t.Fatal(err)
			}
		}
		st, err := f.Commit()
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := generation(
		File{Rel: "index.html", Data: []byte("<p>  a  </p>"), Source: "a.md"},
		File{Rel: "tin-tuc/x/index.html", Data: []byte("x"), Source: "x.md"},
		File{Rel: "img/logo.svg", SrcPath: static, Source: "static/img/logo.svg", Kind: Static},
	)
	want := map[string]string{"index.html": "<p>  a  </p>", "tin-tuc/x/index.html": "x", "img/logo.svg": "<svg> </svg>"}
	if got := sitetest.ReadTree(t, f.Dir()); !maps.Equal(got, want) {
		t.Errorf("after the first generation: %v, want %v (never minified)", got, want)
	}
	if st.Files != 3 {
		t.Errorf("Stats = %+v, want 3 files written", st)
	}

	// Unchanged bytes are not written again; a file the generation did not produce is
	// removed with the folders it leaves empty.
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(filepath.Join(f.Dir(), "index.html"), old, old); err != nil {
		t.Fatal(err)
	}
	st = generation(
		File{Rel: "index.html", Data: []byte("<p>  a  </p>"), Source: "a.md"},
		File{Rel: "img/logo.svg", SrcPath: static, Source: "static/img/logo.svg", Kind: Existing},
		File{Rel: "b.html", Data: []byte("b"), Source: "b.md", Kind: Final},
	)
	want = map[string]string{"index.html": "<p>  a  </p>", "img/logo.svg": "<svg> </svg>", "b.html": "b"}
	if got := sitetest.ReadTree(t, f.Dir()); !maps.Equal(got, want) {
		t.Errorf("after the second generation: %v, want %v", got, want)
	}
	if st.Files != 1 {
		t.Errorf("Stats = %+v, want 1 file written (b.html)", st)
	}
	if fi, err := os.Stat(filepath.Join(f.Dir(), "index.html")); err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("index.html was written again though its bytes did not change (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(f.Dir(), "tin-tuc")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("tin-tuc/ is left behind empty: %v", err)
	}

	// Paths outside the folder and a file written twice are refused.
	if err := f.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"../x.html", "/etc/x", "a/../../x", `a\b`} {
		if err := f.Add(File{Rel: rel, Data: []byte("x"), Source: "evil.md"}); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("Add(%q) = %v, want ErrUnsafePath", rel, err)
		}
	}
	if err := f.Add(File{Rel: "b.html", Data: []byte("b"), Source: "b.md"}); err != nil {
		t.Fatal(err)
	}
	if err := f.Add(File{Rel: "b.html", Data: []byte("c"), Source: "c.md"}); err == nil || !strings.Contains(err.Error(), "c.md") {
		t.Errorf("second b.html: %v, want an error naming c.md", err)
	}

	dir := f.Dir()
	if err := f.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Remove left %s: %v", dir, err)
	}
}

// A file Put between or during generations (a photo variant finished after its page) is
// kept by the generation it was written in, may be Added by it too, and goes once a later
// generation does not Add it.
func TestFolderPutOutsideAGeneration(t *testing.T) {
	ctx := context.Background()
	f, err := TempFolder("portal-folder-put-")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Remove()
	commit := func() {
		t.Helper()
		if _, err := f.Commit(); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	if err := f.Add(File{Rel: "index.html", Data: []byte("page"), Source: "a.md"}); err != nil {
		t.Fatal(err)
	}
	// Written during the generation, not Added by it: kept.
	if err := f.Put(File{Rel: "_anh/a.360.webp", Data: []byte("a"), Source: "queue", Kind: Final}); err != nil {
		t.Fatal(err)
	}
	commit()
	// Written between generations: kept by the next one, which also Adds the first
	// variant (the same bytes: no error, nothing written twice).
	if err := f.Put(File{Rel: "_anh/b.360.webp", Data: []byte("b"), Source: "queue", Kind: Final}); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "page", "_anh/a.360.webp": "a", "_anh/b.360.webp": "b"}
	if got := sitetest.ReadTree(t, f.Dir()); !maps.Equal(got, want) {
		t.Errorf("after Put: %v, want %v", got, want)
	}
	if err := f.Begin(ctx); err != nil {
		t.Fatal(err)
	}
	for _, rel := range []string{"index.html", "_anh/a.360.webp"} {
		if err := f.Add(File{Rel: rel, Data: []byte(want[rel]), Source: "build", Kind: Final}); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Put(File{Rel: "_anh/c.360.webp", Data: []byte("c"), Source: "queue", Kind: Final}); err != nil {
		t.Fatal(err)
	}
	if err := f.Add(File{Rel: "_anh/c.360.webp", Data: []byte("c"), Source: "build", Kind: Final}); err != nil {
		t.Errorf("Add after Put in the same generation: %v", err)
	}
	commit()
	// b was Put before this generation began and the generation did not Add it: gone.
	want = map[string]string{"index.html": "page", "_anh/a.360.webp": "a", "_anh/c.360.webp": "c"}
	if got := sitetest.ReadTree(t, f.Dir()); !maps.Equal(got, want) {
		t.Errorf("after the second generation: %v, want %v", got, want)
	}
	if err := f.Put(File{Rel: "../x", Data: []byte("x"), Source: "queue"}); err == nil {
		t.Error("Put outside the folder: no error")
	}
}
