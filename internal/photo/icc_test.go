package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/vnportal/portal/internal/corpus"
)

// systemICC returns a profile shipped by Debian's libgs-common (Ghostscript's ICC
// profiles: real files, not written by this test), or skips (fails in CI, where .ci/run
// installs it).
func systemICC(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("/usr/share/color/icc/ghostscript", name))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%v (CI installs libgs-common: see .ci/run)", err)
		}
		t.Skipf("%v: apt-get install libgs-common; skipping outside CI", err)
	}
	return b
}

// displayP3 is an ICC v4 Display P3 profile as phones embed it: Apple's D50-adapted
// colorants, the sRGB tone curve as a parametric curve (type 3), an mluc description.
func displayP3() []byte {
	be := binary.BigEndian
	fixed := func(b []byte, v float64) []byte { return be.AppendUint32(b, uint32(int32(math.Round(v*65536)))) }
	xyz := func(x, y, z float64) []byte {
		b := append([]byte("XYZ "), 0, 0, 0, 0)
		return fixed(fixed(fixed(b, x), y), z)
	}
	para := append([]byte("para"), 0, 0, 0, 0, 0, 3, 0, 0)
	for _, v := range []float64{2.4, 1 / 1.055, 0.055 / 1.055, 1 / 12.92, 0.04045} {
		para = fixed(para, v)
	}
	name := utf16.Encode([]rune("Display P3"))
	desc := append([]byte("mluc"), 0, 0, 0, 0)
	desc = be.AppendUint32(be.AppendUint32(desc, 1), 12)
	desc = append(desc, "enUS"...)
	desc = be.AppendUint32(be.AppendUint32(desc, uint32(2*len(name))), 28)
	for _, u := range name {
		desc = be.AppendUint16(desc, u)
	}
	tags := []struct {
		sig  string
		data []byte
	}{
		{"desc", desc}, {"wtpt", xyz(0.96420, 1, 0.82491)},
		{"rXYZ", xyz(0.515121, 0.241196, -0.001053)}, {"gXYZ", xyz(0.291977, 0.692245, 0.041885)}, {"bXYZ", xyz(0.157104, 0.066574, 0.784073)},
		{"rTRC", para}, {"gTRC", para}, {"bTRC", para},
	}
	head := make([]byte, 128)
	copy(head[8:], []byte{4, 0x30, 0, 0})
	copy(head[12:], "mntrRGB XYZ ")
	copy(head[36:], "acsp")
	table := be.AppendUint32(nil, uint32(len(tags)))
	var body []byte
	off := 128 + 4 + 12*len(tags)
	for _, tg := range tags {
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		table = append(table, tg.sig...)
		table = be.AppendUint32(be.AppendUint32(table, uint32(off+len(body))), uint32(len(tg.data)))
		body = append(body, tg.data...)
	}
	out := append(append(head, table...), body...)
	be.PutUint32(out, uint32(len(out)))
	return out
}

// patches is a picture of colour patches 32 px square, side by side.
func patches(cs []color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 32*len(cs), 32))
	for i, c := range cs {
		for y := 0; y < 32; y++ {
			for x := 0; x < 32; x++ {
				m.SetRGBA(32*i+x, y, c)
			}
		}
	}
	return m
}

// expectSRGB converts an 8-bit colour of a profile to sRGB the textbook way, not as
// icc.go does: decode the tone curve, the space's own RGB → XYZ (D65) matrix as its
// standard publishes it, XYZ → linear sRGB (IEC 61966-2-1), the sRGB curve.
func expectSRGB(c color.RGBA, decode func(float64) float64, toXYZ [3][3]float64) [3]float64 {
	lin := [3]float64{decode(float64(c.R) / 255), decode(float64(c.G) / 255), decode(float64(c.B) / 255)}
	var xyz [3]float64
	for i := range 3 {
		xyz[i] = toXYZ[i][0]*lin[0] + toXYZ[i][1]*lin[1] + toXYZ[i][2]*lin[2]
	}
	toSRGB := [3][3]float64{{3.2404542, -1.5371385, -0.4985314}, {-0.9692660, 1.8760108, 0.0415560}, {0.0556434, -0.2040259, 1.0572252}}
	var out [3]float64
	for i := range 3 {
		v := toSRGB[i][0]*xyz[0] + toSRGB[i][1]*xyz[1] + toSRGB[i][2]*xyz[2]
		out[i] = 255 * srgbEncode(min(1, max(0, v)))
	}
	return out
}

