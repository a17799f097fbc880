// Package publish is the only package that writes a site's output folder.
//
// Rendering produces files in memory; publish minifies them, writes them in
// parallel into a fresh temporary folder next to the destination, and swaps
// that folder into place atomically only when every file was written. A
// failed, cancelled or killed build therefore leaves the previous site
// untouched, and a reader of the output folder sees either the whole old
// generation or the whole new one, never a mix. With Options.Precompress the
// Writer also writes a gzipped sibling beside each text file worth it
// ("index.html.gz"), which `portal serve` sends instead of compressing per
// request. (The preview's private folder is updated in place instead, without
// siblings: see Folder.)
//
// Typical use:
//
//	w, err := publish.Begin(ctx, "/site/public", publish.Options{Minify: true})
//	if err != nil { return err }
//	defer w.Abort()
//	for _, page := range pages {
//		if err := w.Add(publish.File{Rel: page.URLPath, Data: page.HTML, Source: page.Source}); err != nil { return err }
//	}
//	stats, err := w.Commit()
package publish

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tdewolff/minify/v2"

	"github.com/vnportal/portal/internal/message"
)

// Sink receives the files of one output generation: a Writer (a site's output
// folder, swapped in whole) or a Folder (the preview's, updated in place). Add is
// safe for concurrent use; Abort after Commit does nothing.
type Sink interface {
	Add(File) error
	Commit() (Stats, error)
	Abort()
}

// File is one output file.
type File struct {
	Rel     string // slash-separated path inside the output folder: "tin-tuc/index.html"
	Data    []byte // the content (kinds Page and Final); the Sink takes ownership
	SrcPath string // the file to copy (Static) or reuse (Existing)
	Source  string // the input that produced it, for messages
	Kind    Kind
}

// Kind says what a File holds and whether it may still be minified.
type Kind uint8

const (
	// Page is Data, minified (by its extension) when the Writer minifies.
	Page Kind = iota
	// Final is Data that is final (a fingerprinted asset): it is written as is.
	Final
	// Static is a static file at SrcPath, streamed; CSS, JS and SVG are minified.
	Static
	// Existing is a final file of the current output at SrcPath (a page that did not
	// change): a Writer hard-links it into the new generation, or copies it as is when
	// linking fails (another file system, no hard links). It must stay in place until
	// Commit.
	Existing
)

// Options configures a Writer.
type Options struct {
	// Minify runs tdewolff/minify on HTML, CSS, JS, SVG, XML (sitemaps,
	// RSS/Atom feeds) and JSON (including .webmanifest) of kind Page,
	// and on CSS, JS and SVG of kind Static. HTML minification is
	// conservative: document tags, end tags, attribute quotes and default
	// attribute values are kept, so pages stay valid for the Nu HTML checker.
	Minify bool
	// Workers is the number of parallel minify+write workers; 0 or less
	// means runtime.GOMAXPROCS(0).
	Workers int
	// Durable fsyncs every written file and folder before the swap, so the
	// new generation survives a power loss right after Commit. It costs
	// noticeably more time; the default (false) already survives a crash of
	// the build process itself. The parent folder is always fsynced after
	// the swap.
	Durable bool
	// Precompress writes "<name>.gz" beside each compressible file of 1 KB or more
	// (HTML, CSS, JS, JSON, XML, SVG, text, web app manifests: see Compressible) when
	// gzip saves at least a tenth, for the server to send as is. The sibling's name is
	// claimed like any output path. See precompress.go.
	Precompress bool
	// Changes lists in Stats.Changes the files the generation adds, modifies and deletes
	// in the output it replaces (changes.go).
	Changes bool
}

// Stats describes one committed generation.
type Stats struct {
	Files             int   // files in the new generation written by this package, plus files found in reserved folders
	Bytes             int64 // bytes of those files as written
	BytesBeforeMinify int64 // bytes of those files before minification
	Minified          int   // files that went through a minifier
	// Precompressed counts the files given a .gz sibling (Options.Precompress), and
	// PrecompressedBytes is the siblings' size. Siblings are not counted in Files and Bytes.
	Precompressed      int
	PrecompressedBytes int64
	Duration           time.Duration // from Begin to the end of Commit
	// Changes are the files added, modified and deleted, by path (Options.Changes).
	Changes []Change
}

