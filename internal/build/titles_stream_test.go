package build

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"slices"
	"testing"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/check"
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

// writeTitlesBlock writes one block of titlesFile whole: its length, b, b's CRC-32C
// (writeFindingsBlock and writeStateBlock write theirs by pieces).
func writeTitlesBlock(w io.Writer, b []byte) error {
	if _, err := w.Write(binary.BigEndian.AppendUint64(nil, uint64(len(b)))); err != nil {
		return err
	}
	_, err := w.Write(binary.BigEndian.AppendUint32(b, crc32.Checksum(b, titlesCRC)))
	return err
}

// appendTitleState is the state block in memory, as writeStateBlock writes it without
// holding it.
func appendTitleState(b []byte, st check.SavedTitles) []byte {
	eachStatePiece(st, func(p []byte) { b = append(b, p...) })
	return b
}

// testState is a saved state of n titles, each near the next two.
func testState(n int) check.SavedTitles {
	st := check.SavedTitles{Paths: make([]string, n), Titles: make([]string, n), Folded: make([]string, n)}
	for i := range n {
		st.Paths[i] = fmt.Sprintf("content/tin-tuc/bai-%06d.md", i)
		st.Titles[i] = fmt.Sprintf("Hội nghị Ủy ban nhân dân tỉnh lần thứ %d", i)
		st.Folded[i] = fmt.Sprintf("hoi nghi uy ban nhan dan tinh lan thu %d", i)
		for j := i + 1; j < min(n, i+3); j++ {
			st.Pairs = append(st.Pairs, [2]int32{int32(i), int32(j)})
		}
	}
	return st
}

// The titles file's state block, written by pieces, is the very block writeTitlesBlock
// writes of the whole encoding (same length, bytes and CRC) and reads back as the same
// state, and writing it allocates a small part of the block instead of the block (27 MB
// at 100,000 articles, grown whole in the checks stage).
func TestStateBlockWrittenByPieces(t *testing.T) {
	for _, n := range []int{0, 1, 3, 20000} {
		st := testState(n)
		var want, got bytes.Buffer
		if err := writeTitlesBlock(&want, appendTitleState(nil, st)); err != nil {
			t.Fatal(err)
		}
		if err := writeStateBlock(&got, st); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Fatalf("%d titles: the block written by pieces differs from the whole block (%d bytes against %d)", n, got.Len(), want.Len())
		}
		block, ok := readTitlesBlock(bufio.NewReader(bytes.NewReader(got.Bytes())), false)
		if !ok {
			t.Fatalf("%d titles: the block does not read back", n)
		}
		back, err := (&findingsReader{binrec.Reader{S: block}}).titleState()
		if err != nil || !slices.Equal(back.Paths, st.Paths) || !slices.Equal(back.Titles, st.Titles) || !slices.Equal(back.Folded, st.Folded) || !slices.Equal(back.Pairs, st.Pairs) {
			t.Fatalf("%d titles: read back %d titles, %d pairs, %v", n, len(back.Paths), len(back.Pairs), err)
		}
		if n < 20000 {
			continue
		}
		size := want.Len()
		got.Reset()
		got.Grow(size + 64)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		if err := writeStateBlock(&got, st); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&after)
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > uint64(size)/8 {
			t.Errorf("writing a block of %d bytes allocated %d bytes, want under an eighth of the block", size, alloc)
		}
	}
}
