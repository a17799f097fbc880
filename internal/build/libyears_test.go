package build

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestLibraryYearCountsAgree: the library's "Năm" filter pages and the search's "năm ban
// hành" facet count each document once, in the year of its issue date in Vietnam (not
// its front matter date, not a UTC year), and agree with each other; every year facet's
// count is what its filter finds.
func TestLibraryYearCountsAgree(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":               "baseURL = \"https://vb.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n",
		"content/tin-tuc/kh.md":     "---\ntitle: \"Tin về kế hoạch\"\ndate: 2008-05-01\n---\nKế hoạch của tỉnh.\n",
		"content/van-ban/a.md":      "---\nnumber: \"1/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch một\"\nissued: 2008-01-02\n---\n",
		"content/van-ban/b.md":      "---\nnumber: \"2/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch hai\"\nissued: 2008-12-31\nfields: [\"Y tế\", \"Y tế\"]\n---\n",
		"content/van-ban/c.md":      "---\nnumber: \"3/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch ba\"\nissued: 2009-06-01\ndate: 2025-01-01\n---\n",
		"content/van-ban/d.md":      "---\nnumber: \"4/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch bốn\"\nissued: 2007-12-31T20:00:00Z\n---\n",
		"content/van-ban/_index.md": "---\ntitle: \"Văn bản\"\n---\n",
	})
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	// 2007-12-31T20:00Z is 1 January 2008 in Vietnam.
	want := map[string]int{"2008": 3, "2009": 1}
	for y, n := range want {
		if p := readOut(t, dest, "van-ban/nam/"+y+"/index.html"); strings.Count(p, "/van-ban/") == 0 || !strings.Contains(p, strconv.Itoa(n)+" văn bản") {
			t.Errorf("/van-ban/nam/%s/ does not say %d văn bản", y, n)
		}
	}
	ix, err := search.Open(filepath.Join(dest, ".search"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), search.Request{Query: "kế hoạch"})
	if err != nil {
		t.Fatal(err)
	}
	// The search's general "Năm" facet (a result's date: an article's, a document's
	// issue date) counts articles and documents alike, as its filter finds them: each
	// count is what a click on it gives.
	for _, f := range res.Years {
		y, _ := strconv.Atoi(f.Slug)
		r, err := ix.Search(context.Background(), search.Request{Query: "kế hoạch", Years: []int{y}})
		if err != nil || int(r.Total) != f.Count {
			t.Errorf("Năm %s counts %d, its filter finds %d (%v)", f.Slug, f.Count, r.Total, err)
		}
	}
	got := map[string]int{}
	for _, f := range res.DocYears {
		got[f.Slug] = f.Count
	}
	if len(got) != len(want) || got["2008"] != 3 || got["2009"] != 1 {
		t.Errorf("search's năm ban hành facet %v, want %v", got, want)
	}
	// Filtering by a year of issue finds those documents only.
	res, err = ix.Search(context.Background(), search.Request{Query: "kế hoạch", DocYears: []int{2008}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 3 {
		t.Errorf("năm ban hành 2008 finds %d, want 3", res.Total)
	}
}
