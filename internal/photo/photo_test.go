package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/message"
	xwebp "golang.org/x/image/webp"
)

var testSettings = Settings{Widths: []int{360, 720, 1080, 1600}, JPEGQuality: 80, WebPQuality: 75, MaxPixels: 50e6, MaxBytes: 25e6}

// gpsSecret is planted in the GPS IFD of test photos; no output may carry it.
const gpsSecret = "21.0285N-105.8542E"

// withExif adds a camera's Exif segment (orientation, GPS holding gpsSecret).
func withExif(t testing.TB, jpg []byte, orientation int, bo binary.ByteOrder) []byte {
	t.Helper()
	return corpus.WithExif(jpg, orientation, gpsSecret, bo == binary.BigEndian)
}

// marked returns a w×h photo-like picture whose top-left quarter is pure red and the
// rest grey-blue, so a rotation can be read back from the output.
func marked(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := color.RGBA{60, 90, uint8(150 + (x+y)%60), 255}
			if x < w/2 && y < h/2 {
				c = color.RGBA{230, 20, 20, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func encodeJPEG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestOrientationReadsExifInBothByteOrders(t *testing.T) {
	jpg := encodeJPEG(t, marked(16, 8))
	if got := Orientation(jpg); got != 1 {
		t.Errorf("no Exif: orientation %d, want 1", got)
	}
	for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		for o := 1; o <= 8; o++ {
			if got := Orientation(withExif(t, jpg, o, bo)); got != o {
				t.Errorf("%v: orientation %d, want %d", bo, got, o)
			}
		}
	}
	if got := Orientation(withExif(t, jpg, 9, binary.LittleEndian)); got != 1 {
		t.Errorf("orientation 9 (invalid) read as %d, want 1", got)
	}
}

// redAt reports whether the pixel at (x, y) of a decoded output is the red marker.
func redAt(m image.Image, x, y int) bool {
	r, g, b, _ := m.At(x, y).RGBA()
	return r>>8 > 180 && g>>8 < 80 && b>>8 < 80
}

func TestProcessTurnsUprightAndStripsMetadata(t *testing.T) {
	// Stored 800×600 with orientation 6: seen as 600×800, the stored top-left (red)
	// quarter at the top right.
	src := withExif(t, encodeJPEG(t, marked(800, 600)), 6, binary.BigEndian)
	if !bytes.Contains(src, []byte(gpsSecret)) {
		t.Fatal("test photo carries no GPS data")
	}
	info, err := Inspect("anh.jpg", src, testSettings)
	if err != nil {
		t.Fatal(err)
	}
	if info.Width != 600 || info.Height != 800 || info.Orientation != 6 || info.Format != JPEG {
		t.Fatalf("Inspect = %+v, want 600×800 JPEG orientation 6", info)
	}
	plan := Plan(info, testSettings)
	want := []Spec{{600, 800, JPEG}, {360, 480, WebP}, {360, 480, JPEG}}
	if !slices.Equal(plan, want) {
		t.Fatalf("Plan = %v, want %v (widths below 600, and the share JPEG at 600)", plan, want)
	}
	vs, err := Process(context.Background(), "anh.jpg", src, testSettings, plan)
	if err != nil {
		t.Fatal(err)
	}
	// Narrow enough to be halved straight from the decoder's YCbCr planes first.
	small := Settings{Widths: []int{150}, JPEGQuality: 80, WebPQuality: 75, MaxPixels: 50e6}
	svs, err := Process(context.Background(), "anh.jpg", src, small, Plan(info, small))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range svs {
		m, err := jpeg.Decode(bytes.NewReader(v.Data))
		if v.Format == WebP {
			m, err = xwebp.Decode(bytes.NewReader(v.Data))
		}
		if err != nil {
			t.Fatal(err)
		}
		w, h := v.Width, v.Height
		if b := m.Bounds(); b.Dx() != w || b.Dy() != h || !redAt(m, w*5/6, h/8) || redAt(m, w/6, h/8) || redAt(m, w*5/6, h*7/8) {
			t.Errorf("%s at %d px (halved from YCbCr): %v, not upright", v.Format, w, m.Bounds())
		}
	}
	for _, v := range vs {
		if bytes.Contains(v.Data, []byte("Exif")) || bytes.Contains(v.Data, []byte(gpsSecret)) || bytes.Contains(v.Data, []byte{0xFF, 0xE1}) {
			t.Errorf("%s variant carries metadata (Exif, APP1 or the GPS text)", v.Format)
		}
		var m image.Image
		switch v.Format {
		case JPEG:
			m, err = jpeg.Decode(bytes.NewReader(v.Data))
		case WebP:
			if !bytes.HasPrefix(v.Data, []byte("RIFF")) || string(v.Data[8:12]) != "WEBP" {
				t.Fatalf("WebP variant is not a WebP file")
			}
			m, err = xwebp.Decode(bytes.NewReader(v.Data))
		}
		if err != nil {
			t.Fatalf("%s: %v", v.Format, err)
		}
		w, h := v.Width, v.Height
		if b := m.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Fatalf("%s is %v, want %d×%d", v.Format, b, w, h)
		}
		if !redAt(m, w*5/6, h/8) || redAt(m, w/6, h/8) || redAt(m, w*5/6, h*5/6) {
			t.Errorf("%s: the red quarter is not at the top right: not turned by orientation 6", v.Format)
		}
		if Orientation(v.Data) != 1 {
			t.Errorf("%s output has an orientation tag", v.Format)
		}
	}
}

func TestEveryOrientationEndsUpright(t *testing.T) {
	// The marker is at the top left as seen; store it as each orientation would.
	seen := marked(40, 20)
	for o := 1; o <= 8; o++ {
		stored := unorient(seen, o)
		got := orient(stored, o)
		if got.Rect != seen.Rect || !bytes.Equal(got.Pix, seen.Pix) {
			t.Errorf("orientation %d: not turned back to the picture as seen", o)
		}
	}
}

// unorient is the inverse of orient, written independently: the stored pixels of a
// picture seen as m.
func unorient(m *image.RGBA, o int) *image.RGBA {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	sw, sh := w, h
	if o >= 5 {
		sw, sh = h, w
	}
	s := image.NewRGBA(image.Rect(0, 0, sw, sh))
	for sy := 0; sy < sh; sy++ {
		for sx := 0; sx < sw; sx++ {
			// Where stored pixel (sx, sy) is seen.
			x, y := map[int][2]int{
				1: {sx, sy}, 2: {sw - 1 - sx, sy}, 3: {sw - 1 - sx, sh - 1 - sy}, 4: {sx, sh - 1 - sy},
				5: {sy, sx}, 6: {sh - 1 - sy, sx}, 7: {sh - 1 - sy, sw - 1 - sx}, 8: {sy, sw - 1 - sx},
			}[o][0], map[int][2]int{
				1: {sx, sy}, 2: {sw - 1 - sx, sy}, 3: {sw - 1 - sx, sh - 1 - sy}, 4: {sx, sh - 1 - sy},
				5: {sy, sx}, 6: {sh - 1 - sy, sx}, 7: {sh - 1 - sy, sw - 1 - sx}, 8: {sy, sw - 1 - sx},
			}[o][1]
			s.SetRGBA(sx, sy, m.RGBAAt(x, y))
		}
	}
	return s
}

func TestPlanNeverUpscales(t *testing.T) {
	for _, c := range []struct {
		w, h  int
		keep  bool
		want  []int // widths with WebP and JPEG
		share int   // the width of the share JPEG
	}{
		{4000, 3000, false, []int{1600, 1080, 720, 360}, 1200},
		{1000, 500, false, []int{720, 360}, 1000},
		{200, 100, false, []int{200}, 200},
		{1000, 500, true, []int{1000, 720, 360}, 1000},
		{360, 100, false, []int{360}, 360},
		{1300, 100, false, []int{1080, 720, 360}, 1200},
	} {
		s := testSettings
		s.KeepOriginal = c.keep
		plan := Plan(Info{Format: JPEG, Width: c.w, Height: c.h}, s)
		var got []int
		jpegs := map[int]bool{}
		for i, sp := range plan {
			if sp.Width > c.w {
				t.Errorf("%d×%d: upscaled to %d", c.w, c.h, sp.Width)
			}
			if i > 0 && sp.Width > plan[i-1].Width {
				t.Errorf("%d×%d: plan %v is not widest first", c.w, c.h, plan)
			}
			if sp.Format == WebP {
				got = append(got, sp.Width)
				if i+1 >= len(plan) || plan[i+1] != (Spec{sp.Width, sp.Height, JPEG}) {
					t.Errorf("%d×%d: the WebP at %d is not followed by its JPEG: %v", c.w, c.h, sp.Width, plan)
				}
			} else {
				jpegs[sp.Width] = true
			}
		}
		if !equalInts(got, c.want) {
			t.Errorf("%d×%d keep=%v: widths %v, want %v", c.w, c.h, c.keep, got, c.want)
		}
		sh, ok := Share(plan)
		if !ok || sh.Width != c.share || sh.Format != JPEG || !jpegs[c.share] {
			t.Errorf("%d×%d: Share = %+v in %v, want the %d JPEG", c.w, c.h, sh, plan, c.share)
		}
		if n := len(plan) - 2*len(c.want); n != 0 && (n != 1 || slices.Contains(c.want, c.share)) {
			t.Errorf("%d×%d: plan %v has %d JPEGs beside the pairs, want only the share one", c.w, c.h, plan, n)
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestGraphicsStayLossless(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := 0; y < 200; y++ {
		for x := 0; x < 300; x++ {
			m.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), uint8(x ^ y), 255})
		}
	}
	src := encodePNG(t, m)
	info, err := Inspect("bieu-do.png", src, testSettings)
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan(info, testSettings)
	if len(plan) != 2 || plan[0] != (Spec{300, 200, WebP}) || plan[1] != (Spec{300, 200, PNG}) {
		t.Fatalf("Plan = %v, want WebP and PNG at 300×200", plan)
	}
	vs, err := Process(context.Background(), "bieu-do.png", src, testSettings, plan)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		var got image.Image
		if v.Format == PNG {
			got, err = png.Decode(bytes.NewReader(v.Data))
		} else {
			got, err = xwebp.Decode(bytes.NewReader(v.Data))
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range []image.Point{{0, 0}, {123, 77}, {299, 199}} {
			r1, g1, b1, _ := got.At(p.X, p.Y).RGBA()
			r0, g0, b0, _ := m.At(p.X, p.Y).RGBA()
			if r1 != r0 || g1 != g0 || b1 != b0 {
				t.Errorf("%s at %v: %v, want %v (lossless)", v.Format, p, got.At(p.X, p.Y), m.At(p.X, p.Y))
			}
		}
	}
}

// pngHeader is a PNG of a few bytes whose header declares w×h.
func pngHeader(w, h uint32) []byte {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 2 // 8-bit RGB
	chunk := append([]byte("IHDR"), ihdr...)
	_ = binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	// An IDAT of zeros: a real decoder would allocate 7.5 GB before reading it.
	_ = binary.Write(&b, binary.BigEndian, uint32(8))
	b.WriteString("IDAT\x78\x9c\x03\x00\x00\x00\x00\x01")
	return b.Bytes()
}

// jpegDeclaring patches a small real JPEG's frame header to declare w×h.
func jpegDeclaring(t testing.TB, w, h int) []byte {
	src := encodeJPEG(t, marked(16, 16))
	for i := 2; i+9 < len(src); i++ {
		if src[i] == 0xFF && src[i+1] == 0xC0 {
			binary.BigEndian.PutUint16(src[i+5:], uint16(h))
			binary.BigEndian.PutUint16(src[i+7:], uint16(w))
			return src
		}
	}
	t.Fatal("no SOF0 in the test JPEG")
	return nil
}

func TestBombsAreRefusedBeforeDecoding(t *testing.T) {
	for name, data := range map[string][]byte{
		"bom.png": pngHeader(50000, 50000),
		"bom.jpg": jpegDeclaring(t, 50000, 50000),
	} {
		if len(data) > 4096 {
			t.Fatalf("%s is %d bytes, want a few KB", name, len(data))
		}
		_, err := Process(context.Background(), name, data, testSettings, []Spec{{360, 360, JPEG}})
		var pe *Error
		if !errors.As(err, &pe) || pe.File != name || !strings.Contains(err.Error(), "2500 megapixel") || !strings.Contains(err.Error(), "maxImageMegapixels") {
			t.Errorf("%s: err = %v, want a photo.Error naming the file and the 2500 megapixels", name, err)
		}
	}
	s := testSettings
	s.MaxBytes = 1000
	if _, err := Inspect("lon.jpg", encodeJPEG(t, marked(200, 200)), s); err == nil || !strings.Contains(err.Error(), "maxImageMB") {
		t.Errorf("a file over MaxBytes: err = %v, want the byte limit", err)
	}
}

func TestCorruptAndMislabelledFilesAreErrors(t *testing.T) {
	jpg := encodeJPEG(t, marked(400, 300))
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"cut.jpg", jpg[:len(jpg)/2], "cắt cụt"},
		{"rong.jpg", nil, "rỗng"},
		{"van-ban.jpg", []byte("Đây là một văn bản, không phải ảnh.\n"), "không phải là ảnh"},
		{"that-ra-png.jpg", encodePNG(t, marked(20, 20)), "đổi đuôi tên tệp thành .png"},
		{"dau-hong.png", append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 40)...), "hỏng"},
	} {
		info, err := Inspect(c.name, c.data, testSettings)
		if err == nil {
			_, err = Process(context.Background(), c.name, c.data, testSettings, Plan(info, testSettings))
		}
		if err == nil || !strings.HasPrefix(err.Error(), c.name+": ") || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want one naming the file and saying %q", c.name, err, c.want)
		}
	}
}

func TestProcessStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	src := encodeJPEG(t, marked(800, 600))
	info, _ := Inspect("a.jpg", src, testSettings)
	if _, err := Process(ctx, "a.jpg", src, testSettings, Plan(info, testSettings)); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestNamesAreFingerprintedBySourceAndSettings(t *testing.T) {
	sp := Spec{720, 540, WebP}
	a := Name("tin-tuc/bai/anh.jpg", Hash([]byte("a")), testSettings, sp)
	if !strings.HasPrefix(a, "anh.720.") || !strings.HasSuffix(a, ".webp") || len(a) != len("anh.720.")+10+len(".webp") {
		t.Errorf("Name = %q, want anh.720.<10 hex>.webp", a)
	}
	s2 := testSettings
	s2.WebPQuality = 60
	for _, other := range []string{
		Name("anh.jpg", Hash([]byte("b")), testSettings, sp),
		Name("anh.jpg", Hash([]byte("a")), s2, sp),
		Name("anh.jpg", Hash([]byte("a")), testSettings, Spec{720, 540, JPEG}),
	} {
		if other == a || strings.TrimSuffix(other, ".jpg") == strings.TrimSuffix(a, ".webp") {
			t.Errorf("%q and %q: same fingerprint for different variants", a, other)
		}
	}
}

