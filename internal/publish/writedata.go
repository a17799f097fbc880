package publish

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"slices"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/vnportal/portal/internal/message"
)

// The write path of a file whose bytes are in memory (kinds Page and Final), kept apart
// from the streamed copy of Static and Existing files (create, precompress). One worker
// does it all from memory: it minifies into its own buffer, writes the file in one
// write, gzips the same bytes into a second buffer and creates the sibling only when it
// is kept. Nothing is read back from the disk, and no sibling is created and then
// removed. Measured on the prose corpus at 10,000 articles (BENCHMARKS.md, issue 22):
// the page stage's writer went from re-reading every file and gzipping it at level 9 to
// this.

// gzipLevel is the deflate level of the siblings, for github.com/klauspost/compress's
// encoder. On the 18,540 minified pages of the prose corpus at 10,000 articles (349 MB,
// one goroutine, BENCHMARKS.md, issue 22): the standard library's level 4 (before) made
// 96.4 MB in 4.6 CPU-s; this encoder's level 6 makes the same 96.4 MB in 3.0 CPU-s, its
// level 4 100.1 MB in 2.5 CPU-s, its level 7 94.9 MB in 4.6 CPU-s.
const gzipLevel = 6

// dataBuffers is one worker's reusable memory for writeData.
type dataBuffers struct {
	in  []byte    // the minifier's copy of a file given without Buffers (minifyInput)
	min outBuffer // the minified file
	// a page with its fragments taken out, minified, the fragments taken, a
	// placeholder, a fragment's copy for the minifier (fragments.go)
	spliceIn []byte
	spliced  outBuffer
	taken    []*minifiedFragment
	mark     []byte
	fragIn   []byte
	gz       bytes.Buffer // its gzipped sibling
	zw       *gzip.Writer // writes into gz; made on first use

	parent parentFolder // the parent of the last page's folder, kept open
}

// keepBufferBytes is the most a worker's dataBuffers keep from one file to the next: a
// page is tens of KB, but a sitemap of 50,000 URLs or a large feed is megabytes, and
// buffers grown to those would stay, per worker, until the Writer commits, through the
// rest of rendering and the whole index stage (at 30,000 articles 10 MB of minifier
// input alone, live in the index stage, BENCHMARKS.md, seventeenth session, branch
// peak22). The few files larger than this get buffers of their own.
const keepBufferBytes = 1 << 20

// writeData writes j (kind Page or Final: j.Data) and its sibling, making its folder.
// It returns the bytes written and the size before minification.
func (w *Writer) writeData(j File, b *dataBuffers) (written, before int64, err error) {
	defer b.shrink()
	out := j.Data
	before = int64(len(out))
	mime := ""
	if w.min != nil && j.Kind == Page {
		mime = mimeFor(j.Rel, false)
	}
	if mime != "" {
		spliced := false
		if mime == mimeHTML && len(j.Fragments) > 0 {
			// on an error, the whole page's minification below says what is wrong
			ok, err := w.minifySpliced(j, b)
			spliced = ok && err == nil
		}
		if !spliced {
			b.min.Reset()
			b.min.Grow(len(j.Data)) // a large file (a sitemap) in one buffer, not doubling up to its size
			if err := w.min.Minify(mime, &b.min, b.minifyInput(j)); err != nil {
				return 0, 0, message.Errorf("không rút gọn được %s (từ %s): %v; sửa lỗi trong tệp nguồn, hoặc dựng với --no-minify để xem tệp đầu ra",
					w.show(j.Rel), j.Source, err)
			}
		}
		out = b.min.Bytes()
		w.minified.Add(1)
	}
	dir, err := w.openPageFolder(path.Dir(j.Rel), j.Source, &b.parent)
	if err != nil {
		return 0, 0, message.Errorf("không tạo được %s (từ %s): %w", w.show(j.Rel), j.Source, err)
	}
	defer dir.close()
	name := path.Base(j.Rel)
	if err := w.writeNew(dir, j.Rel, name, j.Source, out); err != nil {
		return 0, 0, err
	}
	if w.wantsSibling(j.Rel, int64(len(out))) {
		if err := b.gzip(out); err != nil {
			return 0, 0, message.Errorf("không nén được %s: %w", w.show(j.Rel), err)
		}
		if gz := b.gz.Bytes(); keepSibling(int64(len(gz)), int64(len(out))) {
			if err := w.writeNew(dir, j.Rel+GzipSuffix, name+GzipSuffix, j.Source, gz); err != nil {
				return 0, 0, err
			}
			w.precompressed.Add(1)
			w.gzBytes.Add(int64(len(gz)))
		}
	}
	return int64(len(out)), before, nil
}

