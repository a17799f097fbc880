package build

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// Issue 17, item 5: a province with no articles of its own but with merged predecessors
// that have some (today's Phú Thọ, with Vĩnh Phúc's and Hòa Bình's news) is listed the
// same way on the home page and on /tinh/: linked, with the articles of the provinces
// merged into it counted; its own page says where those articles are. The home page's
// list of sections is "Mục tin", not to be confused with the categories ("Chuyên mục").
func TestMergedProvinceListedAlikeEverywhere(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":          "baseURL = \"https://example.gov.vn/\"\ntitle = \"Cổng thử\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md": article("Tin Vĩnh Phúc một", "2024-03-01", `provinces: ["Vĩnh Phúc"]`),
		"content/tin-tuc/b.md": article("Tin Vĩnh Phúc hai", "2024-03-02", `provinces: ["Vĩnh Phúc"]`),
		"content/tin-tuc/c.md": article("Tin Hòa Bình", "2024-03-03", `provinces: ["Hòa Bình"]`),
		"content/tin-tuc/d.md": article("Tin Hà Tĩnh", "2024-03-04", `provinces: ["Hà Tĩnh"]`),
	})
	if _, err := runBuild(t, dir, func(o *Options) { o.Minify = false }); err != nil {
		t.Fatal(err)
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dir, "public", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	home, index, page := read("index.html"), read("tinh/index.html"), read("tinh/phu-tho/index.html")
	count := func(html, name string) string {
		m := regexp.MustCompile(`<a href="/tinh/[a-z-]+/">` + name + `</a> <span class="count">\(?(\d+)`).FindStringSubmatch(html)
		if m == nil {
			return "absent"
		}
		return m[1]
	}
	for name, want := range map[string]string{"Phú Thọ": "3", "Hà Tĩnh": "1"} {
		if got := count(home, name); got != want {
			t.Errorf("home page: %s listed with %s, want %s", name, got, want)
		}
		if got := count(index, name); got != want {
			t.Errorf("/tinh/: %s listed with %s, want %s", name, got, want)
		}
	}
	// The merged-away provinces keep their own entries (with a badge) on /tinh/ only.
	if got := count(index, "Vĩnh Phúc"); got != "2" {
		t.Errorf("/tinh/: Vĩnh Phúc listed with %s, want 2", got)
	}
	if got := count(home, "Vĩnh Phúc"); got != "absent" {
		t.Errorf("home page lists the merged-away Vĩnh Phúc (%s)", got)
	}
	if !strings.Contains(page, "0 bài viết; 3 bài viết của các đơn vị đã hợp nhất vào") {
		t.Errorf("/tinh/phu-tho/ does not say where its articles are:\n%s", page)
	}
	if !strings.Contains(home, ">Mục tin</h2>") || strings.Contains(home, "Chuyên trang") {
		t.Error("the home page's sections box is not called Mục tin")
	}
}
