package build_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/build"
)

// A ServeCache finds a photo's variants in the output folder by their fingerprinted names:
// a rebuild after an edit does not encode them again, and they stay published.
func TestServeCacheReusesPhotoVariantsFromTheOutput(t *testing.T) {
	site := photoSite(t, "Hội nghị khai mạc.\n\n![Đại biểu phát biểu](anh.jpg \"Ảnh: Văn Dũng\")\n")
	dest := filepath.Join(t.TempDir(), "public")
	cache := build.NewServeCache()
	run := func() build.Report {
		t.Helper()
		rep, err := build.Run(context.Background(), build.Options{SiteDir: site, Dest: dest, Now: benchNow, Minify: true, Cache: cache})
		if err != nil {
			t.Fatalf("%v\n%v", err, rep.Diagnostics)
		}
		return rep
	}
	if rep := run(); rep.ImagesProcessed != 1 || rep.ImagesReused != 0 {
		t.Fatalf("first build: processed %d, reused %d", rep.ImagesProcessed, rep.ImagesReused)
	}
	md := filepath.Join(site, "content", "tin-tuc", "hoi-nghi", "index.md")
	b, _ := os.ReadFile(md)
	os.WriteFile(md, []byte(strings.Replace(string(b), "khai mạc", "khai mạc sáng nay", 1)), 0o644)
	if rep := run(); rep.ImagesProcessed != 0 || rep.ImagesReused != 1 {
		t.Errorf("rebuild: processed %d, reused %d; want 0, 1", rep.ImagesProcessed, rep.ImagesReused)
	}
	page, _ := os.ReadFile(filepath.Join(dest, "tin-tuc", "hoi-nghi", "index.html"))
	shown := regexp.MustCompile(`/_anh/[^" ,]+`).FindAllString(string(page), -1)
	if len(shown) == 0 {
		t.Fatal("the page shows no variant")
	}
	for _, v := range shown {
		if _, err := os.Stat(filepath.Join(dest, filepath.FromSlash(v))); err != nil {
			t.Errorf("the page shows %s, which is not published: %v", v, err)
		}
	}
	if !strings.Contains(string(page), "sáng nay") {
		t.Error("the edit is not published")
	}
}
