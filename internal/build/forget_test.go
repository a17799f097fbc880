package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// A one-off build lets go of the bodies' links and citations once its checks are done
// (site.Graph.ForgetChecked): its pages still link the library's documents the bodies
// cite. A build that keeps its graph for the next one (the preview, serve --watch)
// keeps them, for Refresh to compare.
func TestOneOffBuildForgetsWhatOnlyTheChecksRead(t *testing.T) {
	dir := librarySite(t)
	if err := os.WriteFile(filepath.Join(dir, "content/tin-tuc/trich-dan.md"), []byte("---\ntitle: \"Trích dẫn\"\ndate: 2025-03-02\n---\n"+
		"Thực hiện Quyết định 2599/QĐ-UBND của tỉnh, xem [trang khác](/khac/).\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	for _, a := range rep.Graph.Contents() {
		if a.Body.Links != nil || a.Body.Citations != nil {
			t.Errorf("%s: a one-off build kept %d links and %d citations", a.Path, len(a.Body.Links), len(a.Body.Citations))
		}
	}
	if page := readOut(t, dest, "tin-tuc/trich-dan/index.html"); !strings.Contains(page, `<a class="trich-dan" href="/van-ban/2599-qd-ubnd/">Quyết định 2599/QĐ-UBND</a> của tỉnh`) {
		t.Error("the body's citation of a library document is not linked")
	}

	c := NewMemoryCache()
	rep, err = Run(context.Background(), Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, NoSearch: true, Cache: c})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	kept := false
	for _, a := range rep.Graph.Contents() {
		if strings.HasSuffix(a.Path, "trich-dan.md") {
			kept = len(a.Body.Citations) == 1 && len(a.Body.Links) == 1
		}
	}
	if !kept {
		t.Error("a build that keeps its graph lost the body's citations or links")
	}
}

// The loaded site keeps a string once where two fields hold the same text (issue 22,
// 100,000 articles in 1 GB): a lead without markup is its summary's string, as HTML and
// as plain text; an article's URL is the end of its permalink, and its page shares the
// permalink and has a breadcrumb trail of exactly its length; a page's URL, permalink
// and output path are parts of one string.
func TestLoadedSiteKeepsEachStringOnce(t *testing.T) {
	dir := librarySite(t)
	ds := &diag.List{}
	l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow}, ds)
	if err != nil {
		t.Fatal(err, ds.Items())
	}
	same := func(a, b string) bool { return len(a) > 0 && unsafe.StringData(a) == unsafe.StringData(b) }
	pages := map[*site.Article]*site.Page{}
	for _, p := range l.Graph.Pages {
		if p.Article != nil && (p.Kind == site.KindArticle || p.Kind == site.KindDocument) {
			pages[p.Article] = p
		}
	}
	checked := 0
	for _, a := range l.Graph.Articles {
		if a.Summary != "Triển khai Quyết định 2599/QĐ-UBND của tỉnh." {
			continue
		}
		checked++
		if string(a.Lead) != a.Summary || !same(string(a.Lead), a.Summary) {
			t.Errorf("%s: the lead's HTML %q is a copy of the summary", a.Path, a.Lead)
		}
		if a.Plain != a.Summary || !same(a.Plain, a.Summary) {
			t.Errorf("%s: the plain lead %q is a copy of the summary", a.Path, a.Plain)
		}
		if a.URL != "/tin-tuc/hoi-nghi/" || !strings.HasSuffix(a.Permalink, a.URL) || unsafe.StringData(a.URL) != unsafe.StringData(a.Permalink[len(a.Permalink)-len(a.URL):]) {
			t.Errorf("%s: its URL %q is not the end of its permalink %q", a.Path, a.URL, a.Permalink)
		}
		if p := pages[a]; p == nil || cap(p.Crumbs) != len(p.Crumbs) {
			t.Errorf("%s: its page's breadcrumb trail has room to spare", a.Path)
		}
		p := pages[a]
		if p == nil || p.Permalink != a.Permalink || !same(p.Permalink, a.Permalink) {
			t.Errorf("%s: its page's permalink is a copy of the article's", a.Path)
		}
	}
	// A page's URL, permalink and output path are one string.
	for _, p := range l.Graph.Pages {
		if p.Kind != site.KindArticle && p.Kind != site.KindHome && p.Kind != site.KindSection && p.Kind != site.KindFeed {
			continue
		}
		base := len(p.Permalink) - len(p.URL)
		at := func(s string) uintptr { return uintptr(unsafe.Pointer(unsafe.StringData(s))) }
		if p.Permalink[base:] != p.URL || at(p.URL) != at(p.Permalink)+uintptr(base) || at(p.Path) != at(p.Permalink)+uintptr(base+1) {
			t.Errorf("%s page %s: URL %q, permalink %q and path %q are not one string", p.Kind, p.URL, p.URL, p.Permalink, p.Path)
		}
	}
	if checked != 1 {
		t.Fatalf("%d articles checked, want 1", checked)
	}
}

// An article's term groups, and each group's terms, are lists of exactly their length.
func TestTermGroupsHaveNoRoomToSpare(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":          "baseURL = \"https://x.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2025-03-01\nprovinces: [\"Gia Lai\", \"Huế\", \"Hà Tĩnh\"]\ncategories: [\"Tin\"]\ntags: [\"Một\", \"Hai\", \"Ba\", \"Bốn\", \"Năm\"]\n---\nA.\n",
	})
	ds := &diag.List{}
	l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow}, ds)
	if err != nil {
		t.Fatal(err, ds.Items())
	}
	a := l.Graph.Articles[0]
	if len(a.Terms) != 3 || cap(a.Terms) != 3 {
		t.Errorf("%d term groups in a list of %d", len(a.Terms), cap(a.Terms))
	}
	for _, g := range a.Terms {
		if cap(g.Terms) != len(g.Terms) {
			t.Errorf("%s: %d terms in a list of %d", g.Taxonomy.Key, len(g.Terms), cap(g.Terms))
		}
	}
}
