// Package photo turns a source image into the variants a page serves: decoded once,
// turned upright by its EXIF orientation, resized to the configured widths (never up),
// encoded as WebP plus a JPEG fallback (PNG and GIF graphics: lossless PNG plus lossless
// WebP), with no metadata at all (the outputs are encoded from pixels, so a camera's GPS
// position, serial number and thumbnails never reach them).
//
// It is pure: bytes in, bytes out, no files. Inspect reads only an image's header, so a
// build can plan names and sizes (and write HTML) before any pixel is decoded; Process
// does the work. Inputs are bounded before decoding (bytes, then pixels from the header:
// a few KB declaring 50,000×50,000 is refused), and a decoder's panic on a hostile file is
// an error, never a crash.
//
// Colour: the variants are sRGB, without a profile. A JPEG whose embedded ICC profile is
// another matrix/TRC RGB profile (Adobe RGB, Display P3) is converted to sRGB (icc.go);
// other profiles (lookup tables, CMYK) are not, and Info.ICC.Problem says why.
package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gen2brain/webp"
	xwebp "golang.org/x/image/webp"

	"github.com/vnportal/portal/internal/message"
)

// Format is an image format, as read (sniffed from the bytes) or written.
type Format string

// The formats read; JPEG, PNG and WebP are also written. HEIC (HEIF, an iPhone's
// photos) is recognised, by name and bytes, only to be refused with a message saying
// how to export the photo as JPEG: no maintained pure-Go decoder exists.
const (
	JPEG Format = "jpeg"
	PNG  Format = "png"
	GIF  Format = "gif"
	WebP Format = "webp"
	HEIC Format = "heic"
)

// Ext is the file extension written for f (".jpg", ".png", ".webp", ".gif").
func (f Format) Ext() string {
	if f == JPEG {
		return ".jpg"
	}
	return "." + string(f)
}

// MIME is f's media type.
func (f Format) MIME() string { return "image/" + string(f) }

// version names the processing in variant names and cache keys: change it when the
// pixels Process writes change (resampling, encoder, options), so no stale variant is
// ever reused.
const version = "photo-3|webp-0.5.5-m2/4|catmullrom|icc-srgb"

// webpMethod is libwebp's speed/size trade-off (0 fast … 6 small) for a variant of w×h.
// Measured on a 4000×3000 photo (BENCHMARKS.md): under WASM method 4 takes ~3× as long as
// method 2 for ~10 % fewer bytes (1600 px: 1.17 s against 0.39 s; 720 px: 0.11 s against
// 0.04 s). The small variants are the ones phones download and cost little: method 4 up
// to 600,000 pixels (720×540), method 2 above.
func webpMethod(w, h int) int {
	if w*h <= 600_000 {
		return 4
	}
	return 2
}

// Settings are the processing options (config.toml's [images] and [limits]).
type Settings struct {
	Widths       []int // output widths in pixels; never upscaled
	JPEGQuality  int   // 1–100
	WebPQuality  int   // 1–100
	KeepOriginal bool  // also write a variant at the source's own width
	MaxPixels    int64 // refuse images with more pixels (decompression bombs)
	MaxBytes     int64 // refuse files larger than this
}

// Key identifies everything in s that changes Process's output (the limits do not).
func (s Settings) Key() string {
	ws := make([]string, len(s.Widths))
	for i, w := range s.Widths {
		ws[i] = strconv.Itoa(w)
	}
	return fmt.Sprintf("%s|w=%s|jq=%d|wq=%d|orig=%t", version, strings.Join(ws, ","), s.JPEGQuality, s.WebPQuality, s.KeepOriginal)
}

// Info is what an image's header says.
type Info struct {
	Format Format
	// Width and Height are the image as seen, after its EXIF orientation.
	Width, Height int
	// Orientation is the EXIF orientation (1–8; 1 when none).
	Orientation int
	// ICC is what the embedded colour profile means (zero when there is none).
	ICC ICC
}

// Error is a problem with one image file, naming the file: a catalogued message
// (internal/message), printed in Vietnamese by Error and in any language by In.
type Error struct {
	File string // the name given to Inspect or Process
	Msg  message.Text
}

func (e *Error) Error() string { return e.File + ": " + e.Msg.String() }

// In prints the error in l.
func (e *Error) In(l message.Lang) string { return e.File + ": " + e.Msg.In(l) }

func fail(name string, msg message.Text) error { return &Error{File: name, Msg: msg} }

// Sniff returns the format of data from its first bytes, or "" when it is none of the
// formats read.
func Sniff(data []byte) Format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return JPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return PNG
	case bytes.HasPrefix(data, []byte("GIF87a")) || bytes.HasPrefix(data, []byte("GIF89a")):
		return GIF
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return WebP
	case len(data) >= 12 && string(data[4:8]) == "ftyp" && heifBrand(string(data[8:12])):
		return HEIC
	}
	return ""
}

