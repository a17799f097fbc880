package check

import (
	"context"
	"testing"

	"github.com/vnportal/portal/internal/content"
)

// TestLegalDocumentsHaveNoDuplicateTitles: two documents with one trích yếu (two years'
// plans) are not reported as an article posted twice; two articles are.
func TestLegalDocumentsHaveNoDuplicateTitles(t *testing.T) {
	parse := func(rel, src string) *content.Document {
		d, ds := content.Parse(rel, []byte(src), content.Schema{})
		if len(ds) != 0 {
			t.Fatal(ds)
		}
		return d
	}
	docs := []*content.Document{
		parse("content/van-ban/a.md", "---\nnumber: \"1/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch ứng dụng công nghệ thông tin\"\nissued: 2024-01-02\n---\n"),
		parse("content/van-ban/b.md", "---\nnumber: \"2/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch ứng dụng công nghệ thông tin\"\nissued: 2025-01-02\n---\n"),
	}
	if ds := DuplicateTitles(context.Background(), docs); len(ds) != 0 {
		t.Errorf("documents reported: %v", ds)
	}
	docs = append(docs,
		parse("content/tin-tuc/a.md", "---\ntitle: \"Kế hoạch ứng dụng công nghệ thông tin\"\ndate: 2025-01-02\n---\n"),
		parse("content/tin-tuc/b.md", "---\ntitle: \"Kế hoạch ứng dụng công nghệ thông tin\"\ndate: 2025-01-03\n---\n"))
	if ds := DuplicateTitles(context.Background(), docs); len(ds) == 0 {
		t.Error("two articles with one title are not reported")
	}
}
