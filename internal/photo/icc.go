package photo

import (
	"encoding/binary"
	"image"
	"math"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// Colour (issue 16): a photo carrying an ICC profile other than sRGB (Adobe RGB from a
// camera, Display P3 from a phone) is converted to sRGB, since browsers show the
// untagged variants as sRGB. The common profiles are "matrix/TRC" ones: three tone
// curves and three colorants (the primaries adapted to the D50 connection space), which
// a 3×3 matrix in linear light converts exactly. Other profiles (lookup tables, CMYK,
// Lab, grey) are not converted: Inspect says so, and the build warns.

// ICC is what an image's embedded ICC profile means for its variants.
type ICC struct {
	// Name is the profile's description ("Adobe RGB (1998)"), "" when it has none.
	Name string
	// Convert is set when the pixels are converted to sRGB.
	Convert bool
	// Problem says why a profile other than sRGB is not converted (nil when it is, or
	// when the profile is sRGB).
	Problem error
}

// iccOf reads the ICC profile embedded in data (JPEG APP2 segments, a PNG iCCP chunk is
// not read) and returns what it means; ok is false when there is none.
func iccOf(f Format, data []byte) (icc ICC, conv *colourConv, ok bool) {
	if f != JPEG {
		return ICC{}, nil, false
	}
	prof := jpegICC(data)
	if prof == nil {
		return ICC{}, nil, false
	}
	p, err := parseICC(prof)
	if p != nil {
		icc.Name = p.name
	}
	if err != nil {
		icc.Problem = err
		return icc, nil, true
	}
	if p.isSRGB() {
		return icc, nil, true
	}
	icc.Convert = true
	return icc, p.toSRGB(), true
}

// jpegICC returns the ICC profile of a JPEG, its APP2 "ICC_PROFILE" chunks joined in
// their order, or nil when it has none (or the chunks are inconsistent).
func jpegICC(data []byte) []byte {
	const tag = "ICC_PROFILE\x00"
	var chunks [][]byte
	total := 0
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return nil
		}
		marker := data[i+1]
		if marker == 0xFF { // fill byte
			i++
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image: no more headers
			break
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return nil
		}
		seg := data[i+4 : i+2+n]
		if marker == 0xE2 && len(seg) > len(tag)+2 && string(seg[:len(tag)]) == tag {
			seq, count := int(seg[len(tag)]), int(seg[len(tag)+1])
			if count == 0 || seq == 0 || seq > count {
				return nil
			}
			if chunks == nil {
				chunks = make([][]byte, count)
			}
			if len(chunks) != count || chunks[seq-1] != nil {
				return nil
			}
			chunks[seq-1] = seg[len(tag)+2:]
			total += len(seg) - len(tag) - 2
		}
		i += 2 + n
	}
	if chunks == nil {
		return nil
	}
	out := make([]byte, 0, total)
	for _, c := range chunks {
		if c == nil {
			return nil
		}
		out = append(out, c...)
	}
	return out
}

// curve is a tone curve: encoded value in [0, 1] → linear light.
type curve struct {
	gamma  float64   // when table is nil and params is nil
	table  []float64 // sampled curve
	params []float64 // parametric curve (ICC type 0–4): g, a, b, c, d, e, f
}

func (c curve) linear(x float64) float64 {
	switch {
	case c.table != nil:
		if len(c.table) == 1 {
			return c.table[0]
		}
		p := x * float64(len(c.table)-1)
		i := int(p)
		if i >= len(c.table)-1 {
			return c.table[len(c.table)-1]
		}
		return c.table[i] + (c.table[i+1]-c.table[i])*(p-float64(i))
	case c.params != nil:
		g, a, b, cc, d, e, f := c.params[0], c.params[1], c.params[2], c.params[3], c.params[4], c.params[5], c.params[6]
		if x >= d {
			v := a*x + b
			if v <= 0 {
				return e
			}
			return math.Pow(v, g) + e
		}
		return cc*x + f
	}
	return math.Pow(x, c.gamma)
}

// profile is a parsed matrix/TRC RGB profile.
type profile struct {
	name   string
	matrix [3][3]float64 // linear RGB → XYZ (D50), columns the colorants
	trc    [3]curve
}

// srgbD50 is sRGB's colorant matrix adapted to D50 (Bradford), as in the sRGB ICC
// profiles.
var srgbD50 = [3][3]float64{
	{0.4360747, 0.3850649, 0.1430804},
	{0.2225045, 0.7168786, 0.0606169},
	{0.0139322, 0.0971045, 0.7141733},
}

// srgbLinear is the sRGB tone curve, encoded → linear.
func srgbLinear(x float64) float64 {
	if x <= 0.04045 {
		return x / 12.92
	}
	return math.Pow((x+0.055)/1.055, 2.4)
}

