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
//
// A build lends the kept slice itself (lend) instead of a copy of it: at 100,000 articles
// the copy was ≈ 30 MB a save of `portal serve --watch` (BENCHMARKS.md, nineteenth
// session, branch heap19). While a slice is lent, the next call that must change one of
// its documents changes a copy, so that a borrower never sees a document change.
type searchDocsMemo struct {
	mu        sync.Mutex
	graph     *site.Graph
	docs      *lentDocs       // articleSearchDocuments(graph) as of the last call
	refreshed []*site.Article // the articles of graph refreshed since
}

// lentDocs is a slice of search documents and the number of borrowers still reading it.
type lentDocs struct {
	docs      []search.Document
	borrowers int
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

// lend returns articleSearchDocuments(g) as the memo keeps it, which the caller must not
// change, and the function to call once the caller no longer reads it (more calls do
// nothing).
func (m *searchDocsMemo) lend(g *site.Graph) (docs []search.Document, release func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.graph != g || m.docs == nil || len(m.docs.docs) != len(g.Articles) {
		m.graph, m.docs, m.refreshed = g, &lentDocs{docs: articleSearchDocuments(g)}, nil
	} else if len(m.refreshed) > 0 {
		if m.docs.borrowers > 0 { // still read: its documents stay as they are
			m.docs = &lentDocs{docs: slices.Clone(m.docs.docs)}
		}
		at := make(map[*site.Article]bool, len(m.refreshed))
		for _, a := range m.refreshed {
			at[a] = true
		}
		for i, a := range g.Articles {
			if at[a] {
				m.docs.docs[i] = articleSearchDocument(a)
			}
		}
		m.refreshed = nil
	}
	l := m.docs
	l.borrowers++
	released := false
	return l.docs[:len(l.docs):len(l.docs)], func() {
		m.mu.Lock()
		defer m.mu.Unlock()
		if !released {
			released = true
			l.borrowers--
		}
	}
}

// SearchDocumentsWith is the package's SearchDocumentsWith for a graph this cache made:
// the articles' documents are made again only for the articles refreshed since the last
// call for the same graph (the preview's background index, `portal serve --watch`'s index
// stage).
// The slice is the caller's own.
func (c *MemoryCache) SearchDocumentsWith(g *site.Graph, text AttachmentText) []search.Document {
	docs, release := c.searchDocs.lend(g)
	defer release()
	legal := legalSearchDocuments(g, text)
	return append(append(make([]search.Document, 0, len(docs)+len(legal)), docs...), legal...)
}

// lendSearchDocuments is SearchDocumentsWith for a build of this cache, which reads the
// documents until it calls release: without legal documents, the articles' documents the
// cache keeps, not a copy (searchDocsMemo.lend).
func (c *MemoryCache) lendSearchDocuments(g *site.Graph, text AttachmentText) (docs []search.Document, release func()) {
	docs, release = c.searchDocs.lend(g)
	if legal := legalSearchDocuments(g, text); len(legal) > 0 {
		// One slice of both, made once (appending to docs would copy it twice).
		all := make([]search.Document, 0, len(docs)+len(legal))
		all = append(append(all, docs...), legal...)
		release()
		return all, func() {}
	}
	return docs, release
}
