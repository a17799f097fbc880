package build

import (
	"bytes"
	"fmt"
	"runtime"
	"testing"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// testFindings are n duplicate-title findings as the title rule makes them, with
// arguments of every kind the block encodes.
func testFindings(n int) []diag.Diagnostic {
	ds := make([]diag.Diagnostic, n)
	for i := range ds {
		ds[i] = diag.Diagnostic{Path: fmt.Sprintf("content/tin-tuc/bai-%06d.md", i), Line: 2, Col: 1, Severity: diag.Warning, Code: "duplicate-title",
			Format: "tiêu đề %q %v tiêu đề của %s (%q) và của %d bài khác",
			Args:   []any{fmt.Sprintf("Hội nghị số %d", i), message.New("gần giống"), "content/tin-tuc/a.md", "Hội nghị", i, int64(i), 1.5, true}}
		ds[i].Message = message.Vi.Sprintf(ds[i].Format, ds[i].Args...)
	}
	return ds
}

// The titles file's findings block, written one finding at a time, is the very block
// writeTitlesBlock writes of the whole encoding (same length, bytes and CRC), and
// writing it allocates a small part of the block instead of the block (at 100,000
// articles the block was 103 MB in memory at the build's peak).
func TestFindingsBlockWrittenByFinding(t *testing.T) {
	for _, n := range []int{0, 1, 3, 2000} {
		ds := testFindings(n)
		var want, got bytes.Buffer
		if err := writeTitlesBlock(&want, appendFindings(nil, ds)); err != nil {
			t.Fatal(err)
		}
		if err := writeFindingsBlock(&got, ds); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%d findings: the block written by finding differs from the whole block (%d bytes against %d)", n, got.Len(), want.Len())
		}
		if n < 2000 {
			continue
		}
		block := want.Len()
		got.Reset()
		got.Grow(block + 64)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := writeFindingsBlock(&got, ds); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(block)/8 {
			t.Errorf("writing a block of %d bytes allocated %d bytes, want under an eighth of the block", block, alloc)
		}
	}
}

// appendFindings is the findings block in memory, as writeFindingsBlock writes it
// without holding it: their number, then each one (appendFinding).
func appendFindings(b []byte, ds []diag.Diagnostic) []byte {
	w := binrec.Writer{Buf: b}
	w.Uint(uint64(len(ds)))
	for _, d := range ds {
		w.Buf = appendFinding(w.Buf, d)
	}
	return w.Buf
}