// heifBrand reports whether an ISO media file's major brand is a HEIF still image's.
func heifBrand(b string) bool {
	switch b {
	case "heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs", "mif1", "msf1":
		return true
	}
	return false
}

// FormatOfName returns the format a file name's extension claims, or "" when it is not
// a raster image's extension.
func FormatOfName(name string) Format {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".jpe", ".jfif":
		return JPEG
	case ".png":
		return PNG
	case ".gif":
		return GIF
	case ".webp":
		return WebP
	case ".heic", ".heif", ".hif":
		return HEIC
	}
	return ""
}

// formatName is how messages call a format.
func formatName(f Format) string {
	return strings.ToUpper(string(f))
}

// Inspect checks an image without decoding its pixels: size in bytes, format (the bytes
// must be the format the name's extension says), dimensions within s.MaxPixels, EXIF
// orientation. name is used in messages and for the extension.
func Inspect(name string, data []byte, s Settings) (info Info, err error) {
	defer func() {
		if p := recover(); p != nil {
			info, err = Info{}, fail(name, message.New("không đọc được phần đầu của ảnh (tệp hỏng: %v): mở và lưu lại ảnh bằng một phần mềm xem ảnh", p))
		}
	}()
	if s.MaxBytes > 0 && int64(len(data)) > s.MaxBytes {
		return Info{}, fail(name, message.New("tệp ảnh nặng %.1f MB, quá giới hạn %d MB (limits.maxImageMB trong config.toml): thu nhỏ hoặc nén ảnh trước khi đưa lên", float64(len(data))/1e6, s.MaxBytes/1e6))
	}
	f := Sniff(data)
	claimed := FormatOfName(name)
	switch {
	case f == "" && len(data) == 0:
		return Info{}, fail(name, message.New("tệp ảnh rỗng (0 byte): chép lại ảnh gốc"))
	case f == HEIC:
		return Info{}, fail(name, message.New("ảnh HEIC (định dạng ảnh của iPhone) chưa dùng được trên cổng: xuất ảnh ra JPEG (trên iPhone: Cài đặt > Camera > Định dạng > Tương thích nhất; trên máy tính: mở ảnh và lưu thành .jpg), đặt tệp .jpg vào thay và sửa tên ảnh trong bài"))
	case f == "":
		return Info{}, fail(name, message.New("tệp không phải là ảnh JPEG, PNG, GIF hay WebP (có thể bị hỏng, hoặc là tệp khác bị đặt tên ảnh): chép lại ảnh gốc"))
	case claimed != "" && claimed != f:
		return Info{}, fail(name, message.New("tên tệp có đuôi %s nhưng nội dung là ảnh %s: đổi đuôi tên tệp thành %s", path.Ext(name), formatName(f), f.Ext()))
	}
	var cfg image.Config
	r := bytes.NewReader(data)
	switch f {
	case JPEG:
		cfg, err = jpeg.DecodeConfig(r)
	case PNG:
		cfg, err = png.DecodeConfig(r)
	case GIF:
		cfg, err = gif.DecodeConfig(r)
	case WebP:
		cfg, err = xwebp.DecodeConfig(r)
	}
	if err != nil {
		return Info{}, fail(name, message.New("ảnh %s hỏng, không đọc được kích thước (%v): mở và lưu lại ảnh bằng một phần mềm xem ảnh, hoặc chép lại ảnh gốc", formatName(f), err))
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fail(name, message.New("ảnh có kích thước %d×%d điểm ảnh: tệp hỏng, chép lại ảnh gốc", cfg.Width, cfg.Height))
	}
	if px := int64(cfg.Width) * int64(cfg.Height); s.MaxPixels > 0 && px > s.MaxPixels {
		return Info{}, fail(name, message.New("ảnh %d×%d điểm ảnh (%.0f megapixel) quá giới hạn %d megapixel (limits.maxImageMegapixels trong config.toml): thu nhỏ ảnh trước khi đưa lên", cfg.Width, cfg.Height, float64(px)/1e6, s.MaxPixels/1e6))
	}
	info = Info{Format: f, Width: cfg.Width, Height: cfg.Height, Orientation: 1}
	if f == JPEG {
		info.Orientation = Orientation(data)
	}
	info.ICC, _, _ = iccOf(f, data)
	if info.Orientation >= 5 { // turned a quarter: width and height swap
		info.Width, info.Height = info.Height, info.Width
	}
	return info, nil
}

// Spec is one variant to write.
type Spec struct {
	Width, Height int
	Format        Format
}

// graphic reports whether a source is a graphic kept lossless (PNG, GIF) rather than a
// photo.
func graphic(f Format) bool { return f == PNG || f == GIF }

