package search

import (
	"context"
	"slices"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// TestOnlyFoldedFieldsKeepLocations (issue 18, item 5): term vectors
// (positions and offsets) are kept only where something reads them: the
// folded title, summary and topics (phrases, highlighting). The exact
// fields, the body's compound runs and all_f have none, and the body has
// no folded twin at all (its positions were 40 % of the index: body
// phrases are compound runs, body excerpts are highlighted by analysis).
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
		for _, c := range []struct {
			field, term string
			keeps       bool
		}{
			{fieldTitle, "hà", false},
			{fieldTitleF, "ha", true},
			{fieldSummary, "tỉnh", false},
			{fieldSummaryF, "tinh", true},
			{fieldTopicsF, "ha", true},
			{fieldBody, "tỉnh", false},
			{fieldBodyC, "64 2007", false},
			{fieldAllF, "tinh", false},
		} {
			d, l := locations(r, c.term, c.field)
			switch {
			case d == 0:
				t.Errorf("%s:%q: no document; the test needs some", c.field, c.term)
			case c.keeps && l < d:
				t.Errorf("%s:%q: %d documents, %d term locations; want a location per document", c.field, c.term, d, l)
			case !c.keeps && l != 0:
				t.Errorf("%s:%q: %d documents, %d term locations; want none (term vectors came back)", c.field, c.term, d, l)
			}
		}
		fields, err := r.Fields()
		if err != nil {
			t.Fatal(err)
		}
		if slices.Contains(fields, "body_f") {
			t.Errorf("the index has a folded body field again: %v", fields)
		}
	})
}
