package pdftext

import (
	"errors"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// Kind says why a document's text could not be read, and so what staff can do.
type Kind int

// The kinds of Error. Damaged to TooLarge are lasting (see Kind.Lasting).
const (
	Damaged    Kind = iota + 1 // broken or truncated beyond repair
	NotPDF                     // not a PDF at all (another format under .pdf)
	Encrypted                  // needs a password to open
	Scanned                    // pages of images, no text layer (a scan)
	NoText                     // neither text nor images: nothing to index
	TooLarge                   // over Limits.MaxBytes
	Stopped                    // over Limits.Timeout, or ctx ended
	Unreadable                 // the bytes could not be read (the io.ReaderAt failed)
	Engine                     // the engine could not start or failed inside
)

// String names k for logs and tests.
func (k Kind) String() string {
	switch k {
	case Damaged:
		return "damaged"
	case NotPDF:
		return "not-pdf"
	case Encrypted:
		return "encrypted"
	case Scanned:
		return "scanned"
	case NoText:
		return "no-text"
	case TooLarge:
		return "too-large"
	case Stopped:
		return "stopped"
	case Unreadable:
		return "unreadable"
	case Engine:
		return "engine"
	}
	return "unknown"
}

// Lasting reports whether the same bytes and limits always give this outcome, so that
// a build may keep it under Key like a text: true for Damaged to TooLarge.
func (k Kind) Lasting() bool { return k >= Damaged && k <= TooLarge }

// Error is why Extract returned no text. Its message is a catalogued Vietnamese format
// (English with message.En) that says what is wrong and what to do; the caller adds
// the attachment's path. A build reports it as a warning, never a failed build.
//
// Its exported fields are all its message needs, so a build can keep a lasting Error
// in its cache (JSON, gob) and print it again without reading the file.
type Error struct {
	Kind    Kind
	Pages   int           `json:",omitempty"` // Scanned, NoText: pages of the document
	Size    int64         `json:",omitempty"` // TooLarge: the file's bytes
	Limit   int64         `json:",omitempty"` // TooLarge: Limits.MaxBytes
	Memory  int64         `json:",omitempty"` // TooLarge for the engine's memory: Options.MaxMemory
	Timeout time.Duration `json:",omitempty"` // Stopped by Limits.Timeout
	Detail  string        `json:",omitempty"` // Damaged, Unreadable, Engine, Stopped by ctx: the cause's words
	cause   error         // Unreadable, Stopped by ctx: for errors.Is
}

// Message is the error's text before it is printed in a language.
func (e *Error) Message() message.Text {
	switch e.Kind {
	case NotPDF:
		return message.New("tệp không phải PDF (không bắt đầu bằng %%PDF-): hãy mở văn bản gốc và xuất lại thành PDF, hoặc đổi đuôi tệp cho đúng loại")
	case Damaged:
		return message.New("tệp PDF bị hỏng hoặc bị cắt cụt (%v): hãy xuất lại hoặc tải lại tệp từ bản gốc rồi đính kèm lại", e.Detail)
	case Encrypted:
		return message.New("tệp PDF được mã hóa, cần mật khẩu để mở nên không đọc được chữ: hãy đính kèm bản không đặt mật khẩu (khi xuất PDF, bỏ chọn đặt mật khẩu mở tệp)")
	case Scanned:
		return message.New("tệp PDF %d trang là ảnh quét, không có lớp chữ nên nội dung không tìm kiếm được: hãy đính kèm bản xuất từ văn bản gốc (Word), hoặc nhận dạng chữ (OCR) cho tệp quét rồi đính kèm lại", e.Pages)
	case NoText:
		return message.New("tệp PDF %d trang không có chữ nào để đưa vào tìm kiếm: hãy kiểm tra lại tệp đính kèm", e.Pages)
	case TooLarge:
		if e.Memory > 0 {
			return message.New("đọc chữ tệp PDF cần hơn %d MB bộ nhớ, quá giới hạn nên nội dung không được đưa vào tìm kiếm: hãy tách tệp thành các phần nhỏ hơn, hoặc xuất lại PDF với ảnh nhẹ hơn", mb(e.Memory))
		}
		return message.New("tệp PDF nặng %d MB, quá giới hạn %d MB để đọc chữ nên nội dung không được đưa vào tìm kiếm: hãy tách tệp thành các phần nhỏ hơn", mb(e.Size), mb(e.Limit))
	case Stopped:
		if e.Timeout > 0 {
			return message.New("đọc chữ tệp PDF quá %v nên đã dừng: tệp quá phức tạp; hãy xuất lại PDF từ văn bản gốc", e.Timeout)
		}
		return message.New("đã dừng đọc chữ tệp PDF: %v", e.Detail)
	case Unreadable:
		return message.New("không đọc được tệp PDF: %v", e.Detail)
	}
	return message.New("bộ đọc PDF (PDFium) gặp lỗi: %v", e.Detail)
}

func (e *Error) Error() string { return e.Message().String() }

// In prints the message in l (message.Localizer).
func (e *Error) In(l message.Lang) string { return e.Message().In(l) }

// Unwrap returns the cause (a ctx error, the reader's error), if any.
func (e *Error) Unwrap() error { return e.cause }

// KindOf returns the Kind of an *Error in err's chain, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func errNotPDF() error             { return &Error{Kind: NotPDF} }
func errDamaged(cause error) error { return &Error{Kind: Damaged, Detail: cause.Error()} }
func errEncrypted() error          { return &Error{Kind: Encrypted} }
func errScanned(pages int) error   { return &Error{Kind: Scanned, Pages: pages} }
func errNoText(pages int) error    { return &Error{Kind: NoText, Pages: pages} }
func errTooLarge(size, limit int64) error {
	return &Error{Kind: TooLarge, Size: size, Limit: limit}
}
func errMemory(limit int64) error      { return &Error{Kind: TooLarge, Memory: limit} }
func errTimeout(d time.Duration) error { return &Error{Kind: Stopped, Timeout: d} }
func errCanceled(cause error) error {
	return &Error{Kind: Stopped, Detail: cause.Error(), cause: cause}
}
func errEngine(cause error) error { return &Error{Kind: Engine, Detail: cause.Error()} }
func errRead(cause error) error {
	return &Error{Kind: Unreadable, Detail: cause.Error(), cause: cause}
}

// mb rounds n bytes up to whole megabytes (1 MB = 2^20 bytes).
func mb(n int64) int64 { return (n + 1<<20 - 1) >> 20 }
