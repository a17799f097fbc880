// Command photoq scores the photo variants portal and Hugo wrote for the same sources
// (bench/photos.sh): for every bundle content/tin-tuc/<slug>/anh.jpg of a site generated
// with `bench/gen -photos 1`, and every width, it compares each tool's WebP and JPEG
// variant with a reference (the source resized with Catmull-Rom from full size) by
// SSIM on luma (8×8 windows, stride 4), and sums the bytes:
//
//	go run ./bench/photoq -site DIR -portal PUBLIC -hugo PUBLIC
//
// It prints one TSV row per tool and format: tool, format, variants, bytes, mean SSIM.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vnportal/portal/internal/photo"
	"golang.org/x/image/draw"
	xwebp "golang.org/x/image/webp"
)

// settings are portal's defaults (config.DefaultImages); limits do not change names.
var settings = photo.Settings{Widths: []int{360, 720, 1080, 1600}, JPEGQuality: 80, WebPQuality: 75}

type score struct {
	n     int
	bytes int64
	ssim  float64
}

func main() {
	siteDir := flag.String("site", "", "the generated site")
	portalOut := flag.String("portal", "", "portal's output folder")
	hugoOut := flag.String("hugo", "", "Hugo's output folder")
	flag.Parse()
	if *siteDir == "" || *portalOut == "" || *hugoOut == "" {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/photoq -site DIR -portal PUBLIC -hugo PUBLIC")
		os.Exit(2)
	}
	sources, _ := filepath.Glob(filepath.Join(*siteDir, "content", "tin-tuc", "*", "anh.jpg"))
	scores := map[string]*score{}
	add := func(key, path string, ref *image.Gray) {
		data, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintln(os.Stderr, "photoq:", err)
			return
		}
		var m image.Image
		if strings.HasSuffix(path, ".webp") {
			m, err = xwebp.Decode(strings.NewReader(string(data)))
		} else {
			m, err = jpeg.Decode(strings.NewReader(string(data)))
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "photoq:", path, err)
			return
		}
		s := scores[key]
		if s == nil {
			s = &score{}
			scores[key] = s
		}
		s.n++
		s.bytes += int64(len(data))
		s.ssim += ssim(ref, luma(m, ref.Rect.Dx(), ref.Rect.Dy()))
	}
	for _, src := range sources {
		data, err := os.ReadFile(src)
		if err != nil {
			fmt.Fprintln(os.Stderr, "photoq:", err)
			os.Exit(1)
		}
		img, err := jpeg.Decode(strings.NewReader(string(data)))
		if err != nil {
			fmt.Fprintln(os.Stderr, "photoq:", src, err)
			os.Exit(1)
		}
		rel, _ := filepath.Rel(*siteDir, src)
		rel = filepath.ToSlash(rel)
		info, err := photo.Inspect(rel, data, settings)
		if err != nil {
			fmt.Fprintln(os.Stderr, "photoq:", err)
			os.Exit(1)
		}
		slug := filepath.Base(filepath.Dir(src))
		for _, sp := range photo.Plan(info, settings) {
			ref := luma(img, sp.Width, sp.Height)
			add("portal\t"+string(sp.Format), filepath.Join(*portalOut, "_anh", photo.Name(rel, photo.Hash(data), settings, sp)), ref)
			ext := ".webp"
			if sp.Format == photo.JPEG {
				ext = ".jpg"
			}
			hs, _ := filepath.Glob(filepath.Join(*hugoOut, "tin-tuc", slug, fmt.Sprintf("anh_*_%dx0_resize_*%s", sp.Width, ext)))
			if len(hs) == 1 {
				add("hugo\t"+string(sp.Format), hs[0], ref)
			} else {
				fmt.Fprintf(os.Stderr, "photoq: %s %d%s: %d Hugo files\n", slug, sp.Width, ext, len(hs))
			}
		}
	}
	keys := make([]string, 0, len(scores))
	for k := range scores {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Println("tool\tformat\tvariants\tbytes\tssim")
	for _, k := range keys {
		s := scores[k]
		fmt.Printf("%s\t%d\t%d\t%.4f\n", k, s.n, s.bytes, s.ssim/float64(s.n))
	}
}

// luma resizes m to w×h with Catmull-Rom (a no-op scale when the size is already w×h)
// and returns its luma.
func luma(m image.Image, w, h int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	if b := m.Bounds(); b.Dx() == w && b.Dy() == h {
		draw.Draw(g, g.Rect, m, b.Min, draw.Src)
		return g
	}
	draw.CatmullRom.Scale(g, g.Rect, m, m.Bounds(), draw.Src, nil)
	return g
}

// ssim is the mean structural similarity of two equally sized grey images over 8×8
// windows with stride 4 (Wang et al. 2004, constants for 8-bit values).
func ssim(a, b *image.Gray) float64 {
	const c1, c2 = (0.01 * 255) * (0.01 * 255), (0.03 * 255) * (0.03 * 255)
	w, h := a.Rect.Dx(), a.Rect.Dy()
	var sum float64
	n := 0
	for y := 0; y+8 <= h; y += 4 {
		for x := 0; x+8 <= w; x += 4 {
			var sa, sb, saa, sbb, sab float64
			for j := 0; j < 8; j++ {
				for i := 0; i < 8; i++ {
					va := float64(a.Pix[(y+j)*a.Stride+x+i])
					vb := float64(b.Pix[(y+j)*b.Stride+x+i])
					sa += va
					sb += vb
					saa += va * va
					sbb += vb * vb
					sab += va * vb
				}
			}
			const k = 64.0
			ma, mb := sa/k, sb/k
			va, vb := saa/k-ma*ma, sbb/k-mb*mb
			cov := sab/k - ma*mb
			sum += ((2*ma*mb + c1) * (2*cov + c2)) / ((ma*ma + mb*mb + c1) * (va + vb + c2))
			n++
		}
	}
	if n == 0 {
		return math.NaN()
	}
	return sum / float64(n)
}
