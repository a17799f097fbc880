package site

import (
	"cmp"
	"html/template"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/docnumber"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/vietnamese"
)

// LibraryURL is the legal-document library's list; each document's page is
// LibraryURL + its number's slug + "/".
const LibraryURL = "/" + content.LibrarySection + "/"

// The library's filters: URL segment after LibraryURL, and the name readers see.
const (
	FilterType   = "loai"
	FilterIssuer = "co-quan"
	FilterField  = "linh-vuc"
	FilterYear   = "nam"
)

// Library is the legal-document library (content/van-ban/): documents newest issued
// first, and the values readers can filter them by, each with a static page.
type Library struct {
	URL, FeedURL string
	Documents    []*Article
	Types        []*Facet
	Issuers      []*Facet
	Fields       []*Facet
	Years        []*Facet
	byKey        map[string]*Article
}

// Lookup returns the document with a number (any spelling docnumber.Key folds alike), or nil.
func (l *Library) Lookup(number string) *Article {
	if l == nil {
		return nil
	}
	return l.byKey[docnumber.Key(number)]
}

// Facet is one value of a library filter ("Nghị định", "Chính phủ", "2007") with the
// documents that have it, newest first.
type Facet struct {
	Filter    string // FilterType, FilterIssuer, FilterField or FilterYear
	Name      string
	Slug      string
	URL       string
	Documents []*Article
}

// Count is the number of documents with the value.
func (f *Facet) Count() int { return len(f.Documents) }

// DocumentInfo is what the assembly works out about a legal document: its status, its
// attachments and the documents and articles related to it.
type DocumentInfo struct {
	// Status is the status as written, else worked out from the dates and the documents
	// replacing it ("còn hiệu lực", "bị thay thế" …).
	Status string
	// InForce reports whether the status is "còn hiệu lực".
	InForce     bool
	Attachments []Attachment
	// Replaces … AmendedBy are the library's documents linked both ways.
	Replaces, ReplacedBy, Amends, AmendedBy []*Article
	// CitedBy are the articles and pages whose text cites the document, newest first.
	CitedBy []*Article
	// Type, Issuer, Year and Fields are the document's filter pages.
	Type, Issuer, Year *Facet
	Fields             []*Facet
}

// Attachment is a file of a legal document (PDF, DOCX …) as published beside its page.
type Attachment struct {
	Name   string // file name, "nd-64-2007.pdf"
	URL    string // "/van-ban/64-2007-nd-cp/nd-64-2007.pdf"
	Size   int64
	Format string // "PDF", "DOCX"
	// Source is the file in the site folder ("content/van-ban/x/nd.pdf"), set by the build.
	Source string
}

// SizeText is the size formatted the Vietnamese way ("1,5 MB").
func (a Attachment) SizeText() string { return vietnamese.FileSize(a.Size) }

// NewAttachment describes a document's file name of size bytes.
func NewAttachment(bundleDir, name string, size int64) Attachment {
	return Attachment{Name: name, Size: size, Format: strings.ToUpper(strings.TrimPrefix(path.Ext(name), ".")), Source: bundleDir + "/" + name}
}

// citeLink is a citation of an article's body that the library holds: the HTML
// between start and end becomes a link to url.
type citeLink struct {
	start, end int
	url        string
}

// Content is the rendered body as trusted HTML (templates write {{ .Content }}), with
// the citations of documents the library holds linked to their pages. It fails only
// when the body cannot be read back from where the build keeps it.
func (a *Article) Content() (template.HTML, error) {
	h, err := a.stored.HTML()
	if err != nil || len(a.citeLinks) == 0 {
		return h, err
	}
	return linkCitations(h, a.citeLinks), nil
}

// linkCitations wraps each citation's HTML in a link. Offsets out of order or out of
// range (which a body and its metadata from one render cannot have) are skipped.
func linkCitations(h template.HTML, links []citeLink) template.HTML {
	var b strings.Builder
	b.Grow(len(h) + len(links)*48)
	at := 0
	for _, l := range links {
		if l.start < at || l.end > len(h) || l.start >= l.end {
			continue
		}
		b.WriteString(string(h[at:l.start]))
		b.WriteString(`<a class="trich-dan" href="`)
		b.WriteString(template.HTMLEscapeString(l.url))
		b.WriteString(`">`)
		b.WriteString(string(h[l.start:l.end]))
		b.WriteString("</a>")
		at = l.end
	}
	b.WriteString(string(h[at:]))
	return template.HTML(b.String())
}

