// Package pdftext reads the text layer of a PDF attachment so that the search index can
// hold it: a legal document's PDF becomes NFC text with word spaces and line breaks in
// reading order, good enough to find the document by the words it contains.
//
// # Engine
//
// The text is read by PDFium (the PDF engine of Chromium) compiled to WebAssembly and
// run by wazero (github.com/klippa-app/go-pdfium, webassembly mode): no cgo, no shared
// library, the same bytes out on every machine, like the WebP encoder of internal/photo.
// BENCHMARKS.md ("PDF text extraction") compares it with the pure-Go readers
// (github.com/ledongthuc/pdf, rsc.io/pdf) on PDFs of several producers: those lose the
// Vietnamese text of PDFs with 2-byte CID fonts, cannot open AES-256 or RC4 files that
// open without a password, and take minutes and gigabytes on a 2,000-page file.
//
// # Shape
//
// An Extractor holds the compiled engine (compiling it takes seconds: make one per build,
// and pass Options.CompilationCache to keep the compiled code between runs) and reads
// documents in parallel, each in a fresh WebAssembly instance with bounded memory, so a
// hostile file cannot affect the next one. Extract writes no file: bytes in, Text out.
// Every input is bounded (Limits: bytes, pages, text, time; Options.MaxMemory), a panic is
// recovered into an error, and every error is an *Error whose Kind says what staff can do
// and whose message is a Vietnamese catalogue format (internal/message) with English.
//
// # Caching
//
// Extraction is slow compared with Markdown, so a build keeps its results keyed by the
// attachment's content: Key(sha256 of the bytes, limits) mixes in Version (the engine,
// its version and the clean-up rules) and the limits that change the output, so a
// changed setting or engine can never serve a stale text. A result is worth keeping when
// err is nil or KindOf(err).Lasting(): the same bytes give the same outcome (damaged,
// not a PDF, encrypted, scanned, no text, too large). Keep the Text, or the *Error
// itself: its exported fields are all its message needs (JSON or gob), so a warm build
// warns again without reading the file. A Stopped, Unreadable or Engine error depends on
// the machine or the moment and is not kept.
package pdftext

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// Version names everything that decides the text Extract returns for given bytes: the
// engine and its version, and this package's clean-up rules. Change it when any of them
// changes; Key mixes it into every cache key.
const Version = "pdftext-1|go-pdfium-1.21.5-wasm|nfc|ws-collapse|page-ff"

// PageBreak separates the text of two pages in Text.Text.
const PageBreak = "\n\f\n"

// Limits bound what one document may cost.
type Limits struct {
	MaxBytes int64         // a larger file is refused (TooLarge) before it is read
	MaxPages int           // pages after the first MaxPages are not read (Text.Truncated)
	MaxText  int           // bytes of text kept; the rest is cut at a rune boundary (Text.Truncated)
	Timeout  time.Duration // reading one document longer stops it (Stopped); 0: no limit but ctx
}

// DefaultLimits suit a provincial portal's attachments: official documents rarely pass a
// few hundred pages or 20 MB; 1 MB of text is a 400-page decree.
func DefaultLimits() Limits {
	return Limits{MaxBytes: 50 << 20, MaxPages: 1000, MaxText: 1 << 20, Timeout: 60 * time.Second}
}

// Text is what a document's text layer holds.
type Text struct {
	Text      string // NFC, pages separated by PageBreak, lines by "\n", words by one space
	Pages     int    // pages in the document
	Read      int    // pages read (at most Limits.MaxPages)
	Blank     int    // pages read that hold no text (scanned pages in a mixed document)
	Truncated bool   // pages or text were cut by the limits
}

// Key is the cache key of the text of a file whose SHA-256 is sum, read with lim: it
// changes with Version and with every limit that can change the output (not with the
// timeout: a document that finishes within it gives the same text, and a Stopped
// result is never kept).
func Key(sum [sha256.Size]byte, lim Limits) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%d\x00%d\x00%d\x00", Version, lim.MaxBytes, lim.MaxPages, lim.MaxText)
	h.Write(sum[:])
	return hex.EncodeToString(h.Sum(nil))
}
