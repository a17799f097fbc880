package site

import (
	"reflect"
	"slices"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/province"
)

// Refresh updates g, assembled earlier by Assemble, for new input in which documents may
// have changed only in what the assembly copies into articles without deriving anything
// from it: the Markdown body, the summary, and fields that only templates read (author,
// source, image, description, params). It returns the articles it updated and whether it
// could; when ok is false, g is unchanged and the caller must Assemble again.
//
// Everything the assembly derives structure from must be as before: the configuration
// and province registry, the section index documents, the set of published documents in
// their order, and each document's path, kind, title, slug, url, aliases, dates, draft
// flag, weight, taxonomy values and front matter line numbers (diagnostics cite them).
// Then the result equals what Assemble would return, and a preview rebuild after a
// body edit costs a few milliseconds instead of a full assembly.
//
// Refresh changes g in place: no one may read g while it runs.
func Refresh(g *Graph, in Input) (changed []*Article, ok bool) {
	if g.assembled == nil || in.Registry != g.assembled.registry ||
		!slices.Equal(in.SectionIndexes, g.assembled.sections) ||
		len(in.Sources) != len(g.assembled.sources) || !reflect.DeepEqual(in.Config, g.Config) ||
		scheduleKey(in) != g.assembled.schedule {
		return nil, false
	}
	type update struct {
		i   int
		art *Article
		src Source
	}
	var updates []update
	for i, s := range in.Sources {
		old := g.assembled.sources[i]
		if s.Doc == old {
			// The same document: only its images can have changed (a photo replaced
			// beside it), which changes its body and lead photo, not the structure.
			a := g.assembled.byPath[old.Path]
			if a != nil && a.DocInfo != nil && !sameAttachments(a.DocInfo.Attachments, s.Attachments) {
				return nil, false // a legal document's file replaced: its page shows the size
			}
			if a == nil || a.ImagesKey == s.ImagesKey {
				continue
			}
		} else if !sameStructure(old, s.Doc) || s.Doc.Legal != nil {
			// A legal document's fields are its page's structure: assemble again.
			return nil, false
		}
		art := g.assembled.byPath[old.Path]
		if art == nil { // the document was left out (a bad url): Assemble reports it
			return nil, false
		}
		// The documents an article cites are on their pages (cited by): a change of
		// them is structural; the same ones are linked again at their new offsets.
		if !slices.Equal(citedKeys(art.Body.Citations), citedKeys(s.Body.Citations)) ||
			!slices.Equal(citedKeys(art.LeadCitations()), citedKeys(htmlCitations(string(s.Summary)))) {
			return nil, false
		}
		updates = append(updates, update{i, art, s})
	}
	for _, u := range updates {
		a, s := u.art, u.src
		changed = append(changed, a)
		g.assembled.sources[u.i] = s.Doc
		a.setContent(s)
		a.linkCitations(g.Library)
		if a.page != nil {
			a.page.Description = a.Plain
		}
	}
	return changed, true
}

// assembled is what Assemble was given, kept for Refresh.
type assembled struct {
	registry *province.Registry
	sections []*content.Document
	sources  []*content.Document
	byPath   map[string]*Article
	schedule string // scheduleKey of the input
}

// sameStructure reports whether two versions of a document agree on every field the
// assembly derives structure from (see Refresh).
func sameStructure(a, b *content.Document) bool {
	return a.Path == b.Path && a.Section == b.Section && a.Name == b.Name && a.BundleDir == b.BundleDir &&
		a.Kind == b.Kind && a.Title == b.Title && a.Slug == b.Slug && a.URL == b.URL &&
		slices.Equal(a.Aliases, b.Aliases) && a.Draft == b.Draft && a.Weight == b.Weight &&
		a.Date == b.Date && a.Lastmod == b.Lastmod && a.PublishDate == b.PublishDate && a.ExpiryDate == b.ExpiryDate &&
		a.Terms.Equal(b.Terms) && a.KeyLines == b.KeyLines
}

// sameAttachments compares a document's attachments by name and size (the assembly
// adds their URLs).
func sameAttachments(a, b []Attachment) bool {
	return slices.EqualFunc(a, b, func(x, y Attachment) bool { return x.Name == y.Name && x.Size == y.Size })
}