// LibraryKey names everything the library adds to what a page shows of an article:
// the citations it links, and for a document its status, attachments and relations.
// Page keys include it.
func (a *Article) LibraryKey() string {
	var b strings.Builder
	for _, l := range slices.Concat(a.citeLinks, a.leadLinks) {
		b.WriteString(strconv.Itoa(l.start) + "-" + strconv.Itoa(l.end) + l.url + "|")
	}
	if d := a.DocInfo; d != nil {
		b.WriteString(d.Status + "|")
		for _, f := range d.Attachments {
			b.WriteString(f.Name + ":" + strconv.FormatInt(f.Size, 10) + "|")
		}
		for _, list := range [][]*Article{d.Replaces, d.ReplacedBy, d.Amends, d.AmendedBy, d.CitedBy} {
			for _, o := range list {
				b.WriteString(o.URL + "\x00" + o.Title + "\x00" + o.Date.String() + "|")
			}
			b.WriteString("/")
		}
	}
	return b.String()
}

// library assembles the legal documents: URLs, duplicate numbers, relations, status,
// filters, and the citations of every article and page.
func (a *assembler) library() {
	lib := &Library{URL: LibraryURL, FeedURL: LibraryURL + "index.xml", byKey: map[string]*Article{}}
	a.g.Library = lib
	slices.SortFunc(a.g.Documents, func(x, y *Article) int {
		return cmp.Or(y.Legal.Issued.Compare(x.Legal.Issued), cmp.Compare(x.Legal.Key, y.Legal.Key), cmp.Compare(x.Path, y.Path))
	})
	// Two documents with one number: both are reported and left out (each keeps its
	// last published page, as a held-back article does).
	dup := map[string][]*Article{}
	for _, d := range a.g.Documents {
		dup[d.Legal.Key] = append(dup[d.Legal.Key], d)
	}
	kept := a.g.Documents[:0]
	for _, d := range a.g.Documents {
		if same := dup[d.Legal.Key]; len(same) > 1 {
			for _, o := range same {
				if o != d {
					line, col := d.Pos("number")
					a.ds.Errorf(d.Path, line, col, "document-duplicate", "số ký hiệu %q trùng với văn bản %s (dòng %d): mỗi văn bản một số ký hiệu; sửa số của một trong hai, hoặc xoá tệp thừa", d.Legal.Number, o.Path, o.Line("number"))
				}
			}
			continue
		}
		lib.byKey[d.Legal.Key] = d
		kept = append(kept, d)
	}
	a.g.Documents = kept
	lib.Documents = kept
	for _, d := range kept {
		for i := range d.DocInfo.Attachments {
			d.DocInfo.Attachments[i].URL = d.URL + d.DocInfo.Attachments[i].Name
		}
	}
	for _, d := range kept {
		relate := func(key string, nums []string, to *[]*Article, back func(*DocumentInfo) *[]*Article) {
			for _, n := range nums {
				o := lib.Lookup(n)
				if o == nil || o == d {
					line, col := d.ItemPos(key, n)
					a.ds.Warnf(d.Path, line, col, "document-link", "%s: thư viện không có văn bản số %q: kiểm tra số ký hiệu, hoặc thêm văn bản đó vào content/van-ban/", key, n)
					continue
				}
				*to = append(*to, o)
				*back(o.DocInfo) = append(*back(o.DocInfo), d)
			}
		}
		relate("replaces", d.Legal.Replaces, &d.DocInfo.Replaces, func(i *DocumentInfo) *[]*Article { return &i.ReplacedBy })
		relate("amends", d.Legal.Amends, &d.DocInfo.Amends, func(i *DocumentInfo) *[]*Article { return &i.AmendedBy })
	}
	for _, d := range kept {
		d.DocInfo.Status = status(d, a.in.Now)
		d.DocInfo.InForce = d.DocInfo.Status == "còn hiệu lực"
	}
	a.facets(lib)
	a.citations(lib)
}