// Writer builds one output generation. Create it with Begin, queue files
// with Add (safe for concurrent use), then call Commit; always
// `defer w.Abort()`.
type Writer struct {
	dest    string // absolute destination folder
	tmp     string // absolute temporary folder being filled
	opts    Options
	parent  context.Context    // the caller's context
	ctx     context.Context    // parent, also cancelled by Abort and Commit
	cancel  context.CancelFunc // cancels ctx
	root    *os.Root           // tmp; every write goes through it
	lock    io.Closer          // lock on tmp, so a concurrent Recover leaves it alone
	min     *minify.M          // nil when Minify is off
	started time.Time

	jobs     chan File
	workers  sync.WaitGroup
	inflight sync.WaitGroup // Add calls between their check and their send
	stopOnce sync.Once
	madeDirs sync.Map // folders known to exist in tmp
	linked   sync.Map // with Options.Changes: paths linked from the same path of the current output

	files, minified        atomic.Int64
	bytes, bytesBefore     atomic.Int64
	precompressed, gzBytes atomic.Int64

	mu       sync.Mutex
	state    writerState
	claimed  claims
	reserved []string // folders handed out by Reserve
	errs     []fileError
}

type writerState int

const (
	stateOpen      writerState = iota // accepting files
	stateClosing                      // Commit in progress
	stateCommitted                    // swapped in; Abort is a no-op
	stateAborted                      // temp folder removed
)

// fromFile reports whether f's bytes are read from f.SrcPath (kinds Static and Existing).
func (f File) fromFile() bool { return f.Kind == Static || f.Kind == Existing }

// final reports whether f is written as it is, never minified (kinds Final and Existing).
func (f File) final() bool { return f.Kind == Final || f.Kind == Existing }

// fileError is a write or minify error, kept with its path so that Commit
// can report errors in a stable order.
type fileError struct {
	rel string
	err error
}

// maxReportedErrors caps how many file errors Commit lists in full.
const maxReportedErrors = 20

// errAborted is returned by methods called after Abort.
var errAborted = errors.New("publish: the output generation was aborted; start a new one with Begin")

// Begin starts a new output generation for dest (for example
// "/site/public"). It first calls Recover for dest, then creates a fresh
// temporary folder ".<base>.tmp-<random>" in dest's parent, so that the
// final rename stays on one filesystem. dest's parent is created if needed;
// dest itself may be missing, but if it exists it must be a real folder.
func Begin(ctx context.Context, dest string, opts Options) (*Writer, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	abs, err := checkDest(dest)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, message.Errorf("không tạo được thư mục chứa đầu ra %s: %w", abs, err)
	}
	if err := Recover(abs); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(abs), tmpPrefix(abs)+"*")
	if err != nil {
		return nil, message.Errorf("không tạo được thư mục tạm bên cạnh %s (ổ đĩa đầy hoặc không có quyền ghi?): %w", abs, err)
	}
	fail := func(err error) (*Writer, error) {
		_ = os.RemoveAll(tmp)
		return nil, err
	}
	if err := os.Chmod(tmp, 0o755); err != nil { // MkdirTemp uses 0700
		return fail(fmt.Errorf("publish: %w", err))
	}
	lock, err := lockDir(tmp)
	if err != nil {
		return fail(message.Errorf("không khoá được thư mục đầu ra tạm %s: %w", tmp, err))
	}
	root, err := os.OpenRoot(tmp)
	if err != nil {
		lock.Close()
		return fail(fmt.Errorf("publish: %w", err))
	}
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	wctx, cancel := context.WithCancel(ctx)
	w := &Writer{
		dest:    abs,
		tmp:     tmp,
		opts:    opts,
		parent:  ctx,
		ctx:     wctx,
		cancel:  cancel,
		root:    root,
		lock:    lock,
		started: time.Now(),
		jobs:    make(chan File, opts.Workers),
		claimed: newClaims(),
	}
	if opts.Minify {
		w.min = newMinifier()
	}
	for range opts.Workers {
		w.workers.Go(w.work)
	}
	return w, nil
}

