// Package check finds problems in a site's content without writing anything: what the
// build would reject (invalid front matter, colliding output paths) and what it would
// publish wrongly (broken internal links, missing images, images without alt text,
// unknown provinces, near-duplicate titles, text not in NFC, dates in the future).
package check

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/photo"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Run checks the site in siteDir and returns every finding, sorted by path and line.
// Errors are what would break the build or the published site; warnings are worth a look.
// The error is non-nil only when the check itself cannot run (cancelled, unreadable files).
func Run(ctx context.Context, siteDir string) ([]diag.Diagnostic, error) {
	return run(ctx, siteDir, time.Now())
}

// run is Run at a given time (the "future date" check depends on it).
func run(ctx context.Context, siteDir string, now time.Time) ([]diag.Diagnostic, error) {
	ds := &diag.List{}
	// Everything is loaded the way portal build loads it, drafts, future and expired
	// articles included, so that all of it is checked; links from published pages to
	// unpublished ones are reported separately.
	l, _ := build.Load(ctx, build.Options{SiteDir: siteDir, Now: now, Include: content.Include{Drafts: true, Future: true, Expired: true}, Cache: build.NewMemoryCache()}, ds)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l == nil { // config.toml could not be read: ds says why
		return ds.Items(), nil
	}
	// The resources of page bundles, for links to them (links and special files among
	// them were reported by the load).
	_, resources, err := content.Walk(os.DirFS(siteDir))
	if _, ok := diag.AsErrors(err); err != nil && !ok {
		return nil, fmt.Errorf("reading the content folder: %w", err)
	}
	static, err := render.StaticFiles(siteDir, l.Config.Theme)
	if _, ok := diag.AsErrors(err); err != nil && !ok {
		return nil, fmt.Errorf("reading static files: %w", err)
	}
	ds.Absorb(err) // a symbolic link out of the site, a FIFO: reported with the rest
	// The layouts as the build parses them: template errors, links out of the site.
	if _, err := render.New(render.Options{SiteDir: siteDir, Config: l.Config, Graph: l.Graph}); err != nil {
		if _, ok := diag.AsErrors(err); !ok {
			ds.Errorf("layouts", 0, 0, "theme", "%v", err)
		}
		ds.Absorb(err)
	}
	var pages []*content.Document
	for _, d := range l.Docs {
		if !d.WasNFC {
			ds.Warnf(d.Path, 1, 0, "nfc", "text is not in Unicode NFC (as some macOS and Windows editors save it): chạy portal import hoặc lưu lại bằng NFC")
		}
		if d.Kind == content.SectionIndex {
			continue
		}
		pages = append(pages, d)
		if d.Date.After(now) {
			ds.Warnf(d.Path, d.Line("date"), 0, "future-date", "date %s is in the future: the article is not published before then (portal build --future builds it anyway)", vietnamese.FormatDateTime(d.Date))
		}
	}
	if len(pages) == 0 {
		ds.Warnf(filepath.Join(siteDir, "content"), 0, 0, "no-content", "thư mục content/ không có bài viết nào: portal build sẽ từ chối gỡ các bài đang xuất bản; kiểm tra --source và ổ chứa thư mục")
	}
	nearDuplicateTitles(ctx, pages, ds)
	g := l.Graph

	checkBundleFiles(siteDir, g, resources, ds)
	t := newTargets(g, static, resources)
	for _, a := range slices.Concat(g.Articles, g.Standalone) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		checkLinks(a, t, now, ds)
	}
	return ds.Items(), nil
}

// targets is what a link or an image may point to.
type targets struct {
	pages    map[string]bool          // page URLs and output files ("/tin-tuc/x/", "/tin-tuc/x/index.html")
	files    map[string]bool          // static files and bundle resources, as URL paths
	articles map[string]*site.Article // article and standalone page URLs
	docs     map[string]string        // content file path → URL, for links written to .md files
}

func newTargets(g *site.Graph, static []render.StaticFile, resources []content.File) *targets {
	t := &targets{pages: map[string]bool{}, files: map[string]bool{}, articles: map[string]*site.Article{}, docs: map[string]string{}}
	for _, p := range g.Pages {
		t.pages[p.URL] = true
		t.pages["/"+p.Path] = true
	}
	for _, f := range static {
		t.files["/"+f.Rel] = true
	}
	bundles := map[string]string{} // bundle dir → page URL
	for _, a := range slices.Concat(g.Articles, g.Standalone) {
		t.articles[a.URL] = a
		t.docs[a.Path] = a.URL
		if a.BundleDir != "" {
			bundles[a.BundleDir] = a.URL
		}
	}
	for _, r := range resources {
		if u, ok := bundles[path.Dir(r.Rel)]; ok {
			t.files[u+path.Base(r.Rel)] = true
		}
	}
	return t
}

// candidates are the forms under which a site path may be known: as written, as a folder
// ("/x" → "/x/"), and without or with index.html.
func candidates(p string) []string {
	out := []string{p}
	switch {
	case strings.HasSuffix(p, "/index.html"):
		out = append(out, strings.TrimSuffix(p, "index.html"))
	case strings.HasSuffix(p, "/"):
		out = append(out, p+"index.html")
	case path.Ext(p) == "":
		out = append(out, p+"/")
	}
	return out
}

