package build

import (
	"context"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestDefaultArticlePageAllocations: an article page of the default theme (with author,
// source, an update, an outside image, prev and next) renders in a bounded number of
// allocations, nearly all of them html/template's reflective calls. Each of these cuts
// keeps it under the bound (base 63dad98: 916):
//   - the theme reads the fields an Article promotes from its embedded *content.Document
//     (.Title, .Date, .Lastmod, .Author, .Source, .Image …) through .Document: text/template
//     looks a promoted name up with reflect's FieldByNameFunc, +5 allocations per access
//     (916 → 807);
//   - T with constant arguments is its string in the loaded theme (→ 742);
//   - a constant string printed through an escaper is text once the theme is escaped at
//     load (→ 664);
//   - the breadcrumbs print each crumb but the last when the next comes, without
//     eq (add $i 1) $n per crumb (→ 625).
func TestDefaultArticlePageAllocations(t *testing.T) {
	article := func(name, date, extra string) string {
		return "---\ntitle: \"Bài " + name + "\"\ndate: " + date + "\nprovinces: [\"Hà Tĩnh\"]\ntags: [\"Chuyển đổi số\"]\n" + extra +
			"summary: \"Tóm tắt bài " + name + ".\"\n---\n\nĐoạn một của bài " + name + ".\n\n## Mục một\n\nĐoạn hai.\n"
	}
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":               "baseURL = \"https://t.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/mot.md":    article("một", "2025-03-01T08:00:00+07:00", ""),
		"content/tin-tuc/hai.md":    article("hai", "2025-03-02T08:00:00+07:00", "lastmod: 2025-03-05T08:00:00+07:00\nauthor: \"Nguyễn Văn A\"\nsource: \"Báo B\"\nimage: \"https://anh.example.vn/a.jpg\"\nimage_alt: \"Ảnh\"\n"),
		"content/tin-tuc/ba.md":     article("ba", "2025-03-03T08:00:00+07:00", ""),
		"content/gioi-thieu.md":     "---\ntitle: \"Giới thiệu\"\n---\n\nTrang giới thiệu.\n",
		"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\n---\n",
	})
	opts := Options{SiteDir: dir, Now: fixedNow, NoSearch: true, Cache: NewMemoryCache()}
	var ds diag.List
	l, err := Load(context.Background(), opts, &ds)
	if err != nil {
		t.Fatal(err)
	}
	var page *site.Page
	for _, p := range l.Graph.Pages {
		if p.Kind == site.KindArticle && p.Article.Author != "" {
			page = p
		}
	}
	if page == nil || page.Article.Prev == nil || page.Article.Next == nil || page.Article.Lastmod.IsZero() {
		t.Fatalf("the site lacks an article page with author, update, prev and next: %+v", page)
	}
	static, err := render.StaticFiles(dir, l.Config.Theme)
	if err != nil {
		t.Fatal(err)
	}
	as, _, err := assets(static, true)
	if err != nil {
		t.Fatal(err)
	}
	r, err := render.New(render.Options{SiteDir: dir, Config: l.Config, Graph: l.Graph, Assets: as})
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	if out, err = r.RenderTo(out, page); err != nil { // the first rendering fills the fragment cache
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(20, func() {
		if out, err = r.RenderTo(out[:0], page); err != nil {
			t.Fatal(err)
		}
	})
	const most = 645
	if allocs > most {
		t.Errorf("an article page took %.0f allocations to render, want at most %d (a promoted field read through FieldByNameFunc, a UI string not folded, arithmetic per crumb?)", allocs, most)
	}
	t.Logf("%.0f allocations, %d bytes", allocs, len(out))
}
