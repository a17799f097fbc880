// Package publish is the only package that writes a site's output folder.
//
// Rendering produces files in memory; publish minifies them and writes, in
// parallel, the files that change into a staging folder next to the
// destination. Files of the current output that stay the same (kind Existing
// at their own path) are not touched. Only when every file was written does
// Commit journal the renames and deletions that turn the output into the new
// site and carry them out (inplace.go): a failed or cancelled build leaves the
// previous site untouched, and one killed at any moment leaves either the old
// site or the new bytes with their journal, which the next Begin, Commit or
// Recover finishes. With Options.Precompress the
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
	"github.com/vnportal/portal/internal/twogen"
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
	SrcPath string // the file to copy (Static) or reuse (Existing, Kept)
	Source  string // the input that produced it, for messages
	Kind    Kind
	// Size and GzSize are the sizes of a Kept file and of its .gz sibling.
	Size, GzSize int64
	// Fragments, of an HTML page (kind Page), are where Data holds fragments other pages
	// may show alike, in order (render's partialCached): a Writer that minifies may
	// minify each once (fragments.go). The bytes written are the same with or without.
	Fragments []Span
	// Carry asks a Writer to carry an Existing file it keeps unread in its Listing, for
	// the next Writer's KeepLast (keeplast.go).
	Carry bool
	// Buffers, when the producer does not keep Data, is where a Writer puts Data back
	// once the file is written, for the producer's next file (Buffers.Get). Given it, a
	// Writer's minifier edits Data in place instead of copying it first (writedata.go):
	// nobody may read Data once it is added. A Folder keeps Data and gives nothing back.
	Buffers *Buffers
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
	// Existing is a final file at SrcPath that did not change: when SrcPath is the
	// same path of the current output, a Writer keeps it where it is (with its current
	// .gz sibling); otherwise it hard-links it into the staging folder, or copies it as
	// is when linking fails (another file system, no hard links). It must stay in place
	// until Commit.
	Existing
	// Kept is the file of the current output at Rel (SrcPath names it) that the caller
	// has just found to be exactly the one the last commit left there, Size bytes, with
	// its .gz sibling of GzSize bytes (0: not known; Options.Precompress then checks or
	// makes one as for Existing): `portal build`'s cache compares their identities (size,
	// times, inode) with those it recorded after that commit. A Writer keeps both where
	// they are without reading or checking them again (at 100,000 articles, four system
	// calls fewer per page). A Folder takes it as Existing.
	Kept
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
	// Durable fsyncs every written file and folder before the journal, and
	// the output's changed folders after the renames, so the new generation
	// survives a power loss right after Commit. It costs noticeably more time;
	// the default (false) already survives a crash of the build process itself.
	// The journal and the output folder itself are always fsynced.
	Durable bool
	// Precompress writes "<name>.gz" beside each compressible file of 1 KB or more
	// (HTML, CSS, JS, JSON, XML, SVG, text, web app manifests: see Compressible) when
	// gzip saves at least a tenth, for the server to send as is. The sibling's name is
	// claimed like any output path. See precompress.go.
	Precompress bool
	// Changes lists in Stats.Changes the files the generation adds, modifies and deletes
	// in the output it replaces (changes.go).
	Changes bool
	// Previous is the Listing of the last Writer's commit to the same folder
	// (Stats.Listing, or ReadListing of a saved one): while nothing else changed the
	// folder's names since, Commit finds the files to delete in it instead of walking the
	// output (listing.go). Nil: walk.
	Previous *Listing

	// racyMargin replaces the listing's racyMargin (tests: folders stamped a moment ago).
	racyMargin time.Duration
}

// margin is how long after a folder's change its stamp is trusted (listing.go).
func (o Options) margin() time.Duration {
	if o.racyMargin > 0 {
		return o.racyMargin
	}
	return racyMargin
}

// stepKey is the context key of WithStep's observer.
type stepKey struct{}