// checkDest validates the destination and returns it as a clean absolute path.
func checkDest(dest string) (string, error) {
	if dest == "" {
		return "", message.Errorf("chưa chọn thư mục đầu ra")
	}
	abs, err := filepath.Abs(dest)
	if err != nil {
		return "", message.Errorf("thư mục đầu ra %q: %w", dest, err)
	}
	if filepath.Dir(abs) == abs {
		return "", message.Errorf("không dùng %s làm thư mục đầu ra vì mọi thứ trong đó sẽ bị thay: chọn một thư mục riêng, ví dụ ./public", abs)
	}
	fi, err := os.Lstat(abs)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return abs, nil
	case err != nil:
		return "", message.Errorf("không kiểm tra được thư mục đầu ra: %w", err)
	case fi.Mode()&fs.ModeSymlink != 0:
		return "", message.Errorf("thư mục đầu ra %s là một liên kết tượng trưng (symbolic link): portal thay cả thư mục, nên hãy chỉ tới thư mục thật", abs)
	case !fi.IsDir():
		return "", message.Errorf("%s đã có nhưng không phải thư mục: xoá nó hoặc chọn thư mục đầu ra khác", abs)
	}
	return abs, nil
}

// tmpPrefix is the name prefix of dest's temporary folders.
func tmpPrefix(dest string) string { return "." + filepath.Base(dest) + ".tmp-" }

// oldPrefix is the name prefix used by the rename fallback for the previous
// generation while it is being replaced.
func oldPrefix(dest string) string { return filepath.Base(dest) + ".old-" }

// Dir returns the temporary folder of this generation. Other builders (the
// search index) may create files in it; use Reserve to claim a subfolder so
// that no page is queued into it.
func (w *Writer) Dir() string { return w.tmp }

// show formats rel for messages as "<dest base>/<rel>", e.g. "public/x/index.html".
func (w *Writer) show(rel string) string { return filepath.Base(w.dest) + "/" + rel }

// Reserve claims the folder rel for another builder (named by source, for
// error messages) and returns its absolute path inside Dir. The folder does
// not exist yet (its parent does): the builder creates it. Later Adds into
// that folder are rejected; files the builder puts there are counted in
// Commit's Stats.
func (w *Writer) Reserve(rel, source string) (string, error) {
	clean, err := cleanRel(rel)
	if err != nil {
		return "", message.Errorf("không dành được thư mục cho %s: %w", source, err)
	}
	if err := w.claim(clean, source, true); err != nil {
		return "", err
	}
	if err := w.root.MkdirAll(filepath.FromSlash(path.Dir(clean)), 0o755); err != nil {
		return "", message.Errorf("không tạo được thư mục của %s cho %s: %w", w.show(clean), source, err)
	}
	w.mu.Lock()
	w.reserved = append(w.reserved, clean)
	w.mu.Unlock()
	return filepath.Join(w.tmp, filepath.FromSlash(clean)), nil
}

// Add queues one output file. f.Source names the input that produced it, for
// error messages. Add takes ownership of f.Data: the caller must not modify it
// afterwards, and the Writer drops it once written.
//
// Add rejects unsafe paths (see ErrUnsafePath) and a second file at the
// same path (ErrCollision, naming both sources). Write and minify errors
// happen in the background and are reported by Commit. When ctx is
// cancelled Add returns ctx.Err().
func (w *Writer) Add(f File) error {
	if f.fromFile() && f.SrcPath == "" {
		return fmt.Errorf("publish: no source file given for %s", f.Rel)
	}
	return w.enqueue(f)
}

