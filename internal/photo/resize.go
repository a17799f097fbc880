package photo

import (
	"image"
	"image/color"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// toRGBA returns img as an *image.RGBA with its origin at (0, 0) (image/draw has fast
// paths from the decoders' types to RGBA).
func toRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok && m.Rect.Min == (image.Point{}) {
		return m
	}
	b := img.Bounds()
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Rect, img, b.Min, draw.Src)
	return m
}

// toNRGBA converts premultiplied to straight alpha.
func toNRGBA(m *image.RGBA) *image.NRGBA {
	n := image.NewNRGBA(m.Rect)
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		for x := m.Rect.Min.X; x < m.Rect.Max.X; x++ {
			n.Set(x, y, color.NRGBAModel.Convert(m.RGBAAt(x, y)))
		}
	}
	return n
}

// isOpaque reports whether img has no transparent pixel (decoders' types know it cheaply).
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// orient turns m upright for an EXIF orientation (see Orientation).
func orient(m *image.RGBA, o int) *image.RGBA {
	if o <= 1 || o > 8 {
		return m
	}
	w, h := m.Rect.Dx(), m.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	d := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < h; y++ {
		row := m.Pix[y*m.Stride : y*m.Stride+4*w]
		for x := 0; x < w; x++ {
			var dx, dy int
			switch o {
			case 2: // mirrored
				dx, dy = w-1-x, y
			case 3: // 180°
				dx, dy = w-1-x, h-1-y
			case 4: // flipped
				dx, dy = x, h-1-y
			case 5: // transposed
				dx, dy = y, x
			case 6: // 90° clockwise
				dx, dy = h-1-y, x
			case 7: // transversed
				dx, dy = h-1-y, w-1-x
			case 8: // 90° counter-clockwise
				dx, dy = y, w-1-x
			}
			copy(d.Pix[dy*d.Stride+4*dx:dy*d.Stride+4*dx+4], row[4*x:4*x+4])
		}
	}
	return d
}

// resize scales m to w×h: halving with a 2×2 box while m is at least twice as large
// (exact, and fast), then Catmull-Rom for the rest.
func resize(m *image.RGBA, w, h int) *image.RGBA {
	for m.Rect.Dx() >= 2*w && m.Rect.Dy() >= 2*h {
		m = halve(m)
	}
	if m.Rect.Dx() == w && m.Rect.Dy() == h {
		return m
	}
	d := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(d, d.Rect, m, m.Rect, xdraw.Src, nil)
	return d
}

// halve averages each 2×2 block of m (an odd last row or column is dropped).
func halve(m *image.RGBA) *image.RGBA {
	w, h := m.Rect.Dx()/2, m.Rect.Dy()/2
	d := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		r0 := m.Pix[2*y*m.Stride:]
		r1 := m.Pix[(2*y+1)*m.Stride:]
		dr := d.Pix[y*d.Stride:]
		for x := 0; x < w; x++ {
			for c := 0; c < 4; c++ {
				s := uint16(r0[8*x+c]) + uint16(r0[8*x+4+c]) + uint16(r1[8*x+c]) + uint16(r1[8*x+4+c])
				dr[4*x+c] = uint8((s + 2) / 4)
			}
		}
	}
	return d
}

// halveYCbCr converts m to RGBA at half its size, averaging each 2×2 block (an odd last
// row or column is dropped).
func halveYCbCr(m *image.YCbCr) *image.RGBA {
	w, h := m.Rect.Dx()/2, m.Rect.Dy()/2
	d := image.NewRGBA(image.Rect(0, 0, w, h))
	x0, y0 := m.Rect.Min.X, m.Rect.Min.Y
	for y := 0; y < h; y++ {
		dr := d.Pix[y*d.Stride:]
		for x := 0; x < w; x++ {
			var r, g, b int
			for j := 0; j < 2; j++ {
				for i := 0; i < 2; i++ {
					px, py := x0+2*x+i, y0+2*y+j
					yi, ci := m.YOffset(px, py), m.COffset(px, py)
					rr, gg, bb := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
					r, g, b = r+int(rr), g+int(gg), b+int(bb)
				}
			}
			dr[4*x], dr[4*x+1], dr[4*x+2], dr[4*x+3] = uint8((r+2)/4), uint8((g+2)/4), uint8((b+2)/4), 255
		}
	}
	return d
}
