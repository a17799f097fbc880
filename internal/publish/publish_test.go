package publish

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/sitetest"
)

// siblings lists the names in dest's parent folder.
func siblings(t testing.TB, dest string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(dest))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// newDest returns "<tempdir>/public" pre-filled with files (nil: no dest).
func newDest(t testing.TB, files map[string]string) string {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	if files != nil {
		if err := os.Mkdir(dest, 0o755); err != nil {
			t.Fatal(err)
		}
		sitetest.WriteFiles(t, dest, files)
	}
	return dest
}

// publishAll builds one generation of files into dest and commits it.
func publishAll(t testing.TB, dest string, opts Options, files map[string]string) Stats {
	t.Helper()
	w, err := Begin(context.Background(), dest, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, rel := range slices.Sorted(maps.Keys(files)) {
		if err := w.Add(File{Rel: rel, Data: []byte(files[rel]), Source: "src/" + rel + ".md"}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestCommitReplacesDestCompletely(t *testing.T) {
	for _, existed := range []bool{true, false} {
		t.Run(fmt.Sprintf("destExisted=%v", existed), func(t *testing.T) {
			var old map[string]string
			if existed {
				old = map[string]string{"index.html": "old", "tin-tuc/a/index.html": "old a", "gone.css": "x"}
			}
			dest := newDest(t, old)
			want := map[string]string{
				"index.html":             "<p>mới</p>",
				"tin-tuc/b/index.html":   "b",
				"deep/er/still/file.txt": "t",
			}
			st := publishAll(t, dest, Options{}, want)
			if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
				t.Errorf("dest after commit = %v, want %v", got, want)
			}
			if st.Files != len(want) {
				t.Errorf("Stats.Files = %d, want %d", st.Files, len(want))
			}
			var n int64
			for _, c := range want {
				n += int64(len(c))
			}
			if st.Bytes != n || st.BytesBeforeMinify != n || st.Minified != 0 {
				t.Errorf("Stats = %+v, want Bytes=BytesBeforeMinify=%d, Minified=0", st, n)
			}
			if got := siblings(t, dest); !slices.Equal(got, []string{"public"}) {
				t.Errorf("leftovers next to dest: %v", got)
			}
			fi, err := os.Stat(filepath.Join(dest, "tin-tuc/b/index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if perm := fi.Mode().Perm(); perm&0o644 != 0o644 || perm&0o022 != 0 {
				t.Errorf("file mode %v, want 0644 (modulo umask)", perm)
			}
		})
	}
}

func TestFailedGenerationLeavesOldDestUntouched(t *testing.T) {
	old := map[string]string{"index.html": "<p>cũ</p>", "css/site.css": "body{}", ".gitkeep": ""}
	cases := []struct {
		name string
		run  func(t *testing.T, w *Writer) error // returns Commit's error, or nil if it was not committed
	}{
		{"abort", func(t *testing.T, w *Writer) error {
			if err := w.Add(File{Rel: "index.html", Data: []byte("new"), Source: "a.md"}); err != nil {
				t.Fatal(err)
			}
			w.Abort()
			_, err := w.Commit()
			if !errors.Is(err, errAborted) {
				t.Errorf("Commit after Abort = %v, want errAborted", err)
			}
			return err
		}},
		{"minify error", func(t *testing.T, w *Writer) error {
			for i := range 50 {
				if err := w.Add(File{Rel: fmt.Sprintf("p/%d/index.html", i), Data: []byte("<p>ok</p>"), Source: "ok.md"}); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.Add(File{Rel: "js/app.js", Data: []byte("function ( {"), Source: "assets/app.js"}); err != nil {
				t.Fatal(err)
			}
			_, err := w.Commit()
			return err
		}},
		{"missing static file", func(t *testing.T, w *Writer) error {
			if err := w.Add(File{Rel: "img/logo.png", SrcPath: filepath.Join(t.TempDir(), "nope.png"), Source: "static/img/logo.png", Kind: Static}); err != nil {
				t.Fatal(err)
			}
			_, err := w.Commit()
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dest := newDest(t, old)
			w, err := Begin(context.Background(), dest, Options{Minify: true})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if err := tc.run(t, w); err == nil {
				t.Fatal("generation succeeded, want an error")
			}
			w.Abort() // second call must be harmless
			if got := sitetest.ReadTree(t, dest); !maps.Equal(got, old) {
				t.Errorf("dest changed: %v, want %v", got, old)
			}
			if _, err := os.Stat(w.Dir()); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("temp folder still there: %v", err)
			}
			if got := siblings(t, dest); !slices.Equal(got, []string{"public"}) {
				t.Errorf("leftovers next to dest: %v", got)
			}
		})
	}
}

func TestMinifyErrorNamesFileAndSource(t *testing.T) {
	cases := []struct{ rel, content, source string }{
		{"js/app.js", "function ( {", "assets/js/app.js"},
		{"data/x.json", `{"a": [1, 2}`, "data/x.toml"},
		{"tin-tuc/index.html", "<p>x</p><script>let = ;</script>", "content/tin-tuc/_index.md"},
	}
	for _, tc := range cases {
		t.Run(tc.rel, func(t *testing.T) {
			dest := newDest(t, nil)
			w, err := Begin(context.Background(), dest, Options{Minify: true})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			if err := w.Add(File{Rel: tc.rel, Data: []byte(tc.content), Source: tc.source}); err != nil {
				t.Fatal(err)
			}
			_, err = w.Commit()
			if err == nil {
				t.Fatal("Commit succeeded on malformed input")
			}
			for _, want := range []string{"minify", "public/" + tc.rel, tc.source} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("dest was created by a failed build: %v", err)
			}
		})
	}
}

func TestUnsafePathsRejected(t *testing.T) {
	bad := []string{
		"../x", "/etc/passwd", "a/../../x", `a\b`, "a\x00b", "", ".", "..", "a/..", "a/../b",
		"dir/", "./", "C:/x", `..\x`, "//server/share",
	}
	dest := newDest(t, map[string]string{"keep": "k"})
	w, err := Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	for _, rel := range bad {
		if err := w.Add(File{Rel: rel, Data: []byte("evil"), Source: "evil.md"}); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("Add(%q) = %v, want ErrUnsafePath", rel, err)
		} else if !strings.Contains(err.Error(), "evil.md") {
			t.Errorf("Add(%q) error %q does not name the source", rel, err)
		}
		if err := w.Add(File{Rel: rel, SrcPath: "/etc/hostname", Source: "static", Kind: Static}); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("Add(Static %q) = %v, want ErrUnsafePath", rel, err)
		}
		if _, err := w.Reserve(rel, "search"); !errors.Is(err, ErrUnsafePath) {
			t.Errorf("Reserve(%q) = %v, want ErrUnsafePath", rel, err)
		}
	}
	// Paths that merely need cleaning are fine.
	for _, rel := range []string{"a/./b.html", "./c.html", "d//e.html"} {
		if err := w.Add(File{Rel: rel, Data: []byte("ok"), Source: "ok.md"}); err != nil {
			t.Errorf("Add(%q) = %v, want nil", rel, err)
		}
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a/b.html": "ok", "c.html": "ok", "d/e.html": "ok"}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
	if got := siblings(t, dest); !slices.Equal(got, []string{"public"}) {
		t.Errorf("something was written next to dest: %v", got)
	}
}

func TestSymlinkInsideTempFolderCannotEscape(t *testing.T) {
	outside := t.TempDir()
	dest := newDest(t, nil)
	w, err := Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	// Another writer (or an attacker) plants a symlink in the temp folder.
	if err := os.Symlink(outside, filepath.Join(w.Dir(), "link")); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "link/pwned.html", Data: []byte("x"), Source: "evil.md"}); err != nil {
		t.Fatal(err) // lexically fine; the write itself must fail
	}
	if _, err := w.Commit(); err == nil {
		t.Fatal("Commit succeeded writing through a symlink out of the output folder")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("file written outside the output folder: %v", entries)
	}
}

