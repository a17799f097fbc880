package publish

import (
	"bufio"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/klauspost/compress/gzip"

	"github.com/vnportal/portal/internal/message"
)

// Precompression (Options.Precompress): beside each compressible output file (see
// Compressible) of at least minPrecompress bytes, the Writer writes the file gzipped as
// "<name>.gz" when that saves at least a tenth, so that `portal serve` sends it instead of
// compressing per request. The worker that wrote the file compresses it (a file in memory
// from its bytes: writedata.go), at gzipLevel, with no name or time in the gzip header: an
// unchanged rebuild writes the same bytes. A reused file (kind Existing) brings its current sibling along (SiblingCurrent),
// hard-linked like the file itself; otherwise it is compressed again. Hidden files (any
// path segment starting with ".", never served) and the folders handed out by Reserve
// (the search index) get no sibling.

// GzipSuffix is the suffix of a precompressed sibling: "index.html" → "index.html.gz".
const GzipSuffix = ".gz"

// minPrecompress is the smallest file given a sibling: below it gzip's header and
// trailer eat most of the gain.
const minPrecompress = 1024

// wantsSibling reports whether a file rel of size bytes gets a .gz sibling in this
// generation: the one rule writeData, precompress, reuseSibling, keep and keepListed
// follow.
func (w *Writer) wantsSibling(rel string, size int64) bool {
	return w.opts.Precompress && size >= minPrecompress && precompressible(rel)
}

// keepSibling reports whether a gzipped size is worth a sibling: at most 90 % of the
// original.
func keepSibling(gz, size int64) bool { return gz*10 <= size*9 }

// compressibleExt lists the extensions of text files worth gzipping; the server serves
// them with a text, JSON, XML or SVG media type.
var compressibleExt = map[string]bool{
	".html": true, ".htm": true, ".css": true, ".js": true, ".mjs": true, ".json": true,
	".xml": true, ".svg": true, ".txt": true, ".webmanifest": true,
}

// Compressible reports whether a file of this name is text worth compressing: HTML, CSS,
// JS, JSON, XML, SVG, plain text, web app manifests. The Writer precompresses these and
// the server compresses (or sends the precompressed sibling of) the same files.
func Compressible(name string) bool {
	return compressibleExt[strings.ToLower(path.Ext(name))]
}

// precompressible reports whether rel (clean, slash-separated) gets a sibling when it is
// large enough: compressible, not a sibling itself, and not hidden.
func precompressible(rel string) bool {
	// A hidden segment starts the path or follows a slash. Called for each of the
	// ~18,000 pages `portal serve --watch` keeps at every save (keepListed): no
	// strings.Split, which allocated a slice per page (6 ms a save at 10,000 articles).
	return Compressible(rel) && !strings.HasPrefix(rel, ".") && !strings.Contains(rel, "/.")
}

// SiblingCurrent reports whether gz, read through r, is a current gzip sibling of a file
// with info orig: a regular file not older than orig whose gzip trailer records orig's
// size (modulo 2³², as gzip does). A sibling left behind by an edit of the file in place
// fails one of these and is not used.
func SiblingCurrent(orig, gz fs.FileInfo, r io.ReaderAt) bool {
	const minGzip = 18 // header (10) + trailer (8)
	if !gz.Mode().IsRegular() || gz.Size() < minGzip || gz.ModTime().Before(orig.ModTime()) {
		return false
	}
	var trailer [4]byte
	if _, err := r.ReadAt(trailer[:], gz.Size()-4); err != nil {
		return false
	}
	return binary.LittleEndian.Uint32(trailer[:]) == uint32(orig.Size())
}

// compressor is one worker's gzip state, made on first use and reused.
type compressor struct {
	zw  *gzip.Writer
	out *bufio.Writer
}

// precompress writes rel+".gz" into the staging folder for the file rel (size bytes,
// read from from: the file just written, or a kept one of the current output) when the
// file qualifies and the result is small enough.
func (w *Writer) precompress(rel, source, from string, size int64, c *compressor) (err error) {
	if !w.wantsSibling(rel, size) {
		return nil
	}
	name := filepath.FromSlash(rel)
	if err := w.stagingDir(rel, source); err != nil { // a kept file's folder may not be there yet
		return err
	}
	src, err := os.Open(from)
	if err != nil {
		return message.Errorf("không đọc được %s để nén: %w", w.show(rel), err)
	}
	defer src.Close()
	dst, err := w.root.OpenFile(name+GzipSuffix, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return message.Errorf("không tạo được %s (từ %s): %w", w.show(rel+GzipSuffix), source, err)
	}
	keep := false
	defer func() {
		if cerr := dst.Close(); cerr != nil && err == nil {
			err = message.Errorf("không ghi được %s: %w", w.show(rel+GzipSuffix), cerr)
		}
		if !keep || err != nil {
			_ = w.root.Remove(name + GzipSuffix)
		}
	}()
	cw := &countingWriter{w: dst}
	if c.out == nil {
		c.out = bufio.NewWriterSize(cw, 32<<10)
	} else {
		c.out.Reset(cw)
	}
	c.zw = resetGzip(c.zw, c.out) // a zero header: no name, no time, so the bytes are reproducible
	defer c.out.Reset(nil)        // drop the file
	if _, err := io.Copy(c.zw, src); err != nil {
		return message.Errorf("không nén được %s: %w", w.show(rel), err)
	}
	if err := c.zw.Close(); err != nil {
		return message.Errorf("không nén được %s: %w", w.show(rel), err)
	}
	if err := c.out.Flush(); err != nil {
		return message.Errorf("không ghi được %s: %w", w.show(rel+GzipSuffix), err)
	}
	if !keepSibling(cw.n, size) {
		return nil
	}
	if w.opts.Durable {
		if err := dst.Sync(); err != nil {
			return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(rel+GzipSuffix), err)
		}
	}
	keep = true
	w.precompressed.Add(1)
	w.gzBytes.Add(cw.n)
	return nil
}

// reuseSibling gives a reused file (kind Existing, info fi) its sibling: the current one
// beside j.SrcPath when SiblingCurrent (kept in place with a kept file, else a hard link),
// else a fresh compression.
func (w *Writer) reuseSibling(j File, fi fs.FileInfo, c *compressor) error {
	if !w.wantsSibling(j.Rel, fi.Size()) {
		return nil
	}
	src := j.SrcPath + GzipSuffix
	kept := filepath.Clean(j.SrcPath) == w.current(j.Rel)
	if gz, err := os.Lstat(src); err == nil && gz.Mode().IsRegular() {
		f, err := os.Open(src)
		if err == nil {
			ok := SiblingCurrent(fi, gz, f)
			f.Close()
			if ok && kept {
				w.kept.Store(j.Rel + GzipSuffix)
			}
			if ok && (kept || os.Link(src, w.staged(j.Rel)+GzipSuffix) == nil) {
				if w.opts.Durable {
					if err := syncFile(src); err != nil {
						return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(j.Rel+GzipSuffix), err)
					}
				}
				w.precompressed.Add(1)
				w.gzBytes.Add(gz.Size())
				return nil
			}
		}
	}
	from := w.staged(j.Rel)
	if kept {
		from = j.SrcPath
	}
	return w.precompress(j.Rel, j.Source, from, fi.Size(), c)
}
