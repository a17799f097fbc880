package build

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"weak"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// watchedCache is a Cache whose runs are c's, changed by edit (to watch a stage).
type watchedCache struct {
	c    Cache
	edit func(*run)
}

func (w watchedCache) open(opts Options, ds *diag.List) (*run, error) {
	r, err := w.c.open(opts, ds)
	if err == nil {
		w.edit(r)
	}
	return r, err
}

// A one-off build that rendered its pages collects its renderer (the partial cache's
// fragments, 64 MB at 100,000 articles) and rendering's garbage before it makes the
// search documents: making them allocates ~100 MB at 100,000 articles, which the heap,
// full from rendering, took in while a collection marked the whole graph (the cold
// build's peak: 951 → 1,102 MB resident within 5 s). Without the collection nothing
// collects in between on a small site (the pacer's room is 256 MB): the renderer is still
// in the heap when the documents are made.
func TestRendererCollectedBeforeSearchDocuments(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 200, 1); err != nil {
		t.Fatal(err)
	}
	for _, cache := range []struct {
		name string
		c    Cache
	}{{"no cache", NoCache()}, {"cache folder", DiskCache(filepath.Join(t.TempDir(), "cache"), "test")}} {
		var renderer weak.Pointer[render.Renderer]
		var collected []bool // at each making of the search documents
		c := watchedCache{cache.c, func(r *run) {
			makeRenderer, makeDocs := r.renderer, r.searchDocs
			r.renderer = func(o render.Options) (*render.Renderer, error) {
				x, err := makeRenderer(o)
				if x != nil {
					renderer = weak.Make(x)
				}
				return x, err
			}
			r.searchDocs = func(g *site.Graph, text AttachmentText) ([]search.Document, func()) {
				collected = append(collected, renderer.Value() == nil)
				return makeDocs(g, text)
			}
		}}
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, Cache: c})
		if err != nil {
			t.Fatal(cache.name, err, rep.Diagnostics)
		}
		if rep.Rendered == 0 || len(collected) != 1 || !collected[0] {
			t.Errorf("%s: %d pages rendered; renderer collected when the search documents were made: %v, want [true]", cache.name, rep.Rendered, collected)
		}
	}
}

// A one-off build's cache stage runs with the collector paced (memlimit.Pace: a memory
// limit that follows the live heap), as its reading and rendering do: once search.Build's
// own limit ended, GOGC=100 let the heap double what was live while the Writer's listing
// and the caches were written, and a cold build of 100,000 articles peaked there (1,025 MB
// resident, against 996 MB at the end of rendering). Without the pacing after the index
// stage no limit is set when the documents' cache is saved.
func TestCacheStageIsPaced(t *testing.T) {
	if os.Getenv("GOMEMLIMIT") != "" || os.Getenv("GOGC") != "" {
		t.Skip("a GOMEMLIMIT or GOGC of the user's: the build leaves the collector alone")
	}
	dir := t.TempDir()
	if err := corpus.Generate(dir, 50, 1); err != nil {
		t.Fatal(err)
	}
	var limits []int64 // the memory limit when the documents' cache is saved, the last stage
	c := watchedCache{DiskCache(filepath.Join(t.TempDir(), "cache"), "test"), func(r *run) {
		save := r.saveDocs
		r.saveDocs = func(ds *diag.List) {
			limits = append(limits, debug.SetMemoryLimit(-1))
			save(ds)
		}
	}}
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, Cache: c})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	if rep.Search.Added == 0 || len(limits) != 1 || limits[0] == math.MaxInt64 {
		t.Errorf("%d documents indexed; memory limits when the cache was saved: %v, want one set (not %d)", rep.Search.Added, limits, int64(math.MaxInt64))
	}
	if after := debug.SetMemoryLimit(-1); after != math.MaxInt64 {
		t.Errorf("the build left a memory limit of %d behind", after)
	}
}
