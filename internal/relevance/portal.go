package relevance

import (
	"context"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/search"
)

// Searched is how a query was searched.
type Searched struct {
	URLs []string
	// Suggestion is what portal suggested; Followed reports that the query found
	// nothing and URLs are the suggestion's results (the citizen's one click).
	Suggestion string
	Followed   bool
}

// Typed is the query as typed: NFD for Kind "nfd".
func (q Query) Typed() string {
	if q.Kind == "nfd" {
		return norm.NFD.String(q.Text)
	}
	return q.Text
}

// Portal searches q in ix, first page of K, relevance order, the built-in thesaurus.
// When the query finds nothing and portal suggests another, the suggestion's results
// are taken, as a citizen clicking "Có phải bạn muốn tìm" would.
func Portal(ctx context.Context, ix *search.Index, q Query, follow bool) (Searched, error) {
	var s Searched
	res, err := ix.Search(ctx, search.Request{Query: q.Typed(), Size: K})
	if err != nil {
		return s, err
	}
	s.Suggestion = res.Suggestion
	if res.Total == 0 && res.Suggestion != "" && follow {
		if res, err = ix.Search(ctx, search.Request{Query: res.Suggestion, Size: K}); err != nil {
			return s, err
		}
		s.Followed = true
	}
	for _, h := range res.Hits {
		s.URLs = append(s.URLs, h.URL)
	}
	return s, nil
}
