package pdftext

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/tetratelabs/wazero"
)

// shared is one Extractor for the package's tests: compiling the engine takes seconds.
// The compiled code is kept in a folder of the temporary directory (wazero keys it by
// its own version and the module's hash), so fuzz workers and later runs load it.
var shared struct {
	once, pagesOnce sync.Once
	ex, pages       *Extractor
	err, pagesErr   error
}

func testCache() (wazero.CompilationCache, error) {
	return wazero.NewCompilationCacheWithDir(filepath.Join(os.TempDir(), "portal-test-pdftext-wazero"))
}

// pageStopper is an Extractor with Options.StopBetweenPages.
func pageStopper(t testing.TB) *Extractor {
	t.Helper()
	shared.pagesOnce.Do(func() {
		cache, err := testCache()
		if err != nil {
			shared.pagesErr = err
			return
		}
		shared.pages, shared.pagesErr = New(context.Background(), Options{Workers: 2, CompilationCache: cache, StopBetweenPages: true})
	})
	if shared.pagesErr != nil {
		t.Fatal(shared.pagesErr)
	}
	return shared.pages
}

func extractor(t testing.TB) *Extractor {
	t.Helper()
	shared.once.Do(func() {
		cache, err := testCache()
		if err != nil {
			shared.err = err
			return
		}
		shared.ex, shared.err = New(context.Background(), Options{Workers: 2, CompilationCache: cache})
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.ex
}