func (w *Writer) enqueue(j File) error {
	if err := w.parent.Err(); err != nil {
		return err
	}
	clean, err := cleanRel(j.Rel)
	if err != nil {
		return message.Errorf("%s muốn ghi ra ngoài thư mục đầu ra: %w", j.Source, err)
	}
	j.Rel = clean
	full := filepath.Join(w.tmp, filepath.FromSlash(clean))
	if !strings.HasPrefix(full, w.tmp+string(filepath.Separator)) {
		return fmt.Errorf("publish: %s wants to write outside the output folder: %w %q", j.Source, ErrUnsafePath, j.Rel)
	}
	w.mu.Lock()
	if w.state != stateOpen {
		st := w.state
		w.mu.Unlock()
		if st == stateAborted {
			return errAborted
		}
		return fmt.Errorf("publish: cannot add %s from %s: the generation is already committed", w.show(clean), j.Source)
	}
	if err := w.claimed.claim(clean, j.Source, false, w.show); err != nil {
		w.mu.Unlock()
		return err
	}
	if w.opts.Precompress && precompressible(clean) {
		// The sibling may not be written (a small file), but no other file may take
		// its name: the server would send it as this file's compressed form.
		if err := w.claimed.claim(clean+GzipSuffix, "the compressed copy of "+j.Source, false, w.show); err != nil {
			w.mu.Unlock()
			return err
		}
	}
	w.inflight.Add(1)
	w.mu.Unlock()
	defer w.inflight.Done()

	select {
	case w.jobs <- j:
		return nil
	case <-w.ctx.Done():
		return w.stopErr()
	}
}

// claim records a path under the lock, refusing once the generation closed.
func (w *Writer) claim(clean, source string, reserved bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.state == stateAborted {
		return errAborted
	}
	if w.state != stateOpen {
		return fmt.Errorf("publish: cannot reserve %s for %s: the generation is already committed", w.show(clean), source)
	}
	return w.claimed.claim(clean, source, reserved, w.show)
}

// stopErr explains why the Writer's context is done: the caller's context
// was cancelled (its error is returned as is), or Abort was called.
func (w *Writer) stopErr() error {
	if err := w.parent.Err(); err != nil {
		return err
	}
	w.mu.Lock()
	aborted := w.state == stateAborted
	w.mu.Unlock()
	if aborted {
		return errAborted
	}
	return w.ctx.Err()
}

// work is one worker goroutine: it writes queued files until the queue is
// closed. After cancellation it drains the queue without writing.
func (w *Writer) work() {
	var ws worker
	if w.min != nil {
		ws.buf = bufio.NewWriterSize(nil, 32<<10)
	}
	for j := range w.jobs {
		if w.ctx.Err() != nil {
			continue
		}
		if err := w.write(j, &ws); err != nil {
			w.mu.Lock()
			w.errs = append(w.errs, fileError{rel: j.Rel, err: err})
			w.mu.Unlock()
		}
	}
}

// worker is the state one worker goroutine reuses from file to file.
type worker struct {
	buf  *bufio.Writer // for minified output; nil when the Writer does not minify
	gz   compressor
	data dataBuffers // for files whose bytes are in memory (writedata.go)
}

// write creates one file in the temporary folder, and its .gz sibling.
func (w *Writer) write(j File, ws *worker) error {
	if dir := path.Dir(j.Rel); dir != "." {
		if _, ok := w.madeDirs.Load(dir); !ok {
			if err := w.root.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
				return message.Errorf("không tạo được thư mục %s cho %s: %w", w.show(dir), j.Source, err)
			}
			w.madeDirs.Store(dir, struct{}{})
		}
	}

	if j.Kind == Existing {
		return w.link(j, ws)
	}
	if !j.fromFile() {
		written, before, err := w.writeData(j, &ws.data)
		if err != nil {
			return err
		}
		w.files.Add(1)
		w.bytes.Add(written)
		w.bytesBefore.Add(before)
		return nil
	}
	written, before, err := w.create(j, ws.buf)
	if err != nil {
		return err
	}
	w.files.Add(1)
	w.bytes.Add(written)
	w.bytesBefore.Add(before)
	return w.precompress(j.Rel, j.Source, written, &ws.gz)
}

