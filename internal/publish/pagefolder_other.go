//go:build !linux

package publish

import (
	"os"
	"path/filepath"
)

// pageFolder is the folder of a file whose bytes are in memory; on this system each file
// is created through the Writer's root by its whole path (pagefolder_linux.go opens the
// folder once).
type pageFolder struct {
	root *os.Root
	dir  string
}

// parentFolder is kept open between pages on Linux only (pagefolder_linux.go).
type parentFolder struct{}

func (p *parentFolder) release() {}

// openPageFolder makes (once) the folder dir (slash path) of a page from source.
func (w *Writer) openPageFolder(dir, source string, _ *parentFolder) (pageFolder, error) {
	if err := w.stagingFolder(dir, source); err != nil {
		return pageFolder{}, err
	}
	return pageFolder{root: w.root, dir: filepath.FromSlash(dir)}, nil
}

func (d pageFolder) close() {}

// create makes the new file name in d with data: O_EXCL, never over another file. With
// durable it is synced before it is closed.
func (d pageFolder) create(name string, data []byte, durable bool) (err error) {
	f, err := d.root.OpenFile(filepath.Join(d.dir, name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if durable {
		return f.Sync()
	}
	return nil
}