// Plan returns the variants Process writes for an image, widest first, WebP before the
// fallback at each width: every configured width below the image's own (an image
// narrower than all of them gets its own width), plus its own width with KeepOriginal;
// and the share image (see Share): a fallback at ShareWidth, or the image's own width
// when it is narrower, unless that width is planned already.
func Plan(info Info, s Settings) []Spec {
	var widths []int
	for _, w := range s.Widths {
		if w > 0 && w < info.Width {
			widths = append(widths, w)
		}
	}
	if len(widths) == 0 || s.KeepOriginal {
		widths = append(widths, info.Width)
	}
	slices.Sort(widths)
	widths = slices.Compact(widths)
	slices.Reverse(widths)
	fallback := JPEG
	if graphic(info.Format) {
		fallback = PNG
	}
	height := func(w int) int {
		return max(1, int((int64(w)*int64(info.Height)+int64(info.Width)/2)/int64(info.Width)))
	}
	share := min(ShareWidth, info.Width)
	var out []Spec
	for _, w := range widths {
		if share > w {
			out = append(out, Spec{share, height(share), fallback})
			share = 0
		}
		if w == share {
			share = 0
		}
		out = append(out, Spec{w, height(w), WebP}, Spec{w, height(w), fallback})
	}
	if share > 0 {
		out = append(out, Spec{share, height(share), fallback})
	}
	return out
}

// ShareWidth is the width of a share image (og:image): Facebook and Zalo show 1200 px
// wide previews.
const ShareWidth = 1200

// Share returns the share image of plan: the widest fallback (JPEG, or PNG for
// graphics) variant not wider than ShareWidth (Plan puts one at ShareWidth, or at the
// image's own width when it is narrower).
func Share(plan []Spec) (Spec, bool) {
	var best Spec
	found := false
	for _, sp := range plan {
		if sp.Format == WebP || sp.Width > ShareWidth {
			continue
		}
		if !found || sp.Width > best.Width {
			best, found = sp, true
		}
	}
	return best, found
}

// shareOnly reports whether specs[i] is a width written only as the share image (no
// WebP at its width): Process makes it aside, so the other widths are resized exactly
// as without it.
func shareOnly(specs []Spec, i int) bool {
	return specs[i].Format != WebP && !slices.ContainsFunc(specs, func(o Spec) bool {
		return o.Format == WebP && o.Width == specs[i].Width
	})
}

// Hash is the content hash of a source image, as Name takes it.
func Hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// Name returns the file name of a variant of the source file name (its folder is
// dropped): "anh.720.3f2a9c1b0d.webp". The fingerprint is over the source's content hash,
// the settings and the spec, which decide the variant's bytes, so the name is known
// before encoding and changes whenever the bytes could (publish.Fingerprinted recognises
// it: cached for ever).
func Name(source, sourceHash string, s Settings, sp Spec) string {
	stem := strings.TrimSuffix(path.Base(source), path.Ext(source))
	return fmt.Sprintf("%s.%d.%s%s", stem, sp.Width, Fingerprint(sourceHash, s, sp), sp.Format.Ext())
}

// Fingerprint is the 10 hex digits Name puts in a variant's name.
func Fingerprint(sourceHash string, s Settings, sp Spec) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s|%s|%d|%d|%s", sourceHash, s.Key(), sp.Width, sp.Height, sp.Format)))
	return hex.EncodeToString(sum[:])[:10]
}

// Variant is one encoded output.
type Variant struct {
	Spec
	Data []byte
}