// create writes the file of j (its folder exists): minified when the Writer minifies and
// j is not final, else copied. It returns the bytes written and the size before
// minification.
func (w *Writer) create(j File, bw *bufio.Writer) (written, before int64, err error) {
	var in io.Reader
	before = int64(len(j.Data))
	if j.fromFile() {
		src, err := os.Open(j.SrcPath)
		if err != nil {
			return 0, 0, message.Errorf("không chép được %s sang %s: %w", j.SrcPath, w.show(j.Rel), err)
		}
		defer src.Close()
		fi, err := src.Stat()
		if err != nil {
			return 0, 0, message.Errorf("không chép được %s: %w", j.SrcPath, err)
		}
		if !fi.Mode().IsRegular() {
			return 0, 0, message.Errorf("không chép được %s sang %s: đó không phải tệp thường", j.SrcPath, w.show(j.Rel))
		}
		before = fi.Size()
		in = src
	} else {
		in = bytes.NewReader(j.Data)
	}

	// O_EXCL: never overwrite, even if something else wrote into Dir().
	f, err := w.root.OpenFile(filepath.FromSlash(j.Rel), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return 0, 0, message.Errorf("không tạo được %s (từ %s): %w", w.show(j.Rel), j.Source, err)
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = message.Errorf("không ghi được %s (từ %s): %w", w.show(j.Rel), j.Source, cerr)
		}
	}()

	mime := ""
	if w.min != nil && !j.final() {
		mime = mimeFor(j.Rel, j.Kind == Static)
	}
	if mime != "" {
		cw := &countingWriter{w: f}
		bw.Reset(cw)
		defer bw.Reset(nil) // drop the file
		if err := w.min.Minify(mime, bw, in); err != nil {
			return 0, 0, message.Errorf("không rút gọn được %s (từ %s): %v; sửa lỗi trong tệp nguồn, hoặc dựng với --no-minify để xem tệp đầu ra",
				w.show(j.Rel), j.Source, err)
		}
		if err := bw.Flush(); err != nil {
			return 0, 0, message.Errorf("không ghi được %s (từ %s): %w", w.show(j.Rel), j.Source, err)
		}
		written = cw.n
		w.minified.Add(1)
	} else {
		// *os.File.ReadFrom uses copy_file_range/sendfile where it can.
		n, err := io.Copy(f, in)
		if err != nil {
			return 0, 0, message.Errorf("không ghi được %s (từ %s): %w", w.show(j.Rel), j.Source, err)
		}
		written = n
	}
	if w.opts.Durable {
		if err := f.Sync(); err != nil {
			return 0, 0, message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(j.Rel), err)
		}
	}
	return written, before, nil
}

// link writes an Existing file: a hard link to j.SrcPath, else a plain copy (create's
// own copy, never minified) with the source's modification time, as a link would have it.
// Its .gz sibling comes along (reuseSibling).
func (w *Writer) link(j File, ws *worker) error {
	fi, err := os.Lstat(j.SrcPath)
	if err != nil {
		return message.Errorf("không dùng lại được %s cho %s: %w", j.SrcPath, w.show(j.Rel), err)
	}
	if !fi.Mode().IsRegular() {
		return message.Errorf("không dùng lại được %s cho %s: đó không phải tệp thường", j.SrcPath, w.show(j.Rel))
	}
	// rel was checked by enqueue and its folders were created through the root, so the
	// joined path stays inside tmp.
	err = os.Link(j.SrcPath, filepath.Join(w.tmp, filepath.FromSlash(j.Rel)))
	switch {
	case err != nil && errors.Is(err, fs.ErrExist):
		return message.Errorf("không tạo được %s (từ %s): %w", w.show(j.Rel), j.Source, err)
	case err != nil:
		if _, _, err := w.create(File{Rel: j.Rel, SrcPath: j.SrcPath, Source: j.Source, Kind: Existing}, ws.buf); err != nil {
			return err
		}
		if err := w.root.Chtimes(filepath.FromSlash(j.Rel), time.Time{}, fi.ModTime()); err != nil {
			return message.Errorf("không đặt được thời gian của %s: %w", w.show(j.Rel), err)
		}
	case w.opts.Durable:
		if err := syncFile(j.SrcPath); err != nil {
			return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(j.Rel), err)
		}
	}
	if err == nil {
		w.noteLinked(j.Rel, j.SrcPath)
	}
	w.files.Add(1)
	w.bytes.Add(fi.Size())
	w.bytesBefore.Add(fi.Size())
	return w.reuseSibling(j, fi, &ws.gz)
}

