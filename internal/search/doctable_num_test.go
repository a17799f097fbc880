package search

import (
	"context"
	"encoding/binary"
	"testing"
)

// TestDocTableMapsIDsOnlyWhenAsked: opening an index (every generation `portal serve
// --watch` switches to) makes no map from internal ID to row when the IDs are document
// numbers (byNum serves its own snapshot's readers); a reader other than that snapshot
// gets one made from byNum, which finds every document's row.
func TestDocTableMapsIDsOnlyWhenAsked(t *testing.T) {
	ix, _ := buildFixture(t, append(fixtureDocs(), officialDocs()...))
	tb := ix.table
	if tb.byNum == nil {
		t.Fatal("the fixture's IDs are not document numbers")
	}
	if res, err := ix.Search(context.Background(), Request{Query: "hội nghị"}); err != nil || res.Total == 0 {
		t.Fatalf("search: total %d, %v", res.Total, err)
	}
	if tb.num != nil {
		t.Fatalf("Open made a map of %d IDs, which its own snapshot's readers never use", len(tb.num))
	}
	r, err := ix.reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	rowOf := tb.rows(nil) // not the table's snapshot: the map
	found := 0
	for n, want := range tb.byNum {
		if want < 0 {
			continue
		}
		id := binary.BigEndian.AppendUint64(nil, uint64(n))
		row, err := rowOf(id)
		if err != nil || row != want {
			t.Fatalf("document %d: row %d, %v; want %d", n, row, err, want)
		}
		url, err := r.ExternalID(id)
		if err != nil || url != tb.url[row] {
			t.Fatalf("document %d: URL %q, %v; its row's is %q", n, url, err, tb.url[row])
		}
		found++
	}
	if found != len(tb.url) || len(tb.num) != found {
		t.Errorf("%d documents found by number, %d in the map; the table has %d", found, len(tb.num), len(tb.url))
	}
}
