package importer

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Errors for files the importer cannot use. Convert wraps them with the file name; test
// with errors.Is.
var (
	ErrEmpty   = message.Errorf("tệp rỗng: không có chữ nào")
	ErrBinary  = message.Errorf("không phải tệp văn bản (có byte NUL hoặc ký tự điều khiển): hãy lưu bài từ cổng cũ dưới dạng văn bản thuần (.txt)")
	ErrNoTitle = message.Errorf("không có tiêu đề: dòng đầu tiên của bài phải là tiêu đề")
	ErrNoBody  = message.Errorf("không có nội dung: sau tiêu đề không có đoạn văn nào")
)

// decode turns raw bytes into NFC text with LF line ends and reports how the file was
// encoded, for example "UTF-8 (BOM, NFD, CRLF)" or "Windows-1258".
//
// UTF-16 with a byte order mark is decoded; otherwise valid UTF-8 is UTF-8 and anything
// else is taken to be Windows-1258, the Vietnamese Windows code page, whose tone marks are
// combining characters (so the text is normalized to NFC after decoding).
func decode(raw []byte) (string, string, error) {
	var notes []string
	enc := "UTF-8"
	var text string
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		notes = append(notes, "BOM")
		raw = raw[3:]
		if !utf8.Valid(raw) {
			return "", "", ErrBinary // a UTF-8 BOM followed by something else
		}
		text = string(raw)
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}), bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", ErrBinary
		}
		enc, text = "UTF-16", string(out)
	case utf8.Valid(raw):
		text = string(raw)
	default:
		out, err := charmap.Windows1258.NewDecoder().Bytes(raw)
		if err != nil {
			return "", "", ErrBinary
		}
		enc, text = "Windows-1258", string(out)
	}
	if strings.IndexByte(text, 0) >= 0 || mostlyControl(text) {
		return "", "", ErrBinary
	}
	if strings.Contains(text, "\r\n") {
		notes = append(notes, "CRLF")
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if enc != "Windows-1258" && !vietnamese.IsNFC(text) {
		notes = append(notes, "NFD")
	}
	text = vietnamese.NFC(clean(text))
	if len(notes) > 0 {
		enc += " (" + strings.Join(notes, ", ") + ")"
	}
	return text, enc, nil
}

// mostlyControl reports whether more than 1 in 20 characters are control characters or
// replacement characters, which means the bytes are not text in any encoding we read.
func mostlyControl(s string) bool {
	n, bad := 0, 0
	for _, r := range s {
		n++
		if r == utf8.RuneError || (r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f') {
			bad++
		}
	}
	return bad*20 > n
}

// clean drops the characters that are not text and that YAML refuses: C0 and C1 controls
// other than tab and newline, DEL, U+FEFF, the non-characters U+FFFE/U+FFFF, and
// replacement characters. Nothing else in the text is changed.
func clean(s string) string {
	keep := func(r rune) bool {
		switch {
		case r == '\t' || r == '\n':
			return true
		case r < 0x20, r >= 0x7F && r <= 0x9F, r == 0xFEFF, r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError:
			return false
		}
		return true
	}
	for _, r := range s {
		if !keep(r) {
			return strings.Map(func(r rune) rune {
				if keep(r) {
					return r
				}
				return -1
			}, s)
		}
	}
	return s
}
