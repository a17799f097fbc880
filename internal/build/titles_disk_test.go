package build

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
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
	marker := diag.Diagnostic{Path: "content/tin-tuc/a.md", Line: 2, Col: 1, Severity: diag.Warning, Code: "duplicate-title", Format: "đánh dấu: lấy từ tệp %v",
		Args: []any{message.New("gần giống %q (%d)", "b", 2), 3.5, true, int64(7)}}
	block := appendFindings(nil, []diag.Diagnostic{marker})
	var buf bytes.Buffer
	buf.WriteString(titlesHead(titlesKey(docs, "bin-1"), "bin-1") + "\n")
	buf.Write(binary.BigEndian.AppendUint64(nil, uint64(len(block))))
	buf.Write(binary.BigEndian.AppendUint32(block, crc32.Checksum(block, titlesCRC)))
	buf.WriteString("không phải gob: trạng thái không được đọc")
	if err := os.WriteFile(filepath.Join(dir, titlesFile), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rule(context.Background(), docs); len(got) != 1 || fmt.Sprintf("%#v", got[0]) != fmt.Sprintf("%#v", marker) {
		t.Errorf("with the same titles: %#v, want the saved finding alone (the state after it is not read)", got)
	}

	// A damaged block is not taken for findings: the rule runs.
	damaged := bytes.Clone(buf.Bytes())
	damaged[len(titlesHead(titlesKey(docs, "bin-1"), "bin-1"))+1+8+3] ^= 0x40
	if err := os.WriteFile(filepath.Join(dir, titlesFile), damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	if got := rule(context.Background(), docs); len(got) != len(first) || got[0].Format == marker.Format {
		t.Errorf("with a damaged block: %v, want the rule's own findings %v", got, first)
	}

	// An older format: gob values (format 2: a head, the findings, the state; format 0:
	// one value with all three).
	var old bytes.Buffer
	type oneValue struct {
		Key      string
		Findings []diag.Diagnostic
		Bin      string
		State    check.SavedTitles
	}
	if err := gob.NewEncoder(&old).Encode(oneValue{Key: titlesKey(docs, "bin-1"), Findings: []diag.Diagnostic{{Path: marker.Path, Format: marker.Format}}, Bin: "bin-1"}); err != nil {
		t.Fatal(err)
	}
	var two bytes.Buffer
	type savedTitles struct {
		Format int
		Key    string
		Bin    string
	}
	enc := gob.NewEncoder(&two)
	if err := enc.Encode(savedTitles{Format: 2, Key: titlesKey(docs, "bin-1"), Bin: "bin-1"}); err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode([]diag.Diagnostic{{Path: marker.Path, Format: marker.Format}}); err != nil {
		t.Fatal(err)
	}
	for _, file := range [][]byte{old.Bytes(), two.Bytes()} {
		if err := os.WriteFile(filepath.Join(dir, titlesFile), file, 0o644); err != nil {
			t.Fatal(err)
		}
		if got := rule(context.Background(), docs); len(got) != len(first) || got[0].Format == marker.Format {
			t.Errorf("with a file of an older format: %v, want the rule's own findings %v", got, first)
		}
	}
}