func TestCollisions(t *testing.T) {
	cases := []struct {
		name       string
		first      string // added by a.md ("!" prefix: reserved folder)
		second     string // added by b.md
		wantSubstr string
	}{
		{"same path", "x/index.html", "x/index.html", "public/x/index.html would be written by both a.md and b.md"},
		{"same after clean", "x/index.html", "x/./index.html", "public/x/index.html would be written by both a.md and b.md"},
		{"file then folder", "x", "x/index.html", "public/x/index.html from b.md needs public/x to be a folder, but a.md writes it as a file"},
		{"folder then file", "x/y/index.html", "x/y", "public/x/y from b.md would be a file, but a.md needs it to be a folder"},
		{"into reserved", "!search", "search/index.json", "public/search/index.json from b.md is inside public/search, which is reserved for a.md"},
		{"reserve taken folder", "search/a.json", "!search", "cannot reserve public/search for b.md: a.md already writes files inside it"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := Begin(context.Background(), newDest(t, nil), Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			add := func(rel, src string) error {
				if r, ok := strings.CutPrefix(rel, "!"); ok {
					_, err := w.Reserve(r, src)
					return err
				}
				return w.Add(File{Rel: rel, Data: []byte(rel), Source: src})
			}
			if err := add(tc.first, "a.md"); err != nil {
				t.Fatal(err)
			}
			err = add(tc.second, "b.md")
			if !errors.Is(err, ErrCollision) || !strings.Contains(message.En.Error(err), tc.wantSubstr) {
				t.Errorf("second add = %v, want ErrCollision containing %q", err, tc.wantSubstr)
			}
		})
	}
	t.Run("case differs", func(t *testing.T) {
		dest := newDest(t, nil)
		st := publishAll(t, dest, Options{}, map[string]string{"x/index.html": "a", "X/index.html": "b"})
		if st.Files != 2 {
			t.Errorf("Files = %d, want 2 (paths are compared case-sensitively)", st.Files)
		}
	})
}

