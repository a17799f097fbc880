package render

import (
	"html/template"
	"time"
)

// SearchView is what the search layout (search.html) sees as .Search on a results page
// rendered by the server. On the static /tim-kiem/ page written by the build it is nil.
type SearchView struct {
	Query string
	// Sort is "lien-quan" (relevance) or "moi-nhat" (newest).
	Sort                    string
	RelevanceURL, NewestURL string
	// Filters are the active filters; each RemoveURL drops it.
	Filters []SearchFilter
	Total   uint64
	TookMS  int64
	Hits    []SearchHit
	Facets  []SearchFacetGroup
	// Page is the current page (1-based), Pages the number of pages.
	Page, Pages      int
	PrevURL, NextURL string
	// Message explains an empty query, a bad parameter or an unavailable index; Status is the HTTP status.
	Message string
	Status  int
	// Notes say what the search did beyond the words typed: the merged
	// provinces included ("Phú Thọ: gồm cả tin của Vĩnh Phúc, Hòa Bình trước
	// 01/07/2025"), the abbreviations searched too.
	Notes []string
	// Suggestion is a corrected query that finds more ("hội nghị" for
	// "hooij nghij"), SuggestionURL its results page; "" when none.
	Suggestion, SuggestionURL string
}

// SearchFilter is an active filter. Param and Slug let a form keep it as a hidden
// input (name={{ .Param }} value={{ .Slug }}) when the query changes.
type SearchFilter struct{ Label, Value, Param, Slug, RemoveURL string }

// SearchHit is one result.
type SearchHit struct {
	URL, Title  string
	Date        time.Time
	Provinces   []SearchLink
	Categories  []SearchLink
	ExcerptHTML template.HTML // only <mark> tags, text escaped
	// Kind is "tin-tuc" (an article or page) or "van-ban" (a legal
	// document, described by Document instead of the article's meta line;
	// Date is then its issue date).
	Kind     string
	Document SearchDocument
}

// SearchDocument is what a legal document's hit shows: its number, type and issuer
// (with their pages in the library when known) and its status.
type SearchDocument struct {
	Number       string
	Type, Issuer SearchLink
	Status       string
	InForce      bool // Status is "còn hiệu lực"
}

// SearchLink names a term with its page.
type SearchLink struct{ Name, URL string }

// SearchFacetGroup is one facet (provinces, categories, years).
type SearchFacetGroup struct {
	Name  string // "Tỉnh, thành phố"
	Param string // "tinh"
	Items []SearchFacetItem
}

// SearchFacetItem is one facet value; URL toggles it.
type SearchFacetItem struct {
	Name   string
	Slug   string // the parameter value
	Count  int
	URL    string
	Active bool
}
