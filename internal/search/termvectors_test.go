package search

import (
	"context"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// TestOnlyFoldedFieldsKeepLocations (issue 18, item 5): the exact text
// fields are indexed without term vectors (phrases and highlighting use the
// folded twins'), and the folded fields keep them.
func TestOnlyFoldedFieldsKeepLocations(t *testing.T) {
	ix, _ := buildFixture(t, fixtureDocs())
	ctx := context.Background()
	locations := func(r index.IndexReader, term, field string) (docs, locs int) {
		tfr, err := r.TermFieldReader(ctx, []byte(term), field, true, true, true)
		if err != nil {
			t.Fatal(err)
		}
		defer tfr.Close()
		for {
			d, err := tfr.Next(nil)
			if err != nil {
				t.Fatal(err)
			}
			if d == nil {
				return docs, locs
			}
			docs++
			locs += len(d.Vectors)
		}
	}
	withReader(t, ix, func(r index.IndexReader) {
		for _, c := range []struct{ exact, folded, term, foldedTerm string }{
			{fieldTitle, fieldTitleF, "hà", "ha"},
			{fieldSummary, fieldSummaryF, "tỉnh", "tinh"},
			{fieldBody, fieldBodyF, "tỉnh", "tinh"},
		} {
			if d, l := locations(r, c.term, c.exact); d == 0 || l != 0 {
				t.Errorf("%s:%s: %d documents, %d term locations; want some documents and no locations", c.exact, c.term, d, l)
			}
			if d, l := locations(r, c.foldedTerm, c.folded); d == 0 || l < d {
				t.Errorf("%s:%s: %d documents, %d term locations; want a location per document", c.folded, c.foldedTerm, d, l)
			}
		}
	})
}