// WithStep returns ctx carrying an observer that a Writer begun with it calls at named
// points of Commit: "planned" (the plan made, nothing changed yet), "journaled" (the
// point of no return), "renamed <path>" after each rename, "applied" (before the journal
// is removed). The crash tests kill the process there. "walked the output" is reported
// when the plan walks the output folder (no usable Options.Previous); "verified the
// listing" when Options.Previous was checked against the output's folders, and "read
// folder <dir>" for each folder that check read (listing.go). A build into an output
// folder that does not exist renames its staging folder instead of journaling (fresh.go)
// and reports "renamed the staging folder" in place of the last three.
func WithStep(ctx context.Context, step func(name string)) context.Context {
	return context.WithValue(ctx, stepKey{}, step)
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
	// Listing is the set of files the output holds now, for the next Writer's
	// Options.Previous (nil when it could not be made).
	Listing *Listing
	// Listed says the commit was planned from Options.Previous: nothing else changed the
	// output between the commit that made it and this one (else the output was walked).
	Listed bool
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
	kept     keptSet  // paths of the current output kept as they are (Existing at its own path)
	// listedKept are more such paths, kept unread from the previous Listing (keep.go;
	// under mu while files are added, read by the plan once they all are).
	listedKept map[string]string // path → source
	// listedKeptGz counts the listed .gz siblings of listedKept's files; gzName is a
	// buffer for their names (keep.go).
	listedKeptGz int
	keptGzNamed  int // listedKept's paths that end in GzipSuffix
	gzName       []byte
	// KeepLast's (keeplast.go): the last commit's carried files it keeps but the gone
	// ones, how many, with how many listed .gz siblings and names ending in GzipSuffix;
	// the files given with File.Carry and kept unread, to carry; whether one given with
	// Carry was not kept unread, or a file of kind Kept was (the listing then carries
	// none).
	last                           *carried
	gone                           map[string]bool
	lastFiles, lastGz, lastGzNamed int
	carry                          map[string]carriedFile
	carryRefused, keptKind         bool

	frags twogen.Cache[*minifiedFragment] // minified fragments by their text (fragments.go)

	files, minified        atomic.Int64
	fragmentsSpliced       atomic.Int64 // fragments put in from frags
	bytes, bytesBefore     atomic.Int64
	precompressed, gzBytes atomic.Int64

	mu       sync.Mutex
	state    writerState
	claimed  claims
	reserved []string // folders handed out by Reserve
	errs     []fileError

	// prev is Options.Previous when it is a listing of the output (nil: walk it), and
	// prevParent the output's parent folder's modification time once the staging folder
	// was made, when the parent had prev's time before (zero: prev's folders are checked
	// at Commit instead).
	prev       *Listing
	prevParent time.Time
	// untouched: at Commit the parent folder still had prevParent's time, so nothing but
	// this Writer changed the output since the listing's commit (Stats.Listed); a listing
	// trusted only after checking its folders' stamps vouches for names, not for bytes.
	untouched bool
}

type writerState int

const (
	stateOpen      writerState = iota // accepting files
	stateClosing                      // Commit in progress
	stateCommitted                    // applied (or journaled); Abort is a no-op
	stateAborted                      // staging folder removed
)

// fromFile reports whether f's bytes are in f.SrcPath (kinds Static, Existing and Kept).
func (f File) fromFile() bool { return f.Kind == Static || f.Kind == Existing || f.Kind == Kept }

