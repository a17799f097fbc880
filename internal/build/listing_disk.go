package build

import (
	"sync"

	"github.com/vnportal/portal/internal/publish"
)

// listingStore keeps the publish.Listing of a build's commit for the next build into the
// same output folder, whose Writer then plans from it instead of walking the output
// (Options.Previous): a DiskCache keeps it in its folder (another process reads it back,
// and the Writer trusts it only once the output's folders check out: publish.Listing);
// the other strategies keep none (the preview writes a Folder; `portal serve --watch`
// keeps its listing in memory, internal/watch).
type listingStore interface {
	// previous is the listing of the last commit, or nil.
	previous() *publish.Listing
	// committed records the listing of the commit just made (nil: none could be made).
	committed(*publish.Listing)
}

type noListing struct{}

func (noListing) previous() *publish.Listing { return nil }
func (noListing) committed(*publish.Listing) {}

// listingFile is the listing's name in the cache folder.
const listingFile = "output.listing"

// diskListing keeps the listing in the cache folder dir. A missing, damaged or foreign
// file only makes the next Writer walk the output.
type diskListing struct {
	dir  string
	read func() *publish.Listing // the listing in dir when the build started
}

// readDiskListing starts reading the listing in dir while the build reads its sources:
// the Writer wants it only once the pages are assembled and checked (at 100,000
// articles its ≈ 170,000 paths took 0.3–0.5 s of the images stage, on one core).
// The folder's listing changes only at a build's end (committed).
func readDiskListing(dir string) diskListing {
	read := make(chan *publish.Listing, 1)
	go func() { read <- readHint(dir, listingFile, publish.ReadListing) }()
	return diskListing{dir: dir, read: sync.OnceValue(func() *publish.Listing { return <-read })}
}

func (d diskListing) previous() *publish.Listing { return d.read() }

// A listing whose files are those of the one read back is not written again (at 100,000
// articles the file is about 40 MB) while it would save the next build few folder reads:
// an edit renames pages over their names, which changes their folders, so the saved
// stamps of those folders go stale, and the next build reads them and finds the names
// listed, as this build did. Once the folders read and stamped anew (Restamped) are more
// than a staleShare-th of the files, the listing is written with their stamps.
const staleShare = 64

func (d diskListing) committed(l *publish.Listing) {
	switch {
	case l == nil:
		dropHint(d.dir, listingFile)
	case !l.Changed(): // the one read back, as it is in the folder
	case !l.FilesChanged() && l.Restamped() <= l.Len()/staleShare:
		// the one in the folder still lists the output's files; a few folders to read
	default:
		writeHint(d.dir, listingFile, l)
	}
}
