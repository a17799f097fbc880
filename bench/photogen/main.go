// Command photogen writes deterministic photo-like JPEGs (gradients, soft shapes, grain:
// see corpus.Photo) for benchmarks and sample content, never downloaded:
//
//	go run ./bench/photogen -n 200 -w 4000 -h 3000 -out /tmp/photos   # anh-000.jpg …
//	go run ./bench/photogen -w 1600 -h 1200 -seed 3 -out content/x/anh.jpg
//
// The sample site's photos (content/tin-tuc/hoi-nghi-trien-khai-chuyen-doi-so-cap-xa/)
// are 3 MP, a phone photo as sent through Zalo, at quality 85 (≈ 390 KB each, to keep
// the repository small) so that every width and the 1200-px share image are made:
//
//	-w 2000 -h 1500 -q 85 -seed 1 -out …/toan-canh.jpg   (-seed 2 thuc-hanh.jpg;
//	-w 2000 -h 1333 -q 85 -seed 3 dai-bieu.jpg)
//
// With -n 1 and -out ending in .jpg, the one photo is written to that file.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"

	"github.com/vnportal/portal/internal/corpus"
)

func main() {
	n := flag.Int("n", 1, "number of photos")
	w := flag.Int("w", 4000, "width in pixels")
	h := flag.Int("h", 3000, "height in pixels")
	seed := flag.Int64("seed", 1, "seed; the same seed, index and size give the same bytes")
	q := flag.Int("q", 92, "JPEG quality (1–100; a camera writes about 92)")
	out := flag.String("out", "", "output folder (or a .jpg file with -n 1)")
	flag.Parse()
	if *out == "" || *n < 1 || *w < 1 || *h < 1 || *q < 1 || *q > 100 || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/photogen [-n 200] [-w 4000] [-h 3000] [-seed 1] [-q 92] -out DIR|FILE.jpg")
		os.Exit(2)
	}
	write := func(path string, i int) {
		var b bytes.Buffer
		err := jpeg.Encode(&b, corpus.Photo(*seed, i, *w, *h), &jpeg.Options{Quality: *q})
		if err == nil {
			err = os.WriteFile(path, b.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "photogen:", err)
			os.Exit(1)
		}
	}
	if *n == 1 && strings.HasSuffix(strings.ToLower(*out), ".jpg") {
		write(*out, 0)
		return
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "photogen:", err)
		os.Exit(1)
	}
	for i := 0; i < *n; i++ {
		write(filepath.Join(*out, fmt.Sprintf("anh-%03d.jpg", i)), i)
	}
}
