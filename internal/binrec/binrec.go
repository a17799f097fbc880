// Package binrec writes and reads the records of portal's own cache files (the saved
// documents, the title rule's findings): unsigned and zig-zag varints, length-prefixed
// strings and single bytes appended to a slice, read back from one string whose parts
// become the strings read (no copy, nothing for the collector to scan). A Reader's first
// error sticks and later reads give zero values, so a damaged file costs one check at its
// end instead of one per field.
package binrec

import (
	"encoding/binary"

	"github.com/vnportal/portal/internal/message"
)

// ErrDamaged is a Reader's error for bytes that are not whole records.
var ErrDamaged = message.Errorf("một bản ghi bị thiếu byte hoặc có giá trị ngoài khoảng cho phép")

// Writer appends values to Buf.
type Writer struct{ Buf []byte }

// Uint appends u as an unsigned varint.
func (w *Writer) Uint(u uint64) { w.Buf = binary.AppendUvarint(w.Buf, u) }

// Int appends i as a zig-zag varint.
func (w *Writer) Int(i int64) { w.Buf = binary.AppendVarint(w.Buf, i) }

// Str appends s after its length.
func (w *Writer) Str(s string) {
	w.Uint(uint64(len(s)))
	w.Buf = append(w.Buf, s...)
}

// Byte appends c.
func (w *Writer) Byte(c byte) { w.Buf = append(w.Buf, c) }

// Bool appends b as one byte, 1 or 0.
func (w *Writer) Bool(b bool) {
	if b {
		w.Byte(1)
	} else {
		w.Byte(0)
	}
}

// Reader reads what a Writer wrote from S, starting at I.
type Reader struct {
	S   string
	I   int
	Err error // the first error; reads after it give zero values
}

// Fail records ErrDamaged (unless an error is there already) and skips to the end.
func (r *Reader) Fail() {
	if r.Err == nil {
		r.Err = ErrDamaged
	}
	r.I = len(r.S)
}

// Uint reads an unsigned varint.
func (r *Reader) Uint() uint64 {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		if r.I >= len(r.S) || shift > 63 {
			r.Fail()
			return 0
		}
		c := r.S[r.I]
		r.I++
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return u
		}
	}
}

// Int reads a zig-zag varint.
func (r *Reader) Int() int64 {
	u := r.Uint()
	i := int64(u >> 1)
	if u&1 != 0 {
		i = ^i
	}
	return i
}

// Count reads a length, refusing one longer than the bytes left (each element takes at
// least one byte).
func (r *Reader) Count() int {
	n := r.Uint()
	if n > uint64(len(r.S)-r.I) {
		r.Fail()
		return 0
	}
	return int(n)
}

// Str reads a string: a part of S.
func (r *Reader) Str() string {
	n := r.Count()
	s := r.S[r.I : r.I+n]
	r.I += n
	return s
}

// Byte reads one byte.
func (r *Reader) Byte() byte {
	if r.I >= len(r.S) {
		r.Fail()
		return 0
	}
	c := r.S[r.I]
	r.I++
	return c
}

// Bool reads a byte Bool wrote.
func (r *Reader) Bool() bool { return r.Byte() != 0 }
