package content

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Every kind of value the front matter parsers give comes back with its Go type, and a
// nil list or map stays nil while an empty one stays empty.
func TestCodecKeepsValueTypes(t *testing.T) {
	when := time.Date(2007, 5, 29, 8, 0, 0, 5, vietnamese.Location())
	in := map[string]any{
		"s": "chuỗi", "b": true, "i": int(-3), "i8": int8(-8), "i16": int16(16), "i32": int32(-32), "i64": int64(1 << 40),
		"u": uint(3), "u8": uint8(8), "u16": uint16(16), "u32": uint32(32), "u64": uint64(1 << 63),
		"f32": float32(1.5), "f64": 3.25, "t": when, "nil": nil,
		"list": []any{1, "hai", []any{}}, "nillist": []any(nil), "map": map[string]any{"k": int64(2)}, "nilmap": map[string]any(nil),
		"empty": map[string]any{},
	}
	var e encoder
	e.value(in)
	d := &decoder{Reader: binrec.Reader{S: string(e.Buf)}, ls: locations{}}
	out := d.value(0)
	if d.Err != nil || d.I != len(e.Buf) {
		t.Fatalf("decode: %v, %d of %d bytes read", d.Err, d.I, len(e.Buf))
	}
	if got, want := fmt.Sprintf("%#v", out), fmt.Sprintf("%#v", in); got != want {
		t.Errorf("values differ after a round trip:\n got %s\nwant %s", got, want)
	}
	if got := out.(map[string]any)["t"].(time.Time); got.String() != when.String() {
		t.Errorf("time %s came back as %s", when, got)
	}
}

// A saved cache with a byte changed or cut short is refused as a whole (the build then
// parses every file), never read as other documents.
func TestDamagedSavedCacheIsRefused(t *testing.T) {
	fsys := fstest.MapFS{
		"content/tin-tuc/a.md": {Data: []byte("---\ntitle: \"Bài A\"\ndate: 2007-05-29\ntags: [\"x\"]\n---\nThân bài A.\n"), ModTime: time.Unix(1, 0)},
		"content/tin-tuc/b.md": {Data: []byte("---\ntitle: \"Bài B\"\ndate: 2007-05-30\n---\nThân bài B.\n"), ModTime: time.Unix(1, 0)},
	}
	c := NewCache()
	if _, ds := LoadCached(context.Background(), fsys, Schema{}, c, nil, nil); ds.HasErrors() {
		t.Fatal(ds.Items())
	}
	var buf bytes.Buffer
	if err := c.Save(&buf); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	if _, err := LoadCache(bytes.NewReader(good)); err != nil {
		t.Fatalf("the saved cache itself: %v", err)
	}
	for i := range good {
		bad := bytes.Clone(good)
		bad[i] ^= 0x20
		if _, err := LoadCache(bytes.NewReader(bad)); err == nil {
			t.Fatalf("byte %d of %d changed: read without an error", i, len(good))
		}
	}
	for _, n := range []int{0, 3, len(good) / 2, len(good) - 1} {
		if _, err := LoadCache(bytes.NewReader(good[:n])); err == nil {
			t.Errorf("cut to %d of %d bytes: read without an error", n, len(good))
		}
	}
}

// A document's key lines come back from the cache packed exactly as they went in, and
// pairs out of key order (which the encoder never writes) mark the record damaged
// rather than being read as other lines.
func TestCodecKeyLinesComeBackPacked(t *testing.T) {
	roundTrip := func(k KeyLines) (KeyLines, error) {
		var e encoder
		e.entry("tin-tuc/a.md", cacheEntry{doc: &Document{Path: "tin-tuc/a.md", KeyLines: k}})
		d := &decoder{Reader: binrec.Reader{S: string(e.Buf)}, ls: locations{}}
		_, c := d.entry()
		if d.Err != nil {
			return KeyLines{}, d.Err
		}
		return c.doc.KeyLines, nil
	}
	want := NewKeyLines(map[string]int{"title": 2, "date": 3, "provinces": 4, "tóm-tắt": 70000})
	if got, err := roundTrip(want); err != nil || got != want {
		t.Errorf("round trip: %v, %v; want %v", got, err, want)
	}
	if got, err := roundTrip(KeyLines{}); err != nil || got != (KeyLines{}) {
		t.Errorf("no keys: %v, %v", got, err)
	}
	unsorted := KeyLines{string(appendKeyLine(appendKeyLine(nil, "title", 2), "date", 3))}
	if got, err := roundTrip(unsorted); err != binrec.ErrDamaged {
		t.Errorf("pairs out of order read as %v, %v; want binrec.ErrDamaged", got, err)
	}
}
