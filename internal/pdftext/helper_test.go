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
	once sync.Once
	ex   *Extractor
	err  error
}

func extractor(t testing.TB) *Extractor {
	t.Helper()
	shared.once.Do(func() {
		cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(os.TempDir(), "portal-test-pdftext-wazero"))
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