// status is a document's status as written, else: replaced when a document replacing it
// is in force, expired after its expiry date, not yet in force before its effective
// date, otherwise in force. now zero leaves the dates out.
func status(d *Article, now time.Time) string {
	l := d.Legal
	if l.Status != "" {
		return l.Status
	}
	for _, r := range d.DocInfo.ReplacedBy {
		if now.IsZero() || !cmpOr(r.Legal.Effective, r.Legal.Issued).After(now) {
			return "bị thay thế"
		}
	}
	switch {
	case !now.IsZero() && !l.Expires.IsZero() && !l.Expires.After(now):
		return "hết hiệu lực"
	case !now.IsZero() && l.Effective.After(now):
		return "chưa có hiệu lực"
	}
	return "còn hiệu lực"
}

func cmpOr(a, b time.Time) time.Time {
	if !a.IsZero() {
		return a
	}
	return b
}

// facets makes the library's filters: by type, issuer, field and year.
func (a *assembler) facets(lib *Library) {
	byKey := map[string]*Facet{}
	get := func(filter, name string, list *[]*Facet) *Facet {
		slug := vietnamese.Slug(name)
		if slug == "" {
			return nil
		}
		k := filter + "/" + slug
		f := byKey[k]
		if f == nil {
			f = &Facet{Filter: filter, Name: name, Slug: slug, URL: lib.URL + filter + "/" + slug + "/"}
			byKey[k] = f
			*list = append(*list, f)
		}
		return f
	}
	for _, d := range lib.Documents {
		info := d.DocInfo
		if f := get(FilterType, d.Legal.Type, &lib.Types); f != nil {
			info.Type = f
			f.Documents = append(f.Documents, d)
		}
		if f := get(FilterIssuer, d.Legal.Issuer, &lib.Issuers); f != nil {
			info.Issuer = f
			f.Documents = append(f.Documents, d)
		}
		for _, field := range d.Legal.Fields {
			if f := get(FilterField, field, &lib.Fields); f != nil && !slices.Contains(info.Fields, f) {
				info.Fields = append(info.Fields, f)
				f.Documents = append(f.Documents, d)
			}
		}
		if !d.Legal.Issued.IsZero() {
			f := get(FilterYear, strconv.Itoa(d.Legal.Issued.In(vietnamese.Location()).Year()), &lib.Years)
			info.Year = f
			f.Documents = append(f.Documents, d)
		}
	}
	for _, list := range [][]*Facet{lib.Types, lib.Issuers, lib.Fields} {
		vietnamese.SortFunc(list, func(f *Facet) string { return f.Name })
	}
	slices.SortFunc(lib.Years, func(x, y *Facet) int { return cmp.Compare(y.Name, x.Name) })
}

// citations links each article's and page's citations of the library's documents, and
// lists the citing articles on each document, newest first.
func (a *assembler) citations(lib *Library) {
	for _, art := range slices.Concat(a.g.Articles, a.g.Standalone, lib.Documents) {
		for _, d := range art.linkCitations(lib) {
			if !slices.Contains(d.DocInfo.CitedBy, art) {
				d.DocInfo.CitedBy = append(d.DocInfo.CitedBy, art)
			}
		}
	}
	for _, d := range lib.Documents {
		slices.SortFunc(d.DocInfo.CitedBy, newestFirst)
	}
}