func TestReserveFolderForOtherBuilders(t *testing.T) {
	dest := newDest(t, nil)
	w, err := Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	dir, err := w.Reserve("search", "search index")
	if err != nil {
		t.Fatal(err)
	}
	if dir != filepath.Join(w.Dir(), "search") {
		t.Errorf("Reserve returned %s, want it inside %s", dir, w.Dir())
	}
	if _, err := os.Lstat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the reserved folder exists (%v); the builder creates it", err)
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "index.bin"), []byte("12345"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "index.html", Data: []byte("home"), Source: "home.md"}); err != nil {
		t.Fatal(err)
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"index.html": "home", "search/index.bin": "12345"}
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
		t.Errorf("dest = %v, want %v", got, want)
	}
	if st.Files != 2 || st.Bytes != 9 {
		t.Errorf("Stats = %+v, want Files=2 Bytes=9", st)
	}
}

func TestGitkeepCarriedOver(t *testing.T) {
	t.Run("carried", func(t *testing.T) {
		dest := newDest(t, map[string]string{".gitkeep": "giữ chỗ", "old.html": "o", "sub/.gitkeep": "nested"})
		publishAll(t, dest, Options{}, map[string]string{"index.html": "i"})
		want := map[string]string{".gitkeep": "giữ chỗ", "index.html": "i"}
		if got := sitetest.ReadTree(t, dest); !maps.Equal(got, want) {
			t.Errorf("dest = %v, want %v (only the top-level .gitkeep is carried)", got, want)
		}
		// And again: it survives every generation.
		publishAll(t, dest, Options{}, map[string]string{"index.html": "j"})
		if got := sitetest.ReadTree(t, dest)[".gitkeep"]; got != "giữ chỗ" {
			t.Errorf(".gitkeep after second build = %q", got)
		}
	})
	t.Run("not invented", func(t *testing.T) {
		dest := newDest(t, map[string]string{"old.html": "o"})
		publishAll(t, dest, Options{}, map[string]string{"index.html": "i"})
		if _, ok := sitetest.ReadTree(t, dest)[".gitkeep"]; ok {
			t.Error(".gitkeep created although the old output had none")
		}
	})
	t.Run("added wins", func(t *testing.T) {
		dest := newDest(t, map[string]string{".gitkeep": "old"})
		publishAll(t, dest, Options{}, map[string]string{".gitkeep": "new"})
		if got := sitetest.ReadTree(t, dest)[".gitkeep"]; got != "new" {
			t.Errorf(".gitkeep = %q, want the added one", got)
		}
	})
}

