package build_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image/jpeg"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

const gpsSecret = "GPS 21.0285N 105.8542E"

// photoSite is a site with one page bundle whose photo (1200×900 stored, EXIF
// orientation 6, so 900×1200 as seen, with a GPS position) is the lead image and is
// shown in the body with a caption.
func photoSite(t *testing.T, body string) string {
	t.Helper()
	jpg, err := corpus.PhotoJPEG(3, 0, 1200, 900)
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.NewSite(t, map[string]string{
		"config.toml":                       "baseURL = \"https://stttt.example.gov.vn/\"\ntitle = \"Cổng\"\ntheme = \"default\"\n[search]\ndisabled = true\n[images]\nwidths = [360, 720]\n",
		"content/tin-tuc/hoi-nghi/index.md": "---\ntitle: \"Hội nghị chuyển đổi số\"\ndate: 2024-05-01\nimage: anh.jpg\nimage_alt: \"Toàn cảnh hội nghị\"\n---\n\n" + body,
		"content/tin-tuc/hoi-nghi/anh.jpg":  string(corpus.WithExif(jpg, 6, gpsSecret, false)),
		"content/tin-tuc/khong-anh.md":      "---\ntitle: \"Bài không ảnh\"\ndate: 2024-04-30\n---\n\nChỉ có chữ.\n",
	})
}

func photoBuild(t *testing.T, site, dest, cache string) (build.Report, error) {
	t.Helper()
	return build.Run(context.Background(), build.Options{SiteDir: site, Dest: dest, Now: benchNow, Minify: true, Cache: build.DiskCache(cache, "test-binary-1")})
}