func srgbEncode(v float64) float64 {
	if v <= 0.0031308 {
		return 12.92 * v
	}
	return 1.055*math.Pow(v, 1/2.4) - 0.055
}

// isSRGB reports whether p is sRGB within what 8 bits can show: its colorants and its
// tone curves match sRGB's.
func (p *profile) isSRGB() bool {
	for i := range 3 {
		for j := range 3 {
			if math.Abs(p.matrix[i][j]-srgbD50[i][j]) > 0.003 {
				return false
			}
		}
	}
	for _, c := range p.trc {
		for k := 0; k <= 16; k++ {
			x := float64(k) / 16
			if math.Abs(c.linear(x)-srgbLinear(x)) > 0.002 {
				return false
			}
		}
	}
	return true
}

// colourConv converts 8-bit pixels of a profile to sRGB: the profile's curves as
// tables, one matrix (profile → XYZ D50 → sRGB linear), then the sRGB curve.
type colourConv struct {
	in  [3][256]float32
	m   [3][3]float32
	out [4096]uint8 // linear light in 1/4095 steps → sRGB
}

func (p *profile) toSRGB() *colourConv {
	c := &colourConv{}
	for ch := range 3 {
		for v := range 256 {
			c.in[ch][v] = float32(p.trc[ch].linear(float64(v) / 255))
		}
	}
	inv := invert(srgbD50)
	for i := range 3 {
		for j := range 3 {
			var s float64
			for k := range 3 {
				s += inv[i][k] * p.matrix[k][j]
			}
			c.m[i][j] = float32(s)
		}
	}
	for i := range c.out {
		c.out[i] = uint8(math.Round(255 * srgbEncode(float64(i)/4095)))
	}
	return c
}

func invert(m [3][3]float64) [3][3]float64 {
	a, b, c := m[0][0], m[0][1], m[0][2]
	d, e, f := m[1][0], m[1][1], m[1][2]
	g, h, i := m[2][0], m[2][1], m[2][2]
	det := a*(e*i-f*h) - b*(d*i-f*g) + c*(d*h-e*g)
	return [3][3]float64{
		{(e*i - f*h) / det, (c*h - b*i) / det, (b*f - c*e) / det},
		{(f*g - d*i) / det, (a*i - c*g) / det, (c*d - a*f) / det},
		{(d*h - e*g) / det, (b*g - a*h) / det, (a*e - b*d) / det},
	}
}

// apply converts m in place (premultiplied alpha: a translucent pixel is converted as
// its straight colour).
func (c *colourConv) apply(m *image.RGBA) {
	enc := func(v float32) uint8 {
		switch {
		case v <= 0:
			return c.out[0]
		case v >= 1:
			return c.out[4095]
		}
		return c.out[int(v*4095+0.5)]
	}
	for y := m.Rect.Min.Y; y < m.Rect.Max.Y; y++ {
		row := m.Pix[(y-m.Rect.Min.Y)*m.Stride:]
		for x := 0; x < m.Rect.Dx(); x++ {
			px := row[4*x : 4*x+4 : 4*x+4]
			a := px[3]
			if a == 0 {
				continue
			}
			r, g, b := px[0], px[1], px[2]
			if a != 255 {
				r, g, b = uint8(min(255, int(r)*255/int(a))), uint8(min(255, int(g)*255/int(a))), uint8(min(255, int(b)*255/int(a)))
			}
			lr, lg, lb := c.in[0][r], c.in[1][g], c.in[2][b]
			r = enc(c.m[0][0]*lr + c.m[0][1]*lg + c.m[0][2]*lb)
			g = enc(c.m[1][0]*lr + c.m[1][1]*lg + c.m[1][2]*lb)
			b = enc(c.m[2][0]*lr + c.m[2][1]*lg + c.m[2][2]*lb)
			if a != 255 {
				r, g, b = uint8(int(r)*int(a)/255), uint8(int(g)*int(a)/255), uint8(int(b)*int(a)/255)
			}
			px[0], px[1], px[2] = r, g, b
		}
	}
}

