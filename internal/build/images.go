package build

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/photo"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/site"
)

// Photos (issue 16). The raster images articles use — in their page bundle (written
// "anh.jpg"), in static/ (written "/anh/x.jpg") or as the front matter's image — are
// published as resized variants without metadata (internal/photo), under ImagesDir with
// fingerprinted names; the camera files themselves never are. Resolving an image reads
// its header only, so Markdown can be rendered with the variants' names and sizes
// before any pixel is decoded; the variants are made (or found in the run's store) once
// the site is loaded.

// ImagesDir is the output folder of image variants (their names are fingerprinted:
// publish.Fingerprinted recognises them, and they are cached for ever).
const ImagesDir = "_anh"

// photoSettings are the processing settings of cfg.
func photoSettings(cfg config.Config) photo.Settings {
	return photo.Settings{Widths: cfg.Images.Widths, JPEGQuality: cfg.Images.Quality, WebPQuality: cfg.Images.WebPQuality,
		KeepOriginal: cfg.Images.KeepOriginal, MaxPixels: int64(cfg.Limits.MaxImageMegapixels) * 1e6, MaxBytes: int64(cfg.Limits.MaxImageMB) * 1e6}
}

// imageSet resolves and checks the images of one build and publishes their variants.
type imageSet struct {
	siteDir  string
	settings photo.Settings
	mu       sync.Mutex
	sources  map[string]*imageSource // by site path ("content/tin-tuc/bai/anh.jpg")
	bundles  map[string]string       // bundle folder → docKey of its documents
	static   sync.Once
	staticK  string
	plainK   string // docKey of a document outside a bundle
}

// imageSource is one source image, read once per build.
type imageSource struct {
	once  sync.Once
	rel   string // site path, slash-separated
	hash  string
	plan  []photo.Spec
	names []string // plan's variant names
	icc   photo.ICC
	// decoded is the size of its pixels once decoded, 4 bytes each (for decodeBudget).
	decoded int64
	err     error // not found, or not usable (photo.Error)
}

func newImageSet(siteDir string, cfg config.Config) *imageSet {
	return &imageSet{siteDir: siteDir, settings: photoSettings(cfg), sources: map[string]*imageSource{}, bundles: map[string]string{}}
}

var schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`)

// sitePath returns the site path an image destination of d names, and false for one
// the build does not process: another site, a data: URL, a format other than JPEG, PNG,
// GIF and WebP (SVG is served as it is). A relative path is in d's page bundle (it is
// served beside the page), an absolute one in static/.
func sitePath(d *content.Document, dest string) (string, bool) {
	dest = strings.TrimSpace(dest)
	if i := strings.IndexAny(dest, "#?"); i >= 0 {
		dest = dest[:i]
	}
	if dest == "" || schemeRe.MatchString(dest) || strings.HasPrefix(dest, "//") {
		return "", false
	}
	if u, err := url.PathUnescape(dest); err == nil {
		dest = u
	}
	if photo.FormatOfName(dest) == "" {
		return "", false
	}
	var p string
	switch {
	case strings.HasPrefix(dest, "/"):
		p = path.Join("static", dest)
		if !strings.HasPrefix(p, "static/") {
			p = "static/" + path.Base(dest)
		}
	case d.BundleDir != "":
		p = path.Join(d.BundleDir, dest)
		if !strings.HasPrefix(p, d.BundleDir+"/") { // "../x.jpg": not in the bundle
			p = path.Join(d.BundleDir, path.Base(dest)) // looked for where it should be
		}
	default: // a page that is not a bundle has no folder of its own
		p = path.Join(path.Dir(d.Path), strings.TrimSuffix(path.Base(d.Path), path.Ext(d.Path)), path.Base(dest))
	}
	if !strings.HasPrefix(p, "content/") && !strings.HasPrefix(p, "static/") {
		p = "static/" + path.Base(dest) // never outside the site's input folders
	}
	return p, true
}

// source returns the source image at site path rel, reading it on first use.
func (s *imageSet) source(rel string) *imageSource {
	s.mu.Lock()
	src, ok := s.sources[rel]
	if !ok {
		src = &imageSource{rel: rel}
		s.sources[rel] = src
	}
	s.mu.Unlock()
	src.once.Do(func() { s.load(src) })
	return src
}

func (s *imageSet) load(src *imageSource) {
	p := filepath.Join(s.siteDir, filepath.FromSlash(src.rel))
	fi, err := os.Lstat(p)
	switch {
	case err != nil:
		src.err = errMissingImage
		return
	case !s.inside(p):
		src.err = &photo.Error{File: src.rel, Msg: message.New("nằm trong một thư mục là liên kết tượng trưng ra ngoài thư mục trang: chép ảnh thật vào đây")}
		return
	case !fi.Mode().IsRegular():
		src.err = &photo.Error{File: src.rel, Msg: message.New("không phải là một tệp thường (liên kết tượng trưng, thư mục hoặc tệp đặc biệt): chép ảnh thật vào đây")}
		return
	case s.settings.MaxBytes > 0 && fi.Size() > s.settings.MaxBytes:
		// Refused before it is read.
		_, src.err = photo.Inspect(src.rel, make([]byte, s.settings.MaxBytes+1), s.settings)
		return
	}
	data, err := os.ReadFile(p)
	if err != nil {
		src.err = &photo.Error{File: src.rel, Msg: message.New("không đọc được tệp: %v", err)}
		return
	}
	info, err := photo.Inspect(src.rel, data, s.settings)
	if err != nil {
		src.err = err
		return
	}
	src.hash = photo.Hash(data)
	src.icc = info.ICC
	src.decoded = int64(info.Width) * int64(info.Height) * 4
	src.plan = photo.Plan(info, s.settings)
	for _, sp := range src.plan {
		src.names = append(src.names, photo.Name(src.rel, src.hash, s.settings, sp))
	}
}

var errMissingImage = fmt.Errorf("không tìm thấy tệp ảnh")

// inside reports whether p's folder, with symbolic links resolved, is in the site folder
// (content and render refuse links out of it; a photo is read before they look).
func (s *imageSet) inside(p string) bool {
	root, err := filepath.EvalSymlinks(s.siteDir)
	if err != nil {
		return false
	}
	dir, err := filepath.EvalSymlinks(filepath.Dir(p))
	if err != nil {
		return false
	}
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// url is the published URL of variant i.
func (src *imageSource) url(i int) string { return "/" + ImagesDir + "/" + src.names[i] }

// picture returns how src is shown.
func (src *imageSource) picture() markdown.Picture {
	var webp, fallback []string
	for i, sp := range src.plan {
		c := fmt.Sprintf("%s %dw", src.url(i), sp.Width)
		if sp.Format == photo.WebP {
			webp = append(webp, c)
		} else {
			fallback = append(fallback, c)
		}
	}
	slices.Reverse(webp) // narrowest first, as people write them
	slices.Reverse(fallback)
	share, _ := photo.Share(src.plan)
	widest := src.plan[slices.IndexFunc(src.plan, func(sp photo.Spec) bool { return sp.Format == photo.WebP })]
	return markdown.Picture{Src: src.url(slices.Index(src.plan, share)), Width: widest.Width, Height: widest.Height,
		SrcSet: strings.Join(fallback, ", "), WebPSrcSet: strings.Join(webp, ", ")}
}

// docImages resolves the images of one document for the Markdown renderer.
type docImages struct {
	set *imageSet
	doc *content.Document
}

func (di docImages) Picture(dest string) (markdown.Picture, bool) {
	rel, ok := sitePath(di.doc, dest)
	if !ok {
		return markdown.Picture{}, false
	}
	src := di.set.source(rel)
	if src.err != nil {
		return markdown.Picture{}, false
	}
	return src.picture(), true
}

// page returns how d's Markdown renders its images: the first picture is the page's
// largest paint unless the article shows a lead photo above its body.
func (s *imageSet) page(d *content.Document) markdown.Page {
	_, lead := sitePath(d, d.Image)
	return markdown.Page{Images: docImages{s, d}, EagerFirst: !lead, NFC: true} // a Document's Body is NFC
}

// docKey names, in the key of d's rendered Markdown, the images it may show: the
// settings and the identity (name, size, times) of the image files of its bundle and
// of static/, so that a body is rendered again when an image it may name changes.
//
// A document outside a bundle gets the one key of the settings and static/, made once
// per build (it is asked for every document, twice, on every rebuild of the preview);
// a bundle's key is made once per bundle.
func (s *imageSet) docKey(d *content.Document) string {
	s.static.Do(func() {
		s.staticK = filesKey(s.siteDir, "static", true)
		s.plainK = "|img:" + newKey().str(s.settings.Key()).str(s.staticK).sum()
	})
	if d.BundleDir == "" {
		return s.plainK
	}
	s.mu.Lock()
	key, ok := s.bundles[d.BundleDir]
	s.mu.Unlock()
	if !ok {
		bk := filesKey(s.siteDir, d.BundleDir, false)
		key = "|img:" + newKey().str(s.settings.Key()).str(s.staticK).str(bk).sum()
		s.mu.Lock()
		s.bundles[d.BundleDir] = key
		s.mu.Unlock()
	}
	return key
}

// filesKey hashes the names and identities of the raster image files in the folder
// dir of the site (and its subfolders when deep).
func filesKey(siteDir, dir string, deep bool) string {
	h := sha256.New()
	root := filepath.Join(siteDir, filepath.FromSlash(dir))
	_ = filepath.WalkDir(root, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if e.IsDir() {
			if p != root && !deep {
				return filepath.SkipDir
			}
			return nil
		}
		if photo.FormatOfName(e.Name()) == "" {
			return nil
		}
		id, err := buildcache.Stat(p)
		if err != nil {
			fmt.Fprintf(h, "%s|?\n", p)
			return nil
		}
		fmt.Fprintf(h, "%s|%d|%d|%d|%d\n", p, id.Size, id.ModNs, id.ChgNs, id.Ino)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))
}

// photoOf returns the lead photo of d: its front matter image, else the first image of
// its body the build publishes; nil when it has none.
func (s *imageSet) photoOf(d *content.Document, links []markdown.Link) *site.Photo {
	mk := func(src *imageSource, alt string) *site.Photo {
		share, _ := photo.Share(src.plan)
		i := slices.Index(src.plan, share)
		return &site.Photo{Picture: src.picture(), Alt: alt, Share: src.url(i), ShareWidth: share.Width, ShareHeight: share.Height}
	}
	if rel, ok := sitePath(d, d.Image); ok {
		if src := s.source(rel); src.err == nil {
			return mk(src, d.ImageAlt)
		}
		return nil
	}
	for _, l := range links {
		if !l.Image || l.Blocked {
			continue
		}
		if rel, ok := sitePath(d, l.Dest); ok {
			if src := s.source(rel); src.err == nil {
				return mk(src, l.Alt)
			}
		}
	}
	return nil
}

// check reports the images of d that cannot be published, at the line (and column) that
// names them, and returns the sources it uses.
func (s *imageSet) check(d *content.Document, links []markdown.Link, ds *diag.List) []*imageSource {
	var used []*imageSource
	report := func(dest string, line, col int, what string) {
		rel, ok := sitePath(d, dest)
		if !ok {
			return
		}
		src := s.source(rel)
		switch {
		case src.err == errMissingImage:
			ds.Errorf(d.Path, line, col, "missing-photo", "không tìm thấy %s %q (đã tìm %s): %s", what, dest, rel, missingHint(d, dest))
		case src.err != nil:
			ds.Errorf(d.Path, line, col, "photo", "%s %q: %v", what, dest, src.err)
		default:
			if p := src.icc.Problem; p != nil {
				ds.Warnf(d.Path, line, col, "photo-colour", "%s %q có hồ sơ màu %q không chuyển được sang sRGB (%v): màu trên trang có thể lệch; mở ảnh bằng phần mềm chỉnh ảnh và xuất lại với hồ sơ màu sRGB", what, dest, src.icc.Name, p)
			}
			used = append(used, src)
		}
	}
	if d.Image != "" {
		report(d.Image, d.Line("image"), 1, "ảnh đại diện (image)")
	}
	for _, l := range links {
		if l.Image && !l.Blocked {
			line := d.BodyLine
			if l.Line > 0 {
				line += l.Line - 1
			}
			report(l.Dest, line, l.Col, "ảnh")
		}
	}
	return used
}

func missingHint(d *content.Document, dest string) string {
	if strings.HasPrefix(dest, "/") {
		return "đặt tệp vào thư mục static/ (ví dụ static" + dest + ")"
	}
	if d.BundleDir != "" {
		return "đặt tệp cạnh " + d.Path + " hoặc sửa tên tệp cho đúng"
	}
	return "đổi bài thành thư mục riêng (" + strings.TrimSuffix(d.Path, path.Ext(d.Path)) + "/index.md) và đặt ảnh cạnh index.md, hoặc đặt ảnh vào static/ và viết /" + path.Base(dest)
}

// bundlePhoto reports whether a page bundle's file is a photo, published as variants
// only: the camera file (GPS position, serial number) is never copied.
func bundlePhoto(name string) bool { return photo.FormatOfName(name) != "" }

// withoutCameraFiles returns static without the site's JPEG and WebP files that
// articles show as photos: they are published as variants, and the camera file (GPS
// position, serial number) must not be published beside them. PNG and GIF graphics (a
// logo a template may also use) are still copied.
func withoutCameraFiles(siteDir string, static []render.StaticFile, photos []*imageSource) []render.StaticFile {
	shown := map[string]bool{}
	for _, src := range photos {
		if f := photo.FormatOfName(src.rel); strings.HasPrefix(src.rel, "static/") && (f == photo.JPEG || f == photo.WebP) {
			shown[filepath.Join(siteDir, filepath.FromSlash(src.rel))] = true
		}
	}
	if len(shown) == 0 {
		return static
	}
	out := make([]render.StaticFile, 0, len(static))
	for _, f := range static {
		if p := f.Path(); p == "" || !shown[p] {
			out = append(out, f)
		}
	}
	return out
}

// attachPhotos checks the images of the published documents (srcs), sets each one's
// lead photo and images key, and returns the image sources the site uses, each once.
// The sources are read in parallel first (a rebuild that rendered no Markdown has not
// read any).
//
// files lists, per content file, the variants its page shows (output paths), for the
// manifest: an article held back later keeps them with its page.
func attachPhotos(ctx context.Context, docs []*content.Document, srcs map[*content.Document]*site.Source, imgs *imageSet, ds *diag.List) (photos []*imageSource, files map[string][]string, err error) {
	var rels []string
	seenRel := map[string]bool{}
	for _, d := range docs {
		src, ok := srcs[d]
		if !ok {
			continue
		}
		dests := []string{d.Image}
		for _, l := range src.Body.Links {
			if l.Image && !l.Blocked {
				dests = append(dests, l.Dest)
			}
		}
		for _, dest := range dests {
			if rel, ok := sitePath(d, dest); ok && !seenRel[rel] {
				seenRel[rel] = true
				rels = append(rels, rel)
			}
		}
	}
	if err := parallel.Each(ctx, len(rels), func(i int) { imgs.source(rels[i]) }); err != nil {
		return nil, nil, err
	}
	seen := map[string]bool{}
	var out []*imageSource
	files = map[string][]string{}
	for _, d := range docs {
		src, ok := srcs[d]
		if !ok {
			continue
		}
		for _, is := range imgs.check(d, src.Body.Links, ds) {
			if !seen[is.names[0]] { // the same photo in two bundles is published once
				seen[is.names[0]] = true
				out = append(out, is)
			}
			for _, name := range is.names {
				files[d.Path] = append(files[d.Path], ImagesDir+"/"+name)
			}
		}
		src.Photo = imgs.photoOf(d, src.Body.Links)
		src.ImagesKey = imgs.docKey(d)
	}
	return out, files, nil
}

// variantStore keeps encoded variants between builds (per cache strategy).
type variantStore interface {
	// file returns the variant name as a file to publish at rel, if the store has it.
	file(name, rel string) (publish.File, bool)
	// put keeps the variant and returns it as a file to publish at rel.
	put(name, rel string, data []byte) (publish.File, error)
	// commit is called after a successful build with the variants it used.
	commit(used map[string]bool, ds *diag.List)
}

// memoryVariants keeps variants in memory: the preview's (for the next build, only those
// the last build used) and a build without a cache folder's (for that build only).
type memoryVariants struct {
	mu sync.Mutex
	m  map[string][]byte
}

func newMemoryVariants() *memoryVariants { return &memoryVariants{m: map[string][]byte{}} }

func (v *memoryVariants) file(name, rel string) (publish.File, bool) {
	v.mu.Lock()
	b, ok := v.m[name]
	v.mu.Unlock()
	return publish.File{Rel: rel, Data: b, Source: "ảnh " + name, Kind: publish.Final}, ok
}

func (v *memoryVariants) put(name, rel string, data []byte) (publish.File, error) {
	v.mu.Lock()
	v.m[name] = data
	v.mu.Unlock()
	return publish.File{Rel: rel, Data: data, Source: "ảnh " + name, Kind: publish.Final}, nil
}

func (v *memoryVariants) commit(used map[string]bool, _ *diag.List) {
	v.mu.Lock()
	defer v.mu.Unlock()
	for name := range v.m {
		if !used[name] {
			delete(v.m, name)
		}
	}
}

// diskVariants keeps variants in the cache folder (buildcache.Variants).
type diskVariants struct{ v *buildcache.Variants }

func (d diskVariants) file(name, rel string) (publish.File, bool) {
	p, ok := d.v.Path(name)
	return publish.File{Rel: rel, SrcPath: p, Source: "ảnh " + name, Kind: publish.Static}, ok
}

func (d diskVariants) put(name, rel string, data []byte) (publish.File, error) {
	p, err := d.v.Put(name, data)
	if err != nil {
		// A full or read-only cache folder only makes the next build slower.
		return publish.File{Rel: rel, Data: data, Source: "ảnh " + name, Kind: publish.Final}, nil
	}
	return publish.File{Rel: rel, SrcPath: p, Source: "ảnh " + name, Kind: publish.Static}, nil
}

func (d diskVariants) commit(used map[string]bool, ds *diag.List) {
	if _, err := d.v.Prune(used); err != nil {
		ds.Warnf(buildcache.VariantsDir, 0, 0, "cache", "không dọn được ảnh cũ trong bộ nhớ đệm: %v", err)
	}
}

// imageCounts are the images a build processed and those whose variants it found.
type imageCounts struct{ processed, reused int }

// publishImages adds the variants of srcs to w, encoding those store does not have, in
// parallel (GOMAXPROCS images at a time, while their decoded pixels fit decodeBudget).
// Each source is decoded at most once.
func (s *imageSet) publishImages(ctx context.Context, srcs []*imageSource, store variantStore, w publish.Sink, ds *diag.List) (imageCounts, map[string]bool, error) {
	var processed, reused atomic.Int64
	var bad atomic.Bool // an image could not be processed: ds says why
	var mu sync.Mutex
	var errs []error
	fail := func(err error) {
		mu.Lock()
		errs = append(errs, err)
		mu.Unlock()
	}
	used := map[string]bool{}
	for _, src := range srcs {
		for _, n := range src.names {
			used[n] = true
		}
	}
	gate := newByteGate(decodeBudget)
	err := parallel.Each(ctx, len(srcs), func(i int) {
		src := srcs[i]
		files := make([]publish.File, len(src.names))
		have := true
		for j, n := range src.names {
			var ok bool
			if files[j], ok = store.file(n, ImagesDir+"/"+n); !ok {
				have = false
				break
			}
		}
		if have {
			reused.Add(1)
		} else {
			data, err := os.ReadFile(filepath.Join(s.siteDir, filepath.FromSlash(src.rel)))
			if err != nil {
				ds.Errorf(src.rel, 0, 0, "photo-file", "không đọc được tệp ảnh: %v", err)
				bad.Store(true)
				return
			}
			if photo.Hash(data) != src.hash {
				ds.Errorf(src.rel, 0, 0, "photo-file", "tệp ảnh vừa bị sửa trong lúc dựng: dựng lại")
				bad.Store(true)
				return
			}
			gate.acquire(src.decoded)
			vs, err := photo.Process(ctx, src.rel, data, s.settings, src.plan)
			gate.release(src.decoded)
			if err != nil {
				if ctx.Err() == nil {
					var msg any = strings.TrimPrefix(err.Error(), src.rel+": ")
					if pe, ok := err.(*photo.Error); ok {
						msg = pe.Msg // in the reader's language
					}
					ds.Errorf(src.rel, 0, 0, "photo-file", "%s", msg)
					bad.Store(true)
				}
				return
			}
			for j, v := range vs {
				if files[j], err = store.put(src.names[j], ImagesDir+"/"+src.names[j], v.Data); err != nil {
					fail(err)
					return
				}
			}
			processed.Add(1)
		}
		for _, f := range files {
			if err := w.Add(f); err != nil {
				fail(err)
				return
			}
		}
	})
	if err == nil && len(errs) > 0 {
		err = errs[0]
	}
	if err == nil && bad.Load() {
		err = ds.Err()
	}
	return imageCounts{int(processed.Load()), int(reused.Load())}, used, err
}
