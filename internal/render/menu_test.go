package render

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestCachedHeaderIsEachPagesOwn renders the default theme's header for pages in every
// position of the navigation, once through partialCached with baseof's key and once through
// {{ template }}, with one Renderer, so that a key that misses something the header shows
// would hand a page another page's header. It also checks which link is marked current:
// the page itself ("page"), its section, taxonomy or a folder above it ("true"), and the
// legal-document library, which the navigation adds when the menu does not link it.
func TestCachedHeaderIsEachPagesOwn(t *testing.T) {
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, map[string]string{
		"layouts/page.html": `{{ partialCached "partials/header.html" . (eq .Page.Kind "search") (menustate .Page) }}` +
			"\x00" + `{{ template "partials/header.html" . }}`,
	})
	cfg := config.Config{Theme: "default", Title: "Cổng thử", Menu: []config.MenuItem{
		{Name: "Trang chủ", URL: "/"}, {Name: "Tin tức", URL: "/tin-tuc/"}, {Name: "Chủ đề", URL: "/chu-de/"},
	}}
	g := &site.Graph{Library: &site.Library{URL: "/van-ban/", Documents: []*site.Article{{}}}}
	r, err := New(Options{SiteDir: dir, Config: cfg, Graph: g})
	if err != nil {
		t.Fatal(err)
	}
	news := &site.Section{URL: "/tin-tuc/"}
	topics := &site.Taxonomy{URL: "/chu-de/"}
	for _, c := range []struct {
		page    *site.Page
		current string // "Name=state" of each marked link
	}{
		{&site.Page{Kind: site.KindPage, URL: "/"}, "Trang chủ=page"},
		{&site.Page{Kind: site.KindPage, URL: "/tin-tuc/"}, "Tin tức=page"},
		{&site.Page{Kind: site.KindPage, URL: "/tin-tuc/bai/"}, "Tin tức=true"},
		{&site.Page{Kind: site.KindPage, URL: "/bai-khac/", Section: news}, "Tin tức=true"},
		{&site.Page{Kind: site.KindPage, URL: "/the/mot/", Taxonomy: topics}, "Chủ đề=true"},
		{&site.Page{Kind: site.KindPage, URL: "/van-ban/"}, "Văn bản=page"},
		{&site.Page{Kind: site.KindPage, URL: "/van-ban/2599-qd-ubnd/"}, "Văn bản=true"},
		{&site.Page{Kind: site.KindPage, URL: "/khac/"}, ""},
		{&site.Page{Kind: site.KindSearch, URL: "/tim-kiem/"}, ""},
		{&site.Page{Kind: site.KindPage, URL: "/tin-tuc/bai-2/"}, "Tin tức=true"},
	} {
		out, err := r.theme.Execute(&site.Page{Kind: site.KindPage, URL: c.page.URL}, Data{Site: r.site, Page: c.page})
		if err != nil {
			t.Fatal(err)
		}
		cached, plain, _ := strings.Cut(string(out), "\x00")
		if cached != plain {
			t.Errorf("%s: the cached header differs from the page's own:\n%s\nwant\n%s", c.page.URL, cached, plain)
		}
		if got := currentLinks(plain); got != c.current {
			t.Errorf("%s: current links %q, want %q", c.page.URL, got, c.current)
		}
		if search := strings.Contains(plain, `id="q-dau-trang"`); search == (c.page.Kind == site.KindSearch) {
			t.Errorf("%s: header search form shown = %v on a %s page", c.page.URL, search, c.page.Kind)
		}
		if !strings.Contains(plain, `<a href="/van-ban/"`) {
			t.Errorf("%s: the navigation lacks the library: %s", c.page.URL, plain)
		}
	}
}

var currentRe = regexp.MustCompile(`<a href="[^"]*" aria-current="([a-z]+)">([^<]*)</a>`)

func currentLinks(html string) string {
	var out []string
	for _, m := range currentRe.FindAllStringSubmatch(html, -1) {
		out = append(out, m[2]+"="+m[1])
	}
	return strings.Join(out, " ")
}

// TestMenuLeavesOutALibraryTheMenuLinks: a menu entry for the library is the library's link
// (no second one); a site without documents has none; a site without a menu no navigation.
func TestMenuLeavesOutALibraryTheMenuLinks(t *testing.T) {
	lib := &site.Graph{Library: &site.Library{URL: "/van-ban/", Documents: []*site.Article{{}}}}
	for _, c := range []struct {
		menu []config.MenuItem
		g    *site.Graph
		want string
	}{
		{[]config.MenuItem{{Name: "Văn bản pháp quy", URL: "/van-ban/"}}, lib, "/van-ban/:Văn bản pháp quy:page"},
		{[]config.MenuItem{{Name: "Tin", URL: "/tin/"}}, &site.Graph{Library: &site.Library{URL: "/van-ban/"}}, "/tin/:Tin:"},
		{[]config.MenuItem{{Name: "Tin", URL: "/tin/"}}, nil, "/tin/:Tin:"},
		{nil, lib, ""},
	} {
		r, err := New(Options{SiteDir: t.TempDir(), Config: config.Config{Theme: "default", Menu: c.menu}, Graph: c.g})
		if err != nil {
			t.Fatal(err)
		}
		items, err := r.menu(&site.Page{URL: "/van-ban/"})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range items {
			got = append(got, m.URL+":"+m.Name+":"+m.Current)
		}
		if s := strings.Join(got, " "); s != c.want {
			t.Errorf("menu %v: %q, want %q", c.menu, s, c.want)
		}
	}
}

// TestFragmentKeyPrintsLikeV: the key's variants read as %v prints them, for the types
// appended without fmt and for others.
func TestFragmentKeyPrintsLikeV(t *testing.T) {
	type kind string
	variants := []any{"/tin-tuc/x/", 3, -12, true, false, kind("home"), 2.5, nil, []string{"a"}}
	want := "partials/x.html"
	for _, v := range variants {
		want += fmt.Sprintf("\x00%v", v)
	}
	if got := string(appendFragmentKey(nil, "partials/x.html", variants)); got != want {
		t.Errorf("appendFragmentKey = %q, want %q", got, want)
	}
}
