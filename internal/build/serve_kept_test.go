package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// committing is the Sink `portal serve --watch` gives a ServeCache build: a Writer that
// plans from the cache's Listing and tells the cache what its commit left.
type committing struct {
	*publish.Writer
	c *ServeCache
}

func (o committing) Commit() (publish.Stats, error) {
	st, err := o.Writer.Commit()
	if err == nil {
		o.c.Committed(st)
	}
	return st, err
}

// TestServeCacheKeepsKeptPagesByIndex: after a commit that kept a page in place, the next
// save of the same graph keeps it again from what that commit recorded for its index,
// without looking up its path: with the cache's map of page entries emptied behind its
// back, an edit still renders only the pages that show the article (the others would all
// be rendered again, their entries missing), and the output is a fresh build's.
func TestServeCacheKeepsKeptPagesByIndex(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	dir := t.TempDir()
	sitetest.CopyTree(t, src, dir)
	cache := NewServeCache()
	defer cache.Close()
	dest := filepath.Join(t.TempDir(), "public")
	edit := filepath.Join(dir, "content", "tin-tuc", "ha-tinh.md")
	save := func(i int) Report {
		t.Helper()
		b, err := os.ReadFile(edit)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(edit, append(b, []byte("\nĐoạn sửa thứ "+string(rune('0'+i))+".\n")...), 0o644); err != nil {
			t.Fatal(err)
		}
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Minify: true, Precompress: true, NoSearch: true,
			Cache: cache.Changed([]string{edit}),
			Output: func(ctx context.Context) (publish.Sink, error) {
				w, err := publish.Begin(ctx, dest, publish.Options{Minify: true, Precompress: true, Previous: cache.Listing()})
				return committing{w, cache}, err
			}})
		if err != nil {
			t.Fatalf("save %d: %v", i, err)
		}
		return rep
	}
	first := save(0)
	second := save(1) // kept pages recorded by index from here
	if second.Reused == 0 || second.Rendered == 0 || second.Rendered > first.Rendered/2 {
		t.Fatalf("an edit rendered %d and kept %d of %d pages", second.Rendered, second.Reused, first.Rendered)
	}
	cache.pages = map[string]buildcache.Entry{} // no entry to look up by path
	third := save(2)
	if third.Reused != second.Reused || third.Rendered != second.Rendered {
		t.Errorf("with the entries by path gone, an edit rendered %d and kept %d pages; want %d and %d as before", third.Rendered, third.Reused, second.Rendered, second.Reused)
	}
	full := filepath.Join(t.TempDir(), "full")
	if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: full, Now: fixedNow, Minify: true, Precompress: true, NoSearch: true, Cache: NoCache()}); err != nil {
		t.Fatal(err)
	}
	a, b := sitetest.ReadTree(t, dest), sitetest.ReadTree(t, full)
	for k, v := range b {
		if k != publish.ManifestName && a[k] != v && !strings.HasPrefix(k, ".portal") {
			t.Errorf("%s is stale or missing", k)
		}
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			t.Errorf("%s should not be there", k)
		}
	}
}
