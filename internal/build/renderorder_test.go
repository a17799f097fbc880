package build

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/site"
)

// TestRenderOrderShowsAnArticlesListsTogether: an article's card is on its section's,
// terms' and year's list pages, and the fragment cache keeps the cards used most recently
// (render/cached.go), so the list pages that show one article should be rendered close
// together. On 1,500 generated articles the first and the last of them are on average
// 929 list pages apart in the graph's order (each list in turn), 330 in renderOrder (the
// sparse tags' lists, a page or two each, are most of that). Every page is rendered once.
func TestRenderOrderShowsAnArticlesListsTogether(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 1500, 7); err != nil {
		t.Fatal(err)
	}
	var ds diag.List
	l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, NoSearch: true, Cache: NewMemoryCache()}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	g := l.Graph
	// spread is the mean, over the articles, of how many list pages (home pages aside:
	// their cards are not cached) lie between the first and the last that show it.
	spread := func(order []int) float64 {
		first, last := map[*site.Article]int{}, map[*site.Article]int{}
		n := 0
		for _, i := range order {
			p := g.Pages[i]
			if p.Pager == nil || p.Kind == site.KindHome {
				continue
			}
			for _, a := range p.Pager.Items {
				if _, ok := first[a]; !ok {
					first[a] = n
				}
				last[a] = n
			}
			n++
		}
		sum := 0
		for a, f := range first {
			sum += last[a] - f
		}
		t.Logf("%d list pages, %d articles", n, len(first))
		return float64(sum) / float64(len(first))
	}
	order, _ := renderOrder(g)
	seen := make([]bool, len(g.Pages))
	for _, i := range order {
		if seen[i] {
			t.Fatalf("page %d (%s) twice in the order", i, g.Pages[i].URL)
		}
		seen[i] = true
	}
	if len(order) != len(g.Pages) {
		t.Fatalf("%d pages in the order, %d in the graph", len(order), len(g.Pages))
	}
	graph := make([]int, len(g.Pages))
	for i := range graph {
		graph[i] = i
	}
	before, after := spread(graph), spread(order)
	t.Logf("an article's list pages are %.1f list pages apart in the graph's order, %.1f in renderOrder", before, after)
	if after > before/2 {
		t.Errorf("an article's list pages are %.1f list pages apart in renderOrder, want under half the graph order's %.1f", after, before)
	}
}

// TestRenderOrderListsStartAfterThePagesWithout: renderOrder says where the list pages
// start, and renderPages renders them with the fragment cache's small budget from there
// (listFragmentBytes): every page before that index shows no list (its related items,
// kept with the whole budget, are found again), every page from there shows one.
func TestRenderOrderListsStartAfterThePagesWithout(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 300, 7); err != nil {
		t.Fatal(err)
	}
	var ds diag.List
	l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, NoSearch: true, Cache: NewMemoryCache()}, &ds)
	if err != nil {
		t.Fatal(err)
	}
	order, lists := renderOrder(l.Graph)
	if lists <= 0 || lists >= len(order) {
		t.Fatalf("the lists start at %d of %d pages", lists, len(order))
	}
	for k, i := range order {
		p := l.Graph.Pages[i]
		if isList := p.Pager != nil && len(p.Pager.Items) > 0; isList != (k >= lists) {
			t.Errorf("page %d of the order (%s) shows a list: %v; the lists start at %d", k, p.URL, isList, lists)
		}
	}
}

// TestMemoryCacheKeepsTheRenderOrderOfItsGraph: a rebuild after a body edit refreshes the
// graph in place (same pages, same dates) and renders in the order made for it the first
// time (not sorted again at every save); a date edit assembles a new graph, whose lists
// come in another order, and the order is made again for it.
func TestMemoryCacheKeepsTheRenderOrderOfItsGraph(t *testing.T) {
	dir := t.TempDir()
	if err := corpus.Generate(dir, 300, 7); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "content", "tin-tuc", "*-*.md"))
	if err != nil || len(files) < 2 {
		t.Fatalf("articles: %v, %v", files, err)
	}
	slices.Sort(files)
	file := files[len(files)/2]
	orig, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	c := NewMemoryCache()
	dest := filepath.Join(t.TempDir(), "public")
	build := func(changed ...string) {
		t.Helper()
		if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true, Cache: c.Changed(changed)}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(step string) {
		t.Helper()
		want, lists := renderOrder(c.graph)
		if !slices.Equal(c.pageOrder, want) || c.pageLists != lists {
			t.Fatalf("%s: the cache's order is not renderOrder of its graph (%d lists, want %d)", step, c.pageLists, lists)
		}
	}
	build()
	check("first build")
	first, g := c.pageOrder, c.graph
	if err := os.WriteFile(file, append(slices.Clone(orig), "\nMột đoạn thêm.\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	build(file)
	if c.graph != g {
		t.Fatal("a body edit assembled a new graph: the test needs a refreshed one")
	}
	check("body edit")
	if &c.pageOrder[0] != &first[0] {
		t.Error("a body edit (the same graph, refreshed) made the render order again")
	}
	dated := regexp.MustCompile(`(?m)^date: .*$`).ReplaceAll(orig, []byte("date: 2025-12-31T12:00:00+07:00"))
	if err := os.WriteFile(file, dated, 0o644); err != nil {
		t.Fatal(err)
	}
	build(file)
	if c.graph == g {
		t.Fatal("a date edit refreshed the graph: the test needs a new one")
	}
	check("date edit")
	if slices.Equal(c.pageOrder, first) {
		t.Error("the date edit left the lists in the same order: the test shows nothing")
	}
}
