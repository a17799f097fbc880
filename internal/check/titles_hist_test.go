package check

import (
	"context"
	"strings"
	"testing"
	"unsafe"

	"github.com/vnportal/portal/internal/content"
)

// The title rule's letter counts are bytes that stop at 255 (129 bytes a title, not 516):
// titles with a letter written more often than that are still found near-duplicates
// when they are, and not when the counts below 255 already tell them apart.
func TestTitleLetterCountsStopAt255(t *testing.T) {
	if size := unsafe.Sizeof(title{}.hist); size != 129 {
		t.Errorf("a title's letter counts take %d bytes, want 129", size)
	}
	long := "Hội nghị " + strings.Repeat("a", 300)
	doc := func(path, title string) *content.Document {
		return &content.Document{Path: path, Kind: content.Article, Title: title, KeyLines: content.NewKeyLines(map[string]int{"title": 2})}
	}
	got := DuplicateTitles(context.Background(), []*content.Document{
		doc("content/tin-tuc/a.md", long+" xy"),
		doc("content/tin-tuc/b.md", long+" xz"),                           // one edit from a
		doc("content/tin-tuc/c.md", "Hội nghị "+strings.Repeat("b", 303)), // 300 letters other than a's
	})
	if len(got) != 1 || got[0].Path != "content/tin-tuc/b.md" {
		t.Errorf("warnings %v, want one on b.md (near a.md)", got)
	}
}

// The banded edit distance of the rule's own bound allocates nothing (it runs for every
// candidate pair), and still answers for a wider band.
func TestWithinDistanceAllocatesNothing(t *testing.T) {
	a, b := []rune("hoi nghi tong ket chuyen doi so"), []rune("hoi nghi tong ket chuyen doi so 2")
	if n := testing.AllocsPerRun(100, func() { withinDistance(a, b, maxTitleDistance) }); n != 0 {
		t.Errorf("%v allocations per comparison, want 0", n)
	}
	if !withinDistance(a, b, maxTitleDistance) || withinDistance(a, []rune("khanh thanh trung tam du lieu"), maxTitleDistance) {
		t.Error("wrong answer within the rule's distance")
	}
	if !withinDistance([]rune("abcdefghij"), []rune("abcdefghijklmnop"), 6) || withinDistance([]rune("abcdefghij"), []rune("abcdefghijklmnop"), 5) {
		t.Error("wrong answer for a wider band")
	}
}