// Process decodes data once and returns the variants of specs (from Plan) in the same
// order. name is used in messages.
func Process(ctx context.Context, name string, data []byte, s Settings, specs []Spec) ([]Variant, error) {
	out := make([]Variant, len(specs))
	err := ProcessEach(ctx, name, data, s, specs, func(i int, v Variant) error {
		out[i] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ProcessEach decodes data once and hands each variant of specs (from Plan, in any
// order) to emit as soon as it is encoded, with its index in specs: the encodes start in
// the order of specs (at most GOMAXPROCS at a time), so a caller that wants some variants
// first puts them first (the preview: the narrow ones a phone picks). emit is called
// from one goroutine at a time; its error stops the processing and is returned. Either
// every variant was emitted and the error is nil, or the error says why not (ctx's when
// cancelled).
func ProcessEach(ctx context.Context, name string, data []byte, s Settings, specs []Spec, emit func(int, Variant) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fail(name, message.New("ảnh hỏng, không giải mã được (%v): mở và lưu lại ảnh bằng một phần mềm xem ảnh, hoặc chép lại ảnh gốc", p))
		}
	}()
	info, err := Inspect(name, data, s)
	if err != nil {
		return err
	}
	var img image.Image
	r := bytes.NewReader(data)
	switch info.Format {
	case JPEG:
		img, err = jpeg.Decode(r)
	case PNG:
		img, err = png.Decode(r)
	case GIF:
		img, err = gif.Decode(r) // the first frame
	case WebP:
		img, err = xwebp.Decode(r)
	}
	if err != nil {
		return fail(name, message.New("ảnh %s hỏng hoặc bị cắt cụt, không giải mã được (%v): mở và lưu lại ảnh bằng một phần mềm xem ảnh, hoặc chép lại ảnh gốc", formatName(info.Format), err))
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	opaque := isOpaque(img)
	// The widest variant, as stored (before orientation): a camera's JPEG at least twice
	// as large is halved straight from its YCbCr planes, so that the full-size RGBA copy
	// (48 MB at 12 MP) is never made.
	var sw, sh int
	for _, sp := range specs {
		if sp.Width > sw {
			sw, sh = sp.Width, sp.Height
		}
	}
	if info.Orientation >= 5 {
		sw, sh = sh, sw
	}
	var cur *image.RGBA
	if y, ok := img.(*image.YCbCr); ok && y.Rect.Dx() >= 2*sw && y.Rect.Dy() >= 2*sh {
		cur = halveYCbCr(y)
	} else {
		cur = toRGBA(img)
	}
	img = nil
	if _, conv, _ := iccOf(info.Format, data); conv != nil {
		conv.apply(cur) // at the reduced size, before any resampling
	}
	cur = orient(cur, info.Orientation)
	// Widest first, each width made from the one before: a 2× box step while the
	// picture is at least twice too wide, then one Catmull-Rom step. The encodes run in
	// the order of specs, each on its own goroutine (at most GOMAXPROCS at a time), so
	// that one new photo (the preview's case) uses every core; the resizes are made as
	// the encodes need them (all at first when the narrowest comes first), so that in
	// Plan's order (a build's) only the widths being encoded are held.
	order := make([]int, len(specs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return specs[b].Width - specs[a].Width })
	pix := make([]*image.RGBA, len(specs))
	next := 0 // in order, the next variant to resize
	pixels := func(i int) *image.RGBA {
		for ; pix[i] == nil && next < len(order); next++ {
			k := order[next]
			m := cur
			if m.Bounds().Dx() != specs[k].Width || m.Bounds().Dy() != specs[k].Height {
				m = resize(cur, specs[k].Width, specs[k].Height)
			}
			if !shareOnly(specs, k) {
				cur = m
			}
			pix[k] = m
		}
		if next == len(order) {
			cur = nil
		}
		return pix[i]
	}
	errs := make([]error, len(specs))
	var emitMu sync.Mutex
	var stop error // emit's first error (under emitMu)
	slots := make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	defer wg.Wait()
	for i, sp := range specs {
		if err := ctx.Err(); err != nil {
			return err
		}
		m := pixels(i) // resized while the encodes before it run
		pix[i] = nil   // each variant's pixels are let go once encoded
		slots <- struct{}{}
		emitMu.Lock()
		stopped := stop != nil
		emitMu.Unlock()
		if stopped {
			<-slots
			break
		}
		wg.Add(1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("%v", p)
				}
				<-slots
				wg.Done()
			}()
			if ctx.Err() != nil {
				return
			}
			var b []byte
			if b, errs[i] = encode(m, sp.Format, s, opaque, graphic(info.Format)); errs[i] != nil {
				return
			}
			emitMu.Lock()
			defer emitMu.Unlock()
			if stop == nil {
				stop = emit(i, Variant{Spec: sp, Data: b})
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	for i := range specs {
		if errs[i] != nil {
			return fail(name, message.New("không mã hoá được ảnh %s rộng %d: %v", formatName(specs[i].Format), specs[i].Width, errs[i]))
		}
	}
	return stop
}

// encode writes img as f; lossless makes WebP lossless (graphics).
func encode(img *image.RGBA, f Format, s Settings, opaque, lossless bool) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch f {
	case JPEG:
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: clampQuality(s.JPEGQuality, 80)})
	case PNG:
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img)
	case WebP:
		var m image.Image = img
		if !opaque {
			m = toNRGBA(img) // libwebp reads straight (not premultiplied) alpha
		}
		return encodeWebP(m, clampQuality(s.WebPQuality, 75), webpMethod(img.Rect.Dx(), img.Rect.Dy()), lossless)
	default:
		err = fmt.Errorf("định dạng %s không ghi được", f)
	}
	return b.Bytes(), err
}

func encodeWebP(m image.Image, quality, method int, lossless bool) ([]byte, error) {
	var b bytes.Buffer
	err := webp.Encode(&b, m, webp.Options{Quality: quality, Method: method, Lossless: lossless})
	return b.Bytes(), err
}

func clampQuality(q, def int) int {
	if q <= 0 {
		return def
	}
	return min(q, 100)
}
