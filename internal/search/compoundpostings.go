package search

import (
	"context"
	"fmt"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Compounds collected with the terms.
//
// A document number typed in a query ("64/2007/NĐ-CP") is a phrase of the
// folded title, summary and topics, or a run term of body_c (see
// phraseQuery): only bleve's searchers find phrases. A query with one used
// to run wholly through them, its boost clauses too: on a site where a
// sixth of the articles cite a decree in their tags, 13 ms at 10,000
// articles, a hundred at 100,000. Instead, the compound's own query runs
// alone, once per index (its matches and scores do not depend on the rest
// of the query), and its matches become a posting list like a term's,
// kept in the posting cache: each match's row and its score with the
// query norm left out (1). The query's norm is then applied like a
// term's: bleve's scores are linear in it, and the searcher's weight
// (its share of the norm) is kept with the list. The rest of the query
// is collected term at a time (see collectSets).

// compoundPrefix keys the compounds' lists in the posting cache (no
// field name starts with a NUL).
const compoundPrefix = "\x00compound"

// compoundClause is a required compound of a query: its group's key (see
// groupKey) and its query.
type compoundClause struct {
	key string
	q   query.Query
}

// compoundPostings runs c's query alone on r (the table's snapshot) and
// returns its matches as a posting list: rows ascending, each tn the
// match's score with query norm 1; weight is the searcher's weight.
func (ix *Index) compoundPostings(ctx context.Context, r index.IndexReader, c compoundClause) (*postingList, error) {
	s, err := c.q.Searcher(ctx, r, ix.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return nil, err
	}
	defer s.Close()
	s.SetQueryNorm(1)
	pl := &postingList{weight: s.Weight()}
	rowOf := ix.table.rows(r)
	err = drain(ctx, r, s, func(dm *search.DocumentMatch) error {
		row, err := rowOf(dm.IndexInternalID)
		if err != nil {
			return err
		}
		if n := len(pl.rows); n > 0 && row <= pl.rows[n-1] {
			return fmt.Errorf("compound %q: rows out of order (%d after %d)", c.key, row, pl.rows[n-1])
		}
		pl.rows = append(pl.rows, row)
		pl.tn = append(pl.tn, dm.Score)
		pl.maxTn = max(pl.maxTn, dm.Score)
		return nil
	})
	if err != nil {
		return nil, err
	}
	pl.setBits(len(ix.table.url))
	return pl, nil
}
