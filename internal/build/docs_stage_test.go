package build

import (
	"context"
	"github.com/vnportal/portal/internal/content"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
	"weak"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
)

// cacheFiles lists the names in a cache folder that start with prefix.
func cacheFiles(t *testing.T, dir, prefix string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), prefix) {
			names = append(names, e.Name())
		}
	}
	return names
}

// A DiskCache build writes its parsed documents once they are loaded and lets go of its
// cache of them, so that they go with the graph before the index stage (they were live
// through it, under its heap room); the file is put in place only by saveDocs, after a
// successful build, and a failed build's goes.
func TestDiskCacheStagesDocumentsBeforeTheIndex(t *testing.T) {
	site := t.TempDir()
	if err := corpus.Generate(site, 20, 7); err != nil {
		t.Fatal(err)
	}
	for _, fails := range []bool{false, true} {
		cacheDir := t.TempDir()
		opts := Options{SiteDir: site, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, Cache: DiskCache(cacheDir, "test-binary-1")}.withDest()
		ds := &diag.List{}
		r, err := opts.cache().open(opts, ds)
		if err != nil {
			t.Fatal(err)
		}
		l, _, err := load(context.Background(), opts, ds, &timer{last: time.Now()}, r, func([]*content.Document) {})
		if err != nil {
			t.Fatal(err, ds.Items())
		}
		cache := weak.Make(r.docs)
		discard := r.stageDocs(ds)
		if r.docs != nil {
			t.Error("the run still holds the parsed documents after staging them")
		}
		runtime.GC()
		if cache.Value() != nil {
			t.Error("the parsed documents' cache is still reachable after staging them")
		}
		if got := cacheFiles(t, cacheDir, docsFile); len(got) != 1 || !strings.HasPrefix(got[0], docsFile+".tmp-") {
			t.Errorf("staged: cache folder holds %q, want one temporary %s file", got, docsFile)
		}
		if fails {
			discard()
			if got := cacheFiles(t, cacheDir, docsFile); len(got) != 0 {
				t.Errorf("a failed build left %q in the cache folder", got)
			}
		} else {
			r.saveDocs(ds)
			discard() // as Run's defer does after a successful build: nothing to remove
			if got := cacheFiles(t, cacheDir, docsFile); len(got) != 1 || got[0] != docsFile {
				t.Errorf("saved: cache folder holds %q, want %s alone", got, docsFile)
			}
		}
		r.bodies.close()
		runtime.KeepAlive(l)
		if ds.HasErrors() {
			t.Fatal(ds.Items())
		}
	}

	// The whole build with its search index: the next build reads every document from
	// the file.
	cacheDir := t.TempDir()
	opts := Options{SiteDir: site, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, Cache: DiskCache(cacheDir, "test-binary-1")}
	first, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err, first.Diagnostics)
	}
	if first.IndexDir == "" {
		t.Fatal("the build made no search index")
	}
	if got := cacheFiles(t, cacheDir, docsFile); len(got) != 1 || got[0] != docsFile {
		t.Errorf("after a build with its index: cache folder holds %q, want %s alone", got, docsFile)
	}
	second, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err, second.Diagnostics)
	}
	if second.DocumentsReused < 20 || second.Rendered != 0 {
		t.Errorf("unchanged rebuild reused %d documents (want every one, ≥ 20) and rendered %d pages (want none)", second.DocumentsReused, second.Rendered)
	}
}
