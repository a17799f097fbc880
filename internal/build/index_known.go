package build

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/search"
)

// indexKnown keeps what a build knows of the search index it committed (search.Known:
// each file's sum and identity) for the next build, whose search.BuildKnown then need not
// read the files of the previous index again to check them: a DiskCache keeps it in its
// folder; the other strategies keep nothing (each build checks every file, once).
type indexKnown interface {
	// previous is what the last build knew of the index now in the output, or nil.
	previous() *search.Known
	// committed records the index at dir once the commit put it there ("": none).
	committed(dir string)
}

type noIndexKnown struct{}

func (noIndexKnown) previous() *search.Known { return nil }
func (noIndexKnown) committed(string)        {}

// indexKnownFile is its name in the cache folder.
const indexKnownFile = "index.known"

type diskIndexKnown struct{ dir string }

func (d diskIndexKnown) previous() *search.Known {
	b, err := os.ReadFile(filepath.Join(d.dir, indexKnownFile))
	if err != nil {
		return nil
	}
	k, err := search.ReadKnown(bytes.NewReader(b))
	if err != nil {
		return nil
	}
	return k
}

func (d diskIndexKnown) committed(dir string) {
	var k *search.Known
	if dir != "" {
		k, _ = search.Stamp(dir)
	}
	var buf bytes.Buffer
	if k == nil {
		_ = os.Remove(filepath.Join(d.dir, indexKnownFile))
		return
	}
	if _, err := k.WriteTo(&buf); err != nil {
		_ = os.Remove(filepath.Join(d.dir, indexKnownFile))
		return
	}
	writeAtomic(d.dir, indexKnownFile, buf.Bytes())
}