// syncFile fsyncs the file at p.
func syncFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// stopWorkers waits for pending Adds, closes the queue and waits for the
// workers to finish. The state must already be past stateOpen.
func (w *Writer) stopWorkers() {
	w.stopOnce.Do(func() {
		w.inflight.Wait()
		close(w.jobs)
		w.workers.Wait()
	})
}

// Commit waits for every queued file, then swaps the new generation into
// the destination atomically: on Linux with renameat2(RENAME_EXCHANGE), so
// the destination path never disappears; elsewhere with two renames that
// Recover can undo. The previous generation is then deleted. A top-level
// ".gitkeep" of the previous generation is carried over unless one was
// added.
//
// If any file failed, or ctx was cancelled, Commit removes the temporary
// folder, leaves the destination untouched and returns the error(s)
// (ctx.Err() for cancellation).
func (w *Writer) Commit() (Stats, error) {
	w.mu.Lock()
	switch w.state {
	case stateAborted:
		w.mu.Unlock()
		return Stats{}, errAborted
	case stateClosing, stateCommitted:
		w.mu.Unlock()
		return Stats{}, errors.New("publish: Commit called twice for one generation")
	}
	w.state = stateClosing
	w.mu.Unlock()

	w.stopWorkers()
	stats, err := w.finish()
	if err != nil {
		w.discard()
		return Stats{}, err
	}
	return stats, nil
}

// finish does the part of Commit after the workers stopped.
func (w *Writer) finish() (Stats, error) {
	if err := w.ctx.Err(); err != nil {
		return Stats{}, w.stopErr()
	}
	if err := w.fileErrors(); err != nil {
		return Stats{}, err
	}
	if err := w.carryGitkeep(); err != nil {
		return Stats{}, err
	}
	if err := w.countReserved(); err != nil {
		return Stats{}, err
	}
	if w.opts.Durable {
		if err := syncTree(w.tmp); err != nil {
			return Stats{}, message.Errorf("không lưu hẳn được bản dựng mới xuống đĩa: %w", err)
		}
	}
	var changes []Change
	if w.opts.Changes {
		var err error
		unchanged := func(rel string) bool { _, ok := w.linked.Load(rel); return ok }
		if changes, err = diffTrees(w.dest, w.tmp, unchanged); err != nil {
			return Stats{}, err
		}
	}
	if err := w.ctx.Err(); err != nil {
		return Stats{}, w.stopErr()
	}

	// Point of no return. The root and lock refer to the folder by handle,
	// so they stay valid across the rename; close them first anyway.
	w.root.Close()
	old, err := swap(w.tmp, w.dest)
	if err != nil {
		return Stats{}, message.Errorf("không chuyển được bản dựng mới vào %s: %w; thư mục đầu ra cũ vẫn nguyên vẹn", w.dest, err)
	}
	w.mu.Lock()
	w.state = stateCommitted
	w.mu.Unlock()
	w.lock.Close()
	w.cancel()

	var syncErr error
	if err := syncDir(filepath.Dir(w.dest)); err != nil {
		syncErr = message.Errorf("bản dựng mới đã vào chỗ nhưng thư mục %s chưa lưu hẳn xuống đĩa: %w", filepath.Dir(w.dest), err)
	}
	if old != "" {
		// A failure here only leaves a hidden stale folder that the next
		// Recover removes; the new site is already in place.
		_ = os.RemoveAll(old)
	}
	return Stats{
		Files:              int(w.files.Load()),
		Bytes:              w.bytes.Load(),
		BytesBeforeMinify:  w.bytesBefore.Load(),
		Minified:           int(w.minified.Load()),
		Precompressed:      int(w.precompressed.Load()),
		PrecompressedBytes: w.gzBytes.Load(),
		Duration:           time.Since(w.started),
		Changes:            changes,
	}, syncErr
}

