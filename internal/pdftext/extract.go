package pdftext

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	pdfium "github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/enums"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// Options configure an Extractor.
type Options struct {
	// Workers is how many documents are read at once; 0 means runtime.GOMAXPROCS(0).
	// Extract blocks while all are busy.
	Workers int
	// MaxMemory bounds the WebAssembly memory of one document (the file's bytes are
	// copied into it); 0 means 512 MB (at least 24 MB: the engine starts with 18 MB). A
	// document whose bytes do not fit fails as TooLarge. It is not part of Key: a
	// cache's results assume one setting.
	MaxMemory int64
	// CompilationCache keeps the engine's compiled code between Extractors (and, made
	// with wazero.NewCompilationCacheWithDir, between runs: a folder the caller owns,
	// such as the build's cache folder). Nil compiles in memory each time New is
	// called: about 20 s of CPU on a busy 2-core machine, 0.4 s from a warm folder
	// (BENCHMARKS.md).
	CompilationCache wazero.CompilationCache
	// StopBetweenPages checks the time limit and ctx only between pages instead of
	// inside the engine's code: about 4 times as fast (BENCHMARKS.md), but a page that
	// never ends holds its worker until the process exits, and Extract waits for it.
	// The default stops the engine wherever it is.
	StopBetweenPages bool
}

// Extractor reads the text of PDF files. It is safe for concurrent use; Close it when
// done.
type Extractor struct {
	pool      pdfium.Pool
	cancel    context.CancelFunc
	interrupt bool  // the engine's code stops when a document's ctx ends
	maxMemory int64 // Options.MaxMemory, for the message
}

// New compiles the engine. ctx bounds nothing after New returns: each Extract takes its
// own.
func New(ctx context.Context, opt Options) (ex *Extractor, err error) {
	defer func() {
		if p := recover(); p != nil {
			ex, err = nil, errEngine(fmt.Errorf("%v", p))
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, errCanceled(err)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	maxMemory := opt.MaxMemory
	if maxMemory <= 0 {
		maxMemory = 512 << 20
	}
	rc := wazero.NewRuntimeConfig().
		// The module lowers setjmp/longjmp to exception handling instructions.
		WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
		// A document's time limit stops the code running for it (Instance.Kill); the
		// checks this compiles into the engine's loops cost about 3/4 of its speed:
		// each loop turn leaves the machine code for Go to look whether the module
		// was closed (wazero cannot pre-empt machine code otherwise), 4.4x the CPU of
		// StopBetweenPages on 2-3-page documents. StopBetweenPages cannot be the
		// default in a process that must not hang: a page that never ends would also
		// hold the garbage collector's stop-the-world. BENCHMARKS.md ("20,000
		// documents, each with its own PDF").
		WithCloseOnContextDone(!opt.StopBetweenPages).
		WithMemoryLimitPages(uint32(min(maxMemory>>16, 65536)))
	if opt.CompilationCache != nil {
		rc = rc.WithCompilationCache(opt.CompilationCache)
	}
	poolCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	pool, err := webassembly.Init(webassembly.Config{
		Context:       poolCtx,
		MinIdle:       0,
		MaxIdle:       workers,
		MaxTotal:      workers,
		RuntimeConfig: rc,
		// No folder of the machine is visible to the engine (the default mounts /).
		FSConfig: wazero.NewFSConfig(),
		Stdout:   io.Discard,
		Stderr:   io.Discard,
		// An instance is used again after a document read without error (making one
		// costs about 45 ms); one that saw an error or was stopped is thrown away, so
		// nothing a hostile file did stays for the next.
		ReuseWorkers: true,
	})
	if err != nil {
		cancel()
		return nil, errEngine(err)
	}
	return &Extractor{pool: pool, cancel: cancel, interrupt: !opt.StopBetweenPages, maxMemory: maxMemory}, nil
}

// Close releases the engine.
func (e *Extractor) Close() error {
	err := e.pool.Close()
	e.cancel()
	return err
}

// Extract reads the text layer of the PDF file r of size bytes within lim. The error
// is always an *Error (see Kind); Text is zero when it is not nil.
func (e *Extractor) Extract(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (t Text, err error) {
	defer func() {
		if p := recover(); p != nil {
			t, err = Text{}, errEngine(fmt.Errorf("%v", p))
		}
	}()
	if err := ctx.Err(); err != nil {
		return Text{}, errCanceled(err)
	}
	if size < 0 || (lim.MaxBytes > 0 && size > lim.MaxBytes) {
		return Text{}, errTooLarge(size, lim.MaxBytes)
	}
	data := make([]byte, size)
	if n, err := r.ReadAt(data, 0); n < len(data) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return Text{}, errRead(err)
	}
	if !hasHeader(data) {
		return Text{}, errNotPDF()
	}

	parent := ctx
	if lim.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.Timeout)
		defer cancel()
	}
	stopped := func() error {
		if err := parent.Err(); err != nil {
			return errCanceled(err)
		}
		return errTimeout(lim.Timeout)
	}
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return Text{}, stopped()
		}
		return Text{}, errEngine(err)
	}
	// After a clean read the instance goes back to the pool; after an error it is
	// thrown away. When ctx ends, the code running for this document is stopped
	// (interrupt) and the instance thrown away at once; otherwise read stops at the
	// next page.
	clean := false
	release := func() {
		if clean {
			_ = inst.Close()
		} else {
			_ = inst.Kill()
		}
	}
	if e.interrupt {
		kill := context.AfterFunc(ctx, func() { _ = inst.Kill() })
		defer func() {
			if kill() {
				release()
			}
		}()
	} else {
		defer release()
	}
	t, err = read(ctx, inst, data, lim)
	if ctx.Err() != nil {
		return Text{}, stopped()
	}
	if KindOf(err) == Damaged && strings.Contains(err.(*Error).Detail, "could not allocate memory") {
		err = errMemory(e.maxMemory) // go-pdfium's words when the file does not fit
	}
	clean = err == nil
	return t, err
}

