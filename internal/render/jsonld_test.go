package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/site"
)

// TestNewsArticleLDIsTheMapsBytes: an article's JSON-LD, now a struct with the organization
// encoded once per Renderer, is byte for byte the map of the same keys json.Marshal sorted
// before, with and without author, source, photo, outside image and provinces, and with
// characters json escapes (<, &, quotes) in the values.
func TestNewsArticleLDIsTheMapsBytes(t *testing.T) {
	cfg := config.Config{Theme: "default", Title: "Cổng <thử> & \"tỉnh\"", BaseURL: "https://t.example.gov.vn/", Organization: config.Organization{
		Name: "Sở A&B", Agency: "UBND tỉnh", Address: "Số 1 <đường>", Phone: "0203 3822 123", Email: "a@example.gov.vn"}}
	r, err := New(Options{SiteDir: t.TempDir(), Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	provinces := &site.Taxonomy{Taxonomy: config.Taxonomy{Key: config.ProvinceTaxonomy}}
	date := time.Date(2025, 3, 1, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	mk := func(author, source, image string, photo *site.Photo, places ...string) *site.Article {
		a := &site.Article{Document: &content.Document{Title: "Hội nghị <b>\"số 1\"</b>", Author: author, Source: source, Image: image,
			Date: date, Lastmod: date.Add(time.Hour)}, Plain: "Tóm tắt & </script>", Permalink: "https://t.example.gov.vn/tin-tuc/x/", Photo: photo}
		if len(places) > 0 {
			g := site.TermGroup{Taxonomy: provinces}
			for _, p := range places {
				g.Terms = append(g.Terms, &site.Term{Name: p})
			}
			a.Terms = []site.TermGroup{{Taxonomy: &site.Taxonomy{Taxonomy: config.Taxonomy{Key: "tags"}}}, g}
		}
		return a
	}
	for _, a := range []*site.Article{
		mk("", "", "", nil),
		mk("Nguyễn Văn A", "Báo B", "", nil, "Hà Tĩnh", "Huế"),
		mk("", "Báo <B>", "https://anh.example.vn/a.jpg", nil, "Hà Tĩnh"),
		mk("", "", "/anh/a.jpg", &site.Photo{Share: "/tin-tuc/x/a-1200.jpg"}),
	} {
		got, err := r.jsonLD(&site.Page{Kind: site.KindArticle, Article: a})
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(referenceNewsArticle(r, a))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("JSON-LD\n%s\nwant\n%s", got, want)
		}
	}
	page, err := r.jsonLD(&site.Page{Kind: site.KindPage, Title: "Trang", Permalink: "https://t.example.gov.vn/x/"})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": "Trang", "url": "https://t.example.gov.vn/x/", "inLanguage": "vi", "publisher": organizationLD(cfg, false, false)})
	if string(page) != string(want) {
		t.Errorf("WebPage JSON-LD\n%s\nwant\n%s", page, want)
	}
}

// referenceNewsArticle is the map the NewsArticle was built as before (the reference).
func referenceNewsArticle(r *Renderer, a *site.Article) map[string]any {
	m := map[string]any{
		"@context": "https://schema.org", "@type": "NewsArticle", "headline": a.Title, "description": a.Plain,
		"datePublished": a.Date.Format(time.RFC3339), "dateModified": a.Lastmod.Format(time.RFC3339),
		"inLanguage": "vi", "mainEntityOfPage": a.Permalink, "url": a.Permalink, "publisher": organizationLD(r.cfg, false, false),
	}
	if a.Author != "" {
		m["author"] = map[string]any{"@type": "Person", "name": a.Author}
	} else if a.Source != "" {
		m["author"] = map[string]any{"@type": "Organization", "name": a.Source}
	}
	if a.Photo != nil {
		m["image"] = r.abs(a.Photo.Share)
	} else if strings.HasPrefix(a.Image, "https://") || strings.HasPrefix(a.Image, "http://") {
		m["image"] = a.Image
	}
	var places []any
	for _, t := range a.Provinces() {
		places = append(places, map[string]any{"@type": "AdministrativeArea", "name": t.Name})
	}
	if len(places) > 0 {
		m["contentLocation"] = places
	}
	return m
}
