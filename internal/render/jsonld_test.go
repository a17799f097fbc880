package render

import (
	"encoding/json"
	"math/rand/v2"
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

// TestAppendJSONStringIsMarshals: appendJSONString gives json.Marshal's bytes for every
// ASCII byte alone and among text, invalid UTF-8, U+2028/U+2029, Vietnamese in both
// normal forms and 20,000 random byte strings.
func TestAppendJSONStringIsMarshals(t *testing.T) {
	cases := []string{"", "Hội nghị <b>\"số 1\"</b> & </script>", "a\u2028b\u2029c", "\xff\xfe", "x\xc3", "\xe2\x80", "Hue\u0301", "tab\there\\", "\x7f\x00\x1f"}
	for c := 0; c < 128; c++ {
		cases = append(cases, string(rune(c)), "ab"+string(rune(c))+"cd")
	}
	rng := rand.New(rand.NewPCG(22, 22))
	alphabet := []string{"a", "ữ", "<", "&", "\"", "\\", "\n", "\x01", "\u2028", "\xff", "\xe1\xbb", " "}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(12) {
			if rng.IntN(3) == 0 {
				sb.WriteByte(byte(rng.IntN(256)))
			} else {
				sb.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
		}
		cases = append(cases, sb.String())
	}
	for _, s := range cases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Fatalf("%q: got %s, want %s", s, got[1:], want)
		}
	}
}

// TestJSONLDOneBufferPerPage: an article's and a list page's JSON-LD are appended into one
// buffer and made a string: two allocations per page, where json.Marshal of a struct or
// map (the date strings, the places, the value boxed, the map, its sorted keys, the
// publisher compacted) made 8 for the article and 20 for the WebPage. It fails when the
// page's structured data goes back through json.Marshal.
func TestJSONLDOneBufferPerPage(t *testing.T) {
	cfg := config.Config{Theme: "default", Title: "Cổng", BaseURL: "https://t.example.gov.vn/", Organization: config.Organization{Name: "Sở A", Phone: "0203 3822 123"}}
	r, err := New(Options{SiteDir: t.TempDir(), Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	date := time.Date(2025, 3, 1, 8, 0, 0, 0, time.FixedZone("ICT", 7*3600))
	places := site.TermGroup{Taxonomy: &site.Taxonomy{Taxonomy: config.Taxonomy{Key: config.ProvinceTaxonomy}}, Terms: []*site.Term{{Name: "Hà Tĩnh"}, {Name: "Huế"}}}
	a := &site.Article{Document: &content.Document{Title: "Hội nghị", Author: "Nguyễn Văn A", Date: date, Lastmod: date}, Plain: "Tóm tắt",
		Permalink: "https://t.example.gov.vn/tin-tuc/x/", Terms: []site.TermGroup{places}}
	article := &site.Page{Kind: site.KindArticle, Article: a}
	list := &site.Page{Kind: site.KindTerm, Title: "Hà <Tĩnh>", Permalink: "https://t.example.gov.vn/tinh/ha-tinh/"}
	for _, p := range []*site.Page{article, list} {
		want, err := r.jsonLD(p)
		if err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(50, func() {
			if got, _ := r.jsonLD(p); got != want {
				t.Fatal("JSON-LD changed between calls")
			}
		}); n > 2 {
			t.Errorf("%s page: JSON-LD made %.0f allocations, want at most 2", p.Kind, n)
		}
	}
	// The list page's WebPage is still the map json.Marshal sorted.
	got, _ := r.jsonLD(list)
	want, _ := json.Marshal(map[string]any{"@context": "https://schema.org", "@type": "WebPage", "name": list.Title, "url": list.Permalink, "inLanguage": "vi", "publisher": organizationLD(cfg, false, false)})
	if string(got) != string(want) {
		t.Errorf("WebPage JSON-LD\n%s\nwant\n%s", got, want)
	}
}
