//go:build linux || darwin

package build_test

import (
	"bytes"
	"context"
	"fmt"
	"image/jpeg"
	pngenc "image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/sitetest"
)

// diskSite is a generated site with a build cache folder and an output folder.
type diskSite struct {
	t                *testing.T
	site, dest, dir  string
	binary           string
	search, noMinify bool
}

func newDiskSite(t *testing.T, articles int) *diskSite {
	t.Helper()
	tmp := t.TempDir()
	s := &diskSite{t: t, site: filepath.Join(tmp, "site"), dest: filepath.Join(tmp, "public"), dir: filepath.Join(tmp, "cache"), binary: "test-binary-1"}
	if err := corpus.Generate(s.site, articles, 7); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *diskSite) options(dest, cacheDir string) build.Options {
	cache := build.NoCache()
	if cacheDir != "" {
		cache = build.DiskCache(cacheDir, s.binary)
	}
	return build.Options{SiteDir: s.site, Dest: dest, Now: benchNow, Minify: !s.noMinify, NoSearch: !s.search, Cache: cache}
}

// build builds the site into its output folder with the cache and checks that the output
// is exactly what a build without a cache makes.
func (s *diskSite) build() build.Report {
	s.t.Helper()
	rep, err := build.Run(context.Background(), s.options(s.dest, s.dir))
	if err != nil {
		s.t.Fatalf("build with the cache: %v\n%v", err, rep.Diagnostics)
	}
	fresh := filepath.Join(s.t.TempDir(), "fresh")
	frep, err := build.Run(context.Background(), s.options(fresh, ""))
	if err != nil {
		s.t.Fatalf("build without a cache: %v", err)
	}
	if frep.Reused != 0 {
		s.t.Fatalf("a build without a cache reused %d pages", frep.Reused)
	}
	if rep.Rendered+rep.Reused != frep.Rendered {
		s.t.Errorf("rendered %d + reused %d pages, a build without cache renders %d", rep.Rendered, rep.Reused, frep.Rendered)
	}
	got, want := readOutput(s.t, s.dest), readOutput(s.t, fresh)
	for rel, w := range want {
		if g, ok := got[rel]; !ok {
			s.t.Errorf("%s is missing from the output built with the cache", rel)
		} else if g != w {
			s.t.Errorf("%s differs from a build without cache:\n--- cached\n%.400s\n--- fresh\n%.400s", rel, g, w)
		}
	}
	for rel := range got {
		if _, ok := want[rel]; !ok {
			s.t.Errorf("%s is in the output built with the cache only", rel)
		}
	}
	return rep
}

// readOutput reads an output folder, leaving out the search index (its files are not
// byte-for-byte reproducible).
func readOutput(t *testing.T, dir string) map[string]string {
	tree := sitetest.ReadTree(t, dir)
	for rel := range tree {
		if strings.HasPrefix(rel, ".search/") {
			delete(tree, rel)
		}
	}
	return tree
}

