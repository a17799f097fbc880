package build

import (
	"github.com/vnportal/portal/internal/search"
)

// indexKnown keeps what a build knows of the search index it committed (search.Known:
// each file's sum and identity) for the next build, whose search.Memo.BuildKnown then need not
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
	return readHint(d.dir, indexKnownFile, search.ReadKnown)
}

func (d diskIndexKnown) committed(dir string) {
	var k *search.Known
	if dir != "" {
		k, _ = search.Stamp(dir)
	}
	if k == nil {
		dropHint(d.dir, indexKnownFile)
		return
	}
	writeHint(d.dir, indexKnownFile, k)
}
