package build

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
)

// A DiskCache keeps the parsed documents of the last successful build in the cache
// folder (content.Cache.Save), so that the next build reads only the files whose
// identity changed: at 100,000 articles, reading and parsing every front matter was the
// largest cost of a build after one edit. The file starts with a line naming the program
// that parsed them; another program's documents are parsed again.

// docsFile is the saved documents' name in the cache folder (content's codec.go); changesFile holds the
// documents parsed since it was written (content.Cache.SaveChanges), while they are few.
const (
	docsFile    = "documents.bin"
	changesFile = "documents.changes"
	// legacyDocsFile is where versions before content's codec.go saved them (gob).
	legacyDocsFile = "documents.gob"
)

// changesShare: a build writes only the changes while they number at most this share of
// the full save's documents (at 100,000 articles, 12,500), else everything again.
const changesShare = 8

// diskDocs is the saved documents as one build read them: base names the full save read
// (its size and modification time; "" when none was), the one the changes are made against.
type diskDocs struct {
	cache *content.Cache
	base  string
}

// openDiskDocs returns the documents saved in dir by the program bin (the full save and
// the changes made against it), or an empty cache.
func openDiskDocs(dir, bin string, ds *diag.List) diskDocs {
	p := filepath.Join(dir, docsFile)
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return diskDocs{cache: content.NewCache()}
	}
	if err != nil {
		ds.Warnf(p, 0, 0, "cache", "%v: lần dựng này đọc lại mọi bài", err)
		return diskDocs{cache: content.NewCache()}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		ds.Warnf(p, 0, 0, "cache", "%v: lần dựng này đọc lại mọi bài", err)
		return diskDocs{cache: content.NewCache()}
	}
	if head, err := headLine(f); err != nil || head != docsHeader(bin) {
		return diskDocs{cache: content.NewCache()} // another program's (or a truncated file): parse again
	}
	c, err := content.LoadCache(f)
	if err != nil {
		ds.Warnf(p, 0, 0, "cache", "%v: lần dựng này đọc lại mọi bài", err)
		return diskDocs{cache: content.NewCache()}
	}
	base := saveTag(fi)
	if err := loadChanges(dir, bin, base, c); err != nil {
		ds.Warnf(filepath.Join(dir, changesFile), 0, 0, "cache", "%v: lần dựng này đọc lại mọi bài", err)
		return diskDocs{cache: content.NewCache()}
	}
	return diskDocs{cache: c, base: base}
}

// loadChanges applies to c the changes saved against the full save base, if any. Changes
// made against another full save (one written since by a build that wrote everything),
// or by another program, are not read.
func loadChanges(dir, bin, base string, c *content.Cache) error {
	f, err := os.Open(filepath.Join(dir, changesFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	if head, err := headLine(f); err != nil || head != changesHeader(bin, base) {
		return nil
	}
	return c.LoadChanges(f)
}

// headLine reads the first line of f (without its line break) and leaves f just after
// it, so that what follows can be read straight from the file (its size known).
func headLine(f *os.File) (string, error) {
	buf := make([]byte, 512)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return "", err
	}
	i := bytes.IndexByte(buf[:n], '\n')
	if i < 0 {
		return "", errors.New("no header line")
	}
	if _, err := f.Seek(int64(i+1), io.SeekStart); err != nil {
		return "", err
	}
	return string(buf[:i]), nil
}

// saveTag names a full save by its size and modification time (each is written to a new
// file renamed into place).
func saveTag(fi fs.FileInfo) string {
	return strconv.FormatInt(fi.Size(), 10) + "." + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

func docsHeader(bin string) string { return "portal-documents-4 " + bin }

func changesHeader(bin, base string) string { return "portal-documents-changes-4 " + bin + " " + base }

// docsSave is the documents of one build written into the cache folder under a
// temporary name (stageDiskDocs) until commit puts them in place after a successful
// build: staged before the index stage, they need not stay in memory through it.
type docsSave struct {
	dir     string
	file    stagedFile // none (tmp "") when there is nothing to write or it failed
	changes bool       // file holds the changes since the full save, not everything
}

// stageDiskDocs writes the documents of d.cache into dir under a temporary name: only
// the changes since the full save d.base while they are few and that save is still in
// place, else everything. A failure is a warning (the last file goes: the next build
// parses every file, or the files changed since the full save).
func stageDiskDocs(dir, bin string, d diskDocs, ds *diag.List) docsSave {
	s := docsSave{dir: dir}
	if d.cache.SavedAsIs() { // the files hold them already
		return s
	}
	if d.base != "" {
		upserts, removed, saved, ok := d.cache.Changes()
		if fi, err := os.Stat(filepath.Join(dir, docsFile)); ok && err == nil && saveTag(fi) == d.base &&
			upserts+removed <= saved/changesShare {
			s.changes = true
			var err error
			if s.file, err = stageFile(dir, changesFile, headed(changesHeader(bin, d.base), d.cache.SaveChanges)); err != nil {
				s.failed(err, ds)
			}
			return s
		}
	}
	var err error
	if s.file, err = stageFile(dir, docsFile, headed(docsHeader(bin), d.cache.Save)); err != nil {
		s.failed(err, ds)
	}
	return s
}

// commit renames the staged file into place. When it is the full save, the changes made
// against the one it replaces go (its tag differs now, so they would not be read), and
// the gob of earlier versions.
func (s docsSave) commit(ds *diag.List) {
	if s.file.tmp == "" {
		return
	}
	if err := s.file.commit(); err != nil {
		s.failed(err, ds)
		return
	}
	if !s.changes {
		_ = os.Remove(filepath.Join(s.dir, changesFile))
		_ = os.Remove(filepath.Join(s.dir, legacyDocsFile))
	}
}

// discard removes the staged file of a build that did not succeed.
func (s docsSave) discard() {
	if s.file.tmp != "" {
		s.file.discard()
	}
}

// failed removes the file s would have replaced and says why, except on a full disk (the
// pack has said so already, in one warning).
func (s docsSave) failed(err error, ds *diag.List) {
	name := docsFile
	if s.changes {
		name = changesFile
	}
	p := filepath.Join(s.dir, name)
	_ = os.Remove(p)
	switch {
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
	case s.changes:
		ds.Warnf(p, 0, 0, "cache", "không ghi được phần thay đổi của bộ nhớ đệm các bài đã đọc (%v): lần dựng sau đọc lại các bài đã sửa từ lần ghi đầy đủ", err)
	default:
		ds.Warnf(p, 0, 0, "cache", "không ghi được bộ nhớ đệm các bài đã đọc (%v): lần dựng sau đọc lại mọi bài", err)
	}
}

// headed writes the line head, then what write writes.
func headed(head string, write func(io.Writer) error) func(io.Writer) error {
	return func(w io.Writer) error {
		if _, err := io.WriteString(w, head+"\n"); err != nil {
			return err
		}
		return write(w)
	}
}