// The variants phones download are encoded with the slower, smaller WebP method.
func TestSmallWebPVariantsUseTheSmallerMethod(t *testing.T) {
	src, err := corpus.PhotoJPEG(2, 0, 1440, 1080)
	if err != nil {
		t.Fatal(err)
	}
	s := Settings{Widths: []int{720}, JPEGQuality: 80, WebPQuality: 75, MaxPixels: 50e6}
	vs, err := Process(context.Background(), "a.jpg", src, s, []Spec{{720, 540, WebP}})
	if err != nil {
		t.Fatal(err)
	}
	img, _ := jpeg.Decode(bytes.NewReader(src))
	m := resize(toRGBA(img), 720, 540)
	fast, err := encodeWebP(m, 75, 2, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(vs[0].Data) >= len(fast) {
		t.Errorf("720-px WebP: %d bytes, method 2 gives %d: want the smaller method 4", len(vs[0].Data), len(fast))
	}
}

// TestShareImageIsMadeAside: the share JPEG (1200 px, between the 1600 and 1080 widths)
// is resized from the 1600-px picture on its own, so every other variant has the same
// bytes as in a plan without it (the 1080 is not made from the 1200).
func TestShareImageIsMadeAside(t *testing.T) {
	src := encodeJPEG(t, marked(2000, 1500))
	info, err := Inspect("anh.jpg", src, testSettings)
	if err != nil {
		t.Fatal(err)
	}
	plan := Plan(info, testSettings)
	i := slices.Index(plan, Spec{1200, 900, JPEG})
	if i < 0 {
		t.Fatalf("Plan = %v, want a 1200×900 share JPEG", plan)
	}
	vs, err := Process(context.Background(), "anh.jpg", src, testSettings, plan)
	if err != nil {
		t.Fatal(err)
	}
	without := slices.Delete(slices.Clone(plan), i, i+1)
	ws, err := Process(context.Background(), "anh.jpg", src, testSettings, without)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		j := slices.IndexFunc(vs, func(v Variant) bool { return v.Spec == w.Spec })
		if j < 0 || !bytes.Equal(vs[j].Data, w.Data) {
			t.Errorf("%v: other bytes with the share image in the plan", w.Spec)
		}
	}
	m, err := jpeg.Decode(bytes.NewReader(vs[i].Data))
	if err != nil {
		t.Fatal(err)
	}
	if b := m.Bounds(); b.Dx() != 1200 || b.Dy() != 900 || !redAt(m, 300, 225) || redAt(m, 900, 675) {
		t.Errorf("share image %v: want 1200×900 with the red quarter at the top left", b)
	}
}

