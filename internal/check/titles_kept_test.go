package check

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/vnportal/portal/internal/content"
)

// TestTitleStateEqualsFullRule adds, deletes, retitles (to a near-duplicate, to the same
// title in other case, to something else) and moves the title line of documents, saves
// and restores the state now and then, and checks after each step that TitleState.Update returns exactly what DuplicateTitles
// returns: the same findings in the same order.
func TestTitleStateEqualsFullRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	bases := []string{
		"Hội nghị triển khai chuyển đổi số năm 2026",
		"Hội nghị triển khai chuyển đổi số năm 2025",
		"Hội nghi triển khai chuyển đổi sô năm 2026",
		"Tỉnh Hà Tĩnh đẩy mạnh cải cách hành chính",
		"Tinh Ha Tinh day manh cai cach hanh chinh",
		"Bản tin tuần 12", "Bản tin tuần 13", "Hà Nội", "Hà Tĩnh",
		"Khánh thành trung tâm dữ liệu của tỉnh",
		"Khánh thành trung tâm dữ liệu của tình",
	}
	doc := func(i int, title string, line int) *content.Document {
		return &content.Document{Path: fmt.Sprintf("content/tin-tuc/bai-%03d.md", i), Title: title, Kind: content.Article,
			KeyLines: content.NewKeyLines(map[string]int{"title": line})}
	}
	var docs []*content.Document
	next := 0
	for range 40 {
		docs = append(docs, doc(next, bases[rng.IntN(len(bases))], 2))
		next++
	}
	docs = append(docs, &content.Document{Path: "content/tin-tuc/_index.md", Title: bases[0], Kind: content.SectionIndex})
	var s TitleState
	ctx := context.Background()
	findings := 0
	for step := range 200 {
		switch op := rng.IntN(5); {
		case op == 0: // add
			at := rng.IntN(len(docs) + 1)
			docs = append(docs[:at], append([]*content.Document{doc(next, bases[rng.IntN(len(bases))], 2)}, docs[at:]...)...)
			next++
		case op == 1 && len(docs) > 5: // delete
			at := rng.IntN(len(docs))
			docs = append(docs[:at], docs[at+1:]...)
		case op == 2: // retitle
			at := rng.IntN(len(docs))
			d := *docs[at]
			d.Title = bases[rng.IntN(len(bases))]
			if rng.IntN(3) == 0 {
				d.Title += " (sửa)"
			}
			docs[at] = &d
		case op == 3: // the title's line moves; the title stays
			at := rng.IntN(len(docs))
			d := *docs[at]
			d.KeyLines = content.NewKeyLines(map[string]int{"title": 2 + rng.IntN(5)})
			docs[at] = &d
		}
		if step%7 == 3 { // as a DiskCache keeps it between two processes
			s = *RestoreTitles(s.Save())
		}
		got, want := s.Update(ctx, docs), DuplicateTitles(ctx, docs)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("step %d: kept state found\n%v\nthe full rule\n%v", step, got, want)
		}
		findings += len(want)
	}
	if findings == 0 {
		t.Fatal("no step had a finding: the test compares nothing")
	}
}

// TestTitleStateAfterCancel: a stopped update leaves no half state; the next one compares
// every pair.
func TestTitleStateAfterCancel(t *testing.T) {
	docs := []*content.Document{
		{Path: "a.md", Title: "Khánh thành trung tâm dữ liệu của tỉnh", Kind: content.Article},
		{Path: "b.md", Title: "Khánh thành trung tâm dữ liệu của tình", Kind: content.Article},
	}
	var s TitleState
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if got := s.Update(ctx, docs); len(got) != 0 {
		t.Fatalf("a cancelled update returned %v", got)
	}
	if got := s.Update(context.Background(), docs); len(got) != 1 {
		t.Fatalf("after a cancelled update: %v, want one finding", got)
	}
}
