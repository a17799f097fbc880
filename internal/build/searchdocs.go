package build

import (
	"slices"
	"sync"

	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// searchDocsMemo keeps the articles' search documents (articleSearchDocuments) of the
// graph a MemoryCache last made them for, and the articles site.Refresh changed in that
// graph since: the next call for the same graph makes those again and copies the others,
// instead of making 10,000 documents (their term lists and input digests) after an edit.
// An article Refresh did not change is as it was (document, body, lead, terms), so its
// document is too. A graph assembled anew makes them all.
type searchDocsMemo struct {
	mu        sync.Mutex
	graph     *site.Graph
	docs      []search.Document // articleSearchDocuments(graph) as of the last call
	refreshed []*site.Article   // the articles of graph refreshed since
}

// refresh records the articles a refresh of g changed (MemoryCache.assemble).
func (m *searchDocsMemo) refresh(g *site.Graph, changed []*site.Article) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.graph != g {
		return
	}
	if len(m.refreshed)+len(changed) > maxDirty { // cheaper to make them all
		m.graph, m.docs, m.refreshed = nil, nil, nil
		return
	}
	m.refreshed = append(m.refreshed, changed...)
}

// articles returns articleSearchDocuments(g), a slice of the caller's own.
func (m *searchDocsMemo) articles(g *site.Graph) []search.Document {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.graph != g || len(m.docs) != len(g.Articles) {
		m.graph, m.docs, m.refreshed = g, articleSearchDocuments(g), nil
		return slices.Clone(m.docs)
	}
	if len(m.refreshed) > 0 {
		at := make(map[*site.Article]bool, len(m.refreshed))
		for _, a := range m.refreshed {
			at[a] = true
		}
		for i, a := range g.Articles {
			if at[a] {
				m.docs[i] = articleSearchDocument(a)
			}
		}
		m.refreshed = nil
	}
	return slices.Clone(m.docs)
}

// SearchDocumentsWith is the package's SearchDocumentsWith for a graph this cache made:
// the articles' documents are made again only for the articles refreshed since the last
// call for the same graph (the preview's background index, `portal serve --watch`'s index
// stage).
func (c *MemoryCache) SearchDocumentsWith(g *site.Graph, text AttachmentText) []search.Document {
	return append(c.searchDocs.articles(g), legalSearchDocuments(g, text)...)
}
