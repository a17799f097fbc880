// Package content walks a site's content folder and turns each Markdown file into a
// Document: front matter decoded (YAML, TOML or JSON), every string normalized to NFC,
// and every problem reported as path:line:col.
package content

import (
	"slices"
	"strings"
	"time"
)

// Kind tells a regular article from a section's own _index.md.
type Kind int

const (
	// Article is a regular page (content/tin-tuc/x.md or content/tin-tuc/x/index.md).
	Article Kind = iota
	// SectionIndex is a section's _index.md: its front matter gives the section's title and lead.
	SectionIndex
	// Standalone is a file at the top of content/ (gioi-thieu.md): a page of its own at /<slug>/,
	// outside news lists, feeds and taxonomies; it needs no date.
	Standalone
	// LegalDocument is a file of the legal-document library (content/van-ban/x.md or
	// content/van-ban/x/index.md): a page of its own at /van-ban/<number's slug>/, outside
	// the news; its date is its issued date.
	LegalDocument
)

// Document is one parsed content file. It is immutable once loaded.
type Document struct {
	// Path is the file's path relative to the site root, slash-separated ("content/tin-tuc/x.md").
	Path string
	// Section is the first folder under content/ ("tin-tuc"); "" for files at the top.
	Section string
	// Name is the file's base name without extension, NFC ("x"); for a bundle (x/index.md), the folder's name.
	Name string
	// BundleDir is the bundle folder relative to the site root for x/index.md bundles, else "".
	BundleDir string
	Kind      Kind

	Title       string
	Summary     string
	Author      string
	Source      string
	Image       string
	ImageAlt    string
	Slug        string
	URL         string
	Description string
	Aliases     []string
	Draft       bool
	Date        time.Time
	Lastmod     time.Time
	PublishDate time.Time
	ExpiryDate  time.Time
	Weight      int

	// Terms holds the values of taxonomy fields (provinces, tags, categories ...) as written, NFC.
	Terms Terms
	// Params holds the front matter keys that have no field above (layout, lang, keys of
	// the site's own), NFC; templates read them here. nil when there is none. A key with
	// a field (title, date, the taxonomies, a legal document's number …) is read from
	// its field only: the loaded site keeps each value once.
	Params map[string]any
	// Body is the Markdown after the front matter, NFC.
	Body []byte
	// BodyLine is the 1-based line of the file where Body starts.
	BodyLine int
	// KeyLines says on which 1-based line of the file each front matter key is, for diagnostics.
	KeyLines KeyLines
	// Hash is a hex SHA-256 of the raw file; it keys caches and incremental work.
	Hash string
	// Legal is set on legal documents (Kind LegalDocument).
	Legal *Legal
	// ValueAt is where each front matter value of a legal document is written (Pos,
	// ItemPos; valuepos.go); nil for other documents.
	ValueAt map[string]Pos
	// WasNFC is false when the file was not in NFC before normalization (portal check reports it).
	WasNFC bool
}

// Include says which unpublished documents a build takes anyway.
type Include struct {
	Drafts  bool // draft: true
	Future  bool // date or publishDate after now
	Expired bool // expiryDate before now
}

// Published reports whether the document belongs in a build made at now.
func (d *Document) Published(now time.Time, inc Include) bool {
	if d.Draft && !inc.Drafts {
		return false
	}
	if !inc.Future && (d.Date.After(now) || (!d.PublishDate.IsZero() && d.PublishDate.After(now))) {
		return false
	}
	if !inc.Expired && !d.ExpiryDate.IsZero() && !d.ExpiryDate.After(now) {
		return false
	}
	return true
}

// Line returns the line of a front matter key, or the first line of the file.
func (d *Document) Line(key string) int {
	if l, ok := d.KeyLines.Line(key); ok {
		return l
	}
	return 1
}

// TermList is the values of one taxonomy field of a document.
type TermList struct {
	Taxonomy string
	Values   []string
}

// Terms are a document's taxonomy values, one list per taxonomy that has any, sorted by
// taxonomy key: a slice, not a map, since a document has two or three (a map of that
// size costs about 350 bytes, a fifth of a loaded article's front matter).
type Terms []TermList

// Of returns the values of taxonomy tax (nil: none).
func (t Terms) Of(tax string) []string {
	for _, l := range t {
		if l.Taxonomy == tax {
			return l.Values
		}
	}
	return nil
}

// Set makes vals the values of taxonomy tax (none: removes it).
func (t *Terms) Set(tax string, vals []string) {
	i, found := slices.BinarySearchFunc(*t, tax, func(l TermList, k string) int { return strings.Compare(l.Taxonomy, k) })
	switch {
	case found && len(vals) == 0:
		*t = slices.Delete(*t, i, i+1)
	case found:
		(*t)[i].Values = vals
	case len(vals) > 0:
		*t = slices.Insert(*t, i, TermList{tax, vals})
	}
}

// Equal reports whether t and o hold the same values.
func (t Terms) Equal(o Terms) bool {
	return slices.EqualFunc(t, o, func(a, b TermList) bool { return a.Taxonomy == b.Taxonomy && slices.Equal(a.Values, b.Values) })
}
