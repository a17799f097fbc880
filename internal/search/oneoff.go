package search

import (
	"context"

	"github.com/vnportal/portal/internal/parallel"
)

// NewOneOffMemo returns a Memo for the one build of a process that then ends (`portal
// build`): it prepares the documents as a Memo does but keeps none of them for a next
// build. A Memo keeps each document twice (as handed in and as prepared) under its URL
// for the next build, about 0.9 KB per article that a one-off build's index stage
// carried for nothing (≈ 90 MB at 100,000 articles, all of it marked by every
// collection). The index it builds is the same (TestOneOffMemoBuildsTheSameIndex).
func NewOneOffMemo() *Memo { return &Memo{docs: map[string]*memoDoc{}, oneOff: true} }

// prepareOnce is prepare for a one-off memo: every document prepared on every core (as
// prepareChanged does for a new Memo), duplicate URLs refused as prepare refuses them,
// nothing kept in m.docs.
func (m *Memo) prepareOnce(docs []Document) ([]preparedDoc, error) {
	m.order, m.sameOrder, m.count = nil, false, -1
	at := make(map[string]int, len(docs))
	for i, d := range docs {
		if d.URL == "" {
			return nil, errNoURL(i, d)
		}
		if j, ok := at[d.URL]; ok {
			return nil, errSameURL(j, i, d)
		}
		at[d.URL] = i
	}
	out, errs := make([]preparedDoc, len(docs)), make([]error, len(docs))
	_ = parallel.Each(context.Background(), (len(docs)+prepareChunk-1)/prepareChunk, func(c int) {
		for i := c * prepareChunk; i < min(len(docs), (c+1)*prepareChunk); i++ {
			out[i], errs[i] = prepareDoc(docs[i])
		}
	})
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	m.count = len(docs)
	return out, nil
}