func TestPhotosArePublishedResizedUprightAndPrivate(t *testing.T) {
	site := photoSite(t, "Hội nghị khai mạc.\n\n![Đại biểu phát biểu](anh.jpg \"Ảnh: Văn Dũng\")\n")
	tmp := t.TempDir()
	dest, cache := filepath.Join(tmp, "public"), filepath.Join(tmp, "cache")
	rep, err := photoBuild(t, site, dest, cache)
	if err != nil {
		t.Fatalf("%v\n%v", err, rep.Diagnostics)
	}
	if rep.ImagesProcessed != 1 || rep.ImagesReused != 0 {
		t.Errorf("first build: processed %d, reused %d; want 1, 0", rep.ImagesProcessed, rep.ImagesReused)
	}
	out := sitetest.ReadTree(t, dest)
	var variants []string
	for rel, data := range out {
		if strings.Contains(data, gpsSecret) || strings.Contains(data, "Exif\x00") {
			t.Errorf("%s carries the camera's metadata", rel)
		}
		if strings.HasPrefix(rel, build.ImagesDir+"/") {
			variants = append(variants, rel)
			if !publish.Fingerprinted(rel) {
				t.Errorf("%s is not recognised as fingerprinted (no immutable caching)", rel)
			}
		}
		if strings.HasSuffix(rel, "anh.jpg") {
			t.Errorf("the camera file was published as %s", rel)
		}
	}
	if len(variants) != 5 { // 360 and 720 wide, WebP and JPEG; the share JPEG at its own 900
		t.Fatalf("variants %v, want 5", variants)
	}
	page := out["tin-tuc/hoi-nghi/index.html"]
	// The lead photo (eager) above the body, the body's figure (lazy, captioned).
	if !regexp.MustCompile(`<figure class="article__figure"><picture><source type="image/webp" srcset="/_anh/anh\.360\.[0-9a-f]{10}\.webp 360w, /_anh/anh\.720\.[0-9a-f]{10}\.webp 720w"`).MatchString(page) {
		t.Errorf("no lead picture in the article page:\n%s", page)
	}
	if !strings.Contains(page, `width="720" height="960"`) {
		t.Errorf("the pictures are not 720×960 (upright): %s", page)
	}
	if !strings.Contains(page, "<figcaption>Ảnh: Văn Dũng</figcaption>") || !strings.Contains(page, `fetchpriority="high"`) || !strings.Contains(page, `loading="lazy"`) {
		t.Errorf("want a captioned lazy figure after an eager lead photo:\n%s", page)
	}
	// Share image: absolute URL of a JPEG in the output, with its size: the photo's own
	// width (900), as it is narrower than 1200 px.
	m := regexp.MustCompile(`<meta property="og:image" content="https://stttt\.example\.gov\.vn/(_anh/anh\.900\.[0-9a-f]{10}\.jpg)">`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no og:image of the 900 JPEG:\n%s", page)
	}
	shared, ok := out[m[1]]
	if !ok {
		t.Fatalf("og:image %s is not in the output", m[1])
	}
	cfg, err := jpeg.DecodeConfig(strings.NewReader(shared))
	if err != nil || cfg.Width != 900 || cfg.Height != 1200 {
		t.Errorf("og:image is %dx%d (%v), want 900×1200 upright", cfg.Width, cfg.Height, err)
	}
	for _, want := range []string{`og:image:width" content="900"`, `og:image:height" content="1200"`, `og:image:alt" content="Toàn cảnh hội nghị"`, `twitter:card" content="summary_large_image"`, `"image":"https://stttt.example.gov.vn/` + m[1] + `"`} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %s", want)
		}
	}
	// Lists show the lead photo; an article without one keeps a text card.
	home := out["index.html"]
	if !strings.Contains(home, `<article class="card card--lead">`) || strings.Count(home, "<picture>") != 1 || !strings.Contains(home, `<article class="card">`) {
		t.Errorf("home: want one lead story with a photo and a text card:\n%s", home)
	}
	if sec := out["tin-tuc/index.html"]; !strings.Contains(sec, "card--photo") || !strings.Contains(sec, `/_anh/anh.360.`) {
		t.Errorf("section list: no thumbnail:\n%s", sec)
	}

	// Unchanged: nothing decoded or encoded again, same output.
	rep, err = photoBuild(t, site, dest, cache)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ImagesProcessed != 0 || rep.ImagesReused != 1 {
		t.Errorf("unchanged rebuild: processed %d, reused %d; want 0, 1", rep.ImagesProcessed, rep.ImagesReused)
	}
	again := sitetest.ReadTree(t, dest)
	for _, v := range variants {
		if again[v] != out[v] {
			t.Errorf("%s changed in an unchanged rebuild", v)
		}
	}

	// Other widths: processed again, under other names, and the pages follow.
	cfgPath := filepath.Join(site, "config.toml")
	b, _ := os.ReadFile(cfgPath)
	if err := os.WriteFile(cfgPath, bytes.Replace(b, []byte("[360, 720]"), []byte("[480]"), 1), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = photoBuild(t, site, dest, cache)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ImagesProcessed != 1 {
		t.Errorf("after a change of widths: processed %d, want 1", rep.ImagesProcessed)
	}
	third := sitetest.ReadTree(t, dest)
	if p := third["tin-tuc/hoi-nghi/index.html"]; !strings.Contains(p, "/_anh/anh.480.") || strings.Contains(p, "/_anh/anh.360.") {
		t.Errorf("the page does not show the 480 variants:\n%s", p)
	}
	for _, v := range variants {
		if _, ok := third[v]; ok {
			t.Errorf("%s of the old widths is still published", v)
		}
	}

	// The photo replaced by another under the same name: new variants, new pages.
	jpg, _ := corpus.PhotoJPEG(4, 1, 800, 600)
	if err := os.WriteFile(filepath.Join(site, "content/tin-tuc/hoi-nghi/anh.jpg"), jpg, 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err = photoBuild(t, site, dest, cache)
	if err != nil {
		t.Fatal(err)
	}
	fourth := sitetest.ReadTree(t, dest)
	if rep.ImagesProcessed != 1 || !strings.Contains(fourth["tin-tuc/hoi-nghi/index.html"], `width="480" height="360"`) {
		t.Errorf("a replaced photo: processed %d; page:\n%s", rep.ImagesProcessed, fourth["tin-tuc/hoi-nghi/index.html"])
	}
}

func TestPhotoProblemsArePositionedErrors(t *testing.T) {
	png := pngDeclaring(50000, 50000)
	for _, c := range []struct {
		name, body string
		files      map[string]string
		path       string
		line, col  int
		want       string
	}{
		{name: "missing", body: "Mở đầu.\n\nXem  ![Sơ đồ](so-do.jpg) dưới.\n", path: "content/tin-tuc/hoi-nghi/index.md", line: 10, col: 6, want: `không tìm thấy ảnh "so-do.jpg"`},
		{name: "missing static", body: "![Bản đồ](/anh/ban-do.png)\n", path: "content/tin-tuc/hoi-nghi/index.md", line: 8, col: 1, want: "static/anh/ban-do.png"},
		{name: "not an image", body: "![Giấy mời](giay-moi.jpg)\n", files: map[string]string{"content/tin-tuc/hoi-nghi/giay-moi.jpg": "Kính mời quý đại biểu…"},
			path: "content/tin-tuc/hoi-nghi/index.md", line: 8, col: 1, want: "không phải là ảnh"},
		{name: "bomb", body: "![Bom](bom.png)\n", files: map[string]string{"content/tin-tuc/hoi-nghi/bom.png": png},
			path: "content/tin-tuc/hoi-nghi/index.md", line: 8, col: 1, want: "2500 megapixel"},
		// An iPhone photo: HEIC is not decoded; the message says how to export a JPEG.
		{name: "heic", body: "Mở đầu.\n\n![Ảnh từ iPhone](IMG_0001.HEIC)\n", files: map[string]string{"content/tin-tuc/hoi-nghi/IMG_0001.HEIC": heicHeader},
			path: "content/tin-tuc/hoi-nghi/index.md", line: 10, col: 1, want: "xuất ảnh ra JPEG"},
		{name: "heic named jpg", body: "![Ảnh từ iPhone](iphone.jpg)\n", files: map[string]string{"content/tin-tuc/hoi-nghi/iphone.jpg": heicHeader},
			path: "content/tin-tuc/hoi-nghi/index.md", line: 8, col: 1, want: "ảnh HEIC"},
	} {
		t.Run(c.name, func(t *testing.T) {
			site := photoSite(t, c.body)
			sitetest.WriteFiles(t, site, c.files)
			tmp := t.TempDir()
			dest := filepath.Join(tmp, "public")
			sitetest.WriteFiles(t, dest, map[string]string{"index.html": "bản cũ"})
			// Strict: the build fails and leaves the output as it was.
			rep, err := build.Run(context.Background(), build.Options{SiteDir: site, Dest: dest, Now: benchNow, Minify: true, Strict: true, Cache: build.DiskCache(filepath.Join(tmp, "cache"), "test-binary-1")})
			if err == nil {
				t.Fatal("the strict build succeeded")
			}
			if b, _ := os.ReadFile(filepath.Join(dest, "index.html")); string(b) != "bản cũ" {
				t.Error("the failed build changed the output")
			}
			// By default the article is held back (a new one: left out) and the rest of
			// the site is published.
			held, err := photoBuild(t, site, dest, filepath.Join(tmp, "cache"))
			if err != nil {
				t.Fatalf("the default build failed: %v", err)
			}
			if len(held.HeldBack) != 1 || held.HeldBack[0].Path != c.path {
				t.Errorf("held back %+v, want %s", held.HeldBack, c.path)
			}
			if _, err := os.Stat(filepath.Join(dest, "tin-tuc", "khong-anh", "index.html")); err != nil {
				t.Errorf("the other article was not published: %v", err)
			}
			for rel := range sitetest.ReadTree(t, dest) {
				for f := range c.files {
					if path.Base(rel) == path.Base(f) {
						t.Errorf("the unusable file %s was published as %s", f, rel)
					}
				}
			}
			found := false
			for _, d := range rep.Diagnostics {
				if d.Severity == diag.Error && d.Path == c.path && d.Line == c.line && d.Col == c.col && strings.Contains(d.Message, c.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("want an error at %s:%d:%d saying %q; got %v", c.path, c.line, c.col, c.want, rep.Diagnostics)
			}
		})
	}
}

// heicHeader is the start of an iPhone's HEIC photo: the ftyp box (major brand heic).
const heicHeader = "\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x01\x00meta"

// pngDeclaring is a PNG of a few bytes whose header declares w×h.
func pngDeclaring(w, h uint32) string {
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	chunk := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32([]byte("IHDR"), w), h)
	chunk = append(chunk, 8, 2, 0, 0, 0)
	_ = binary.Write(&b, binary.BigEndian, uint32(13))
	b.Write(chunk)
	_ = binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.String()
}

func TestPreviewProcessesOnlyNewPhotos(t *testing.T) {
	site := photoSite(t, "Mở đầu.\n")
	cache := build.NewMemoryCache()
	var files map[string]string
	sink := func(ctx context.Context) (publish.Sink, error) {
		return &mapSink{files: map[string]string{}, done: func(m map[string]string) { files = m }}, nil
	}
	opts := build.Options{SiteDir: site, Now: benchNow, Cache: cache, Output: sink}
	rep, err := build.Run(context.Background(), opts)
	if err != nil || rep.ImagesProcessed != 1 {
		t.Fatalf("first build: processed %d, %v", rep.ImagesProcessed, err)
	}
	// A second photo added to the article: only it is processed.
	jpg, _ := corpus.PhotoJPEG(5, 0, 640, 480)
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/hoi-nghi/moi.jpg":  string(jpg),
		"content/tin-tuc/hoi-nghi/index.md": "---\ntitle: \"Hội nghị chuyển đổi số\"\ndate: 2024-05-01\nimage: anh.jpg\nimage_alt: \"Toàn cảnh\"\n---\n\n![Ảnh mới](moi.jpg)\n",
	})
	rep, err = build.Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ImagesProcessed != 1 || rep.ImagesReused != 1 {
		t.Errorf("after adding a photo: processed %d, reused %d; want 1, 1", rep.ImagesProcessed, rep.ImagesReused)
	}
	if !strings.Contains(files["tin-tuc/hoi-nghi/index.html"], "/_anh/moi.360.") {
		t.Errorf("the page does not show the new photo")
	}
	n := 0
	for rel := range files {
		if strings.HasPrefix(rel, build.ImagesDir+"/") {
			n++
		}
	}
	if n != 8 { // anh (900 wide as seen): 360 and 720; moi (640 wide): 360; WebP and JPEG each; and each one's share JPEG at its own width
		t.Errorf("%d variants published, want 8", n)
	}
}

