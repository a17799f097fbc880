package binrec

import (
	"errors"
	"testing"
)

// What a Writer wrote reads back, value by value, and a string read is a part of S.
func TestRoundTrip(t *testing.T) {
	var w Writer
	w.Uint(1 << 40)
	w.Int(-12345)
	w.Str("Thứ Ba, 29/05/2007")
	w.Bool(true)
	w.Bool(false)
	w.Byte(7)
	r := Reader{S: string(w.Buf)}
	if u, i, s, b1, b2, c := r.Uint(), r.Int(), r.Str(), r.Bool(), r.Bool(), r.Byte(); u != 1<<40 || i != -12345 || s != "Thứ Ba, 29/05/2007" || !b1 || b2 || c != 7 {
		t.Errorf("read back %d %d %q %v %v %d", u, i, s, b1, b2, c)
	}
	if r.Err != nil || r.I != len(r.S) {
		t.Errorf("error %v, %d of %d bytes read", r.Err, r.I, len(r.S))
	}
}

// Reading past the end, or a length longer than what is left, is ErrDamaged, and every
// read after it gives a zero value.
func TestDamageSticks(t *testing.T) {
	var w Writer
	w.Str("dài")
	for _, s := range []string{string(w.Buf[:len(w.Buf)-1]), "\x80", string([]byte{200, 1})} {
		r := Reader{S: s}
		_ = r.Str()
		if !errors.Is(r.Err, ErrDamaged) {
			t.Errorf("%q: error %v, want ErrDamaged", s, r.Err)
		}
		if r.Uint() != 0 || r.Str() != "" || r.Bool() || r.I != len(r.S) {
			t.Errorf("%q: reads after the error give values", s)
		}
	}
}