// fileErrors joins the workers' errors in path order.
func (w *Writer) fileErrors() error {
	w.mu.Lock()
	errs := slices.Clone(w.errs)
	w.mu.Unlock()
	if len(errs) == 0 {
		return nil
	}
	slices.SortFunc(errs, func(a, b fileError) int { return cmp.Compare(a.rel, b.rel) })
	list := make([]error, 0, maxReportedErrors+1)
	for i, fe := range errs {
		if i == maxReportedErrors {
			list = append(list, fmt.Errorf("publish: ... and %d more errors", len(errs)-i))
			break
		}
		list = append(list, fe.err)
	}
	return errors.Join(list...)
}

// carryGitkeep copies the previous generation's top-level .gitkeep (the
// repository tracks public/.gitkeep) unless this generation has one.
func (w *Writer) carryGitkeep() error {
	const name = ".gitkeep"
	w.mu.Lock()
	_, added := w.claimed.files[name]
	w.mu.Unlock()
	if added {
		return nil
	}
	oldKeep := filepath.Join(w.dest, name)
	fi, err := os.Lstat(oldKeep)
	if err != nil || !fi.Mode().IsRegular() {
		return nil // no placeholder to keep
	}
	if _, err := w.root.Lstat(name); err == nil {
		return nil // written by another builder through Dir()
	}
	data, err := os.ReadFile(oldKeep)
	if err != nil {
		return message.Errorf("không đọc được %s để giữ lại: %w", oldKeep, err)
	}
	if err := w.root.WriteFile(name, data, 0o644); err != nil {
		return message.Errorf("không giữ lại được %s: %w", oldKeep, err)
	}
	w.files.Add(1)
	w.bytes.Add(int64(len(data)))
	w.bytesBefore.Add(int64(len(data)))
	return nil
}

// countReserved adds the files other builders put in reserved folders to the stats.
func (w *Writer) countReserved() error {
	w.mu.Lock()
	dirs := slices.Clone(w.reserved)
	w.mu.Unlock()
	for _, d := range dirs {
		dir := filepath.Join(w.tmp, filepath.FromSlash(d))
		err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
			if p == dir && errors.Is(err, fs.ErrNotExist) {
				return nil // the builder made nothing
			}
			if err != nil || !e.Type().IsRegular() {
				return err
			}
			fi, err := e.Info()
			if err != nil {
				return err
			}
			w.files.Add(1)
			w.bytes.Add(fi.Size())
			w.bytesBefore.Add(fi.Size())
			return nil
		})
		if err != nil {
			return message.Errorf("không đọc được thư mục đã dành %s: %w", w.show(d), err)
		}
	}
	return nil
}

// Abort discards the generation: it stops the workers and removes the
// temporary folder. It is a no-op after a successful Commit and safe to call
// more than once, so callers `defer w.Abort()`.
func (w *Writer) Abort() {
	w.mu.Lock()
	switch w.state {
	case stateCommitted, stateAborted:
		w.mu.Unlock()
		return
	case stateClosing:
		// Commit is running in another goroutine; it cleans up itself.
		w.mu.Unlock()
		w.cancel()
		return
	}
	w.state = stateAborted
	w.mu.Unlock()
	w.cancel()
	w.stopWorkers()
	w.cleanup()
}

// discard removes the temporary folder after a failed Commit.
func (w *Writer) discard() {
	w.mu.Lock()
	w.state = stateAborted
	w.mu.Unlock()
	w.cancel()
	w.cleanup()
}

func (w *Writer) cleanup() {
	w.root.Close()
	if w.parent.Err() != nil {
		// The build is being stopped (Ctrl+C, SIGTERM): removing a large generation can
		// take seconds, so it goes on in the background. A process that exits first
		// leaves the rest, unlocked, to the next Begin's Recover.
		go func() {
			_ = os.RemoveAll(w.tmp)
			w.lock.Close()
		}()
		return
	}
	_ = os.RemoveAll(w.tmp)
	w.lock.Close()
}

// syncTree fsyncs every folder under dir (files are synced by the workers).
func syncTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || !e.IsDir() {
			return err
		}
		return syncDir(p)
	})
}

// syncDir fsyncs a folder so that renames and creations in it are durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, fs.ErrInvalid) {
		return err
	}
	return nil
}
