package corpus

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPhotosArePlantedInBundles(t *testing.T) {
	dir := t.TempDir()
	st, err := GenerateContext(t.Context(), dir, Options{Articles: 5, Seed: 2, PhotoEvery: 2, PhotoWidth: 64, PhotoHeight: 48})
	if err != nil {
		t.Fatal(err)
	}
	if st.Photos != 3 || st.PhotoBytes == 0 {
		t.Fatalf("Stats = %+v, want 3 photos (articles 0, 2, 4)", st)
	}
	bundles, _ := filepath.Glob(filepath.Join(dir, "content", Section, "*", "index.md"))
	if len(bundles) != 3 {
		t.Fatalf("%d bundles, want 3", len(bundles))
	}
	for _, b := range bundles {
		md, _ := os.ReadFile(b)
		if !strings.HasPrefix(string(md), "---\nimage: anh.jpg\nimage_alt: \"Ảnh minh họa bài số ") {
			t.Errorf("%s: no lead image in the front matter:\n%.200s", b, md)
		}
		jpg, err := os.ReadFile(filepath.Join(filepath.Dir(b), "anh.jpg"))
		if err != nil {
			t.Fatal(err)
		}
		if cfg, err := jpeg.DecodeConfig(bytes.NewReader(jpg)); err != nil || cfg.Width != 64 || cfg.Height != 48 {
			t.Errorf("%s: photo %v %v, want a 64×48 JPEG", b, cfg, err)
		}
	}
}

func TestPhotoIsDeterministicAndNotFlat(t *testing.T) {
	a, err := PhotoJPEG(1, 3, 200, 150)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := PhotoJPEG(1, 3, 200, 150)
	c, _ := PhotoJPEG(1, 4, 200, 150)
	if !bytes.Equal(a, b) || bytes.Equal(a, c) {
		t.Error("same (seed, index) must give the same bytes, another index other bytes")
	}
	m := Photo(1, 3, 200, 150)
	seen := map[uint8]bool{}
	for _, y := range m.Y {
		seen[y] = true
	}
	if len(seen) < 64 {
		t.Errorf("only %d distinct luma values: not photo-like", len(seen))
	}
}
