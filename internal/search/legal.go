package search

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// Kinds of search documents.
//
// The index holds news articles and pages (KindArticle) and the legal
// documents of the library (KindDocument). Every document's kind is a facet
// term ("k:van-ban"), so a result counts both kinds and a filter keeps one;
// a legal document also has the document facets: its type, issuer, year of
// issue and status ("t:nghi-dinh", "i:chinh-phu", "n:2007",
// "s:con-hieu-luc"). All of them are terms of the facet field, which is
// indexed too, so filtering by them is a term lookup like the other filters
// and counting them costs nothing more than the province facet does.
const (
	KindArticle  = "tin-tuc"
	KindDocument = "van-ban"
)

// Display names of the kinds.
var kindNames = map[string]string{KindArticle: "Tin bài", KindDocument: "Văn bản"}

// Prefixes of the kind and document facet terms of fieldFacet.
const (
	facetPrefixKind     = "k:"
	facetPrefixDocType  = "t:"
	facetPrefixIssuer   = "i:"
	facetPrefixDocYear  = "n:"
	facetPrefixDocState = "s:"
)

// Facet sizes of the document facets.
const (
	facetKinds    = 2
	facetDocTypes = 64
	facetIssuers  = 128
	facetDocYears = 100
	facetStatuses = 16
)

// fieldNumber holds a legal document's number as compound runs (see
// compound.go), so a query that is a number, or part of one, ranks the
// document itself above the articles that cite it (see numberBoosts).
const fieldNumber = "number"

// boostNumber weighs a query's compound found in a document's number. It
// must outweigh the same compound in a citing article's title (boostTitle
// × exactFactor, with the phrase bonus) by a margin.
const boostNumber = 40.0

// Legal is what a legal document (Kind KindDocument) has beyond an
// article: its number and its facets. Document.Date is its issue date,
// whose year in Vietnam is its "năm ban hành" facet.
type Legal struct {
	Number string // "64/2007/NĐ-CP"
	Type   Term   // loại: {"Nghị định", "nghi-dinh"}
	Issuer Term   // cơ quan ban hành; zero when unknown
	Status Term   // tình trạng: {"Còn hiệu lực", "con-hieu-luc"}
}

// kindOf is d's kind: KindArticle unless it says otherwise.
func kindOf(kind string) string {
	if kind == KindDocument {
		return KindDocument
	}
	return KindArticle
}

// legalMeta is Legal as stored with each document (see docMeta).
type legalMeta struct {
	N string    `json:"n"`
	T [2]string `json:"t"`
	I [2]string `json:"i,omitempty"`
	S [2]string `json:"s,omitempty"`
}

func toLegalMeta(l Legal) *legalMeta {
	return &legalMeta{N: l.Number, T: [2]string{l.Type.Name, l.Type.Slug}, I: [2]string{l.Issuer.Name, l.Issuer.Slug}, S: [2]string{l.Status.Name, l.Status.Slug}}
}

func (m *legalMeta) legal() Legal {
	return Legal{Number: m.N, Type: Term{m.T[0], m.T[1]}, Issuer: Term{m.I[0], m.I[1]}, Status: Term{m.S[0], m.S[1]}}
}

// legalFacets are the facet terms of a legal document issued on date.
func legalFacets(l Legal, date time.Time) []string {
	var out []string
	for _, p := range [][2]string{{facetPrefixDocType, l.Type.Slug}, {facetPrefixIssuer, l.Issuer.Slug}, {facetPrefixDocState, l.Status.Slug}} {
		if p[1] != "" {
			out = append(out, p[0]+p[1])
		}
	}
	if !date.IsZero() {
		out = append(out, facetPrefixDocYear+yearString(date.In(vnZone).Year()))
	}
	return out
}

// docNames are the display names of the document facets' slugs, kept in
// the manifest like the provinces' and categories'.
type docNames struct {
	Types    map[string]string `json:"types,omitempty"`
	Issuers  map[string]string `json:"issuers,omitempty"`
	Statuses map[string]string `json:"statuses,omitempty"`
}

