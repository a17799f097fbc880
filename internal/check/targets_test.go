package check

import (
	"fmt"
	"testing"

	"github.com/vnportal/portal/internal/site"
)

// targetGraph is a graph of n pages with their URLs and output files only.
func targetGraph(n int) *site.Graph {
	g := &site.Graph{}
	for i := range n {
		g.Pages = append(g.Pages, &site.Page{URL: fmt.Sprintf("/tin-tuc/bai-%d/", i), Path: fmt.Sprintf("tin-tuc/bai-%d/index.html", i)})
	}
	g.Pages = append(g.Pages, &site.Page{URL: "/404.html", Path: "404.html"})
	return g
}

// A page is a target under its URL and under its output file's URL path, as before the
// output files were kept without their leading slash; a path without it is not.
func TestTargetsKnowPagesByURLAndOutputFile(t *testing.T) {
	tg := newTargets(targetGraph(3), nil, nil)
	for _, p := range []string{"/tin-tuc/bai-1/", "/tin-tuc/bai-1/index.html", "/tin-tuc/bai-1", "/404.html", "/tin-tuc/bai-2/index.html"} {
		if ok, _ := tg.page(p); !ok {
			t.Errorf("page(%q) = false, want true", p)
		}
	}
	for _, p := range []string{"tin-tuc/bai-1/index.html", "/tin-tuc/bai-3/", "/tin-tuc/bai-3/index.html", "404.html", "/tin-tuc/bai-1/index.htm", "/"} {
		if ok, _ := tg.page(p); ok {
			t.Errorf("page(%q) = true, want false", p)
		}
	}
}

// Making the targets of a site costs a few allocations for its maps, not one string per
// page (173,000 pages at 100,000 articles) nor a map grown step by step.
func TestTargetsAllocateNoStringPerPage(t *testing.T) {
	const n = 5000
	g := targetGraph(n)
	allocs := testing.AllocsPerRun(3, func() { newTargets(g, nil, nil) })
	if allocs > n/50 {
		t.Errorf("newTargets of %d pages: %.0f allocations, want at most %d", n, allocs, n/50)
	}
}