// libraryPages adds the library's pages: the list, the filter pages, the feed and a
// page per document.
func (a *assembler) libraryPages() {
	lib := a.g.Library
	if lib == nil || len(lib.Documents) == 0 {
		return
	}
	cfg := a.in.Config
	title, desc := "Văn bản", "Thư viện văn bản: "+strconv.Itoa(len(lib.Documents))+" văn bản"
	for _, d := range a.in.SectionIndexes { // content/van-ban/_index.md names the library
		if d.Section == content.LibrarySection {
			title = cmp.Or(d.Title, title)
			desc = cmp.Or(d.Summary, desc)
		}
	}
	top := Crumb{title, lib.URL}
	a.paginate(&Page{Kind: KindLibrary, URL: lib.URL, Title: title, Description: desc,
		Library: lib, FeedURL: lib.FeedURL, Crumbs: []Crumb{home, top}}, lib.Documents)
	a.add(&Page{Kind: KindFeed, URL: lib.FeedURL, Title: title + " – " + cfg.Title, Library: lib, Items: head(lib.Documents, cfg.FeedLimit)})
	for _, list := range [][]*Facet{lib.Types, lib.Issuers, lib.Fields, lib.Years} {
		for _, f := range list {
			t := FilterName(f.Filter) + ": " + f.Name
			a.paginate(&Page{Kind: KindLibrary, URL: f.URL, Title: t, Description: strconv.Itoa(len(f.Documents)) + " văn bản – " + t,
				Library: lib, Facet: f, FeedURL: lib.FeedURL, Crumbs: []Crumb{home, top, {t, f.URL}}}, f.Documents)
		}
	}
	for _, d := range lib.Documents {
		d.page = &Page{Kind: KindDocument, URL: d.URL, Title: d.Legal.Type + " " + d.Legal.Number, Description: d.Title, Article: d,
			Library: lib, Crumbs: []Crumb{home, top, {d.Legal.Number, d.URL}}, Lastmod: d.Lastmod, Draft: d.Draft, Sources: []string{d.Path}}
		a.add(d.page)
	}
}

// FilterName is the Vietnamese name of a library filter.
func FilterName(filter string) string {
	switch filter {
	case FilterType:
		return "Loại văn bản"
	case FilterIssuer:
		return "Cơ quan ban hành"
	case FilterField:
		return "Lĩnh vực"
	default:
		return "Năm ban hành"
	}
}

// related are the documents and articles a document's page shows.
func (d *DocumentInfo) related() []*Article {
	return slices.Concat(d.Replaces, d.ReplacedBy, d.Amends, d.AmendedBy, d.CitedBy)
}

// linkCitations sets the links of art's citations (in its body and its lead) to the
// library's documents and returns the documents it cites.
func (art *Article) linkCitations(lib *Library) []*Article {
	art.citeLinks, art.leadLinks = nil, nil
	var cited []*Article
	link := func(cs []markdown.Citation, to *[]citeLink) {
		for _, c := range cs {
			d := lib.byKey[c.Key]
			if d == nil || d == art {
				continue
			}
			*to = append(*to, citeLink{c.Start, c.End, d.URL})
			cited = append(cited, d)
		}
	}
	link(art.Body.Citations, &art.citeLinks)
	link(art.LeadCitations(), &art.leadLinks)
	return cited
}

// LeadCitations are the document numbers the lead (summary) cites, with offsets in Lead.
func (art *Article) LeadCitations() []markdown.Citation { return htmlCitations(string(art.Lead)) }

// LinkedLead is the lead with the citations of the library's documents linked, for the
// article's own page (a card keeps Lead: its title is the link there).
func (art *Article) LinkedLead() template.HTML { return linkCitations(art.Lead, art.leadLinks) }

// htmlCitations finds the document numbers cited in the text of a small piece of inline
// HTML (a rendered lead), outside tags, links and code.
func htmlCitations(h string) []markdown.Citation {
	if !strings.ContainsAny(h, "/-") {
		return nil
	}
	var out []markdown.Citation
	inLink, inCode := false, false
	for i := 0; i < len(h); {
		if h[i] == '<' {
			end := strings.IndexByte(h[i:], '>')
			if end < 0 {
				break
			}
			tag := strings.ToLower(h[i+1 : i+end])
			switch {
			case tag == "a" || strings.HasPrefix(tag, "a "):
				inLink = true
			case tag == "/a":
				inLink = false
			case tag == "code" || strings.HasPrefix(tag, "code "):
				inCode = true
			case tag == "/code":
				inCode = false
			}
			i += end + 1
			continue
		}
		j := strings.IndexByte(h[i:], '<')
		if j < 0 {
			j = len(h) - i
		}
		if !inLink && !inCode {
			for _, m := range docnumber.Find(h[i : i+j]) {
				out = append(out, markdown.Citation{Number: m.Number, Key: m.Key, Start: i + m.Start, End: i + m.End})
			}
		}
		i += j
	}
	return out
}

// citedKeys are the document keys a body cites, in order.
func citedKeys(cs []markdown.Citation) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Key
	}
	return out
}