// docTermNames collects the document facets' names of docs.
func docTermNames(docs []preparedDoc) docNames {
	n := docNames{Types: map[string]string{}, Issuers: map[string]string{}, Statuses: map[string]string{}}
	for _, d := range docs {
		if kindOf(d.doc.Kind) != KindDocument {
			continue
		}
		l := d.doc.Legal
		for _, p := range []struct {
			m map[string]string
			t Term
		}{{n.Types, l.Type}, {n.Issuers, l.Issuer}, {n.Statuses, l.Status}} {
			if p.t.Slug != "" {
				p.m[p.t.Slug] = p.t.Name
			}
		}
	}
	return n
}

// docFilterTerms are the facet-field filter groups of the kind and
// document filters of r.
func docFilterTerms(r Request) [][]termClause {
	var gs [][]termClause
	add := func(prefix string, vals []string) {
		if len(vals) == 0 {
			return
		}
		g := make([]termClause, 0, len(vals))
		for _, v := range vals {
			g = append(g, termClause{prefix + v, fieldFacet, 0})
		}
		gs = append(gs, g)
	}
	add(facetPrefixKind, r.Kinds)
	add(facetPrefixDocType, r.DocTypes)
	add(facetPrefixIssuer, r.Issuers)
	years := make([]string, 0, len(r.DocYears))
	for _, y := range r.DocYears {
		years = append(years, yearString(y))
	}
	add(facetPrefixDocYear, years)
	add(facetPrefixDocState, r.Statuses)
	return gs
}

// validKinds reports whether every kind is KindArticle or KindDocument.
func validKinds(kinds []string) (string, bool) {
	for _, k := range kinds {
		if k != KindArticle && k != KindDocument {
			return k, false
		}
	}
	return "", true
}

// numberBoosts are the optional clauses that rank a legal document whose
// number contains one of the query's compounds above the articles citing
// it. The index's other documents are scored as before: the clauses are
// added only when the index holds legal documents.
func (ix *Index) numberBoosts(groups []group) []termClause {
	if !slices.ContainsFunc(ix.table.all.kinds, func(f Facet) bool { return f.Slug == KindDocument }) {
		return nil
	}
	var out []termClause
	for _, g := range groups {
		if len(g) < 2 || len(g) > maxCompoundRun {
			continue
		}
		out = append(out, termClause{compoundTerms(g)[0], fieldNumber, boostNumber})
	}
	return out
}

// addDocFacet adds the kind or document facet term with count c to fs.
func (fs *facetSet) addDocFacet(term string, c int, n docNames) {
	switch {
	case strings.HasPrefix(term, facetPrefixKind):
		fs.kinds = append(fs.kinds, named(term, facetPrefixKind, c, kindNames))
	case strings.HasPrefix(term, facetPrefixDocType):
		fs.docTypes = append(fs.docTypes, named(term, facetPrefixDocType, c, n.Types))
	case strings.HasPrefix(term, facetPrefixIssuer):
		fs.issuers = append(fs.issuers, named(term, facetPrefixIssuer, c, n.Issuers))
	case strings.HasPrefix(term, facetPrefixDocYear):
		fs.docYears = append(fs.docYears, named(term, facetPrefixDocYear, c, nil))
	case strings.HasPrefix(term, facetPrefixDocState):
		fs.statuses = append(fs.statuses, named(term, facetPrefixDocState, c, n.Statuses))
	}
}

// sortDocFacets orders the kind and document facets (most first, years
// newest first) and cuts them to their sizes.
func (fs *facetSet) sortDocFacets() {
	fs.kinds = topFacets(fs.kinds, facetKinds)
	fs.docTypes = topFacets(fs.docTypes, facetDocTypes)
	fs.issuers = topFacets(fs.issuers, facetIssuers)
	fs.statuses = topFacets(fs.statuses, facetStatuses)
	fs.docYears = topFacets(fs.docYears, facetDocYears)
	sort.SliceStable(fs.docYears, func(i, j int) bool { return fs.docYears[i].Slug > fs.docYears[j].Slug })
}
