package render

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/site"
)

// encoderSitemap is how sitemaps were written until the eighteenth session: encoding/xml's
// Encoder with two-space indentation. sitemapXML must give its bytes.
func encoderSitemap(t testing.TB, entries []site.SitemapEntry, index bool) []byte {
	type sitemapURL struct {
		Loc     string `xml:"loc"`
		Lastmod string `xml:"lastmod,omitempty"`
	}
	type sitemapDoc struct {
		XMLName xml.Name     `xml:"urlset"`
		NS      string       `xml:"xmlns,attr"`
		URLs    []sitemapURL `xml:"url"`
	}
	type sitemapIndexDoc struct {
		XMLName xml.Name     `xml:"sitemapindex"`
		NS      string       `xml:"xmlns,attr"`
		Maps    []sitemapURL `xml:"sitemap"`
	}
	urls := make([]sitemapURL, 0, len(entries))
	for _, e := range entries {
		u := sitemapURL{Loc: e.Loc}
		if !e.Lastmod.IsZero() {
			u.Lastmod = e.Lastmod.Format(time.RFC3339)
		}
		urls = append(urls, u)
	}
	const ns = "http://www.sitemaps.org/schemas/sitemap/0.9"
	var doc any = sitemapDoc{NS: ns, URLs: urls}
	if index {
		doc = sitemapIndexDoc{NS: ns, Maps: urls}
	}
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	return buf.Bytes()
}

// sitemapPieces are what generated addresses are made of: plain path segments, every
// character encoding/xml escapes, Vietnamese (precomposed and decomposed), characters
// outside XML's range, a stray UTF-8 byte, a real U+FFFD and a character past U+FFFF.
var sitemapPieces = []string{
	"tin-tuc/", "bai-viet-", "2025", "/", "?page=2", "&", "<", ">", "'", "\"", "\t", "\n", "\r",
	"Hà Nội", "Ðắk Lắk", "Quảng Trị", "Thừa Thiên Huế", "a\u0300", "\x00", "\x1f", "\x7f",
	"\uFFFE", "\uFFFF", "\xff", "\xe1\xba", "\uFFFD", "𝔘", "&amp;", "%C3%A0", " ",
}

func randomSitemap(rng *rand.Rand, n int) []site.SitemapEntry {
	zones := []*time.Location{time.UTC, time.FixedZone("ICT", 7*3600), time.FixedZone("", -(3*3600 + 30*60))}
	entries := make([]site.SitemapEntry, n)
	for i := range entries {
		var loc strings.Builder
		loc.WriteString("https://x.gov.vn/")
		for range rng.IntN(8) {
			loc.WriteString(sitemapPieces[rng.IntN(len(sitemapPieces))])
		}
		entries[i].Loc = loc.String()
		if rng.IntN(4) > 0 {
			entries[i].Lastmod = time.Unix(rng.Int64N(2_000_000_000), rng.Int64N(1e9)).In(zones[rng.IntN(len(zones))])
		}
	}
	return entries
}

// TestSitemapXMLMatchesEncoder: the hand-written sitemaps are byte for byte what
// encoding/xml gave, for sets of 0 to a few hundred generated addresses with every
// character it escapes, non-ASCII and invalid text, and dates in several zones, written
// into no buffer, a small one and a large one.
func TestSitemapXMLMatchesEncoder(t *testing.T) {
	rng := rand.New(rand.NewPCG(22, 18))
	sizes := []int{0, 1, 2, 3, 10, 50, 300}
	for round := range 200 {
		entries := randomSitemap(rng, sizes[round%len(sizes)])
		for _, index := range []bool{false, true} {
			want := encoderSitemap(t, entries, index)
			for _, dst := range [][]byte{nil, make([]byte, 7, 16), make([]byte, 0, 1<<20)} {
				if got := sitemapXML(dst, entries, index); !bytes.Equal(got, want) {
					t.Fatalf("round %d, index=%v, %d entries, cap(dst) %d: differs from encoding/xml\ngot:\n%s\nwant:\n%s",
						round, index, len(entries), cap(dst), got, want)
				}
			}
		}
	}
	// A year past 9999 formats longer than the size reckoned for a date.
	far := []site.SitemapEntry{{Loc: "https://x.gov.vn/", Lastmod: time.Date(12025, 1, 2, 3, 4, 5, 0, time.FixedZone("", 7*3600))}}
	if got, want := sitemapXML(nil, far, false), encoderSitemap(t, far, false); !bytes.Equal(got, want) {
		t.Fatalf("year 12025: got\n%s\nwant\n%s", got, want)
	}
}

// TestSitemapXMLOneBuffer: a sitemap of 5,000 addresses is written into one buffer of its
// size (encoding/xml's way allocated per address and doubled its buffer up to the size).
func TestSitemapXMLOneBuffer(t *testing.T) {
	entries := randomSitemap(rand.New(rand.NewPCG(1, 2)), 5000)
	for _, n := range []int{1, 2, 5000} {
		for _, index := range []bool{false, true} {
			for _, zone := range []*time.Location{time.UTC, time.FixedZone("ICT", 7*3600)} {
				part := append([]site.SitemapEntry(nil), entries[:n]...)
				for i := range part {
					part[i].Lastmod = part[i].Lastmod.In(zone)
				}
				allocs := testing.AllocsPerRun(3, func() { sitemapXML(nil, part, index) })
				if allocs != 1 {
					t.Fatalf("%v allocations per sitemap of %d addresses (index=%v, %s), want 1", allocs, n, index, zone)
				}
			}
		}
	}
	dst := make([]byte, 0, 2<<20)
	if allocs := testing.AllocsPerRun(5, func() { sitemapXML(dst, entries, true) }); allocs != 0 {
		t.Fatalf("%v allocations into a buffer large enough, want 0", allocs)
	}
}

// BenchmarkSitemapXML writes one sitemap of 50,000 addresses (the most one file holds), as
// at 100,000 articles, with dates in Asia/Ho_Chi_Minh's offset.
func BenchmarkSitemapXML(b *testing.B) {
	entries := benchSitemapEntries()
	b.ReportAllocs()
	for b.Loop() {
		sitemapXML(nil, entries, false)
	}
}

func TestSitemapXML(t *testing.T) {
	entries := []site.SitemapEntry{
		{Loc: "https://x.gov.vn/sitemap-1.xml", Lastmod: time.Date(2025, 7, 1, 8, 0, 0, 0, time.UTC)},
		{Loc: "https://x.gov.vn/a&b/"},
	}
	for _, index := range []bool{false, true} {
		b := sitemapXML(nil, entries, index)
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

// BenchmarkSitemapEncoder is BenchmarkSitemapXML the way of encoding/xml (before).
func BenchmarkSitemapEncoder(b *testing.B) {
	entries := benchSitemapEntries()
	b.ReportAllocs()
	for b.Loop() {
		encoderSitemap(b, entries, false)
	}
}

// benchSitemapEntries are 50,000 article addresses of about 90 bytes with their dates.
func benchSitemapEntries() []site.SitemapEntry {
	ict := time.FixedZone("ICT", 7*3600)
	entries := make([]site.SitemapEntry, 50000)
	for i := range entries {
		entries[i] = site.SitemapEntry{Loc: "https://tinh.gov.vn/tin-tuc/ubnd-tinh-trien-khai-ke-hoach-chuyen-doi-so-nam-2025-" + strings.Repeat("x", i%7) + "/",
			Lastmod: time.Date(2007+i%19, time.Month(1+i%12), 1+i%28, 8, 30, 0, 0, ict)}
	}
	return entries
}
