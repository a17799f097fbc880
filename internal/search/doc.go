// Package search is the site's full-text search: the only package that
// touches Bleve. It builds the index of published articles (Build, full or
// incremental), opens it (Open, verifying a manifest of checksums so a
// half-written or damaged index is an error, never empty results), and
// answers citizens' queries (Index.Search, Live.Search) with Vietnamese-aware
// matching, highlighted excerpts, facets, filters and sorting.
//
// Matching. Every text field (title, summary, body, and the names of the
// article's provinces, categories and tags) is indexed exactly (NFC, lower
// case) and folded (without diacritics, đ→d), and all of them together into
// one folded field. Every query word must be in that field (AND across
// words), so a word costs one posting list even when it is as common as
// "các". Optional boosts rank the matches: the word in the title or topics,
// twice as much with the exact diacritics (so "Hà Tĩnh" ranks an article
// about Hà Tĩnh above one about "hạ tình", while "ha tinh" finds both), and
// each pair of adjacent query words adjacent in the title or topics (the
// phrase bonus). Words joined by punctuation without spaces, like the
// document number "64/2007/NĐ-CP", must appear as that exact sequence
// (a phrase in the title, summary or topics; in the body, a run of one
// compound, see compound.go). No stop words are removed.
//
// Kinds. A document is an article (or page) or a legal document of the
// library (Document.Kind, Legal): the kind and a legal document's type,
// issuer, year of issue and status are facets and filters like the province
// (legal.go), and a query's document number ranks the document with that
// number above the articles citing it.
//
// Speed. Facet values, URLs and sort keys are read once when the index is
// opened (collect.go), so counting facets and sorting a match is an array
// lookup. Matches are counted and faceted unscored (an intersection of
// posting bitmaps); for words that match many articles, relevance scores
// the matches with the strongest boosts first and stops when a score bound
// proves that the rest cannot reach the page (exact, see collect.go). The
// page's hits are highlighted from term locations or by analyzing their
// text again, whichever is cheaper; the body, which keeps no term
// locations, always by analysis, from where a query word first appears.
//
// Safety. Citizen input is analyzed into terms and only ever used in term
// and phrase queries: bleve's query-string syntax is never parsed, so
// "title:x", "+a -b", "a*", "/re/" are plain words. Excerpts are escaped
// HTML whose only tags are <mark>.
//
// The server uses Live, which follows the index folder across builds.
package search