// inodes returns the inode of every page file in dir (rel → inode).
func inodes(t *testing.T, dir string) map[string]uint64 {
	t.Helper()
	out := map[string]uint64{}
	for rel := range readOutput(t, dir) {
		fi, err := os.Stat(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = fi.Sys().(*syscall.Stat_t).Ino
	}
	return out
}

func cacheWarnings(rep build.Report) []string {
	var out []string
	for _, d := range rep.Diagnostics {
		if d.Severity == diag.Warning && d.Code == "cache" {
			out = append(out, d.Text(message.En)) // checked against the English catalogue
		}
	}
	return out
}

func pages(rep build.Report) int {
	n := 0
	for _, c := range rep.Pages {
		n += c
	}
	return n
}

func TestDiskCacheReusesEveryPageOfAnUnchangedSite(t *testing.T) {
	s := newDiskSite(t, 60)
	s.search = true
	first := s.build()
	if first.Reused != 0 || first.Rendered != pages(first) {
		t.Fatalf("first build: rendered %d, reused %d of %d pages; want all rendered", first.Rendered, first.Reused, pages(first))
	}
	if w := cacheWarnings(first); len(w) > 0 {
		t.Errorf("a first build into a new folder warns: %q", w)
	}
	before := inodes(t, s.dest)
	second := s.build()
	if second.Rendered != 0 || second.Reused != pages(second) || second.Reused < 60 {
		t.Fatalf("second build: rendered %d, reused %d of %d pages; want all reused", second.Rendered, second.Reused, pages(second))
	}
	if w := cacheWarnings(second); len(w) > 0 {
		t.Errorf("second build warns: %q", w)
	}
	if second.IndexDir == "" || second.Search.Unchanged == 0 {
		t.Errorf("the search index was not kept incrementally: %+v", second.Search)
	}
	// Reused pages are the very files of the previous generation (hard links).
	after := inodes(t, s.dest)
	linked := 0
	for rel, ino := range after {
		if before[rel] == ino && strings.HasSuffix(rel, ".html") {
			linked++
		}
	}
	if linked < second.Reused/2 {
		t.Errorf("only %d of %d reused pages are links to the previous files", linked, second.Reused)
	}
	// And again: the manifest written after a build of reused pages is valid too.
	if third := s.build(); third.Rendered != 0 {
		t.Errorf("third build rendered %d pages", third.Rendered)
	}
}

func TestDiskCacheRendersOnlyThePagesOfAnEditedArticle(t *testing.T) {
	s := newDiskSite(t, 60)
	s.build()
	before := inodes(t, s.dest)
	oldTree := readOutput(t, s.dest)
	files, _ := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "*.md"))
	slices.Sort(files)
	target := files[len(files)/2]
	b, err := os.ReadFile(target)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, append(b, "\nMột đoạn mới được thêm vào bài.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := s.build()
	t.Logf("after editing one body: rendered %d, reused %d of %d pages", rep.Rendered, rep.Reused, pages(rep))
	if rep.Rendered == 0 || rep.Reused == 0 || rep.Rendered > pages(rep)/4 {
		t.Fatalf("after editing one body: rendered %d, reused %d of %d pages", rep.Rendered, rep.Reused, pages(rep))
	}
	// Every file whose bytes changed was rendered (it is a new file), and a file rendered
	// again with the same bytes is left as it was: the new pages are among the rendered
	// ones.
	after := inodes(t, s.dest)
	newTree := readOutput(t, s.dest)
	renewed := 0
	for rel, ino := range after {
		switch {
		case ino == before[rel] && newTree[rel] != oldTree[rel]:
			t.Errorf("%s changed but was reused", rel)
		case ino != before[rel] && before[rel] != 0 && newTree[rel] == oldTree[rel]:
			t.Errorf("%s was replaced by a file of the same bytes", rel)
		case ino != before[rel]:
			renewed++
		}
	}
	// Count the pages only (the manifest lists them).
	m, err := buildcache.Load(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	newPages := 0
	for rel := range m.Pages {
		if after[rel] != before[rel] {
			newPages++
		}
	}
	if len(m.Pages) != pages(rep) || newPages == 0 || newPages > rep.Rendered {
		t.Errorf("%d of %d pages are new files (%d files in all), the report says %d of %d rendered", newPages, len(m.Pages), renewed, rep.Rendered, pages(rep))
	}
}

func TestDiskCacheRerendersAfterThemeOrConfigChange(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	tmp := t.TempDir()
	s := &diskSite{t: t, site: filepath.Join(tmp, "site"), dest: filepath.Join(tmp, "public"), dir: filepath.Join(tmp, "cache"), binary: "b"}
	sitetest.CopyTree(t, src, s.site)
	edit := func(rel, old, new string) {
		t.Helper()
		p := filepath.Join(s.site, rel)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q", rel, old)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Without a fingerprinted stylesheet, whose URL changes with minification, only the
	// key itself tells a minified page from another.
	edit("layouts/baseof.html", `<link rel="stylesheet" href="{{ asset "css/a.css" }}">`, "")
	if err := os.Remove(filepath.Join(s.site, "static", "css", "a.css")); err != nil {
		t.Fatal(err)
	}
	s.build()
	for _, c := range []struct{ name, rel, old, new string }{
		{"template", "layouts/baseof.html", "</body>", "<p>chân trang mới</p></body>"},
		{"config", "config.toml", `title = "Cổng mẫu"`, `title = "Cổng mẫu mới"`},
		{"minify", "", "", ""},
	} {
		if c.rel != "" {
			edit(c.rel, c.old, c.new)
		} else {
			s.noMinify = true
		}
		if rep := s.build(); rep.Reused != 0 {
			t.Errorf("after a %s change %d pages were reused", c.name, rep.Reused)
		}
		if rep := s.build(); rep.Rendered != 0 {
			t.Errorf("after a %s change and a build, %d pages were rendered again", c.name, rep.Rendered)
		}
	}
}

func TestDiskCacheRerendersHandEditedOutput(t *testing.T) {
	s := newDiskSite(t, 20)
	s.build()
	page := filepath.Join(s.dest, "gioi-thieu", "index.html")
	orig, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	var fi os.FileInfo // the page as the last build left it
	for _, c := range []struct {
		name string
		edit func() error
	}{
		{"appended", func() error {
			f, err := os.OpenFile(page, os.O_APPEND|os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = f.WriteString("<!-- sửa tay -->")
			return err
		}},
		// Same size, modification time put back: only the change time tells.
		{"same size and mtime", func() error {
			b := []byte(strings.Replace(string(orig), "<", "[", 1))
			if err := os.WriteFile(page, b, 0o644); err != nil {
				return err
			}
			return os.Chtimes(page, fi.ModTime(), fi.ModTime())
		}},
		// Replaced by another file of the same size and time.
		{"replaced", func() error {
			tmp := page + ".new"
			if err := os.WriteFile(tmp, []byte(strings.Replace(string(orig), "<", "[", 1)), 0o644); err != nil {
				return err
			}
			if err := os.Chtimes(tmp, fi.ModTime(), fi.ModTime()); err != nil {
				return err
			}
			return os.Rename(tmp, page)
		}},
	} {
		if fi, err = os.Stat(page); err != nil {
			t.Fatal(err)
		}
		if err := c.edit(); err != nil {
			t.Fatal(err)
		}
		if now, err := os.Stat(page); err != nil || c.name != "appended" && (now.Size() != fi.Size() || !now.ModTime().Equal(fi.ModTime())) {
			t.Fatalf("%s: the edit changed the size or time (%v)", c.name, err)
		}
		rep := s.build() // checks that the page is right again
		if rep.Rendered != 1 {
			t.Errorf("%s: rendered %d pages, want the edited one only", c.name, rep.Rendered)
		}
	}
}

func TestDiskCacheToleratesDamagedOrMissingCache(t *testing.T) {
	s := newDiskSite(t, 20)
	s.build()
	manifest := buildcache.Path(s.dir)
	good, err := os.ReadFile(manifest)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, warn string
		damage     func() error
	}{
		{"truncated", "damaged", func() error { return os.WriteFile(manifest, good[:len(good)*2/3], 0o644) }},
		{"one byte changed", "damaged", func() error {
			b := slices.Clone(good)
			b[len(b)/2] ^= 1
			return os.WriteFile(manifest, b, 0o644)
		}},
		{"empty", "damaged", func() error { return os.WriteFile(manifest, nil, 0o644) }},
		{"other version", "format version", func() error {
			return os.WriteFile(manifest, []byte(strings.Replace(string(good), fmt.Sprintf("portal-build-cache %d\n", buildcache.Version), "portal-build-cache 99\n", 1)), 0o644)
		}},
		{"deleted folder", "no build cache", func() error { return os.RemoveAll(s.dir) }},
	} {
		if err := c.damage(); err != nil {
			t.Fatal(err)
		}
		rep := s.build()
		if rep.Reused != 0 {
			t.Errorf("%s: reused %d pages", c.name, rep.Reused)
		}
		if w := cacheWarnings(rep); len(w) != 1 || !strings.Contains(w[0], c.warn) {
			t.Errorf("%s: cache warnings %q, want one saying %q", c.name, w, c.warn)
		}
		if rep := s.build(); rep.Rendered != 0 || len(cacheWarnings(rep)) != 0 {
			t.Errorf("%s: the build after it rendered %d pages (warnings %q)", c.name, rep.Rendered, cacheWarnings(rep))
		}
		if good, err = os.ReadFile(manifest); err != nil {
			t.Fatal(err)
		}
	}
}

func TestDiskCacheIgnoresPagesOfAnotherBinary(t *testing.T) {
	s := newDiskSite(t, 20)
	s.build()
	s.binary = "test-binary-2"
	rep := s.build()
	if rep.Reused != 0 {
		t.Errorf("reused %d pages rendered by another binary", rep.Reused)
	}
	if w := cacheWarnings(rep); len(w) != 1 || !strings.Contains(w[0], "another build of portal") {
		t.Errorf("warnings %q", w)
	}
	if rep := s.build(); rep.Rendered != 0 {
		t.Errorf("the same binary again rendered %d pages", rep.Rendered)
	}
	// The binary is in every key, not only in the manifest's header: a manifest that
	// claims this binary but holds another's keys reuses nothing.
	m, err := buildcache.Load(s.dir)
	if err != nil {
		t.Fatal(err)
	}
	s.binary = "test-binary-3"
	m.Binary = s.binary
	if err := m.Save(s.dir); err != nil {
		t.Fatal(err)
	}
	if rep := s.build(); rep.Reused != 0 || len(cacheWarnings(rep)) != 0 {
		t.Errorf("keys of another binary: reused %d pages, warnings %q", rep.Reused, cacheWarnings(rep))
	}
}

func TestDiskCacheSurvivesAFailedBuild(t *testing.T) {
	s := newDiskSite(t, 20)
	s.build()
	manifest, err := os.ReadFile(buildcache.Path(s.dir))
	if err != nil {
		t.Fatal(err)
	}
	out := readOutput(t, s.dest)
	bad := filepath.Join(s.site, "content", "tin-tuc", "hong.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: [không đóng\n---\nThân bài.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	strict := s.options(s.dest, s.dir)
	strict.Strict = true // by default the article would be held back and the rest published
	if _, err := build.Run(context.Background(), strict); err == nil {
		t.Fatal("a strict build with broken front matter succeeded")
	}
	if after, _ := os.ReadFile(buildcache.Path(s.dir)); string(after) != string(manifest) {
		t.Error("a failed build changed the manifest")
	}
	if now := readOutput(t, s.dest); len(now) != len(out) {
		t.Errorf("a failed build changed the output: %d files, was %d", len(now), len(out))
	}
	if err := os.Remove(bad); err != nil {
		t.Fatal(err)
	}
	if rep := s.build(); rep.Rendered != 0 {
		t.Errorf("after the failed build, %d pages were rendered again", rep.Rendered)
	}
}

// The cache folder keeps each article's rendered Markdown: a build finds the bodies of
// unchanged files there and renders the others. A second output folder with the same
// cache folder renders every page from those bodies (and indexes their text); the output
// is the same as a build without a cache (diskSite.build checks it byte for byte).
func TestDiskCacheReusesRenderedMarkdown(t *testing.T) {
	s := newDiskSite(t, 30)
	s.search = true
	// What the pack keeps besides HTML and text: headings (the table of contents), the
	// plain lead of an article without a summary, the word count and links.
	toc := "+++\ntitle = \"Bài có mục lục\"\ndate = 2024-05-02T08:00:00+07:00\nprovinces = [\"tỉnh Lâm Đồng\"]\n+++\n" +
		"Đoạn mở đầu về cà phê Lâm Đồng, không có tóm tắt.\n\n## Phần một\n\nNội dung [một](https://example.gov.vn/a).\n\n" +
		"## Phần hai\n\nNội dung hai có từ độcnhất.\n\n## Phần ba\n\n![Ảnh hội nghị](/anh.png)\n"
	if err := os.WriteFile(filepath.Join(s.site, "content", "tin-tuc", "muc-luc.md"), []byte(toc), 0o644); err != nil {
		t.Fatal(err)
	}
	// The image must exist: a missing one is an error (issue 16).
	img, err := corpus.PhotoJPEG(1, 0, 32, 24)
	if err != nil {
		t.Fatal(err)
	}
	var png bytes.Buffer
	m, _ := jpeg.Decode(bytes.NewReader(img))
	if err := pngenc.Encode(&png, m); err != nil {
		t.Fatal(err)
	}
	sitetest.WriteFiles(t, s.site, map[string]string{"static/anh.png": png.String()})
	first := s.build()
	if first.MarkdownReused != 0 || first.MarkdownRendered < 31 {
		t.Fatalf("first build: Markdown rendered %d, reused %d", first.MarkdownRendered, first.MarkdownReused)
	}
	page, err := os.ReadFile(filepath.Join(s.dest, "tin-tuc", "muc-luc", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`href="#phan-hai"`, "Đoạn mở đầu về cà phê Lâm Đồng"} {
		if !strings.Contains(string(page), want) {
			t.Fatalf("the article page lacks %q: the test would not see it lost", want)
		}
	}

	s.dest = filepath.Join(t.TempDir(), "public")
	second := s.build()
	if second.MarkdownRendered != 0 || second.MarkdownReused != first.MarkdownRendered {
		t.Errorf("into another folder: Markdown rendered %d, reused %d; want 0 and %d", second.MarkdownRendered, second.MarkdownReused, first.MarkdownRendered)
	}
	if second.Reused != 0 || second.Search.Added == 0 {
		t.Errorf("into another folder: %d pages reused, %d articles indexed: want all rendered and indexed", second.Reused, second.Search.Added)
	}
	if w := cacheWarnings(second); len(w) != 1 || !strings.Contains(w[0], "is for the output folder") {
		t.Errorf("warnings: %q, want one about the other output folder", w)
	}
	ix, err := search.Open(second.IndexDir)
	if err != nil {
		t.Fatal(err)
	}
	res, err := ix.Search(context.Background(), search.Request{Query: "độcnhất"})
	ix.Close()
	if err != nil || res.Total != 1 {
		t.Errorf("a word of a body taken from the cache is not in the index: %+v, %v", res, err)
	}

	// An edited article is rendered again, the others are not.
	p := filepath.Join(s.site, "content", "tin-tuc", "muc-luc.md")
	if err := os.WriteFile(p, []byte(strings.Replace(toc, "## Phần ba", "## Phần ba đã sửa", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := s.build(); rep.MarkdownRendered != 1 || rep.MarkdownReused != first.MarkdownRendered-1 {
		t.Errorf("after one edit: Markdown rendered %d, reused %d", rep.MarkdownRendered, rep.MarkdownReused)
	}
	// Other Markdown options, other bodies.
	cfg := filepath.Join(s.site, "config.toml")
	b, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "unsafe = false") {
		t.Fatal("config.toml has no unsafe = false")
	}
	if err := os.WriteFile(cfg, []byte(strings.Replace(string(b), "unsafe = false", "unsafe = true", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if rep := s.build(); rep.MarkdownReused != 0 {
		t.Errorf("after turning raw HTML on, %d bodies were reused", rep.MarkdownReused)
	}
	// Another program, other bodies.
	s.binary = "test-binary-2"
	if rep := s.build(); rep.MarkdownReused != 0 {
		t.Errorf("another program reused %d bodies", rep.MarkdownReused)
	}
}

// A second build that uses the same cache folder while the first runs builds without
// the pack (it is locked), with a warning, and its output is still right.
func TestDiskCacheLockedPackBuildsWithout(t *testing.T) {
	s := newDiskSite(t, 10)
	s.build()
	lock, _, err := buildcache.OpenBodies(s.dir, s.binary)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	rep := s.build()
	if rep.MarkdownReused != 0 || rep.MarkdownRendered == 0 {
		t.Errorf("with the pack locked: Markdown rendered %d, reused %d", rep.MarkdownRendered, rep.MarkdownReused)
	}
	if w := cacheWarnings(rep); len(w) != 1 || !strings.Contains(w[0], "another portal build") {
		t.Errorf("warnings: %q", w)
	}
}

// A build with the cache folder parses only the files whose identity changed; the others
// come from the documents the last build saved, without their Markdown, which is read
// again when its rendered form is not in the cache (here: the pack is deleted). The
// output is always what a build without a cache makes (s.build checks).
func TestDiskCacheKeepsParsedDocuments(t *testing.T) {
	s := newDiskSite(t, 30)
	first := s.build()
	if first.DocumentsReused != 0 {
		t.Fatalf("first build reused %d documents", first.DocumentsReused)
	}
	second := s.build()
	if second.DocumentsReused < 30 || second.Rendered != 0 {
		t.Fatalf("unchanged rebuild reused %d documents, want every one (≥ 30), and rendered %d pages, want none (the saved documents must give the same page keys)", second.DocumentsReused, second.Rendered)
	}
	files, err := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatal("no articles", err)
	}
	f, err := os.OpenFile(files[3], os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("\nĐoạn thêm vào sau lần dựng trước.\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	third := s.build()
	if third.DocumentsReused != second.DocumentsReused-1 || third.Rendered == 0 || third.Rendered >= pages(third)/2 {
		t.Errorf("after one edit: reused %d documents, want %d; rendered %d pages", third.DocumentsReused, second.DocumentsReused-1, third.Rendered)
	}
	// Without the rendered Markdown, the bodies of the saved documents are read again
	// (and without the pages' manifest every page is rendered, from those bodies).
	packs, _ := filepath.Glob(filepath.Join(s.dir, "bodies*"))
	if len(packs) == 0 {
		t.Fatal("no Markdown pack in the cache folder: the test would not remove it")
	}
	for _, p := range append(packs, buildcache.Path(s.dir)) {
		if err := os.Remove(p); err != nil {
			t.Fatal(err)
		}
	}
	fourth := s.build()
	if fourth.DocumentsReused != third.DocumentsReused+1 || fourth.MarkdownRendered < 30 {
		t.Errorf("without the pack: reused %d documents, rendered %d bodies", fourth.DocumentsReused, fourth.MarkdownRendered)
	}
	// A damaged file of documents is a warning, and every file is read.
	if err := os.WriteFile(filepath.Join(s.dir, "documents.bin"), []byte("portal-documents-4 "+s.binary+"\nhỏng"), 0o644); err != nil {
		t.Fatal(err)
	}
	fifth := s.build()
	if fifth.DocumentsReused != 0 || len(cacheWarnings(fifth)) == 0 {
		t.Errorf("damaged documents: reused %d, warnings %q", fifth.DocumentsReused, cacheWarnings(fifth))
	}
	if sixth := s.build(); sixth.DocumentsReused != second.DocumentsReused {
		t.Errorf("after the damaged file was replaced: reused %d, want %d", sixth.DocumentsReused, second.DocumentsReused)
	}
}

// The near-duplicate title rule runs only when a title changed: otherwise its findings
// come from the cache folder, the same warnings as before.
func TestDiskCacheKeepsTitleFindings(t *testing.T) {
	s := newDiskSite(t, 20)
	dup := "---\ntitle: \"Hội nghị trực tuyến về chuyển đổi số cấp xã năm nay\"\ndate: 2024-05-02T08:00:00+07:00\nprovinces: [\"Lâm Đồng\"]\n---\nNội dung %d.\n"
	for i := range 2 {
		sitetest.WriteFiles(t, s.site, map[string]string{filepath.Join("content", "tin-tuc", "trung-"+strconv.Itoa(i)+".md"): fmt.Sprintf(dup, i)})
	}
	titleWarnings := func(rep build.Report) []string {
		var out []string
		for _, d := range rep.Diagnostics {
			if d.Code == "duplicate-title" && strings.Contains(d.Path, "trung-") {
				out = append(out, d.String())
			}
		}
		return out
	}
	first := s.build()
	saved := filepath.Join(s.dir, "titles.bin")
	fi, err := os.Stat(saved)
	if err != nil {
		t.Fatal(err)
	}
	if len(titleWarnings(first)) == 0 {
		t.Fatal("the duplicate titles are not reported: the test cannot see the findings kept")
	}
	second := s.build()
	if got, want := titleWarnings(second), titleWarnings(first); !slices.Equal(got, want) {
		t.Errorf("unchanged rebuild reports %q, want %q", got, want)
	}
	if fi2, err := os.Stat(saved); err != nil || !fi2.ModTime().Equal(fi.ModTime()) {
		t.Errorf("the rule ran again although no title changed (%v)", err)
	}
	sitetest.WriteFiles(t, s.site, map[string]string{filepath.Join("content", "tin-tuc", "trung-1.md"): strings.Replace(fmt.Sprintf(dup, 1), "Hội nghị trực tuyến", "Tọa đàm", 1)})
	if third := s.build(); len(titleWarnings(third)) != 0 {
		t.Errorf("after the title changed, still reported: %q", titleWarnings(third))
	}
	// A new near-duplicate: compared with the kept titles (the state in titles.bin), and
	// reported as a build without the cache reports it.
	sitetest.WriteFiles(t, s.site, map[string]string{filepath.Join("content", "tin-tuc", "trung-2.md"): strings.Replace(fmt.Sprintf(dup, 2), "cấp xã", "cấp xa", 1)})
	time.Sleep(2100 * time.Millisecond) // older than asbefore.go's inputsMargin: the build records its inputs
	fourth := s.build()
	fresh, err := build.Run(context.Background(), build.Options{SiteDir: s.site, Dest: t.TempDir(), Now: benchNow, Cache: build.NoCache(), NoSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := titleWarnings(fourth), titleWarnings(fresh); len(want) == 0 || !slices.Equal(got, want) {
		t.Errorf("a new near-duplicate: the cached build reports %q, a fresh one %q", got, want)
	}
	// The file is written in the background after a retitle, and before the record of
	// what the next build checks (asbefore.go: the cache folder's files): the next build
	// with nothing changed skips, with the same findings.
	fifth := s.build()
	if len(fifth.Stages) != 1 || !slices.Equal(titleWarnings(fifth), titleWarnings(fourth)) {
		t.Errorf("the build after a retitle's, nothing changed: stages %v, findings %q; want it skipped with %q", fifth.Stages, titleWarnings(fifth), titleWarnings(fourth))
	}
	// Every title is kept by path, not only the findings: an article with no duplicate too.
	others, _ := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "*.md"))
	var other string
	for _, o := range others {
		if base := filepath.Base(o); !strings.HasPrefix(base, "trung-") && !strings.HasPrefix(base, "_") {
			other = base
		}
	}
	if b, err := os.ReadFile(saved); err != nil || other == "" || !strings.Contains(string(b), other) {
		t.Errorf("titles.bin does not keep every title by path (%s) for the next build (%v)", other, err)
	}
}

// TestDiskCacheKeysOnlyThePagesOfAnEditedArticle: after a build whose frame (the graph's
// structure, site.InputFrame) is the previous build's, only the pages that show an article
// whose key changed are keyed (a body or a title edited); a change of date, tags, an
// article added or deleted, or the title of an article with aliases changes the frame,
// and every page is keyed. After each step the output is a fresh build's
// (diskSite.build), so that a page kept without its key is never stale.
func TestDiskCacheKeysOnlyThePagesOfAnEditedArticle(t *testing.T) {
	s := newDiskSite(t, 80)
	first := s.build()
	if first.Keyed != pages(first) {
		t.Fatalf("first build keyed %d of %d pages", first.Keyed, pages(first))
	}
	files, _ := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "*.md"))
	slices.Sort(files)
	target, other := files[len(files)/2], files[len(files)/3]
	edit := func(file string, change func(string) string) {
		t.Helper()
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		after := change(string(b))
		if after == string(b) {
			t.Fatalf("%s: the edit changes nothing", file)
		}
		if err := os.WriteFile(file, []byte(after), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	line := func(key string) func(string) string { // the front matter line of key
		return func(s string) string {
			i := strings.Index(s, "\n"+key+":")
			j := strings.Index(s[i+1:], "\n")
			return s[i+1 : i+1+j]
		}
	}
	local := func(step string) {
		t.Helper()
		rep := s.build()
		t.Logf("%s: keyed %d, rendered %d of %d pages", step, rep.Keyed, rep.Rendered, pages(rep))
		if rep.Keyed == 0 || rep.Keyed > pages(rep)/4 || rep.Rendered > rep.Keyed {
			t.Errorf("%s: keyed %d, rendered %d of %d pages; want only the pages showing the article keyed", step, rep.Keyed, rep.Rendered, pages(rep))
		}
	}
	whole := func(step string) {
		t.Helper()
		if rep := s.build(); rep.Keyed != pages(rep) {
			t.Errorf("%s: keyed %d of %d pages; want all (the graph's structure changed)", step, rep.Keyed, pages(rep))
		}
	}
	edit(target, func(s string) string { return s + "\nMột đoạn mới được thêm vào bài.\n" })
	local("body edited")
	edit(target, func(s string) string { return strings.Replace(s, `title: "`, `title: "Sửa: `, 1) })
	local("title changed")
	edit(target, func(s string) string {
		return strings.Replace(s, `title: "`, "aliases: [\"/cu/bai-cu/\"]\ntitle: \"", 1)
	})
	whole("alias added")
	edit(target, func(s string) string { return strings.Replace(s, `title: "Sửa: `, `title: "Sửa lại: `, 1) })
	whole("title changed on an article with an alias")
	edit(target, func(s string) string { return strings.Replace(s, "aliases: [\"/cu/bai-cu/\"]\n", "", 1) })
	whole("alias removed")
	edit(target, func(s string) string { return s + "\nMột đoạn nữa.\n" })
	local("body edited after the title")
	edit(other, func(s string) string { return s + "\nThêm một câu.\n" })
	local("another body edited")
	edit(target, func(s string) string {
		return strings.Replace(s, line("date")(s), "date: 2011-01-02T08:00:00+07:00", 1)
	})
	whole("date changed")
	edit(target, func(s string) string {
		l := line("tags")(s)
		return strings.Replace(s, l, l[:len(l)-1]+`, "Thẻ mới thêm"]`, 1)
	})
	whole("tag added")
	edit(target, func(s string) string { return strings.Replace(s, `, "Thẻ mới thêm"]`, `]`, 1) })
	whole("tag removed")
	edit(other, func(s string) string { return s + "\nThêm một câu nữa.\n" })
	local("a body edited after the tags")
	added := filepath.Join(s.site, "content", "tin-tuc", "bai-moi-them.md")
	b, _ := os.ReadFile(target)
	if err := os.WriteFile(added, []byte(strings.Replace(string(b), `title: "`, `title: "Bài mới thêm `, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	whole("article added")
	if err := os.Remove(added); err != nil {
		t.Fatal(err)
	}
	whole("article deleted")
	// A body edit of an article that other articles list as related.
	edit(other, func(s string) string { return strings.Replace(s, "\n\n", "\n\nMở đầu mới. ", 1) })
	local("a related article's body edited")
	// The record goes with the manifest: without it, every page is keyed again.
	if err := os.Remove(filepath.Join(s.dir, "frame.bin")); err != nil {
		t.Fatal(err)
	}
	edit(other, func(s string) string { return s + "\nCâu cuối.\n" })
	whole("body edited without the record")
	edit(other, func(s string) string { return s + "\nCâu cuối nữa.\n" })
	local("body edited with the record again")
}