// parseICC reads a matrix/TRC RGB profile. With an error, the profile returned (when
// not nil) has its name only.
func parseICC(b []byte) (*profile, error) {
	if len(b) < 132 || string(b[36:40]) != "acsp" {
		return nil, message.Errorf("hồ sơ màu ICC hỏng")
	}
	n := int(binary.BigEndian.Uint32(b[128:]))
	if n > 1000 || 132+12*n > len(b) {
		return nil, message.Errorf("hồ sơ màu ICC hỏng")
	}
	tags := map[string][]byte{}
	for i := range n {
		e := b[132+12*i:]
		off, size := int(binary.BigEndian.Uint32(e[4:])), int(binary.BigEndian.Uint32(e[8:]))
		if off < 0 || size < 8 || off > len(b) || size > len(b)-off {
			return nil, message.Errorf("hồ sơ màu ICC hỏng")
		}
		tags[string(e[:4])] = b[off : off+size]
	}
	p := &profile{name: iccName(tags["desc"])}
	if cs := string(b[16:20]); cs != "RGB " {
		return p, message.Errorf("hồ sơ màu của không gian %s, không phải RGB", strings.TrimSpace(cs))
	}
	if pcs := string(b[20:24]); pcs != "XYZ " {
		return p, message.Errorf("hồ sơ màu dùng bảng tra (LUT), không phải ma trận và đường cong")
	}
	for ch, sig := range []string{"rXYZ", "gXYZ", "bXYZ"} {
		t := tags[sig]
		if len(t) < 20 || string(t[:4]) != "XYZ " {
			return p, message.Errorf("hồ sơ màu không có ma trận màu (dùng bảng tra)")
		}
		for k := range 3 {
			p.matrix[k][ch] = s15f16(t[8+4*k:])
		}
	}
	for ch, sig := range []string{"rTRC", "gTRC", "bTRC"} {
		c, err := parseCurve(tags[sig])
		if err != nil {
			return p, err
		}
		p.trc[ch] = c
	}
	return p, nil
}

func s15f16(b []byte) float64 { return float64(int32(binary.BigEndian.Uint32(b))) / 65536 }

func parseCurve(t []byte) (curve, error) {
	bad := message.Errorf("hồ sơ màu ICC có đường cong sắc độ không đọc được")
	if len(t) < 12 {
		return curve{}, bad
	}
	switch string(t[:4]) {
	case "curv":
		n := int(binary.BigEndian.Uint32(t[8:]))
		switch {
		case n == 0:
			return curve{gamma: 1}, nil
		case n == 1:
			if len(t) < 14 {
				return curve{}, bad
			}
			return curve{gamma: float64(binary.BigEndian.Uint16(t[12:])) / 256}, nil
		case n > 65536 || len(t) < 12+2*n:
			return curve{}, bad
		}
		tab := make([]float64, n)
		for i := range tab {
			tab[i] = float64(binary.BigEndian.Uint16(t[12+2*i:])) / 65535
		}
		return curve{table: tab}, nil
	case "para":
		fn := int(binary.BigEndian.Uint16(t[8:]))
		counts := []int{1, 3, 4, 5, 7}
		if fn >= len(counts) || len(t) < 12+4*counts[fn] {
			return curve{}, bad
		}
		v := make([]float64, counts[fn])
		for i := range v {
			v[i] = s15f16(t[12+4*i:])
		}
		// As g, a, b, c, d, e, f: Y = (aX+b)^g + e for X ≥ d, else cX + f.
		p := []float64{v[0], 1, 0, 0, 0, 0, 0}
		switch fn {
		case 1: // (aX+b)^g for X ≥ -b/a, else 0
			p = []float64{v[0], v[1], v[2], 0, -v[2] / v[1], 0, 0}
		case 2: // (aX+b)^g + c for X ≥ -b/a, else c
			p = []float64{v[0], v[1], v[2], 0, -v[2] / v[1], v[3], v[3]}
		case 3: // (aX+b)^g for X ≥ d, else cX
			p = []float64{v[0], v[1], v[2], v[3], v[4], 0, 0}
		case 4:
			p = []float64{v[0], v[1], v[2], v[3], v[4], v[5], v[6]}
		}
		if fn == 1 || fn == 2 {
			if v[1] == 0 {
				return curve{}, bad
			}
		}
		return curve{params: p}, nil
	}
	return curve{}, bad
}

// iccName reads a profile description: v2 "desc" (ASCII) or v4 "mluc" (UTF-16, first
// record).
func iccName(t []byte) string {
	switch {
	case len(t) >= 12 && string(t[:4]) == "desc":
		n := int(binary.BigEndian.Uint32(t[8:]))
		if n > 0 && 12+n <= len(t) {
			return strings.TrimSpace(strings.TrimRight(string(t[12:12+n]), "\x00"))
		}
	case len(t) >= 28 && string(t[:4]) == "mluc":
		size, off := int(binary.BigEndian.Uint32(t[20:])), int(binary.BigEndian.Uint32(t[24:]))
		if off >= 0 && size >= 0 && off+size <= len(t) {
			u := t[off : off+size]
			var sb strings.Builder
			for i := 0; i+1 < len(u); i += 2 {
				sb.WriteRune(rune(binary.BigEndian.Uint16(u[i:])))
			}
			return sb.String()
		}
	}
	return ""
}
