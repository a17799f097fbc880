// Package check holds the rules of the rule book (diag.Rules) that look at a whole
// loaded site rather than one file: what the build would publish wrongly (broken
// internal links, missing images, images without alt text, near-duplicate titles, text
// not in NFC, dates in the future). The build and `portal check` (build.Check) both run
// them, after build.Load, so that they report the same findings.
package check

import (
	"context"

	"github.com/vnportal/portal/internal/message"
	"net/url"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/photo"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Input is what the rules look at: the loaded site as the build loads it.
type Input struct {
	SiteDir string
	// Docs are all parsed documents, published or not; Graph the assembled site.
	Docs  []*content.Document
	Graph *site.Graph
	// Static are the static files; Resources the files of page bundles (beside an
	// index.md), for links to them.
	Static    []render.StaticFile
	Resources []content.File
	// Kept are the URLs of pages that the output keeps for held-back articles (see
	// build.HeldBack): links to them are not broken.
	Kept []string
	// Now decides what is in the future.
	Now time.Time
	// Titles are the findings of the near-duplicate title rule over Docs
	// (DuplicateTitles): the caller computes them, so that it may keep them while no
	// title changes (the preview does, see TitlesKey). Site records the slice itself
	// (diag.List.AddShared): it must not change once handed over.
	Titles []diag.Diagnostic
	// Memo keeps link findings between runs, or not (Fresh).
	Memo Memo
}

// Memo lets a caller keep the link rules' work between runs of Site over a graph that
// changed only in some articles' content (the preview refreshes its graph in place).
type Memo interface {
	// Targets returns what links may point to in g, made by make unless kept for the
	// same g and key (the static files, bundle files and kept pages, see Site).
	Targets(g *site.Graph, key string, make func() *Targets) *Targets
	// Links returns the link findings of a, found by find(a) unless kept for a's content
	// under the Targets last returned. (find is one function for every article, not a
	// closure made per article: a rebuild of `portal serve --watch` finds them kept for
	// all but the edited one.)
	Links(a *site.Article, find func(*site.Article) []diag.Diagnostic) []diag.Diagnostic
}

// Fresh is the Memo that keeps nothing: a one-off build, portal check.
type Fresh struct{}

func (Fresh) Targets(_ *site.Graph, _ string, make func() *Targets) *Targets { return make() }

func (Fresh) Links(a *site.Article, find func(*site.Article) []diag.Diagnostic) []diag.Diagnostic {
	return find(a)
}

// Site runs the rules of the rule book (diag.Rules) that look at a whole loaded site:
// text not in NFC, dates in the future, near-duplicate titles, broken internal links,
// missing images, images without alt text, unsafe links, links to unpublished articles,
// and an empty content folder. `portal build`, `portal preview` and `portal check` all
// run it (build.Run, build.Check), so that they report the same findings alike. Every
// finding is a warning: none holds back an article. It stops early when ctx is done.
func Site(ctx context.Context, in Input, ds *diag.List) {
	now := in.Now
	pages := 0
	for _, d := range in.Docs {
		if !d.WasNFC {
			ds.Warnf(d.Path, 1, 1, "nfc", "chữ tiếng Việt trong tệp không ở dạng dựng sẵn Unicode NFC (một số trình soạn thảo trên macOS và Windows lưu như vậy): portal vẫn đọc đúng, nhưng nên lưu lại tệp dạng NFC (chạy portal import hoặc dùng trình soạn thảo khác)")
		}
		if d.Kind == content.SectionIndex {
			continue
		}
		pages++
		if d.Date.After(now) {
			ds.Warnf(d.Path, d.Line("date"), 1, "future-date", "ngày đăng %s ở tương lai: bài chưa được xuất bản trước ngày đó (portal build --future vẫn dựng nó)", vietnamese.FormatDateTime(d.Date))
		}
	}
	if pages == 0 {
		ds.Warnf(filepath.Join(in.SiteDir, "content"), 0, 0, "no-content", "thư mục content/ không có bài viết nào: portal build sẽ từ chối gỡ các bài đang xuất bản; kiểm tra --source và ổ chứa thư mục")
	}
	ds.AddShared(in.Titles) // kept by the caller between builds (Input.Titles), not copied
	g := in.Graph

	checkBundleFiles(in.SiteDir, g, in.Resources, ds)
	var key strings.Builder
	for _, f := range in.Static {
		key.WriteString(f.Rel + "\x00")
	}
	key.WriteString("\x01")
	for _, u := range in.Kept {
		key.WriteString(u + "\x00")
	}
	key.WriteString("\x01")
	for _, r := range in.Resources {
		key.WriteString(r.Rel + "\x00")
	}
	t := in.Memo.Targets(g, key.String(), func() *Targets {
		t := newTargets(g, in.Static, in.Resources)
		for _, u := range in.Kept {
			t.pages[u] = true
		}
		return t
	})
	missingCitations(g, ds)
	find := func(a *site.Article) []diag.Diagnostic {
		found := &diag.List{}
		checkLinks(a, t, now, found)
		return found.Items()
	}
	for _, a := range g.Contents() {
		if ctx.Err() != nil {
			return
		}
		for _, d := range in.Memo.Links(a, find) {
			ds.Add(d)
		}
	}
}

// Targets is what a link or an image may point to.
type Targets struct {
	pages map[string]bool // page URLs ("/tin-tuc/x/"), the kept pages' too
	// outputs are the pages' output files as their paths in the output folder, without
	// the URL's leading slash ("tin-tuc/x/index.html" for "/tin-tuc/x/index.html"): the
	// graph's own strings, not one new string per page (173,000 at 100,000 articles).
	outputs  map[string]bool
	files    map[string]bool          // static files and bundle resources, as URL paths
	articles map[string]*site.Article // article and standalone page URLs
	docs     map[string]string        // content file path → URL, for links written to .md files
}

func newTargets(g *site.Graph, static []render.StaticFile, resources []content.File) *Targets {
	contents := g.Contents()
	// Each map made at its size: grown step by step, the page maps of 100,000 articles
	// were hashed again at every doubling.
	t := &Targets{pages: make(map[string]bool, len(g.Pages)), outputs: make(map[string]bool, len(g.Pages)),
		files: make(map[string]bool, len(static)), articles: make(map[string]*site.Article, len(contents)),
		docs: make(map[string]string, len(contents))}
	for _, p := range g.Pages {
		t.pages[p.URL] = true
		t.outputs[p.Path] = true
	}
	for _, f := range static {
		t.files["/"+f.Rel] = true
	}
	bundles := map[string]string{} // bundle dir → page URL
	for _, a := range contents {
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

func (t *Targets) page(p string) (bool, *site.Article) {
	for _, c := range candidates(p) {
		if a := t.articles[c]; a != nil {
			return true, a
		}
		if t.pages[c] || t.files[c] || (strings.HasPrefix(c, "/") && t.outputs[c[1:]]) {
			return true, nil
		}
	}
	return false, nil
}

func (t *Targets) file(p string) bool {
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
func checkLinks(a *site.Article, t *Targets, now time.Time, ds *diag.List) {
	published := a.Published(now, content.Include{})
	line := func(l markdown.Link) int {
		if l.Line <= 0 {
			return a.BodyLine
		}
		return a.BodyLine + l.Line - 1
	}
	for _, l := range a.Body.Links {
		if l.Blocked {
			ds.Warnf(a.Path, line(l), 1, "unsafe-link", "liên kết %q không an toàn nên được thay bằng \"#\": dùng địa chỉ http(s), mailto, tel hoặc một đường dẫn trong trang", l.Dest)
			continue
		}
		if l.Image {
			checkImage(a, t, l.Dest, l.Alt, line(l), true, ds)
			continue
		}
		target, skip := resolve(a.URL, l.Dest)
		if skip {
			continue
		}
		ok, to := t.page(target)
		if !ok {
			ds.Warnf(a.Path, line(l), 1, "broken-link", "%v", brokenLink(a, t, l.Dest, target))
			continue
		}
		if to != nil && published && !to.Published(now, content.Include{}) {
			ds.Warnf(a.Path, line(l), 1, "unpublished-link", "liên kết tới %s (%s), trang này chưa được xuất bản (bản nháp, ngày ở tương lai hoặc đã hết hạn): liên kết sẽ hỏng trên trang công khai cho tới khi trang đó được xuất bản", target, to.Path)
		}
	}
	if a.Image != "" {
		checkImage(a, t, a.Image, a.ImageAlt, a.Line("image"), false, ds)
	}
}

// brokenLink explains a link to a page that does not exist, with a hint when the author
// linked to a content file instead of its URL.
func brokenLink(a *site.Article, t *Targets, dest, target string) message.Text {
	msg := message.New("liên kết tới %q hỏng: không có trang %s; sửa lại đường dẫn hoặc bỏ liên kết", dest, target)
	if strings.HasSuffix(target, ".md") {
		file := path.Clean(path.Join(path.Dir(a.Path), strings.TrimPrefix(dest, "./")))
		if strings.HasPrefix(dest, "/") {
			file = path.Join("content", dest)
		}
		if u, ok := t.docs[file]; ok {
			return message.New("liên kết %q trỏ tới tệp Markdown: hãy liên kết tới trang %s", dest, u)
		}
	}
	return msg
}

func checkImage(a *site.Article, t *Targets, dest, alt string, line int, inBody bool, ds *diag.List) {
	what := message.New("ảnh")
	if !inBody {
		what = message.New("ảnh đại diện (image)")
	}
	target, skip := resolve(a.URL, dest)
	// A photo (JPEG, PNG, GIF, WebP) is found, read and checked by the build's load,
	// which reports it missing or unusable at its line and column.
	if !skip && photo.FormatOfName(target) == "" && !t.file(target) {
		ds.Warnf(a.Path, line, 1, "missing-image", "%v %q không tìm thấy (đã tìm %s): đặt tệp ảnh trong static/ và viết /images/…, hoặc chuyển bài thành thư mục (%s/index.md) và đặt ảnh bên cạnh", what, dest, target, strings.TrimSuffix(a.Path, ".md"))
	}
	if strings.TrimSpace(alt) == "" {
		hint := message.New("viết ![mô tả ảnh](%s)", dest)
		if !inBody {
			hint = message.New("thêm dòng image_alt: \"mô tả ảnh\"")
		}
		ds.Warnf(a.Path, line, 1, "image-alt", "%v %q chưa có lời mô tả cho người khiếm thị (phần mềm đọc màn hình): %v", what, dest, hint)
	}
}
