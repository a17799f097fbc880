package build

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
)

// A DiskCache keeps the parsed documents of the last successful build in the cache
// folder (content.Cache.Save), so that the next build reads only the files whose
// identity changed: at 100,000 articles, reading and parsing every front matter was the
// largest cost of a build after one edit. The file starts with a line naming the program
// that parsed them; another program's documents are parsed again.

// docsFile is the saved documents' name in the cache folder.
const docsFile = "documents.gob"

// openDiskDocs returns the documents saved in dir by the program bin, or an empty cache.
func openDiskDocs(dir, bin string, ds *diag.List) *content.Cache {
	p := filepath.Join(dir, docsFile)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return content.NewCache()
	}
	if err != nil {
		ds.Warnf(p, 0, 0, "cache", "%v: lần dựng này đọc lại mọi bài", err)
		return content.NewCache()
	}
	defer f.Close()
	r := bufio.NewReader(f)
	head, err := r.ReadString('\n')
	if err != nil || strings.TrimSuffix(head, "\n") != docsHeader(bin) {
		return content.NewCache() // another program's (or a truncated file): parse again
	}
	c, err := content.LoadCache(r)
	if err != nil {
		ds.Warnf(p, 0, 0, "cache", "%v: lần dựng này đọc lại mọi bài", err)
		return content.NewCache()
	}
	return c
}

func docsHeader(bin string) string { return "portal-documents " + bin }

// saveDiskDocs writes the documents of c into dir, through a temporary file renamed
// over the last one. A failure is a warning: the next build parses every file.
func saveDiskDocs(dir, bin string, c *content.Cache, ds *diag.List) {
	p := filepath.Join(dir, docsFile)
	err := func() error {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		f, err := os.CreateTemp(dir, docsFile+".tmp-*")
		if err != nil {
			return err
		}
		defer os.Remove(f.Name()) // after the rename: nothing left to remove
		w := bufio.NewWriter(f)
		if _, err := w.WriteString(docsHeader(bin) + "\n"); err != nil {
			f.Close()
			return err
		}
		if err := c.Save(w); err != nil {
			f.Close()
			return err
		}
		if err := w.Flush(); err != nil {
			f.Close()
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		return os.Rename(f.Name(), p)
	}()
	switch {
	case err == nil:
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		// A full disk: the pack has said so already (one warning); the next build reads
		// every file.
		_ = os.Remove(p)
	default:
		_ = os.Remove(p)
		ds.Warnf(p, 0, 0, "cache", "không ghi được bộ nhớ đệm các bài đã đọc (%v): lần dựng sau đọc lại mọi bài", err)
	}
}