// outBuffer is the minifier's output: a slice appended to. The HTML minifier writes
// each token on its own (thousands of Write calls per page), and bytes.Buffer's Write
// does more per call than an append (it clears its read state and tries a reslice
// before it copies). Callgrind on BenchmarkWriterPages (313 raw prose pages): 25.0 M
// instructions in bytes.(*Buffer).Write before, 19.1 M in this Write (and gzip's
// bytes.Buffer) after, of ≈ 918 M (BENCHMARKS.md, twentieth session, pub22).
type outBuffer struct{ b []byte }

// Write appends p; it never fails.
func (o *outBuffer) Write(p []byte) (int, error) {
	o.b = append(o.b, p...)
	return len(p), nil
}

// Reset empties the buffer, keeping its memory.
func (o *outBuffer) Reset() { o.b = o.b[:0] }

// Grow makes room for n more bytes in one allocation.
func (o *outBuffer) Grow(n int) { o.b = slices.Grow(o.b, n) }

// Bytes returns the bytes written since the last Reset.
func (o *outBuffer) Bytes() []byte { return o.b }

// Cap returns the capacity of the buffer's memory.
func (o *outBuffer) Cap() int { return cap(o.b) }

// minifyInput returns a reader of j's bytes for the minifier, which edits its input in
// place (end tags, entities, whitespace) and writes its NUL terminator after the end
// (restored when it is done). When j came with Buffers, its producer keeps no reference to
// j.Data and the Writer gives it back to be overwritten once the file is written: the
// minifier reads it where it is. Otherwise (the page cache and the preview keep what they
// give) j.Data is copied into the worker's own buffer, with room for the byte after it.
// A reader with Bytes() is read without io.ReadAll's doubling copies; and with the spare
// byte the parser does not append to a new copy of the page either: before this buffer
// every page was copied into a fresh allocation of its size (≈ 0.3 CPU-s and 0.44 GB
// allocated at 10,000 prose articles, BENCHMARKS.md, issue 22, tmpl22).
func (b *dataBuffers) minifyInput(j File) *bytes.Buffer {
	if j.Buffers != nil && cap(j.Data) > len(j.Data) {
		return bytes.NewBuffer(j.Data)
	}
	data := j.Data
	if cap(b.in) <= len(data) {
		b.in = make([]byte, len(data), len(data)+len(data)/4+1)
	}
	b.in = b.in[:len(data)]
	copy(b.in, data)
	return bytes.NewBuffer(b.in)
}

// shrink lets go of the buffers grown past keepBufferBytes.
func (b *dataBuffers) shrink() {
	if cap(b.in) > keepBufferBytes {
		b.in = nil
	}
	if cap(b.spliceIn) > keepBufferBytes {
		b.spliceIn = nil
	}
	if b.spliced.Cap() > keepBufferBytes {
		b.spliced = outBuffer{}
	}
	if cap(b.fragIn) > keepBufferBytes {
		b.fragIn = nil
	}
	clear(b.taken) // the fragments may leave the cache
	if b.min.Cap() > keepBufferBytes {
		b.min = outBuffer{}
	}
	if b.gz.Cap() > keepBufferBytes {
		b.gz = bytes.Buffer{}
	}
}

// gzip compresses data into b.gz, with a zero header (no name, no time), so that the same
// bytes give the same sibling.
func (b *dataBuffers) gzip(data []byte) error {
	b.gz.Reset()
	b.zw = resetGzip(b.zw, &b.gz)
	if _, err := b.zw.Write(data); err != nil {
		return err
	}
	return b.zw.Close()
}

// resetGzip returns zw (made when nil) writing a new gzip stream into out at gzipLevel
// with a zero header: no name, and a modification time of 0 ("none"), which this encoder
// writes only when told (left unset, it writes the zero time.Time truncated to 32 bits).
func resetGzip(zw *gzip.Writer, out io.Writer) *gzip.Writer {
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(out, gzipLevel) // the level is valid
	} else {
		zw.Reset(out)
	}
	zw.ModTime = time.Unix(0, 0)
	return zw
}

// writeNew creates rel, the file name in dir, with data in one write. O_EXCL: never over
// another file, even one something else wrote into Dir().
func (w *Writer) writeNew(dir pageFolder, rel, name, source string, data []byte) error {
	err := dir.create(name, data, w.opts.Durable)
	if err == nil {
		return nil
	}
	var pe *fs.PathError
	switch {
	case errors.As(err, &pe) && (pe.Op == "open" || pe.Op == "openat"):
		return message.Errorf("không tạo được %s (từ %s): %w", w.show(rel), source, err)
	case errors.As(err, &pe) && pe.Op == "sync":
		return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(rel), err)
	}
	return message.Errorf("không ghi được %s (từ %s): %w", w.show(rel), source, err)
}
