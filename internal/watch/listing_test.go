package watch

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/vnportal/portal/internal/publish"
)

// After the first build, a rebuild plans its commit from the files the last commit left
// (publish.Listing) instead of walking the output, and still removes the files of a
// deleted article. Once something else changed the folder beside the output (another
// build's staging folder), the next rebuild checks the listing against the output's
// folders, and walks the output when they hold another file.
func TestRebuildsDoNotWalkTheOutput(t *testing.T) {
	r := start(t, newSite(t, nil), nil, false)
	var walks, verified atomic.Int64
	ctx := publish.WithStep(context.Background(), func(name string) {
		switch name {
		case "walked the output":
			walks.Add(1)
		case "verified the listing":
			verified.Add(1)
		}
	})
	rebuild := func(rel string) {
		t.Helper()
		if _, err := r.s.Rebuild(ctx, []string{filepath.Join(r.dir, filepath.FromSlash(rel))}); err != nil {
			t.Fatal(err)
		}
	}
	write(t, r.dir, "content/tin-tuc/a.md", article("Bài A", "2024-01-01", "", "Nội dung đã sửa tímbiếc."))
	rebuild("content/tin-tuc/a.md")
	if code, body := r.get(t, "/tin-tuc/a/"); !contains(code, body, "tímbiếc") {
		t.Errorf("the edit is not served: %d %.200s", code, body)
	}
	if got := r.searchTitles(t, "tímbiếc"); len(got) != 1 {
		t.Errorf("search for the edit: %q", got)
	}
	if err := os.Remove(filepath.Join(r.dir, "content/tin-tuc/b.md")); err != nil {
		t.Fatal(err)
	}
	rebuild("content/tin-tuc/b.md")
	if n := walks.Load(); n != 0 {
		t.Errorf("warm rebuilds walked the output %d times", n)
	}
	public := filepath.Join(r.dir, "public")
	if _, err := os.Stat(filepath.Join(public, "tin-tuc/b/index.html")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the deleted article's page is still in the output: %v", err)
	}
	if code, _ := r.get(t, "/tin-tuc/b/"); code != http.StatusNotFound {
		t.Errorf("the deleted article is served: %d", code)
	}
	if got := r.searchTitles(t, "thứ hai"); len(got) != 0 {
		t.Errorf("the deleted article is found: %q", got)
	}

	// Another build's staging folder came and went beside the output.
	other := filepath.Join(r.dir, ".public.tmp-other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	write(t, r.dir, "content/tin-tuc/a.md", article("Bài A", "2024-01-01", "", "Lần sửa thứ ba."))
	rebuild("content/tin-tuc/a.md")
	if n, v := walks.Load(), verified.Load(); n != 0 || v != 1 {
		t.Errorf("after a change beside the output the rebuild walked %d times and checked the listing %d times, want 0 and 1", n, v)
	}

	// The same, and a file was put into the output meanwhile: the rebuild walks and
	// removes it.
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(public, "tin-tuc", "a", "ghi-tay.html")
	if err := os.WriteFile(foreign, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	write(t, r.dir, "content/tin-tuc/a.md", article("Bài A", "2024-01-01", "", "Lần sửa thứ tư."))
	rebuild("content/tin-tuc/a.md")
	if n := walks.Load(); n != 1 {
		t.Errorf("with a file added to the output the rebuild walked %d times, want 1", n)
	}
	if _, err := os.Stat(foreign); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the file added to the output is still there: %v", err)
	}
}
