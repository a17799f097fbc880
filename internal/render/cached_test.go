package render

import (
	"html/template"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// cachedTheme writes a site whose page layout shows a partial twice through {{ template }}
// and through partialCached, and returns its renderer.
func cachedTheme(t *testing.T, page string) *Renderer {
	t.Helper()
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, map[string]string{
		"layouts/partials/the.html": `<a href="{{ .u }}" title="{{ .t }}">{{ .t }}</a><script>var t = {{ .t }};</script>`,
		"layouts/page.html":         page,
	})
	r, err := New(Options{SiteDir: dir, Config: config.Config{Theme: "khong-co"}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestPartialCachedIsTheTemplatesBytes: a fragment from partialCached is byte for byte
// what {{ template }} makes in the same place, escaping included (a javascript: URL, a
// quote and a closing script tag in the data).
func TestPartialCachedIsTheTemplatesBytes(t *testing.T) {
	const data = `(dict "u" "javascript:alert(1)" "t" "Ủy ban \"tỉnh\" </script><b>")`
	r := cachedTheme(t, `<ul><li>{{ template "partials/the.html" `+data+` }}</li><li>{{ partialCached "partials/the.html" `+data+` "k" }}</li></ul>`)
	out, err := r.Render(&site.Page{Kind: site.KindPage, URL: "/x/"})
	if err != nil {
		t.Fatal(err)
	}
	s := string(out)
	a, b, ok := strings.Cut(strings.TrimSuffix(strings.TrimPrefix(s, "<ul><li>"), "</li></ul>"), "</li><li>")
	if !ok || a != b {
		t.Fatalf("partialCached made %q, {{ template }} %q (page %q)", b, a, s)
	}
	if strings.Contains(a, "javascript:") || strings.Contains(a, "<b>") {
		t.Errorf("the fragment is not escaped: %q", a)
	}
}

// TestPartialCachedRendersOncePerVariant: the variants are the key, not the data: a second
// call with the same variants reuses the first one's bytes; other variants render again;
// a later page reuses them too; an unknown partial is an error.
func TestPartialCachedRendersOncePerVariant(t *testing.T) {
	page := `{{ partialCached "partials/the.html" (dict "t" "một") "k" 1 }}|{{ partialCached "partials/the.html" (dict "t" "hai") "k" 1 }}|{{ partialCached "partials/the.html" (dict "t" "ba") "k" 2 }}|{{ partialCached "partials/the.html" (dict "t" "bốn") }}`
	r := cachedTheme(t, page)
	out, err := r.Render(&site.Page{Kind: site.KindPage})
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(string(out), "|")
	if len(parts) != 4 || parts[0] != parts[1] || !strings.Contains(parts[0], "một") || !strings.Contains(parts[2], "ba") || !strings.Contains(parts[3], "bốn") {
		t.Fatalf("fragments %q: want the first reused by the second, the third and fourth rendered", parts)
	}
	again, err := r.Render(&site.Page{Kind: site.KindPage})
	if err != nil || string(again) != string(out) {
		t.Fatalf("second page %q, %v; want the cached %q", again, err, out)
	}

	bad := cachedTheme(t, `{{ partialCached "partials/khong-co.html" . }}`)
	if _, err := bad.Render(&site.Page{Kind: site.KindPage}); err == nil || !strings.Contains(err.Error(), `"partials/khong-co.html"`) {
		t.Errorf("unknown partial: %v, want an error naming it", err)
	}
}

// TestPartialCachedKeepsTheRecentWithinItsBudget: the cache keeps at most its budget, and
// what it keeps is what was stored or used most recently: a fragment used on every page
// stays while the others are rendered, kept, then dropped in their turn (a new page's
// title in the data shows whether a fragment was rendered again or found). Keeping the
// first fragments until the budget was full kept every one of them, and none of the later
// ones.
func TestPartialCachedKeepsTheRecentWithinItsBudget(t *testing.T) {
	page := `{{ partialCached "partials/the.html" (dict "t" .Page.Title) "footer" }}|{{ partialCached "partials/the.html" (dict "t" .Page.Title) .Page.URL }}`
	r := cachedTheme(t, page)
	r.frags.Reset(600) // a fragment and its key are about 90 bytes: a generation holds three
	render := func(url, title string) (footer, own string) {
		t.Helper()
		out, err := r.Render(&site.Page{Kind: site.KindPage, URL: url, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		footer, own, _ = strings.Cut(string(out), "|")
		return footer, own
	}
	const pages = 8
	for i := range pages {
		if footer, _ := render("/"+strconv.Itoa(i)+"/", "trang "+strconv.Itoa(i)); !strings.Contains(footer, "trang 0") {
			t.Fatalf("page %d rendered the footer again: %q", i, footer)
		}
		if r.frags.Bytes() > r.frags.Budget()/2 {
			t.Fatalf("page %d: recent holds %d bytes, over half the budget %d", i, r.frags.Bytes(), r.frags.Budget())
		}
	}
	// The second round, last page first: the last three pages find their fragments, the
	// first pages' were dropped.
	var found []int
	for i := pages - 1; i >= 0; i-- {
		if _, own := render("/"+strconv.Itoa(i)+"/", "lần hai"); !strings.Contains(own, "lần hai") {
			found = append(found, i)
		}
	}
	if len(found) < 3 || found[0] != pages-1 || found[2] != pages-3 || slices.Contains(found, 0) {
		t.Errorf("pages %v found their fragments again, want the last three (%d, %d, %d) and not the first", found, pages-1, pages-2, pages-3)
	}
}

// TestPartialCachedHitDoesNotAllocate: a fragment found in the cache costs no allocation
// (the key is built on the stack and looked up without a string copy): list pages look
// up every card, about 100,000 lookups in a 10,000-article build.
func TestPartialCachedHitDoesNotAllocate(t *testing.T) {
	r := cachedTheme(t, `x`)
	variants := []any{"/tin-tuc/uy-ban-nhan-dan-tinh-ha-tinh-hop-phien-thuong-ky-thang-mot/", 2, true}
	first, err := r.partialCached("partials/the.html", map[string]any{"t": "một"}, variants...)
	if err != nil {
		t.Fatal(err)
	}
	var again template.HTML
	allocs := testing.AllocsPerRun(100, func() {
		again, err = r.partialCached("partials/the.html", nil, variants...)
	})
	if err != nil || again != first {
		t.Fatalf("second call = %q, %v; want the first one's %q", again, err, first)
	}
	if allocs != 0 {
		t.Errorf("a cache hit allocated %.0f times, want 0", allocs)
	}
}

// TestPartialCachedFragmentIsOneAllocation: a fragment rendered for the cache is written
// into a buffer of the partial's last length, so rendering one costs about twice its own
// size: the buffer, and the escapers' strings of the text (a buffer doubled from 64 bytes
// and copied into a string cost four and a half times); a fragment the cache keeps is
// copied once more, at its own length (TestPartialCachedKeepsFragmentsAtTheirLength).
func TestPartialCachedFragmentIsOneAllocation(t *testing.T) {
	r := cachedTheme(t, `x`)
	text := strings.Repeat("Ủy ban nhân dân tỉnh ", 200) // ≈ 4.6 KB, three times in the fragment
	data := map[string]any{"t": text, "u": "/tin-tuc/"}
	first, err := r.partialCached("partials/the.html", data, 0)
	if err != nil {
		t.Fatal(err)
	}
	const n = 50
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for i := 1; i <= n; i++ {
		if _, err := r.partialCached("partials/the.html", data, i); err != nil {
			t.Fatal(err)
		}
	}
	runtime.ReadMemStats(&after)
	per := float64(after.TotalAlloc-before.TotalAlloc) / n
	if per > 3.5*float64(len(first)) {
		t.Errorf("rendering a %d-byte fragment allocated %.0f bytes, want under 3.5 times its size", len(first), per)
	}
}

// TestPartialCachedKeepsFragmentsAtTheirLength: what the cache keeps of its fragments is
// about their length, not the buffers they were rendered in (grown to the last
// fragment's length and an eighth, doubled when a fragment is longer): fragments each
// twice as long as the one before, then short again, kept 1.6 times their length (1.05 with the copy).
func TestPartialCachedKeepsFragmentsAtTheirLength(t *testing.T) {
	r := cachedTheme(t, `x`)
	const n = 2000
	texts := make([]string, n)
	for i := range texts {
		texts[i] = strings.Repeat("Ủy ban nhân dân tỉnh ", 8<<(i%4)) // each twice the last, then short again
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i, text := range texts {
		if _, err := r.partialCached("partials/the.html", map[string]any{"t": text, "u": "/tin-tuc/"}, i); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	counted := r.frags.Bytes()
	kept := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	runtime.KeepAlive(texts)
	t.Logf("%d fragments of %d bytes (with their keys): %d bytes live", n, counted, kept)
	if kept > counted*13/10 {
		t.Errorf("the cache keeps %d bytes for %d bytes of fragments and keys, want under 1.3 times", kept, counted)
	}
}

// TestDefaultThemeCachesOnlyCardsShownTwice: the default theme's home pages show each
// article's card once (h 3), a list page shows cards every other list shows too (h 2):
// the cache keeps the list's cards and none of the home's, which at 100,000 articles
// filled its whole budget before any list page ran (BENCHMARKS.md, sixteenth session,
// branch tmpl22).
func TestDefaultThemeCachesOnlyCardsShownTwice(t *testing.T) {
	g := &site.Graph{Config: config.Default()}
	as := publish.Assets{}
	for _, a := range []string{"css/site.css", "css/print.css", "js/site.js"} {
		as[a] = publish.Asset{URL: "/" + a}
	}
	r, err := New(Options{SiteDir: t.TempDir(), Config: g.Config, Graph: g, Assets: as})
	if err != nil {
		t.Fatal(err)
	}
	var arts []*site.Article
	for i := range 3 {
		n := strconv.Itoa(i)
		arts = append(arts, &site.Article{Document: &content.Document{Title: "Bài " + n, Date: time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC)}, URL: "/tin-tuc/bai-" + n + "/"})
	}
	cards := func() (n int) {
		for k := range r.frags.Keys() {
			if strings.HasPrefix(k, "partials/article-card.html\x00") {
				n++
			}
		}
		return n
	}
	for _, number := range []int{1, 2} {
		home := &site.Page{Kind: site.KindHome, URL: "/", Title: "Cổng", Pager: &site.Pager{Number: number, Total: 2, Items: arts, URLs: []string{"/", "/trang/2/"}}}
		out, err := r.Render(home)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(out), `<h3 class="card__title"><a href="/tin-tuc/bai-2/">Bài 2</a></h3>`) {
			t.Fatalf("home page %d shows no card:\n%s", number, out)
		}
	}
	if n := cards(); n != 0 {
		t.Errorf("after the home pages the cache keeps %d cards, want none", n)
	}
	list := &site.Page{Kind: site.KindSection, URL: "/tin-tuc/", Title: "Tin tức", Pager: &site.Pager{Number: 1, Total: 1, Items: arts, URLs: []string{"/tin-tuc/"}}}
	if _, err := r.Render(list); err != nil {
		t.Fatal(err)
	}
	if n := cards(); n != len(arts) {
		t.Errorf("after a list page the cache keeps %d cards, want its %d", n, len(arts))
	}
}

// TestKeepFragmentsDropsAndBoundsTheCache: KeepFragments empties the cache (a fragment
// kept before is rendered again) and bounds it by the new budget from then on; Renew gives
// the whole budget back. A build renders its list pages with a small budget this way
// (build's renderOrder): at 100,000 articles the whole one, full of cards no list would
// show again, was ≈ 75 MB of the live heap at the end of rendering.
func TestKeepFragmentsDropsAndBoundsTheCache(t *testing.T) {
	page := `{{ partialCached "partials/the.html" (dict "t" .Page.Title) "footer" }}|{{ partialCached "partials/the.html" (dict "t" .Page.Title) .Page.URL }}`
	r := cachedTheme(t, page)
	render := func(url, title string) (footer, own string) {
		t.Helper()
		out, err := r.Render(&site.Page{Kind: site.KindPage, URL: url, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		footer, own, _ = strings.Cut(string(out), "|")
		return footer, own
	}
	const pages = 20
	for i := range pages {
		render("/"+strconv.Itoa(i)+"/", "trang "+strconv.Itoa(i))
	}
	if n := r.frags.Len(); n != pages+1 {
		t.Fatalf("the whole budget keeps %d fragments, want all %d", n, pages+1)
	}
	r.KeepFragments(600) // a fragment and its key are about 90 bytes: a generation holds three
	if n := r.frags.Len(); n != 0 || r.frags.Bytes() != 0 {
		t.Fatalf("KeepFragments left %d fragments (%d bytes)", n, r.frags.Bytes())
	}
	if footer, _ := render("/0/", "lần hai"); !strings.Contains(footer, "lần hai") {
		t.Errorf("the footer kept before KeepFragments was found again: %q", footer)
	}
	for i := range pages {
		render("/"+strconv.Itoa(i)+"/", "lần ba")
		if n := r.frags.Len(); r.frags.Bytes() > 300 || n > 8 {
			t.Fatalf("page %d: %d fragments kept, recent %d bytes: over the budget of 600", i, n, r.frags.Bytes())
		}
	}
	r.Renew()
	if r.frags.Budget() != maxFragmentBytes {
		t.Errorf("after Renew the budget is %d, want %d", r.frags.Budget(), maxFragmentBytes)
	}
}
