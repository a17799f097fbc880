package config

import (
	"slices"

	"github.com/vnportal/portal/internal/diag"
)

// Images are the settings of the photos articles use (config.toml's [images]): every
// raster image is resized to Widths (never up), encoded as WebP plus a JPEG fallback
// (PNG and GIF graphics: lossless PNG plus WebP), without metadata.
type Images struct {
	// Widths are the widths in pixels written for each image; default 360, 720, 1080, 1600.
	Widths []int `toml:"widths"`
	// Quality is the JPEG quality (1–100), WebPQuality the WebP quality; defaults 80 and 75.
	Quality     int `toml:"quality"`
	WebPQuality int `toml:"webpQuality"`
	// KeepOriginal also writes each image at its own size (still re-encoded, without
	// metadata). The camera file itself is never published.
	KeepOriginal bool `toml:"keepOriginal"`
}

// DefaultImages are the image settings config.toml does not set.
func DefaultImages() Images {
	return Images{Widths: []int{360, 720, 1080, 1600}, Quality: 80, WebPQuality: 75}
}

// withDefaults returns im with unset values at their defaults; values out of range are
// reported on ds and replaced by their defaults.
func (im Images) withDefaults(path, text string, ds *diag.List) Images {
	d := DefaultImages()
	if len(im.Widths) == 0 {
		im.Widths = d.Widths
	}
	for _, w := range im.Widths {
		if w < 16 || w > 8000 {
			ds.Errorf(path, keyLine(text, "widths"), 0, "config", "images.widths có %d: mỗi chiều rộng phải từ 16 đến 8000 điểm ảnh (mặc định [360, 720, 1080, 1600])", w)
			im.Widths = d.Widths
			break
		}
	}
	im.Widths = slices.Clone(im.Widths)
	slices.Sort(im.Widths)
	im.Widths = slices.Compact(im.Widths)
	for _, q := range []struct {
		v    *int
		def  int
		name string
	}{{&im.Quality, d.Quality, "quality"}, {&im.WebPQuality, d.WebPQuality, "webpQuality"}} {
		if *q.v == 0 {
			*q.v = q.def
		} else if *q.v < 1 || *q.v > 100 {
			ds.Errorf(path, keyLine(text, q.name), 0, "config", "images.%s = %d phải từ 1 đến 100 (mặc định %d)", q.name, *q.v, q.def)
			*q.v = q.def
		}
	}
	return im
}
