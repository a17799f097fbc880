package pdftext

import (
	"errors"

	"github.com/vnportal/portal/internal/message"
)

// Kind says why a document's text could not be read, and so what staff can do.
type Kind int

// The kinds of Error.
const (
	Damaged   Kind = iota + 1 // not a PDF, broken or truncated
	Encrypted                 // needs a password to open
	Scanned                   // pages of images, no text layer (a scan)
	NoText                    // neither text nor images: nothing to index
	TooLarge                  // over Limits.MaxBytes
	Stopped                   // over Limits.Timeout, or ctx ended
	Engine                    // the engine could not start or failed inside
)

var kindNames = [...]string{"", "damaged", "encrypted", "scanned", "no-text", "too-large", "stopped", "engine"}

func (k Kind) String() string {
	if k > 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// Lasting reports whether the same bytes and limits always give this outcome, so that
// a build may keep it under Key like a text: true for everything but Stopped and Engine.
func (k Kind) Lasting() bool { return k >= Damaged && k <= TooLarge }

// Error is why Extract returned no text. Its message is a catalogued Vietnamese format
// (English with message.En) that says what is wrong and what to do; the caller adds
// the attachment's path. A build reports it as a warning, never a failed build.
type Error struct {
	Kind Kind
	err  error // a message.Errorf
}

func (e *Error) Error() string { return e.err.Error() }

// In prints the message in l (message.Localizer).
func (e *Error) In(l message.Lang) string { return l.Error(e.err) }

// Unwrap returns the catalogued message, which unwraps to its causes.
func (e *Error) Unwrap() error { return e.err }

// KindOf returns the Kind of an *Error in err's chain, or 0.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return 0
}

func fail(k Kind, err error) error { return &Error{Kind: k, err: err} }

func errNotPDF() error {
	return fail(Damaged, message.Errorf("tệp không phải PDF (không bắt đầu bằng %%PDF-): hãy mở văn bản gốc và xuất lại thành PDF, hoặc đổi đuôi tệp cho đúng loại"))
}

func errDamaged(cause error) error {
	return fail(Damaged, message.Errorf("tệp PDF bị hỏng hoặc bị cắt cụt (%v): hãy xuất lại hoặc tải lại tệp từ bản gốc rồi đính kèm lại", cause))
}

func errEncrypted() error {
	return fail(Encrypted, message.Errorf("tệp PDF được mã hóa, cần mật khẩu để mở nên không đọc được chữ: hãy đính kèm bản không đặt mật khẩu (khi xuất PDF, bỏ chọn đặt mật khẩu mở tệp)"))
}

func errScanned(pages int) error {
	return fail(Scanned, message.Errorf("tệp PDF %d trang là ảnh quét, không có lớp chữ nên nội dung không tìm kiếm được: hãy đính kèm bản xuất từ văn bản gốc (Word), hoặc nhận dạng chữ (OCR) cho tệp quét rồi đính kèm lại", pages))
}

func errNoText(pages int) error {
	return fail(NoText, message.Errorf("tệp PDF %d trang không có chữ nào để đưa vào tìm kiếm: hãy kiểm tra lại tệp đính kèm", pages))
}

func errTooLarge(size, limit int64) error {
	return fail(TooLarge, message.Errorf("tệp PDF nặng %d MB, quá giới hạn %d MB để đọc chữ nên nội dung không được đưa vào tìm kiếm: hãy tách tệp thành các phần nhỏ hơn", mb(size), mb(limit)))
}

func errTimeout(d any) error {
	return fail(Stopped, message.Errorf("đọc chữ tệp PDF quá %v nên đã dừng: tệp quá phức tạp; hãy xuất lại PDF từ văn bản gốc", d))
}

func errCanceled(cause error) error {
	return fail(Stopped, message.Errorf("đã dừng đọc chữ tệp PDF: %v", cause))
}

func errEngine(cause error) error {
	return fail(Engine, message.Errorf("bộ đọc PDF (PDFium) gặp lỗi: %v", cause))
}

func errRead(cause error) error {
	return fail(Engine, message.Errorf("không đọc được tệp PDF: %v", cause))
}

// mb rounds n bytes up to whole megabytes (1 MB = 2^20 bytes).
func mb(n int64) int64 { return (n + 1<<20 - 1) >> 20 }