// TestHEICIsRefusedWithAnExportHint: an iPhone's HEIC photo, named .heic or .jpg, is
// recognised and refused with a message telling how to export a JPEG.
func TestHEICIsRefusedWithAnExportHint(t *testing.T) {
	heic := []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x01\x00meta")
	if f := Sniff(heic); f != HEIC {
		t.Fatalf("Sniff = %q, want heic", f)
	}
	if f := FormatOfName("IMG_0001.HEIC"); f != HEIC {
		t.Errorf("FormatOfName(IMG_0001.HEIC) = %q, want heic", f)
	}
	for _, name := range []string{"IMG_0001.HEIC", "anh.heif", "anh.jpg"} {
		_, err := Inspect(name, heic, testSettings)
		var pe *Error
		if !errors.As(err, &pe) || pe.File != name || !strings.Contains(pe.Msg.String(), "HEIC") || !strings.Contains(pe.Msg.String(), "xuất ảnh ra JPEG") || !strings.Contains(pe.In(message.En), "export it as JPEG") {
			t.Errorf("Inspect(%s) = %v, want a photo.Error telling how to export a JPEG", name, err)
		}
	}
	// An MP4 (ISO media too, another brand) is not taken for a photo.
	if f := Sniff([]byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2")); f != "" {
		t.Errorf("Sniff(mp4) = %q, want none", f)
	}
}
