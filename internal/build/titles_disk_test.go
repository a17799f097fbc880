package build

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// A rebuild in which no title changed takes the findings from the head of titles.bin and
// never decodes the state after them (every title and similar pair: most of the file);
// a file of the older one-value format is not taken for findings: the rule runs.
func TestTitlesFindingsAreReadWithoutTheState(t *testing.T) {
	dir := t.TempDir()
	docs := []*content.Document{
		{Path: "content/tin-tuc/a.md", Title: "Hội nghị trực tuyến về chuyển đổi số cấp xã"},
		{Path: "content/tin-tuc/b.md", Title: "Hội nghị trực tuyến về chuyển đổi số cấp xa"},
	}
	rule := writtenRule(diskTitles(dir, "bin-1"))
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
	saved := marker // the file holds its message formatted (appendFinding)
	saved.Message = marker.Text(message.Vi)
	if got := rule(context.Background(), docs); len(got) != 1 || fmt.Sprintf("%#v", got[0]) != fmt.Sprintf("%#v", saved) {
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

// A retitle reads the saved state (every title and pair, in titles_codec.go's binary
// form) and finds what the full rule finds; a damaged state block is not used (the rule
// compares every pair, with the same result); the gob file of the older formats is
// removed once the new file is written.
func TestTitlesStateThroughTheFile(t *testing.T) {
	dir := t.TempDir()
	titles := []string{
		"Hội nghị trực tuyến về chuyển đổi số cấp xã", "Hội nghị trực tuyến về chuyển đổi số cấp xa",
		"Hoi nghi truc tuyen ve chuyen doi so cap xa", "Khánh thành trung tâm dữ liệu của tỉnh",
		"Khánh thành trung tâm dữ liệu của tình", "Bản tin tuần 12", "Bản tin tuần 13",
	}
	var docs []*content.Document
	for i := range 30 {
		docs = append(docs, &content.Document{Path: fmt.Sprintf("content/tin-tuc/bai-%02d.md", i), Kind: content.Article,
			Title: titles[i%len(titles)], KeyLines: content.NewKeyLines(map[string]int{"title": 2})})
	}
	if err := os.WriteFile(filepath.Join(dir, oldTitlesFile), []byte("tệp cũ"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rule := writtenRule(diskTitles(dir, "bin-1"))
	if got, want := rule(ctx, docs), check.DuplicateTitles(ctx, docs); len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("first run: %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, oldTitlesFile)); err == nil {
		t.Error("the older titles file is still there after the new one was written")
	}
	saved, err := os.ReadFile(filepath.Join(dir, titlesFile))
	if err != nil {
		t.Fatal(err)
	}
	retitle := func(i int, title string) {
		d := *docs[i]
		d.Title = title
		docs[i] = &d
	}
	// The state is read: a title's pairs come from the file, not from comparing them again.
	st := readState(t, saved)
	if len(st.Paths) != len(docs) || len(st.Pairs) == 0 {
		t.Fatalf("saved state: %d titles, %d pairs; want %d titles and some pairs", len(st.Paths), len(st.Pairs), len(docs))
	}
	for step, title := range []string{"Tọa đàm về chuyển đổi số", titles[1], "Bản tin tuần 14", titles[3] + " mới"} {
		retitle((step*7)%len(docs), title)
		if got, want := rule(ctx, docs), check.DuplicateTitles(ctx, docs); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("retitle %d: %v, want %v", step, got, want)
		}
	}
	// A damaged state block: the rule compares every pair.
	b, err := os.ReadFile(filepath.Join(dir, titlesFile))
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)-10] ^= 0x20
	if err := os.WriteFile(filepath.Join(dir, titlesFile), b, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, state := readTitles(filepath.Join(dir, titlesFile), "another key", "bin-1"); len(state.Save().Paths) != 0 {
		t.Error("a damaged state block was restored")
	}
	retitle(3, titles[4])
	if got, want := rule(ctx, docs), check.DuplicateTitles(ctx, docs); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("after a damaged state: %v, want %v", got, want)
	}
}

// readState decodes the state block of a titles file.
func readState(t *testing.T, file []byte) check.SavedTitles {
	t.Helper()
	head := bytes.IndexByte(file, '\n') + 1
	n := binary.BigEndian.Uint64(file[head:])
	at := head + 8 + int(n) + 4
	m := binary.BigEndian.Uint64(file[at:])
	st, err := (&findingsReader{binrec.Reader{S: string(file[at+8 : at+8+int(m)])}}).titleState()
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// The titles' key is hashed as the fields go, not gathered whole first: it is the key
// keyWriter gives over the same fields (a saved titles.bin stays valid), and a build of
// 20,000 titles allocates tens of kilobytes for it, not the megabytes of its fields
// grown by doubling (3.8 MB of fields here).
func TestTitlesKeyIsHashedAsItGoes(t *testing.T) {
	docs := make([]*content.Document, 20000)
	for i := range docs {
		docs[i] = &content.Document{Path: fmt.Sprintf("content/tin-tuc/hoi-nghi-truc-tuyen-ve-chuyen-doi-so-cap-xa-%05d.md", i),
			Title: fmt.Sprintf("Hội nghị trực tuyến về chuyển đổi số cấp xã, lần thứ %d trong năm", i)}
	}
	whole := newKey().str("titles 1").str("bin-1")
	for _, d := range docs {
		whole.str(d.Path).int(int(d.Kind)).str(d.Title).int(d.Line("title"))
	}
	if got, want := titlesKey(docs, "bin-1"), hex.EncodeToString([]byte(whole.sum())); got != want {
		t.Fatalf("titlesKey = %s, want keyWriter's %s", got, want)
	}
	if len(whole.buf) < 3<<20 {
		t.Fatalf("the fields are %d bytes: too few to tell", len(whole.buf))
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_ = titlesKey(docs, "bin-1")
	runtime.ReadMemStats(&after)
	if n := after.TotalAlloc - before.TotalAlloc; n > 256<<10 {
		t.Errorf("titlesKey allocated %d bytes for %d bytes of fields; want at most 256 KiB", n, len(whole.buf))
	}
}

// writtenRule is r's rule with its file written when it returns (run, then wait).
func writtenRule(r *titlesRule) func(context.Context, []*content.Document) []diag.Diagnostic {
	return func(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
		defer r.wait()
		return r.run(ctx, docs)
	}
}