// hasHeader reports whether data starts with "%PDF-" within its first 1,024 bytes (where
// readers accept it).
func hasHeader(data []byte) bool {
	return bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-"))
}

// read opens data in inst and collects the text of its pages within lim.
func read(ctx context.Context, inst pdfium.Pdfium, data []byte, lim Limits) (Text, error) {
	doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	if err != nil {
		if errors.Is(err, pdfiumerrors.ErrPassword) || errors.Is(err, pdfiumerrors.ErrSecurity) {
			return Text{}, errEncrypted()
		}
		return Text{}, errDamaged(err)
	}
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document})
	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc.Document})
	if err != nil {
		return Text{}, errDamaged(err)
	}
	t := Text{Pages: count.PageCount}
	n := t.Pages
	if lim.MaxPages > 0 && n > lim.MaxPages {
		n, t.Truncated = lim.MaxPages, true
	}
	var (
		out      strings.Builder
		pictures int   // pages without text that show an image
		pageErr  error // the first page that could not be read
	)
	for i := 0; i < n; i++ {
		if ctx.Err() != nil {
			return Text{}, ctx.Err()
		}
		t.Read++
		s, pictured, err := readPage(inst, doc.Document, i)
		if err != nil && pageErr == nil {
			pageErr = err
		}
		if s == "" {
			t.Blank++
			if pictured {
				pictures++
			}
			continue
		}
		if out.Len() > 0 {
			out.WriteString(PageBreak)
		}
		out.WriteString(s)
		if lim.MaxText > 0 && out.Len() >= lim.MaxText {
			t.Truncated = t.Truncated || out.Len() > lim.MaxText || i+1 < t.Pages
			break
		}
	}
	t.Text = cut(out.String(), lim.MaxText)
	if t.Text == "" {
		switch {
		case pageErr != nil:
			return Text{}, errDamaged(pageErr)
		case pictures > 0:
			return Text{}, errScanned(t.Pages)
		default:
			return Text{}, errNoText(t.Pages)
		}
	}
	return t, nil
}

// readPage returns the cleaned text of page i, and for a page without text whether it
// shows an image (or a form that may hold one): a scanned page.
func readPage(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (string, bool, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return "", false, err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return "", false, err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	chars, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return "", false, err
	}
	s := ""
	if chars.Count > 0 {
		got, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: chars.Count})
		if err != nil {
			return "", false, err
		}
		s = clean(got.Text)
	}
	if s != "" {
		return s, false, nil
	}
	return "", pictured(inst, page.Page), nil
}

// pictured reports whether page shows an image or a form object (which may hold one).
func pictured(inst pdfium.Pdfium, page references.FPDF_PAGE) bool {
	objs, err := inst.FPDFPage_CountObjects(&requests.FPDFPage_CountObjects{Page: requests.Page{ByReference: &page}})
	if err != nil {
		return false
	}
	for j := 0; j < objs.Count; j++ {
		obj, err := inst.FPDFPage_GetObject(&requests.FPDFPage_GetObject{Page: requests.Page{ByReference: &page}, Index: j})
		if err != nil {
			continue
		}
		typ, err := inst.FPDFPageObj_GetType(&requests.FPDFPageObj_GetType{PageObject: obj.PageObject})
		if err == nil && (typ.Type == enums.FPDF_PAGEOBJ_IMAGE || typ.Type == enums.FPDF_PAGEOBJ_FORM) {
			return true
		}
	}
	return false
}
