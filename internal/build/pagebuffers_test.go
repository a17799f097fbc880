package build

import (
	"context"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sync"
	"testing"
	"unsafe"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/publish"
)

// pageAddresses passes files on to a Writer and notes where the bytes of each page (HTML
// from the layouts, feeds and sitemaps) are.
type pageAddresses struct {
	publish.Sink
	mu     sync.Mutex
	pages  int
	at     map[*byte]bool
	handed int // pages whose Buffers the Writer gives their memory back to
}

func (s *pageAddresses) Add(f publish.File) error {
	if f.Kind == publish.Page && len(f.Data) > 0 && (path.Ext(f.Rel) == ".html" || path.Ext(f.Rel) == ".xml") {
		s.mu.Lock()
		s.pages++
		s.at[unsafe.SliceData(f.Data)] = true
		if f.Buffers != nil {
			s.handed++
		}
		s.mu.Unlock()
	}
	return s.Sink.Add(f)
}

// A build renders its pages into a few buffers that the Writer gives back once it has
// written them (publish.Buffers), not into a new buffer per page (at 10,000 articles the
// page buffers were 0.46 of the templates' 1.21 GB allocated); a page store that holds
// the bytes (the preview's MemoryCache) keeps its own. With the collector off no memory
// is freed and handed out again, so without the reuse every page has its own address.
func TestRenderPagesReusesPageBuffers(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	site := t.TempDir()
	if err := corpus.Generate(site, 60, 7); err != nil {
		t.Fatal(err)
	}
	build := func(cache Cache) (*pageAddresses, string) {
		t.Helper()
		dest := filepath.Join(t.TempDir(), "public")
		rec := &pageAddresses{at: map[*byte]bool{}}
		_, err := Run(context.Background(), Options{SiteDir: site, Dest: dest, Now: fixedNow, Cache: cache, NoSearch: true,
			Output: func(ctx context.Context) (publish.Sink, error) {
				w, err := publish.Begin(ctx, dest, publish.Options{})
				rec.Sink = w
				return rec, err
			}})
		if err != nil {
			t.Fatal(err)
		}
		return rec, dest
	}

	rec, _ := build(NoCache())
	if rec.pages < 100 {
		t.Fatalf("only %d pages rendered; the test needs more", rec.pages)
	}
	t.Logf("%d pages rendered into %d buffers", rec.pages, len(rec.at))
	if rec.handed != rec.pages {
		t.Errorf("%d of %d pages handed to the Writer with their buffers to give back", rec.handed, rec.pages)
	}
	if len(rec.at)*4 > rec.pages {
		t.Errorf("%d pages rendered into %d buffers, want them reused (at most a quarter as many)", rec.pages, len(rec.at))
	}

	// The MemoryCache holds each page's bytes for the next build: none may be given
	// back, and each must still be the page written.
	cache := NewMemoryCache()
	rec, dest := build(cache)
	if rec.handed != 0 {
		t.Errorf("%d pages the MemoryCache holds were handed to the Writer to give back", rec.handed)
	}
	if len(rec.at) != rec.pages {
		t.Errorf("%d pages the MemoryCache holds share %d buffers", rec.pages, len(rec.at))
	}
	for path, e := range cache.page {
		b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(path)))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) != string(e.data) {
			t.Errorf("%s: the MemoryCache holds other bytes than the page written", path)
		}
	}
}
