package check

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// A title shared by k articles gives one warning on each of the k-1 files that sort after
// the first, not one per pair (k(k-1)/2): each names the first file and counts the others,
// and the preview's TitleState says the same.
func TestDuplicateTitlesOneWarningPerFile(t *testing.T) {
	const k = 40
	var docs []*content.Document
	for i := range k {
		docs = append(docs, &content.Document{Path: fmt.Sprintf("content/tin-tuc/bai-%02d.md", i), Kind: content.Article,
			Title: "Hội nghị tổng kết công tác chuyển đổi số của tỉnh", KeyLines: content.NewKeyLines(map[string]int{"title": 2})})
	}
	docs = append(docs, &content.Document{Path: "content/tin-tuc/khac.md", Kind: content.Article,
		Title: "Khánh thành trung tâm dữ liệu của tỉnh", KeyLines: content.NewKeyLines(map[string]int{"title": 2})})
	got := DuplicateTitles(context.Background(), docs)
	if len(got) != k-1 {
		t.Fatalf("%d warnings for %d equal titles, want %d (one per later file)", len(got), k, k-1)
	}
	seen := map[string]bool{}
	for _, d := range got {
		if d.Code != "duplicate-title" || d.Line != 2 || seen[d.Path] || d.Path == docs[0].Path {
			t.Errorf("unexpected warning %s [%s]", d, d.Code)
		}
		seen[d.Path] = true
		var n int
		if _, err := fmt.Sscanf(d.Path, "content/tin-tuc/bai-%d.md", &n); err != nil {
			t.Fatalf("warning on %s", d.Path)
		}
		en := d.Text(message.En)
		if !strings.Contains(en, "the title of "+docs[0].Path) {
			t.Errorf("%s does not name the first file %s: %s", d.Path, docs[0].Path, en)
		}
		// bai-n matches the n files before it: the first, named, and n-1 others.
		switch others := fmt.Sprintf("and of %d other article(s)", n-1); {
		case n == 1 && strings.Contains(en, "other article"):
			t.Errorf("%s: one earlier match, but the warning counts others: %s", d.Path, en)
		case n > 1 && !strings.Contains(en, others):
			t.Errorf("%s: want %q in %s", d.Path, others, en)
		}
	}
	var s TitleState
	if kept := s.Update(context.Background(), docs); fmt.Sprint(kept) != fmt.Sprint(got) {
		t.Errorf("TitleState.Update differs from DuplicateTitles:\n%v\n%v", kept, got)
	}
}

// The rule hands its findings on with their messages unformatted (the format and the
// arguments alone: 30 MB of text at 100,000 articles in the checks stage), and a List
// they go to hands them out formatted, with the text the rule's own formatting gives and
// in the same order.
func TestDuplicateTitlesLeaveTheirMessagesUnformatted(t *testing.T) {
	var docs []*content.Document
	for i := range 30 {
		title := "Hội nghị tổng kết công tác chuyển đổi số của tỉnh"
		if i%3 == 1 {
			title = "Hội nghị tổng kết công tác chuyển đổi số của tinh"
		}
		docs = append(docs, &content.Document{Path: fmt.Sprintf("content/tin-tuc/bai-%02d.md", 29-i), Kind: content.Article,
			Title: title, KeyLines: content.NewKeyLines(map[string]int{"title": 2})})
	}
	for _, got := range [][]diag.Diagnostic{DuplicateTitles(context.Background(), docs), (&TitleState{}).Update(context.Background(), docs)} {
		if len(got) != 29 {
			t.Fatalf("%d findings, want 29", len(got))
		}
		var l diag.List
		for _, d := range got {
			if d.Message != "" || !strings.Contains(d.Text(message.Vi), "tiêu đề") {
				t.Fatalf("finding %q formatted (its text %q), want the format and arguments alone", d.Message, d.Text(message.Vi))
			}
			l.Add(d)
		}
		for i, d := range l.Items() {
			if d.Path != got[i].Path || d.Message != got[i].Text(message.Vi) {
				t.Errorf("item %d: %s %q, want %s %q", i, d.Path, d.Message, got[i].Path, got[i].Text(message.Vi))
			}
		}
	}
}