// TestWideGamutPhotosAreConvertedToSRGB: a JPEG tagged Adobe RGB (Ghostscript's real
// a98.icc) or Display P3 (an iPhone's kind of profile) comes out as sRGB, each patch
// within a few levels of the textbook conversion (and far from the unconverted values).
func TestWideGamutPhotosAreConvertedToSRGB(t *testing.T) {
	cs := []color.RGBA{{200, 60, 50, 255}, {60, 170, 70, 255}, {128, 128, 128, 255}, {40, 70, 190, 255}}
	for _, c := range []struct {
		name, desc string
		prof       []byte
		decode     func(float64) float64
		toXYZ      [3][3]float64
	}{
		{"Adobe RGB", "Artifex Software A98 ICC Profile", systemICC(t, "a98.icc"), func(x float64) float64 { return math.Pow(x, 563.0/256) },
			[3][3]float64{{0.5766690, 0.1855582, 0.1882286}, {0.2973450, 0.6273636, 0.0752915}, {0.0270314, 0.0706889, 0.9913375}}},
		{"Display P3", "Display P3", displayP3(), srgbLinear,
			[3][3]float64{{0.4865709, 0.2656677, 0.1982173}, {0.2289746, 0.6917385, 0.0792869}, {0, 0.0451134, 1.0439444}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := jpeg.Encode(&b, patches(cs), &jpeg.Options{Quality: 100}); err != nil {
				t.Fatal(err)
			}
			src := corpus.WithICC(b.Bytes(), c.prof)
			info, err := Inspect("anh.jpg", src, testSettings)
			if err != nil {
				t.Fatal(err)
			}
			if !info.ICC.Convert || info.ICC.Name != c.desc || info.ICC.Problem != nil {
				t.Fatalf("Inspect: ICC %+v, want %q converted", info.ICC, c.desc)
			}
			vs, err := Process(context.Background(), "anh.jpg", src, testSettings, Plan(info, testSettings))
			if err != nil {
				t.Fatal(err)
			}
			far := false
			for _, v := range vs {
				if v.Format != JPEG {
					continue
				}
				if bytes.Contains(v.Data, []byte("ICC_PROFILE")) {
					t.Errorf("the variant still carries the profile")
				}
				m, err := jpeg.Decode(bytes.NewReader(v.Data))
				if err != nil {
					t.Fatal(err)
				}
				for i, in := range cs {
					want := expectSRGB(in, c.decode, c.toXYZ)
					r, g, bl, _ := m.At(32*i+16, 16).RGBA()
					got := [3]float64{float64(r >> 8), float64(g >> 8), float64(bl >> 8)}
					for k := range 3 {
						if math.Abs(got[k]-want[k]) > 4 {
							t.Errorf("patch %v: got %v, want about %.0f", in, got, want)
							break
						}
					}
					if math.Abs(want[0]-float64(in.R))+math.Abs(want[1]-float64(in.G))+math.Abs(want[2]-float64(in.B)) > 20 {
						far = true
					}
				}
			}
			if !far {
				t.Error("no patch differs much between the profile and sRGB: the test shows nothing")
			}
		})
	}
}

// TestSRGBAndUnusableProfiles: a JPEG tagged sRGB (Ghostscript's srgb.icc) gives the
// same variants as without a profile; one tagged with a profile that cannot be
// converted (a CMYK one) is not converted, and Inspect says why for the build's warning.
func TestSRGBAndUnusableProfiles(t *testing.T) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, patches([]color.RGBA{{200, 60, 50, 255}, {40, 70, 190, 255}}), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	plain := b.Bytes()
	info, err := Inspect("anh.jpg", plain, testSettings)
	if err != nil {
		t.Fatal(err)
	}
	want, err := Process(context.Background(), "anh.jpg", plain, testSettings, Plan(info, testSettings))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, problem string
	}{
		{"srgb.icc", ""},
		{"default_cmyk.icc", "CMYK"},
	} {
		src := corpus.WithICC(plain, systemICC(t, c.file))
		info, err := Inspect("anh.jpg", src, testSettings)
		if err != nil {
			t.Fatal(err)
		}
		if info.ICC.Convert || info.ICC.Name == "" || (c.problem == "") != (info.ICC.Problem == nil) || (c.problem != "" && !strings.Contains(info.ICC.Problem.Error(), c.problem)) {
			t.Errorf("%s: ICC %+v, want not converted, named, problem %q", c.file, info.ICC, c.problem)
		}
		got, err := Process(context.Background(), "anh.jpg", src, testSettings, Plan(info, testSettings))
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if !bytes.Equal(got[i].Data, want[i].Data) {
				t.Errorf("%s: the %v variant differs from the untagged photo's", c.file, got[i].Spec)
			}
		}
	}
}

// TestBrokenICCIsHarmless: damaged or hostile profile chunks never fail a photo.
func TestBrokenICCIsHarmless(t *testing.T) {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, patches([]color.RGBA{{200, 60, 50, 255}}), nil); err != nil {
		t.Fatal(err)
	}
	p3 := displayP3()
	for name, prof := range map[string][]byte{
		"truncated":     p3[:200],
		"huge count":    append(append([]byte{}, p3[:128]...), 0xFF, 0xFF, 0xFF, 0xFF),
		"offset beyond": func() []byte { q := append([]byte{}, p3...); binary.BigEndian.PutUint32(q[136:], 1<<30); return q }(),
		"empty":         {},
	} {
		src := corpus.WithICC(b.Bytes(), prof)
		info, err := Inspect("anh.jpg", src, testSettings)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if info.ICC.Convert {
			t.Errorf("%s: converted with a broken profile", name)
		}
		if _, err := Process(context.Background(), "anh.jpg", src, testSettings, Plan(info, testSettings)); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}
