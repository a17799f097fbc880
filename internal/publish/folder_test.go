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
