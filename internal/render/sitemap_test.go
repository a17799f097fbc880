package render

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/site"
)

func TestSitemapXML(t *testing.T) {
	entries := []site.SitemapEntry{
		{Loc: "https://x.gov.vn/sitemap-1.xml", Lastmod: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)},
		{Loc: "https://x.gov.vn/a&b/"},
	}
	for _, index := range []bool{false, true} {
		b, err := sitemapXML(nil, entries, index)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			XMLName xml.Name
			NS      string `xml:"xmlns,attr"`
			Items   []struct {
				XMLName xml.Name
				Loc     string `xml:"loc"`
				Lastmod string `xml:"lastmod"`
			} `xml:",any"`
		}
		if err := xml.Unmarshal(b, &doc); err != nil {
			t.Fatalf("index=%v: %v\n%s", index, err, b)
		}
		root, item := "urlset", "url"
		if index {
			root, item = "sitemapindex", "sitemap"
		}
		if doc.XMLName.Local != root || doc.NS != "http://www.sitemaps.org/schemas/sitemap/0.9" || len(doc.Items) != 2 {
			t.Fatalf("index=%v: root %s ns %q, %d items:\n%s", index, doc.XMLName.Local, doc.NS, len(doc.Items), b)
		}
		for i, it := range doc.Items {
			if it.XMLName.Local != item || it.Loc != entries[i].Loc {
				t.Errorf("index=%v: item %d is <%s> %q", index, i, it.XMLName.Local, it.Loc)
			}
		}
		if doc.Items[0].Lastmod != "2025-07-01T08:00:00Z" || doc.Items[1].Lastmod != "" {
			t.Errorf("index=%v: lastmod %q %q", index, doc.Items[0].Lastmod, doc.Items[1].Lastmod)
		}
	}
}
