package corpus

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
)

// photoStream is the rng stream of generated photos (articles use their own streams).
const photoStream = 0x9e3779b97f4a7c15

// Photo returns a deterministic photo-like picture of w×h pixels for (seed, i): a sky and
// ground gradient, a few soft-edged blobs (people, a banner, a table), fine grain and
// sharp edges, so that encoders and resizers work as hard as on a camera photo (a flat
// colour would compress to nothing and say nothing about speed or quality).
func Photo(seed int64, i, w, h int) *image.YCbCr {
	r := newRNG(seed, photoStream, i)
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	type blob struct {
		x, y, rx, ry float64
		c            [3]float64
	}
	blobs := make([]blob, 6+r.intn(6))
	for k := range blobs {
		blobs[k] = blob{x: r.float() * float64(w), y: (0.3 + 0.7*r.float()) * float64(h),
			rx: (0.03 + 0.15*r.float()) * float64(w), ry: (0.05 + 0.25*r.float()) * float64(h),
			c: [3]float64{255 * r.float(), 255 * r.float(), 255 * r.float()}}
	}
	sky := [3]float64{80 + 100*r.float(), 120 + 100*r.float(), 200 + 55*r.float()}
	ground := [3]float64{60 + 80*r.float(), 50 + 60*r.float(), 30 + 40*r.float()}
	horizon := (0.35 + 0.2*r.float()) * float64(h)
	noise := r.next()
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			fy := float64(y)
			var c [3]float64
			if fy < horizon {
				t := fy / horizon
				for k := range c {
					c[k] = sky[k]*(1-t) + 255*t*0.8
				}
			} else {
				t := (fy - horizon) / (float64(h) - horizon)
				for k := range c {
					c[k] = ground[k] * (1 - 0.5*t)
				}
			}
			for _, b := range blobs {
				dx, dy := (float64(x)-b.x)/b.rx, (fy-b.y)/b.ry
				d := dx*dx + dy*dy
				if d < 1.05 {
					a := math.Min(1, (1.05-d)*20) // a slightly soft edge
					for k := range c {
						c[k] = c[k]*(1-a) + b.c[k]*a
					}
				}
			}
			// Texture (foliage, fabric, walls): fractal value noise, ±40 levels; grain: a
			// cheap hash of the position, ±6 levels.
			tex := 80 * (fractal(uint64(seed)^uint64(i)<<20, x, y) - 0.5)
			noise = noise*6364136223846793005 + 1442695040888963407
			g := (float64(int(noise>>58)) - 32) * 0.2
			for k := range c {
				c[k] = math.Max(0, math.Min(255, c[k]+tex+g))
			}
			yy, cb, cr := color.RGBToYCbCr(uint8(c[0]), uint8(c[1]), uint8(c[2]))
			img.Y[img.YOffset(x, y)] = yy
			if x%2 == 0 && y%2 == 0 {
				o := img.COffset(x, y)
				img.Cb[o], img.Cr[o] = cb, cr
			}
		}
	}
	return img
}

// fractal is value noise in [0, 1) summed over octaves of 128 down to 4 pixels, each
// half as strong as the one before.
func fractal(seed uint64, x, y int) float64 {
	var sum, norm float64
	amp := 1.0
	for cell := 128; cell >= 4; cell /= 2 {
		cx, cy := x/cell, y/cell
		fx, fy := float64(x%cell)/float64(cell), float64(y%cell)/float64(cell)
		v00, v10 := lattice(seed, cx, cy), lattice(seed, cx+1, cy)
		v01, v11 := lattice(seed, cx, cy+1), lattice(seed, cx+1, cy+1)
		top := v00 + (v10-v00)*fx
		bottom := v01 + (v11-v01)*fx
		sum += amp * (top + (bottom-top)*fy)
		norm += amp
		amp *= 0.6
		seed = seed*0x9e3779b97f4a7c15 + 1
	}
	return sum / norm
}

// lattice is a hash of a lattice point in [0, 1).
func lattice(seed uint64, x, y int) float64 {
	h := seed ^ uint64(x)*0xbf58476d1ce4e5b9 ^ uint64(y)*0x94d049bb133111eb
	h ^= h >> 31
	h *= 0xd6e8feb86659fd93
	h ^= h >> 32
	return float64(h>>11) / (1 << 53)
}

// PhotoJPEG is Photo encoded as a camera would write it (quality 92, no metadata).
func PhotoJPEG(seed int64, i, w, h int) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, Photo(seed, i, w, h), &jpeg.Options{Quality: 92})
	return b.Bytes(), err
}

// WithExif returns jpg (a JPEG) as a camera writes it: an Exif APP1 segment right after
// SOI with IFD0's orientation and a GPS IFD holding a latitude reference and gps as the
// GPS processing method (an ASCII tag), in big-endian (Motorola) or little-endian (Intel)
// byte order. Tests look for gps in outputs: a published variant must never carry it.
func WithExif(jpg []byte, orientation int, gps string, bigEndian bool) []byte {
	var bo binary.ByteOrder = binary.LittleEndian
	order := "II"
	if bigEndian {
		bo, order = binary.BigEndian, "MM"
	}
	var t bytes.Buffer
	w := func(v any) { _ = binary.Write(&t, bo, v) }
	t.WriteString(order)
	w(uint16(42))
	w(uint32(8))
	// IFD0 at 8: 2 entries of 12 bytes and the next IFD's offset, ending at 38.
	w(uint16(2))
	w(uint16(0x0112)) // Orientation, SHORT
	w(uint16(3))
	w(uint32(1))
	w(uint16(orientation))
	w(uint16(0))
	w(uint16(0x8825)) // GPS IFD pointer, LONG
	w(uint16(4))
	w(uint32(1))
	w(uint32(38))
	w(uint32(0))
	// GPS IFD at 38: 2 entries, ending at 68; gps's text follows.
	w(uint16(2))
	w(uint16(0x0001)) // GPSLatitudeRef "N"
	w(uint16(2))
	w(uint32(2))
	t.WriteString("N\x00\x00\x00")
	w(uint16(0x001B)) // GPSProcessingMethod
	w(uint16(2))
	w(uint32(len(gps) + 1))
	w(uint32(68))
	w(uint32(0))
	t.WriteString(gps + "\x00")
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	out := []byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// WithICC returns jpg with prof embedded as a camera or a phone writes it: APP2
// "ICC_PROFILE" segments (split in chunks of at most 65,519 bytes) right after SOI.
func WithICC(jpg, prof []byte) []byte {
	const chunk = 65519
	n := (len(prof) + chunk - 1) / chunk
	out := append([]byte{}, jpg[:2]...)
	for i := 0; i < n; i++ {
		part := prof[i*chunk : min(len(prof), (i+1)*chunk)]
		seg := append([]byte("ICC_PROFILE\x00"), byte(i+1), byte(n))
		seg = append(seg, part...)
		out = append(out, 0xFF, 0xE2)
		out = binary.BigEndian.AppendUint16(out, uint16(len(seg)+2))
		out = append(out, seg...)
	}
	return append(out, jpg[2:]...)
}
