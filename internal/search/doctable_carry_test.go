package search

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// TestLiveCarriesTheDocTableOfSharedSegments: the next generation `portal serve --watch`
// opens after a save (Live.Open, before the switch) shares every segment of the served one
// but the new article's; its doc table takes the rows of those segments from the served
// generation's table instead of reading each document's URL and doc values from the
// index again (at 100,000 articles, most of opening a generation), and comes out equal,
// field by field, to the table read whole, which itself equals the one the match-all
// query reads. A second save carries from the carried table; a generation opened without
// a predecessor (or with one that shares nothing) reads every row.
func TestLiveCarriesTheDocTableOfSharedSegments(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	path := filepath.Join(root, "public", "_search")
	docs := genDocs(500, 1) // enough for an update to add a segment, not rewrite the one there
	for i := range docs {
		docs[i].Hash = contentHash(docs[i])
	}
	memo := NewMemo()
	if _, err := memo.Build(ctx, path, "", docs); err != nil {
		t.Fatal(err)
	}
	l := NewLive(path, nil)
	defer l.Close()
	if got := l.cur.ix.table.read; got != len(docs) {
		t.Fatalf("first generation: %d rows read, want all %d", got, len(docs))
	}

	prev := path
	for save := 1; save <= 2; save++ {
		// Save 1 edits an article and moves its date; save 2 adds one, in the middle of
		// both orders (URL, newest).
		next := slices.Clone(docs)
		edited := &next[save]
		if save == 2 {
			next = append(next, docs[250])
			edited = &next[len(next)-1]
			edited.URL = "/tin-tuc/bai-00250-b/"
		}
		edited.Body += fmt.Sprintf(" Khách mời có ca sĩ Zyxwa%d.", save)
		edited.Date = edited.Date.AddDate(-save, 0, 3)
		edited.Hash = contentHash(*edited)
		staged := filepath.Join(root, fmt.Sprint("staging", save), "_search")
		st, err := memo.Build(ctx, staged, prev, next)
		if err != nil {
			t.Fatal(err)
		}
		if !st.Incremental || st.Updated+st.Added != 1 {
			t.Fatalf("save %d: not an update of one article: %+v", save, st)
		}
		o, err := l.Open(staged)
		if err != nil {
			t.Fatal(err)
		}
		got := o.ix.table
		// The edited article's row is read; the second save's update may merge the first's
		// one-article segment into its own, whose two rows are then read.
		if got.read < 1 || got.read > save {
			t.Errorf("save %d: %d rows read from the index, want 1 to %d (the new segment's; %d carried)", save, got.read, save, len(got.url)-got.read)
		}
		whole, err := Open(staged)
		if err != nil {
			t.Fatal(err)
		}
		if whole.table.read != len(next) {
			t.Errorf("save %d: opened alone, %d rows read, want %d", save, whole.table.read, len(next))
		}
		sameTable(t, fmt.Sprintf("save %d, carried", save), got, whole.table)
		r, err := whole.reader()
		if err != nil {
			t.Fatal(err)
		}
		all, err := loadDocTable(ctx, plainReader{r}, whole, nil, nil)
		_ = r.Close()
		if err != nil {
			t.Fatal(err)
		}
		sameTable(t, fmt.Sprintf("save %d, match-all", save), all, whole.table)
		_ = whole.Close()

		// Served: the search finds the edited article by its new word, and only it.
		if err := l.Use(o); err != nil {
			t.Fatal(err)
		}
		res, err := l.Search(ctx, mustQuery(Request{Query: fmt.Sprintf("zyxwa%d", save)}))
		if err != nil || res.Total != 1 || res.Hits[0].URL != edited.URL {
			t.Fatalf("save %d: search for the new word: %+v, %v; want %s only", save, res.Hits, err, edited.URL)
		}
		docs, prev = next, staged
	}
}

// plainReader hides a scorch snapshot's segments: loadDocTable then reads the table with
// the match-all query.
type plainReader struct{ index.IndexReader }

// sameTable fails t unless got and want hold the same rows, orders, facets and segments.
func sameTable(t *testing.T, what string, got, want *docTable) {
	t.Helper()
	for _, f := range []struct {
		name      string
		got, want any
	}{
		{"url", got.url, want.url}, {"urlRank", got.urlRank, want.urlRank},
		{"newest", got.newest, want.newest}, {"byNewest", got.byNewest, want.byNewest},
		{"facetOff", got.facetOff, want.facetOff}, {"facetVal", got.facetVal, want.facetVal},
		{"terms", got.terms, want.terms}, {"keys", got.keys, want.keys},
		{"byNum", got.byNum, want.byNum}, {"all", got.all, want.all}, {"bits", got.bits, want.bits},
	} {
		if !reflect.DeepEqual(f.got, f.want) {
			t.Errorf("%s: %s differs:\n got  %v\n want %v", what, f.name, f.got, f.want)
		}
	}
}

// TestCarriedDocTableIsMadeInSlicesOfItsSize: the table of the generation opened after a
// save (its rows carried from the served one's) is appended into slices made as long as
// the snapshot's documents, not grown from nothing (which allocated about as much again
// as the table holds, at every save of `portal serve --watch`): loading it allocates
// under 130 bytes a row on 4,000 documents (93 here; 249 grown from nothing).
func TestCarriedDocTableIsMadeInSlicesOfItsSize(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	path := filepath.Join(root, "a", "_search")
	docs := genDocs(4000, 1)
	for i := range docs {
		docs[i].Hash = contentHash(docs[i])
	}
	memo := NewMemo()
	if _, err := memo.Build(ctx, path, "", docs); err != nil {
		t.Fatal(err)
	}
	prev, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer prev.Close()
	next := slices.Clone(docs)
	next[7].Body += " Một đoạn thêm."
	next[7].Hash = contentHash(next[7])
	staged := filepath.Join(root, "b", "_search")
	if _, err := memo.Build(ctx, staged, path, next); err != nil {
		t.Fatal(err)
	}
	ix, err := openKnown(staged, prev)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.table.read > 2 {
		t.Fatalf("%d rows read: the table was not carried", ix.table.read)
	}
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	table, err := readTable(ix, prev.table, prev.checked)
	runtime.ReadMemStats(&m1)
	if err != nil {
		t.Fatal(err)
	}
	sameTable(t, "carried", table, ix.table)
	perRow := float64(m1.TotalAlloc-m0.TotalAlloc) / float64(len(next))
	t.Logf("loading the carried table allocated %.1f bytes a row", perRow)
	if perRow > 130 {
		t.Errorf("loading the carried table allocated %.1f bytes a row, want under 130", perRow)
	}
}