// final reports whether f is written as it is, never minified (kinds Final, Existing and
// Kept).
func (f File) final() bool { return f.Kind == Final || f.Kind == Existing || f.Kind == Kept }

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
// staging folder ".<base>.tmp-<random>" in dest's parent, so that the
// renames stay on one filesystem. dest's parent is created if needed;
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
	prev := opts.Previous.forDest(abs)
	parentSame := prev.parentUnchanged(abs) // before the staging folder changes the parent
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
		claimed: newClaimsFor(claimsExpected(prev, opts)),
	}
	w.prev = prev
	if t, ok := parentTime(abs); ok && parentSame {
		w.prevParent = t
	}
	if opts.Minify {
		w.min = newMinifier()
		w.frags.Reset(maxMinifiedFragmentBytes)
	}
	// The journal's names in the staging folder are no output file's.
	for _, name := range []string{journalName, journalName + ".tmp"} {
		if err := w.claimed.claim(name, "nhật ký ghi của portal", false, w.show); err != nil {
			root.Close()
			lock.Close()
			cancel()
			return fail(err)
		}
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

// oldPrefix is the name prefix an older portal's rename fallback gave the previous
// generation while it was replaced (Recover still restores or removes such folders).
func oldPrefix(dest string) string { return filepath.Base(dest) + ".old-" }

// Dir returns the staging folder of this generation. Other builders (the
// search index) may create files in it; use Reserve to claim a subfolder so
// that no page is queued into it. Every file under it is renamed over the same
// path of the output at Commit, unless it is the very file already there (a
// hard link to it).
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
	if kept, err := w.keepListed(j); kept || err != nil { // kept in place, unread (keep.go)
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
	gz := ""
	if w.opts.Precompress && precompressible(clean) {
		// The sibling may not be written (a small file), but no other file may take
		// its name: the server would send it as this file's compressed form.
		gz = clean + GzipSuffix
		if err := w.claimed.claimSibling(gz, j.Source, w.show); err != nil {
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
	defer ws.data.parent.release()
	for j := range w.jobs {
		if w.ctx.Err() != nil {
			continue
		}
		if err := w.write(j, &ws); err != nil {
			w.mu.Lock()
			w.errs = append(w.errs, fileError{rel: j.Rel, err: err})
			w.mu.Unlock()
		}
		j.Buffers.Put(j.Data) // written (or failed): the bytes are not read again
	}
}

// worker is the state one worker goroutine reuses from file to file.
type worker struct {
	buf  *bufio.Writer // for minified output; nil when the Writer does not minify
	gz   compressor
	data dataBuffers // for files whose bytes are in memory (writedata.go)
}

// write creates one file in the staging folder, and its .gz sibling (a file kept in
// place needs neither, nor its folder in the staging folder).
func (w *Writer) write(j File, ws *worker) error {
	switch j.Kind {
	case Existing:
		return w.link(j, ws)
	case Kept:
		return w.keep(j, ws)
	}
	if !j.fromFile() { // its folder is made by openPageFolder
		written, before, err := w.writeData(j, &ws.data)
		if err != nil {
			return err
		}
		w.files.Add(1)
		w.bytes.Add(written)
		w.bytesBefore.Add(before)
		return nil
	}
	if err := w.stagingDir(j.Rel, j.Source); err != nil {
		return err
	}
	written, before, err := w.create(j, ws.buf)
	if err != nil {
		return err
	}
	w.files.Add(1)
	w.bytes.Add(written)
	w.bytesBefore.Add(before)
	return w.precompress(j.Rel, j.Source, w.staged(j.Rel), written, &ws.gz)
}

// step reports a named point of Commit to the observer given by WithStep.
func (w *Writer) step(name string) {
	if f, ok := w.parent.Value(stepKey{}).(func(string)); ok {
		f(name)
	}
}

// stagingDir makes the folder of rel in the staging folder, once.
func (w *Writer) stagingDir(rel, source string) error {
	return w.stagingFolder(path.Dir(rel), source)
}

// stagingFolder makes the folder dir (slash path) in the staging folder, once.
func (w *Writer) stagingFolder(dir, source string) error {
	if dir == "." {
		return nil
	}
	if _, ok := w.madeDirs.Load(dir); ok {
		return nil
	}
	if err := w.root.MkdirAll(filepath.FromSlash(dir), 0o755); err != nil {
		return message.Errorf("không tạo được thư mục %s cho %s: %w", w.show(dir), source, err)
	}
	w.madeDirs.Store(dir, struct{}{})
	return nil
}

// staged is the path of rel in the staging folder (rel was checked by enqueue).
func (w *Writer) staged(rel string) string { return filepath.Join(w.tmp, filepath.FromSlash(rel)) }

// current is the path of rel in the current output.
func (w *Writer) current(rel string) string { return filepath.Join(w.dest, filepath.FromSlash(rel)) }

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

// link writes an Existing file: nothing when it is the file of the current output at
// its own path (kept in place), else a hard link to j.SrcPath in the staging folder, or
// a plain copy (create's own copy, never minified) with the source's modification time,
// as a link would have it. Its .gz sibling comes along (reuseSibling).
func (w *Writer) link(j File, ws *worker) error {
	fi, err := os.Lstat(j.SrcPath)
	if err != nil {
		return message.Errorf("không dùng lại được %s cho %s: %w", j.SrcPath, w.show(j.Rel), err)
	}
	if !fi.Mode().IsRegular() {
		return message.Errorf("không dùng lại được %s cho %s: đó không phải tệp thường", j.SrcPath, w.show(j.Rel))
	}
	if filepath.Clean(j.SrcPath) == w.current(j.Rel) {
		if w.opts.Durable {
			if err := syncFile(j.SrcPath); err != nil {
				return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(j.Rel), err)
			}
		}
		w.kept.Store(j.Rel)
		w.files.Add(1)
		w.bytes.Add(fi.Size())
		w.bytesBefore.Add(fi.Size())
		return w.reuseSibling(j, fi, &ws.gz)
	}
	// rel was checked by enqueue and its folders were created through the root, so the
	// joined path stays inside tmp.
	if err := w.stagingDir(j.Rel, j.Source); err != nil {
		return err
	}
	err = os.Link(j.SrcPath, w.staged(j.Rel))
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
	w.files.Add(1)
	w.bytes.Add(fi.Size())
	w.bytesBefore.Add(fi.Size())
	return w.reuseSibling(j, fi, &ws.gz)
}

// keep records a file of kind Kept (and its sibling) as kept in place. One whose
// sibling the Writer should have but the caller does not vouch for is linked as Existing.
func (w *Writer) keep(j File, ws *worker) error {
	if filepath.Clean(j.SrcPath) != w.current(j.Rel) {
		return message.Errorf("không giữ được %s tại chỗ: %s không phải đường dẫn của chính nó trong thư mục đầu ra", w.show(j.Rel), j.SrcPath)
	}
	gz := w.wantsSibling(j.Rel, j.Size)
	if gz && j.GzSize <= 0 {
		j.Kind = Existing
		return w.link(j, ws)
	}
	if w.opts.Durable {
		if err := syncFile(j.SrcPath); err != nil {
			return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(j.Rel), err)
		}
		if gz {
			if err := syncFile(j.SrcPath + GzipSuffix); err != nil {
				return message.Errorf("không lưu hẳn được %s xuống đĩa: %w", w.show(j.Rel+GzipSuffix), err)
			}
		}
	}
	w.kept.Store(j.Rel)
	w.files.Add(1)
	w.bytes.Add(j.Size)
	w.bytesBefore.Add(j.Size)
	if gz {
		w.kept.Store(j.Rel + GzipSuffix)
		w.precompressed.Add(1)
		w.gzBytes.Add(j.GzSize)
	}
	return nil
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

// Commit waits for every queued file, then updates the destination in place
// (inplace.go): under the destination's lock it finishes the journal of a
// build killed earlier, lists the renames and deletions that make the
// destination the new generation, journals them (the point of no return),
// renames the changed files over their final names (manifests last), deletes
// the stale files and removes the staging folder. A top-level ".gitkeep" of
// the previous generation is kept unless one was added.
//
// If any file failed, or ctx was cancelled, Commit removes the staging
// folder, leaves the destination untouched and returns the error(s)
// (ctx.Err() for cancellation). An error after the journal was written (a
// rename refused) leaves the journal for the next Begin or Recover to finish.
func (w *Writer) Commit() (Stats, error) {
	return w.CommitWith(func(apply func() error) error { return apply() })
}

// CommitWith is Commit with the moment the output changes handed to swap: swap calls
// apply, which renames the new files into place and deletes the stale ones (or renames
// the staging folder to a new output), and returns its error; what readers must see
// change together with the output (`portal serve --watch`: its server's gate, the search
// index's reload) goes around that call. The plan and the durable journal are made
// before swap, and the output is fsynced and the journal and staging folder removed
// after it, so that swap holds readers off for the renames only. A swap that does not
// call apply fails the commit (the journal stays: the next Begin, Commit or Recover
// finishes it).
func (w *Writer) CommitWith(swap func(apply func() error) error) (Stats, error) {
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
	stats, err := w.finish(swap)
	if err != nil {
		w.discard()
		return Stats{}, err
	}
	return stats, nil
}

// journal writes p's journal into the staging folder: the point of no return. Once it is
// on disk, the new generation is what the output becomes, now or at the next recovery, so
// the Writer counts as committed (Abort no longer removes the staging folder).
func (w *Writer) journal(p plan) error {
	if err := writeJournal(w.tmp, p.journal); err != nil {
		return message.Errorf("không ghi được nhật ký của lần dựng vào %s: %w; thư mục đầu ra cũ vẫn nguyên vẹn", w.tmp, err)
	}
	w.mu.Lock()
	w.state = stateCommitted
	w.mu.Unlock()
	w.cancel()
	w.step("journaled")
	return nil
}

// finish does the part of Commit after the workers stopped, swap as CommitWith's.
func (w *Writer) finish(swap func(apply func() error) error) (Stats, error) {
	if err := w.ctx.Err(); err != nil {
		return Stats{}, w.stopErr()
	}
	if err := w.fileErrors(); err != nil {
		return Stats{}, err
	}
	if err := w.checkKept(); err != nil {
		return Stats{}, err
	}
	if err := w.countGitkeep(); err != nil {
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
	// The lock is on dest's parent folder (which exists; dest may not yet, and a build
	// that stops before its journal must not create it): commits and recoveries of
	// outputs in one folder take turns.
	lock, err := waitLockDir(filepath.Dir(w.dest))
	if err != nil {
		return Stats{}, message.Errorf("không khoá được thư mục đầu ra %s: %w", w.dest, err)
	}
	defer lock.Close()
	// A build killed while it applied its journal: finish it first, so that this plan
	// is made against a whole site.
	if err := recoverIn(w.dest, func() error { return nil }); err != nil {
		return Stats{}, err
	}
	if w.prev != nil {
		// Unless no other build or recovery made or removed its staging folder since the
		// listing's commit, the listing's folders are checked (listing.go).
		t, ok := parentTime(w.dest)
		same := !w.prevParent.IsZero() && ok && t.Equal(w.prevParent)
		if !same && !w.prev.verify(w.dest, w.opts.margin(), w.step) {
			w.prev = nil
		}
		w.untouched = same
	}
	p, err := w.makePlan()
	if err != nil {
		return Stats{}, err
	}
	w.step("planned")
	if err := w.ctx.Err(); err != nil {
		return Stats{}, w.stopErr()
	}

	w.root.Close()
	whole := w.renameWhole(p) // a new output folder: one rename (fresh.go)
	journaled := false
	if !whole {
		if err := w.journal(p); err != nil {
			return Stats{}, err
		}
		journaled = true
	}
	var touched map[string]bool // the folders the journal's renames and deletions changed
	applied := false
	err = swap(func() error {
		if applied {
			return errors.New("publish: apply called twice")
		}
		applied = true
		if whole {
			var err error
			if whole, err = w.commitWhole(); err != nil || whole {
				return err
			}
			// The rename was refused: commit file by file, under a journal.
			if err := w.journal(p); err != nil {
				return err
			}
			journaled = true
		}
		var err error
		touched, err = apply(w.dest, w.tmp, p.journal, w.step)
		return err
	})
	if err == nil && !applied {
		err = errors.New("publish: CommitWith's swap did not apply the generation")
	}
	if !whole && err == nil {
		err = syncApplied(w.dest, touched, w.opts.Durable)
	}
	if err != nil {
		w.lock.Close()
		switch {
		case whole:
			return Stats{}, message.Errorf("không lưu hẳn được bản dựng mới xuống đĩa: %w", err)
		case !journaled:
			return Stats{}, err // the journal's own message: the old output is whole
		}
		return Stats{}, message.Errorf("không cập nhật xong thư mục đầu ra %s: %w; nhật ký %s được giữ lại, lần dựng sau (hoặc portal serve khi khởi động) sẽ hoàn tất nó", w.dest, err, filepath.Join(w.tmp, journalName))
	}
	if !whole {
		// The renames are done: without the journal, the staging folder holds only folders
		// (and the journal's bytes), and a failure to remove it leaves a folder that the
		// next Recover removes.
		w.step("applied")
		_ = os.Remove(filepath.Join(w.tmp, journalName))
		_ = os.RemoveAll(w.tmp)
	}
	w.lock.Close()
	st := Stats{
		Files:              int(w.files.Load()),
		Bytes:              w.bytes.Load(),
		BytesBeforeMinify:  w.bytesBefore.Load(),
		Minified:           int(w.minified.Load()),
		Precompressed:      int(w.precompressed.Load()),
		PrecompressedBytes: w.gzBytes.Load(),
		Duration:           time.Since(w.started),
	}
	if w.opts.Changes {
		st.Changes = p.changes
	}
	st.Listing, st.Listed = p.listing(w.dest, touched), w.prev != nil && w.untouched
	if st.Listing != nil {
		w.mu.Lock()
		st.Listing.keptUnread = len(w.listedKept) + w.lastFiles
		w.mu.Unlock()
		w.carryInto(st.Listing)
	}
	return st, nil
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

// countGitkeep counts the previous generation's top-level .gitkeep (the repository
// tracks public/.gitkeep), which the generation keeps unless it has one.
func (w *Writer) countGitkeep() error {
	w.mu.Lock()
	_, added := w.claimed.files[gitkeep]
	_, kept := w.keptSource(gitkeep)
	w.mu.Unlock()
	added = added || kept
	if added {
		return nil
	}
	if _, err := w.root.Lstat(gitkeep); err == nil {
		return nil // written by another builder through Dir()
	}
	fi, err := os.Lstat(w.current(gitkeep))
	if err != nil || !fi.Mode().IsRegular() {
		return nil // no placeholder to keep
	}
	w.files.Add(1)
	w.bytes.Add(fi.Size())
	w.bytesBefore.Add(fi.Size())
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
// staging folder. It is a no-op after a successful Commit and safe to call
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

// discard removes the staging folder after a failed Commit, unless its journal was
// written (the state is then stateCommitted: the journal and its bytes stay for the
// next recovery).
func (w *Writer) discard() {
	w.mu.Lock()
	if w.state == stateCommitted {
		w.mu.Unlock()
		return
	}
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
	// A listing given to this Writer still lists the output, which it did not change:
	// it is kept usable across the removal of the staging folder, unless something else
	// changed the parent folder meanwhile.
	unchanged := false
	if w.prev != nil && !w.prevParent.IsZero() {
		t, ok := parentTime(w.dest)
		unchanged = ok && t.Equal(w.prevParent)
	}
	_ = os.RemoveAll(w.tmp)
	if t, ok := parentTime(w.dest); ok && unchanged {
		w.prev.parent = t
	}
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