func (t *targets) page(p string) (bool, *site.Article) {
	for _, c := range candidates(p) {
		if a := t.articles[c]; a != nil {
			return true, a
		}
		if t.pages[c] || t.files[c] {
			return true, nil
		}
	}
	return false, nil
}

func (t *targets) file(p string) bool {
	for _, c := range candidates(p) {
		if t.files[c] {
			return true
		}
	}
	return false
}

var (
	schemeRe = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.\-]*:`)
	// emailRe matches a bare e-mail address, which the Markdown renderer links as mailto:.
	emailRe = regexp.MustCompile(`^[^/@\s]+@[^/@\s]+\.[^/@\s]+$`)
)

// resolve turns a link destination into a site path, relative to the page's URL. skip is
// true for what is not checked: other sites (any scheme, "//host"), e-mail addresses,
// fragments and queries on the same page, and empty links.
func resolve(pageURL, dest string) (p string, skip bool) {
	dest = strings.TrimSpace(dest)
	if i := strings.IndexAny(dest, "#?"); i >= 0 {
		dest = dest[:i]
	}
	if dest == "" || schemeRe.MatchString(dest) || strings.HasPrefix(dest, "//") || emailRe.MatchString(dest) {
		return "", true
	}
	if u, err := url.PathUnescape(dest); err == nil {
		dest = u
	}
	dest = vietnamese.NFC(dest)
	if !strings.HasPrefix(dest, "/") {
		base := pageURL
		if !strings.HasSuffix(base, "/") {
			base = path.Dir(base) + "/"
		}
		dest = base + dest
	}
	clean := path.Clean(dest)
	if strings.HasSuffix(dest, "/") && clean != "/" {
		clean += "/"
	}
	return clean, false
}

// checkLinks reports the article's internal links to pages that do not exist, its images
// that are missing or have no alt text, and links from a published page to one that is not.
func checkLinks(a *site.Article, t *targets, now time.Time, ds *diag.List) {
	published := a.Published(now, content.Include{})
	line := func(l markdown.Link) int {
		if l.Line <= 0 {
			return a.BodyLine
		}
		return a.BodyLine + l.Line - 1
	}
	for _, l := range a.Body.Links {
		if l.Blocked {
			ds.Warnf(a.Path, line(l), 0, "unsafe-link", "%q is not a safe link and is replaced by \"#\": use an http(s), mailto or tel address or a path in the site", l.Dest)
			continue
		}
		if l.Image {
			checkImage(a, t, l.Dest, l.Alt, line(l), "image", ds)
			continue
		}
		target, skip := resolve(a.URL, l.Dest)
		if skip {
			continue
		}
		ok, to := t.page(target)
		if !ok {
			ds.Errorf(a.Path, line(l), 0, "broken-link", "%s", brokenLink(a, t, l.Dest, target))
			continue
		}
		if to != nil && published && !to.Published(now, content.Include{}) {
			ds.Warnf(a.Path, line(l), 0, "unpublished-link", "links to %s (%s), which is not published (draft, future date or expired): the link is broken on the public site until it is", target, to.Path)
		}
	}
	if a.Image != "" {
		checkImage(a, t, a.Image, a.ImageAlt, a.Line("image"), "front-matter image", ds)
	}
}

// brokenLink explains a link to a page that does not exist, with a hint when the author
// linked to a content file instead of its URL.
func brokenLink(a *site.Article, t *targets, dest, target string) string {
	msg := fmt.Sprintf("link to %q: there is no page %s", dest, target)
	if strings.HasSuffix(target, ".md") {
		file := path.Clean(path.Join(path.Dir(a.Path), strings.TrimPrefix(dest, "./")))
		if strings.HasPrefix(dest, "/") {
			file = path.Join("content", dest)
		}
		if u, ok := t.docs[file]; ok {
			return fmt.Sprintf("link to %q points to the Markdown file: link to the page %s instead", dest, u)
		}
	}
	return msg
}

func checkImage(a *site.Article, t *targets, dest, alt string, line int, what string, ds *diag.List) {
	target, skip := resolve(a.URL, dest)
	// A photo (JPEG, PNG, GIF, WebP) is found, read and checked by the build's load,
	// which reports it missing or unusable at its line and column.
	if !skip && photo.FormatOfName(target) == "" && !t.file(target) {
		ds.Errorf(a.Path, line, 0, "missing-image", "%s %q not found (looked for %s): put the file in static/ and write /images/…, or make the article a page bundle (%s/index.md) with the image beside it", what, dest, target, strings.TrimSuffix(a.Path, ".md"))
	}
	if strings.TrimSpace(alt) == "" {
		hint := "write ![mô tả ảnh](" + dest + ")"
		if what != "image" {
			hint = "add image_alt: \"mô tả ảnh\""
		}
		ds.Errorf(a.Path, line, 0, "image-alt", "%s %q has no alternative text for screen readers: %s", what, dest, hint)
	}
}