func TestRecover(t *testing.T) {
	t.Run("removes stale temp and old folders", func(t *testing.T) {
		dest := newDest(t, map[string]string{"index.html": "live"})
		parent := filepath.Dir(dest)
		sitetest.WriteFiles(t, filepath.Join(parent, ".public.tmp-123"), map[string]string{"a/b.html": "half"})
		sitetest.WriteFiles(t, filepath.Join(parent, "public.old-abc"), map[string]string{"index.html": "older"})
		sitetest.WriteFiles(t, filepath.Join(parent, ".other.tmp-1"), map[string]string{"x": "not ours"})
		if err := Recover(dest); err != nil {
			t.Fatal(err)
		}
		if got := siblings(t, dest); !slices.Equal(got, []string{".other.tmp-1", "public"}) {
			t.Errorf("after Recover: %v", got)
		}
		if got := sitetest.ReadTree(t, dest)["index.html"]; got != "live" {
			t.Errorf("dest changed: %q", got)
		}
	})
	t.Run("restores dest from old folder", func(t *testing.T) {
		dest := newDest(t, nil)
		parent := filepath.Dir(dest)
		sitetest.WriteFiles(t, filepath.Join(parent, "public.old-abc"), map[string]string{"index.html": "previous"})
		if err := Recover(dest); err != nil {
			t.Fatal(err)
		}
		if got := sitetest.ReadTree(t, dest); !maps.Equal(got, map[string]string{"index.html": "previous"}) {
			t.Errorf("dest after Recover = %v", got)
		}
		if got := siblings(t, dest); !slices.Equal(got, []string{"public"}) {
			t.Errorf("after Recover: %v", got)
		}
	})
	t.Run("missing parent", func(t *testing.T) {
		if err := Recover(filepath.Join(t.TempDir(), "no", "such", "public")); err != nil {
			t.Errorf("Recover = %v, want nil", err)
		}
	})
	t.Run("leaves running builds alone", func(t *testing.T) {
		dest := newDest(t, nil)
		w1, err := Begin(context.Background(), dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w1.Abort()
		if err := w1.Add(File{Rel: "index.html", Data: []byte("one"), Source: "one.md"}); err != nil {
			t.Fatal(err)
		}
		// A second Begin runs Recover; it must not delete w1's folder.
		w2, err := Begin(context.Background(), dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w2.Abort()
		if err := Recover(dest); err != nil {
			t.Fatal(err)
		}
		if _, err := w1.Commit(); err != nil {
			t.Fatal(err)
		}
		if got := sitetest.ReadTree(t, dest)["index.html"]; got != "one" {
			t.Errorf("index.html = %q, want %q", got, "one")
		}
	})
	t.Run("begin calls it", func(t *testing.T) {
		dest := newDest(t, map[string]string{"index.html": "live"})
		stale := filepath.Join(filepath.Dir(dest), ".public.tmp-999")
		sitetest.WriteFiles(t, stale, map[string]string{"x": "x"})
		w, err := Begin(context.Background(), dest, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Begin left the stale temp folder: %v", err)
		}
	})
}

func TestBeginRejectsBadDest(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	sitetest.WriteFiles(t, dir, map[string]string{"file": "x"})
	link := filepath.Join(dir, "link")
	if err := os.Symlink(t.TempDir(), link); err != nil {
		t.Fatal(err)
	}
	for _, dest := range []string{"", "/", file, link} {
		if w, err := Begin(context.Background(), dest, Options{}); err == nil {
			w.Abort()
			t.Errorf("Begin(%q) succeeded", dest)
		}
	}
}

func TestConcurrentThousandFiles(t *testing.T) {
	dest := newDest(t, map[string]string{"old.html": "old"})
	w, err := Begin(context.Background(), dest, Options{Minify: true, Workers: 8})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	const n, adders = 1000, 8
	page := func(i int) string {
		return fmt.Sprintf("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n  <title>Trang %d</title>\n</head>\n<body>\n  <p>Tin   số %d</p>\n</body>\n</html>\n", i, i)
	}
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for a := range adders {
		wg.Go(func() {
			for i := a; i < n; i += adders {
				if err := w.Add(File{Rel: fmt.Sprintf("tin/%d/%d/index.html", i%17, i), Data: []byte(page(i)), Source: fmt.Sprintf("p%d.md", i)}); err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	st, err := w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if st.Files != n || st.Minified != n || st.Bytes >= st.BytesBeforeMinify {
		t.Errorf("Stats = %+v, want %d files all minified and smaller", st, n)
	}
	got := sitetest.ReadTree(t, dest)
	if len(got) != n {
		t.Fatalf("dest has %d files, want %d", len(got), n)
	}
	for i := range n {
		want := fmt.Sprintf("<p>Tin số %d</p>", i)
		if c := got[fmt.Sprintf("tin/%d/%d/index.html", i%17, i)]; !strings.Contains(c, want) {
			t.Fatalf("page %d = %q, want it to contain %q", i, c, want)
		}
	}
}

func TestCancellation(t *testing.T) {
	t.Run("before commit", func(t *testing.T) {
		old := map[string]string{"index.html": "old"}
		dest := newDest(t, old)
		ctx, cancel := context.WithCancel(context.Background())
		w, err := Begin(ctx, dest, Options{Workers: 2})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		for i := range 100 {
			if err := w.Add(File{Rel: fmt.Sprintf("%d.html", i), Data: []byte("new"), Source: "x.md"}); err != nil {
				t.Fatal(err)
			}
		}
		cancel()
		if err := w.Add(File{Rel: "late.html", Data: []byte("x"), Source: "late.md"}); !errors.Is(err, context.Canceled) {
			t.Errorf("Add after cancel = %v, want context.Canceled", err)
		}
		if _, err := w.Commit(); !errors.Is(err, context.Canceled) {
			t.Errorf("Commit after cancel = %v, want context.Canceled", err)
		}
		if got := sitetest.ReadTree(t, dest); !maps.Equal(got, old) {
			t.Errorf("dest changed after cancellation: %v", got)
		}
		w.Abort()
		// A cancelled generation is removed in the background (the process may be
		// stopping): wait for it.
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && len(siblings(t, dest)) > 1; {
			time.Sleep(10 * time.Millisecond)
		}
		if got := siblings(t, dest); !slices.Equal(got, []string{"public"}) {
			t.Errorf("leftovers: %v", got)
		}
	})
	t.Run("while adders are blocked", func(t *testing.T) {
		dest := newDest(t, nil)
		ctx, cancel := context.WithCancel(context.Background())
		w, err := Begin(ctx, dest, Options{Workers: 1, Minify: true})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Abort()
		big := bytes.Repeat([]byte("<p>   chữ   </p>\n"), 20000)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var canceled int
		for g := range 4 {
			wg.Go(func() {
				for i := range 200 {
					err := w.Add(File{Rel: fmt.Sprintf("g%d/%d.html", g, i), Data: slices.Clone(big), Source: "x.md"})
					if err != nil {
						if errors.Is(err, context.Canceled) {
							mu.Lock()
							canceled++
							mu.Unlock()
						} else {
							t.Error(err)
						}
						return
					}
				}
			})
		}
		cancel()
		wg.Wait()
		if canceled == 0 {
			t.Error("no Add reported cancellation")
		}
		if _, err := w.Commit(); !errors.Is(err, context.Canceled) {
			t.Errorf("Commit = %v, want context.Canceled", err)
		}
		if _, err := os.Stat(dest); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("dest exists after a cancelled first build: %v", err)
		}
	})
	t.Run("begin", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Begin(ctx, newDest(t, nil), Options{}); !errors.Is(err, context.Canceled) {
			t.Errorf("Begin = %v, want context.Canceled", err)
		}
	})
}

func TestLifecycleMisuse(t *testing.T) {
	dest := newDest(t, nil)
	w, err := Begin(context.Background(), dest, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "a.html", Data: []byte("a"), Source: "a.md"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(File{Rel: "b.html", Data: []byte("b"), Source: "b.md"}); err == nil || !strings.Contains(err.Error(), "already committed") {
		t.Errorf("Add after Commit = %v", err)
	}
	if _, err := w.Commit(); err == nil {
		t.Error("second Commit succeeded")
	}
	w.Abort() // no-op after Commit
	w.Abort()
	if got := sitetest.ReadTree(t, dest); !maps.Equal(got, map[string]string{"a.html": "a"}) {
		t.Errorf("Abort after Commit changed dest: %v", got)
	}
}

// minifyCases are inputs of each supported type with checks that hold for
// the minified output.
var minifyCases = []struct {
	rel, in  string
	contains []string // must appear in the minified output
	absent   []string // must not appear in the minified output
}{
	{
		rel: "index.html",
		in: "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Cổng thông tin</title>\n" +
			"  <script type=\"application/ld+json\">\n  {\n    \"@context\": \"https://schema.org\",\n    \"@type\": \"NewsArticle\"\n  }\n  </script>\n" +
			"  <style>\n    body {  color : #ff0000 ; }\n  </style>\n</head>\n<body>\n  <!-- ghi chú -->\n  <p class=\"lead\">Tin   tức</p>\n" +
			"  <input type=\"text\" name=\"q\">\n</body>\n</html>\n",
		contains: []string{"<html lang=\"vi\">", "<head>", "</head>", "<body>", "</p>", "</body>", "</html>",
			`class="lead"`, `type="text"`, `{"@context":"https://schema.org","@type":"NewsArticle"}`, "body{color:red}", "Tin tức"},
		absent: []string{"ghi chú", "\n  "},
	},
	{rel: "css/site.css", in: "body {\n  margin : 0px ;\n  color: #ffffff;\n}\n", contains: []string{"body{margin:0;color:#fff}"}},
	{rel: "js/app.js", in: "function greet ( name ) {\n  // chào\n  return 'Xin chào ' + name ;\n}\nwindow.greet = greet;\n", contains: []string{"Xin chào"}, absent: []string{"// chào", "\n  "}},
	{rel: "img/icon.svg", in: "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n  <!-- c -->\n  <rect x=\"0\" y=\"0\" width=\"10\" height=\"10\"/>\n</svg>\n", contains: []string{"<svg", "viewBox=\"0 0 10 10\""}, absent: []string{"<!-- c -->"}},
	{rel: "sitemap.xml", in: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n  <url>\n    <loc>https://x.gov.vn/</loc>\n  </url>\n</urlset>\n", contains: []string{"<url><loc>https://x.gov.vn/</loc></url>"}},
	{rel: "tin-tuc/index.rss", in: "<?xml version=\"1.0\"?>\n<rss version=\"2.0\">\n  <channel>\n    <title>Tin tức</title>\n  </channel>\n</rss>\n", contains: []string{"<channel><title>Tin tức</title></channel>"}},
	{rel: "data/menu.json", in: "{\n  \"items\" : [ 1, 2 ]\n}\n", contains: []string{`{"items":[1,2]}`}},
	{rel: "site.webmanifest", in: "{\n  \"name\" : \"Cổng\"\n}\n", contains: []string{`{"name":"Cổng"}`}},
}

func TestMinifyByType(t *testing.T) {
	for _, minifyOn := range []bool{true, false} {
		t.Run(fmt.Sprintf("minify=%v", minifyOn), func(t *testing.T) {
			files := map[string]string{"robots.txt": "User-agent: *\n\nAllow: /\n"}
			for _, tc := range minifyCases {
				files[tc.rel] = tc.in
			}
			dest := newDest(t, nil)
			st := publishAll(t, dest, Options{Minify: minifyOn}, files)
			got := sitetest.ReadTree(t, dest)
			if got["robots.txt"] != files["robots.txt"] {
				t.Errorf("robots.txt changed: %q", got["robots.txt"])
			}
			for _, tc := range minifyCases {
				out := got[tc.rel]
				if !minifyOn {
					if out != tc.in {
						t.Errorf("%s changed with minify off: %q", tc.rel, out)
					}
					continue
				}
				if len(out) >= len(tc.in) {
					t.Errorf("%s not smaller after minify: %q", tc.rel, out)
				}
				for _, s := range tc.contains {
					if !strings.Contains(out, s) {
						t.Errorf("%s minified = %q, want it to contain %q", tc.rel, out, s)
					}
				}
				for _, s := range tc.absent {
					if strings.Contains(out, s) {
						t.Errorf("%s minified = %q, want no %q", tc.rel, out, s)
					}
				}
			}
			wantMin := 0
			if minifyOn {
				wantMin = len(minifyCases)
			}
			if st.Minified != wantMin {
				t.Errorf("Stats.Minified = %d, want %d", st.Minified, wantMin)
			}
		})
	}
}

func TestStaticFilesCopiedAndMinified(t *testing.T) {
	src := t.TempDir()
	bin := make([]byte, 3<<20) // bigger than any copy buffer
	for i := range bin {
		bin[i] = byte(i * 7)
	}
	static := map[string]string{
		"css/a.css":                 "a {  color : red ; }\n",
		"js/a.js":                   "var  x = 1 ;\n",
		"img/a.svg":                 "<svg xmlns=\"http://www.w3.org/2000/svg\">\n  <!-- c -->\n</svg>\n",
		"google123.html":            "<html>\n  google-site-verification\n</html>\n",
		"data/feed.json":            "{ \"a\" : 1 }\n",
		"img/big.bin":               string(bin),
		"tài-liệu/văn bản số 1.pdf": "%PDF-1.4 ...",
	}
	sitetest.WriteFiles(t, src, static)
	for _, minifyOn := range []bool{false, true} {
		t.Run(fmt.Sprintf("minify=%v", minifyOn), func(t *testing.T) {
			dest := newDest(t, nil)
			w, err := Begin(context.Background(), dest, Options{Minify: minifyOn})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Abort()
			for _, rel := range slices.Sorted(maps.Keys(static)) {
				if err := w.Add(File{Rel: rel, SrcPath: filepath.Join(src, filepath.FromSlash(rel)), Source: "static/" + rel, Kind: Static}); err != nil {
					t.Fatal(err)
				}
			}
			st, err := w.Commit()
			if err != nil {
				t.Fatal(err)
			}
			got := sitetest.ReadTree(t, dest)
			for rel, in := range static {
				minifiable := strings.HasSuffix(rel, ".css") || strings.HasSuffix(rel, ".js") || strings.HasSuffix(rel, ".svg")
				switch {
				case minifyOn && minifiable:
					if len(got[rel]) >= len(in) {
						t.Errorf("%s not minified: %q", rel, got[rel])
					}
				case got[rel] != in:
					t.Errorf("%s not copied byte for byte (%d bytes, want %d)", rel, len(got[rel]), len(in))
				}
			}
			if minifyOn && st.Minified != 3 {
				t.Errorf("Minified = %d, want 3", st.Minified)
			}
			if st.Files != len(static) {
				t.Errorf("Files = %d, want %d", st.Files, len(static))
			}
		})
	}
}

func TestDeterministicOutput(t *testing.T) {
	files := map[string]string{}
	for _, tc := range minifyCases {
		files[tc.rel] = tc.in
	}
	for i := range 200 {
		files[fmt.Sprintf("p/%d/index.html", i)] = fmt.Sprintf("<p>  trang   %d </p>", i)
	}
	a, b := newDest(t, nil), newDest(t, nil)
	publishAll(t, a, Options{Minify: true, Workers: 1}, files)
	publishAll(t, b, Options{Minify: true, Workers: 7, Durable: true}, files)
	ta, tb := sitetest.ReadTree(t, a), sitetest.ReadTree(t, b)
	if !maps.Equal(ta, tb) {
		t.Error("two builds of the same input differ")
	}
}

func TestFingerprinted(t *testing.T) {
	for name, want := range map[string]bool{
		"site.3f2a9c1b0d.css": true, "css/app.0123456789.js": true, "LICENSE.3f2a9c1b0d": true,
		"site.css": false, "site.3f2a9c1b0.css": false, "site.3F2A9C1B0D.css": false, "site.3f2a9c1b0dd.css": false,
		"2025.html": false, ".3f2a9c1b0d": false,
	} {
		if got := Fingerprinted(name); got != want {
			t.Errorf("Fingerprinted(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestFingerprint(t *testing.T) {
	content := []byte("body{color:red}")
	sum := sha256.Sum256(content)
	hexSum := hex.EncodeToString(sum[:])
	name, sri := Fingerprint("css/site.css", content)
	if want := "css/site." + hexSum[:10] + ".css"; name != want {
		t.Errorf("name = %q, want %q", name, want)
	}
	if want := "sha256-" + base64.StdEncoding.EncodeToString(sum[:]); sri != want {
		t.Errorf("integrity = %q, want %q", sri, want)
	}
	if n2, s2 := Fingerprint("css/site.css", []byte("body{color:red}")); n2 != name || s2 != sri {
		t.Error("Fingerprint is not stable")
	}
	n3, s3 := Fingerprint("css/site.css", []byte("body{color:blue}"))
	if n3 == name || s3 == sri {
		t.Error("Fingerprint did not change with content")
	}
	shape := regexp.MustCompile(`^[0-9a-f]{10}$`)
	for _, tc := range []struct{ in, prefix, suffix string }{
		{"js/app.min.js", "js/app.min.", ".js"},
		{"LICENSE", "LICENSE.", ""},
		{"img/.htaccess", "img/.htaccess.", ""},
		{"tài-liệu/bản đồ.svg", "tài-liệu/bản đồ.", ".svg"},
	} {
		got, _ := Fingerprint(tc.in, content)
		mid, ok := strings.CutPrefix(got, tc.prefix)
		mid, ok2 := strings.CutSuffix(mid, tc.suffix)
		if !ok || !ok2 || !shape.MatchString(mid) {
			t.Errorf("Fingerprint(%q) = %q, want %s<10 hex>%s", tc.in, got, tc.prefix, tc.suffix)
		}
		if !strings.HasPrefix(path.Base(tc.in), ".") && !Fingerprinted(got) {
			t.Errorf("Fingerprinted(%q) = false for a name Fingerprint made", got)
		}
	}
}

func BenchmarkPublish10kMinifiedHTML(b *testing.B) {
	pages := make([][]byte, 10000)
	for i := range pages {
		pages[i] = fmt.Appendf(nil, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n  <meta charset=\"utf-8\">\n  <title>Bài %d</title>\n"+
			"  <link rel=\"stylesheet\" href=\"/css/site.css\">\n</head>\n<body>\n  <header><nav><a href=\"/\">Trang chủ</a></nav></header>\n"+
			"  <main>\n    <h1>Tin tức số %d</h1>\n    <p>Ủy ban nhân dân tỉnh   thông báo ...</p>\n  </main>\n</body>\n</html>\n", i, i)
	}
	dest := filepath.Join(b.TempDir(), "public")
	b.ReportAllocs()
	for b.Loop() {
		w, err := Begin(context.Background(), dest, Options{Minify: true})
		if err != nil {
			b.Fatal(err)
		}
		for i, p := range pages {
			// Add takes ownership; pages are read-only here, so sharing is fine.
			if err := w.Add(File{Rel: fmt.Sprintf("tin-tuc/%d/%d/index.html", i/100, i), Data: p, Source: "bai.md"}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := w.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestMinifierFindsJSONLDByName: the JSON-LD of every article page is handed back to the
// registry by its type; it must be found by name (the literal table), not by trying the
// registry's regular expressions one after another, and minified like any JSON.
func TestMinifierFindsJSONLDByName(t *testing.T) {
	m := newMinifier()
	for _, mime := range []string{mimeLDJSON, mimeJSON} {
		if pattern, _, f := m.Match(mime); pattern != mime || f == nil {
			t.Errorf("Match(%q) = %q (minifier %v), want the literal %q", mime, pattern, f != nil, mime)
		}
	}
	if pattern, _, f := m.Match("application/vnd.api+json"); f == nil || pattern == "application/vnd.api+json" {
		t.Errorf("Match(application/vnd.api+json) = %q, want the JSON pattern", pattern)
	}
	in := "<!doctype html><html><head><script type=\"application/ld+json\">{ \"@type\" : \"NewsArticle\",\n  \"name\": \"Tin\" }</script></head><body></body></html>"
	got, err := m.String(mimeHTML, in)
	if err != nil {
		t.Fatal(err)
	}
	if want := `<script type="application/ld+json">{"@type":"NewsArticle","name":"Tin"}</script>`; !strings.Contains(got, want) {
		t.Errorf("minified page = %q, want it to contain %q", got, want)
	}
}