// mapSink is a publish.Sink that keeps the files in memory.
type mapSink struct {
	mu    sync.Mutex
	files map[string]string
	done  func(map[string]string)
}

func (s *mapSink) Add(f publish.File) error {
	data := f.Data
	if f.SrcPath != "" {
		b, err := os.ReadFile(f.SrcPath)
		if err != nil {
			return err
		}
		data = b
	}
	s.mu.Lock()
	s.files[f.Rel] = string(data)
	s.mu.Unlock()
	return nil
}

func (s *mapSink) Commit() (publish.Stats, error) { s.done(s.files); return publish.Stats{}, nil }
func (s *mapSink) Abort()                         {}

func TestExternalLeadImageIsSharedAsWritten(t *testing.T) {
	site := sitetest.NewSite(t, map[string]string{
		"config.toml":              "baseURL = \"https://stttt.example.gov.vn/\"\ntitle = \"Cổng\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/ngoai.md": "---\ntitle: \"Ảnh ngoài\"\ndate: 2024-05-01\nimage: https://cdn.example.vn/a.jpg\nimage_alt: \"Ảnh\"\n---\n\nChữ.\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	if rep, err := photoBuild(t, site, dest, filepath.Join(t.TempDir(), "cache")); err != nil {
		t.Fatalf("%v %v", err, rep.Diagnostics)
	}
	page := sitetest.ReadTree(t, dest)["tin-tuc/ngoai/index.html"]
	if !strings.Contains(page, `<meta property="og:image" content="https://cdn.example.vn/a.jpg">`) || !strings.Contains(page, `"image":"https://cdn.example.vn/a.jpg"`) {
		t.Errorf("an external lead image is not the share image:\n%s", page)
	}
}

func TestPhotosOutsideTheSiteAreNeverRead(t *testing.T) {
	outside := t.TempDir()
	jpg, _ := corpus.PhotoJPEG(1, 0, 64, 48)
	sitetest.WriteFiles(t, outside, map[string]string{"bi-mat.jpg": string(jpg)})
	site := photoSite(t, "![a](../../../../../../../../"+filepath.ToSlash(outside)[1:]+"/bi-mat.jpg)\n\n![b](/../../bi-mat.jpg)\n\n![c](lien-ket/bi-mat.jpg)\n")
	if err := os.Symlink(outside, filepath.Join(site, "content/tin-tuc/hoi-nghi/lien-ket")); err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	rep, err := photoBuild(t, site, filepath.Join(tmp, "public"), filepath.Join(tmp, "cache"))
	if err == nil {
		t.Fatal("the build succeeded")
	}
	var msgs []string
	for _, d := range rep.Diagnostics {
		if d.Path == "content/tin-tuc/hoi-nghi/index.md" {
			msgs = append(msgs, d.Message)
		}
	}
	if len(msgs) != 3 || !strings.Contains(msgs[0], "không tìm thấy") || !strings.Contains(msgs[1], "static/bi-mat.jpg") || !strings.Contains(msgs[2], "liên kết tượng trưng") {
		t.Errorf("want three errors (not found in the bundle, not found in static/, a link out); got %q", msgs)
	}
}

func TestCameraFilesInStaticAreNotPublished(t *testing.T) {
	jpg, _ := corpus.PhotoJPEG(6, 0, 800, 600)
	site := sitetest.NewSite(t, map[string]string{
		"config.toml":               "baseURL = \"https://stttt.example.gov.vn/\"\ntitle = \"Cổng\"\n[search]\ndisabled = true\n",
		"static/anh/hoi-nghi.jpg":   string(corpus.WithExif(jpg, 1, gpsSecret, true)),
		"static/anh/khong-dung.jpg": string(corpus.WithExif(jpg, 1, gpsSecret, true)),
		"content/tin-tuc/bai.md":    "---\ntitle: \"Bài\"\ndate: 2024-05-01\n---\n\n![Hội nghị](/anh/hoi-nghi.jpg)\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	if rep, err := photoBuild(t, site, dest, filepath.Join(t.TempDir(), "cache")); err != nil {
		t.Fatalf("%v %v", err, rep.Diagnostics)
	}
	out := sitetest.ReadTree(t, dest)
	if _, ok := out["anh/hoi-nghi.jpg"]; ok {
		t.Error("the camera file an article shows was published as it is")
	}
	if _, ok := out["anh/khong-dung.jpg"]; !ok {
		t.Error("a static file no article shows is no longer copied")
	}
	for rel, data := range out {
		if rel != "anh/khong-dung.jpg" && strings.Contains(data, gpsSecret) {
			t.Errorf("%s carries the GPS position", rel)
		}
	}
	if !strings.Contains(out["tin-tuc/bai/index.html"], "/_anh/hoi-nghi.720.") {
		t.Error("the article does not show the photo's variants")
	}
}

// TestPhotoWithAnUnusableColourProfileIsAWarning: a photo whose ICC profile cannot be
// converted to sRGB (a CMYK one, Ghostscript's real default_cmyk.icc from libgs-common)
// is published with a warning at the line that shows it; an Adobe RGB one (a98.icc) is
// converted without a word.
func TestPhotoWithAnUnusableColourProfileIsAWarning(t *testing.T) {
	prof := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("/usr/share/color/icc/ghostscript", name))
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%v (CI installs libgs-common: see .ci/run)", err)
			}
			t.Skipf("%v: apt-get install libgs-common; skipping outside CI", err)
		}
		return b
	}
	jpg, err := corpus.PhotoJPEG(6, 0, 400, 300)
	if err != nil {
		t.Fatal(err)
	}
	site := photoSite(t, "Mở đầu.\n\nXem ![Sơ đồ in](in.jpg) và ![Ảnh máy ảnh](adobe.jpg).\n")
	sitetest.WriteFiles(t, site, map[string]string{
		"content/tin-tuc/hoi-nghi/in.jpg":    string(corpus.WithICC(jpg, prof("default_cmyk.icc"))),
		"content/tin-tuc/hoi-nghi/adobe.jpg": string(corpus.WithICC(jpg, prof("a98.icc"))),
	})
	rep, err := photoBuild(t, site, filepath.Join(t.TempDir(), "public"), filepath.Join(t.TempDir(), "cache"))
	if err != nil {
		t.Fatalf("%v\n%v", err, rep.Diagnostics)
	}
	var warned []string
	for _, d := range rep.Diagnostics {
		if d.Code == "photo-colour" {
			warned = append(warned, fmt.Sprintf("%s:%d:%d %s", d.Path, d.Line, d.Col, d.Message))
			if d.Severity != diag.Warning || d.Path != "content/tin-tuc/hoi-nghi/index.md" || d.Line != 10 || d.Col != 5 || !strings.Contains(d.Message, "in.jpg") || !strings.Contains(d.Message, "CMYK") || !strings.Contains(d.Message, "sRGB") {
				t.Errorf("warning %v, want at index.md:10:5 about in.jpg's CMYK profile", d)
			}
		}
	}
	if len(warned) != 1 {
		t.Errorf("colour warnings %v, want one (the CMYK profile)", warned)
	}
}
