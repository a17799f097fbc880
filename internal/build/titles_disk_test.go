package build

import (
	"bytes"
	"context"
	"encoding/gob"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
)

// A rebuild in which no title changed takes the findings from the head of titles.gob and
// never decodes the state after them (every title and similar pair: most of the file);
// a file of the older one-value format is not taken for findings: the rule runs.
func TestTitlesFindingsAreReadWithoutTheState(t *testing.T) {
	dir := t.TempDir()
	docs := []*content.Document{
		{Path: "content/tin-tuc/a.md", Title: "Hội nghị trực tuyến về chuyển đổi số cấp xã"},
		{Path: "content/tin-tuc/b.md", Title: "Hội nghị trực tuyến về chuyển đổi số cấp xa"},
	}
	rule := diskTitles(dir, "bin-1")
	first := rule(context.Background(), docs)
	if len(first) == 0 {
		t.Fatal("no near-duplicate found: the test cannot tell kept findings from none")
	}
	// Keep the head and the findings, and put bytes no decoder reads as a state after them.
	var buf bytes.Buffer
	enc := gob.NewEncoder(&buf)
	if err := enc.Encode(savedTitles{Format: titlesFormat, Key: titlesKey(docs, "bin-1"), Bin: "bin-1"}); err != nil {
		t.Fatal(err)
	}
	marker := diag.Diagnostic{Path: "content/tin-tuc/a.md", Line: 2, Col: 1, Severity: diag.Warning, Code: "duplicate-title", Format: "đánh dấu: lấy từ tệp"}
	if err := enc.Encode([]diag.Diagnostic{marker}); err != nil {
		t.Fatal(err)
	}
	buf.WriteString("không phải gob: trạng thái không được đọc")
	if err := os.WriteFile(filepath.Join(dir, titlesFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rule(context.Background(), docs); len(got) != 1 || got[0].Format != marker.Format {
		t.Errorf("with the same titles: %v, want the saved finding alone (the state after it is not read)", got)
	}

	// The older format: one value with the key, the findings and the state.
	var old bytes.Buffer
	type oneValue struct {
		Key      string
		Findings []diag.Diagnostic
		Bin      string
		State    check.SavedTitles
	}
	if err := gob.NewEncoder(&old).Encode(oneValue{Key: titlesKey(docs, "bin-1"), Findings: []diag.Diagnostic{marker}, Bin: "bin-1"}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, titlesFile), old.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rule(context.Background(), docs); len(got) != len(first) || got[0].Format == marker.Format {
		t.Errorf("with a file of the older format: %v, want the rule's own findings %v", got, first)
	}
}
