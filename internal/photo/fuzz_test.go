package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"image/gif"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
)

// FuzzProcess feeds arbitrary bytes, under each image extension, through the entry
// point the build uses (Inspect, then Process of the plan's JPEG or PNG variants): an
// error is fine; a panic, a hang or a variant other than planned is not.
func FuzzProcess(f *testing.F) {
	jpg := encodeJPEG(f, marked(40, 30))
	f.Add(jpg, uint8(0))
	f.Add(withExif(f, jpg, 6, binary.LittleEndian), uint8(0))
	f.Add(encodePNG(f, marked(20, 10)), uint8(1))
	var g bytes.Buffer
	_ = gif.Encode(&g, marked(12, 12), nil)
	f.Add(g.Bytes(), uint8(2))
	f.Add(pngHeader(50000, 50000), uint8(1))
	f.Add([]byte("RIFF\x10\x00\x00\x00WEBPVP8 "), uint8(3))
	f.Add(corpus.WithICC(jpg, displayP3()), uint8(0)) // a colour profile to parse and apply
	f.Add([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), uint8(0))
	names := []string{"a.jpg", "a.png", "a.gif", "a.webp", "a.bin"}
	s := Settings{Widths: []int{16, 64}, JPEGQuality: 70, WebPQuality: 60, MaxPixels: 1 << 18, MaxBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte, ext uint8) {
		name := names[int(ext)%len(names)]
		info, err := Inspect(name, data, s)
		if err != nil {
			return
		}
		if int64(info.Width)*int64(info.Height) > s.MaxPixels {
			t.Fatalf("Inspect accepted %d×%d over the limit", info.Width, info.Height)
		}
		// The fallback variants only: the WASM WebP encoder runs a few times a second,
		// which would leave the decoders (what hostile input reaches) barely fuzzed; the
		// unit tests encode WebP.
		var plan []Spec
		for _, sp := range Plan(info, s) {
			if sp.Format != WebP {
				plan = append(plan, sp)
			}
		}
		vs, err := Process(context.Background(), name, data, s, plan)
		if err != nil {
			return
		}
		for i, v := range vs {
			if v.Spec != plan[i] || len(v.Data) == 0 {
				t.Fatalf("variant %d is %+v (%d bytes), want %+v", i, v.Spec, len(v.Data), plan[i])
			}
		}
	})
}

// FuzzOrientation: the EXIF reader never panics and answers 1–8.
func FuzzOrientation(f *testing.F) {
	jpg := encodeJPEG(f, marked(8, 8))
	f.Add(jpg)
	f.Add(withExif(f, jpg, 8, binary.BigEndian))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := Orientation(data); o < 1 || o > 8 {
			t.Fatalf("Orientation = %d", o)
		}
	})
}
