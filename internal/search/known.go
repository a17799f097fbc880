package search

import (
	"bytes"
	"encoding/gob"
	"errors"
	"io"
	"os"
	"path/filepath"
)

// Known is what one process knows of the files of an index folder to pass to the next
// (`portal build` keeps it in its cache folder): each file listed in the index's manifest,
// with its sum and its identity (device, inode, size, modification and change times) as
// found right after the build that made or checked it was committed. The next build's
// Memo.BuildKnown does not read again a file of the previous index that still has that
// identity (at 100,000 articles the index is about 2 GB, read once per build to check it):
// any write to a file changes its change time, which cannot be set by hand, and
// replacing it changes its inode, so such a file holds the bytes it held. A file damaged
// on the disk without a write is not seen by the build; `portal serve` still checks every
// file when it opens an index (Live).
type Known struct {
	dir   string // the index folder it describes
	files []knownFile
}

type knownFile struct {
	Sum fileSum
	ID  fileID
}

// fileID is a file's identity (known_linux.go; elsewhere none, and nothing is known).
type fileID struct {
	Dev, Ino     uint64
	Size         int64
	ModNs, ChgNs int64
}

// Stamp returns what is known of the index in dir as it is now: the files its manifest
// lists, with their sums and identities. Call it once the index the build made (or
// carried over) is in place, as the build's commit left it. A file missing, or a system
// without file identities, makes an empty Known.
func Stamp(dir string) (*Known, error) {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	m, err := readManifestOnly(dir)
	if err != nil {
		return nil, err
	}
	k := &Known{dir: dir}
	for _, f := range m.Files {
		if !safeRel(f.Path) {
			return &Known{dir: dir}, nil
		}
		id, ok := identify(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if !ok || id.Size != f.Size {
			return &Known{dir: dir}, nil
		}
		k.files = append(k.files, knownFile{Sum: f, ID: id})
	}
	return k, nil
}

// checked returns the files of k that the index folder prev holds with the identities k
// recorded, as verified files (carry.go); nil when k is nil or of another folder.
func (k *Known) checked(prev string) checked {
	if k == nil || prev == "" {
		return nil
	}
	if abs, err := filepath.Abs(prev); err != nil || abs != k.dir {
		return nil
	}
	c := checked{}
	for _, f := range k.files {
		p := filepath.Join(prev, filepath.FromSlash(f.Sum.Path))
		if id, ok := identify(p); !ok || id != f.ID {
			continue
		}
		fi, err := os.Stat(p)
		if err != nil {
			continue
		}
		c[f.Sum.Path] = checkedFile{sum: f.Sum, fi: fi}
	}
	return c
}

// knownMagic starts a saved Known; the number is its format.
const knownMagic = "portal-index-known 1\n"

type savedKnown struct {
	Dir   string
	Files []knownFile
}

// WriteTo writes k for ReadKnown.
func (k *Known) WriteTo(w io.Writer) (int64, error) {
	var buf bytes.Buffer
	buf.WriteString(knownMagic)
	if err := gob.NewEncoder(&buf).Encode(savedKnown{Dir: k.dir, Files: k.files}); err != nil {
		return 0, err
	}
	n, err := w.Write(buf.Bytes())
	return int64(n), err
}

// ReadKnown reads what WriteTo wrote. What it says is only ever used for files whose
// identities are still the recorded ones, so a stale Known costs nothing but reading.
func ReadKnown(r io.Reader) (*Known, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(b, []byte(knownMagic)) {
		return nil, errors.New("search: not a saved Known of this format")
	}
	var s savedKnown
	if err := gob.NewDecoder(bytes.NewReader(b[len(knownMagic):])).Decode(&s); err != nil {
		return nil, errors.New("search: a saved Known is damaged")
	}
	return &Known{dir: s.Dir, files: s.Files}, nil
}
