package diag

import (
	"reflect"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/message"
)

func TestListSortsAndFormats(t *testing.T) {
	var l List
	l.Warnf("content/b.md", 3, 1, "x", "unknown province %q", "Lâm Đông")
	l.Errorf("content/a.md", 10, 4, "y", "date is missing")
	l.Errorf("content/a.md", 2, 0, "y", "title is missing")
	items := l.Items()
	got := []string{items[0].String(), items[1].String(), items[2].String()}
	want := []string{
		"content/a.md:2: lỗi: title is missing",
		"content/a.md:10:4: lỗi: date is missing",
		`content/b.md:3:1: cảnh báo: unknown province "Lâm Đông"`,
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("item %d = %q, want %q", i, got[i], want[i])
		}
	}
	e, w := l.Count()
	if e != 2 || w != 1 {
		t.Fatalf("Count = %d, %d", e, w)
	}
	err := l.Err()
	if err == nil || strings.Count(err.Error(), "\n") != 1 {
		t.Fatalf("Err() = %v, want two error lines", err)
	}
	if ds, ok := AsErrors(err); !ok || len(ds) != 2 {
		t.Fatalf("AsErrors = %v, %v", ds, ok)
	}
}

func TestErrNilWithOnlyWarnings(t *testing.T) {
	var l List
	l.Warnf("a", 1, 1, "", "w")
	if l.Err() != nil || l.HasErrors() {
		t.Fatal("warnings alone must not be an error")
	}
}

func TestPosition(t *testing.T) {
	src := []byte("---\ntitle: Hà Tĩnh\ndate: x\n")
	off := strings.Index(string(src), "x")
	line, col := Position(src, off)
	if line != 3 || col != 7 {
		t.Fatalf("Position = %d:%d, want 3:7", line, col)
	}
	off = strings.Index(string(src), "Tĩnh")
	line, col = Position(src, off)
	if line != 2 || col != 11 {
		t.Fatalf("Position = %d:%d, want 2:11 (columns count characters)", line, col)
	}
}

// Hardening II, item 13: a file name cannot forge a diagnostic line.
func TestStringCannotForgeALine(t *testing.T) {
	d := Diagnostic{Path: "content/ok.md:1:1: warning: forged\nreal.md", Line: 3, Col: 1, Severity: Error, Message: "bad\r\nvalue \x1b[31m\xff"}
	got := d.String()
	if strings.ContainsAny(got, "\n\r\x1b") {
		t.Errorf("control characters reached the line: %q", got)
	}
	want := `content/ok.md:1:1: warning: forged\nreal.md:3:1: lỗi: bad\r\nvalue \x1b[31m\xff`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if p := Printable("Hà Tĩnh/bài viết.md"); p != "Hà Tĩnh/bài viết.md" {
		t.Errorf("Vietnamese text changed: %q", p)
	}
}

// A diagnostic keeps its Vietnamese format and arguments, so that printing can show it
// in English through the message catalogue, nested messages included.
func TestDiagnosticInEnglish(t *testing.T) {
	var l List
	l.Errorf("content/a.md", 4, 1, "front-matter", "%s phải là chữ, nhưng đang là %v", "title", message.New("một danh sách"))
	l.Warnf("content/a.md", 5, 1, "x", "not in the catalogue %d", 7)
	items := l.Items()
	if got, want := items[0].String(), "content/a.md:4:1: lỗi: title phải là chữ, nhưng đang là một danh sách"; got != want {
		t.Errorf("Vietnamese: %q, want %q", got, want)
	}
	if got, want := items[0].In(message.En), "content/a.md:4:1: error: title must be text, but it is a list"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	// A format the catalogue lacks is printed as it is, with the English severity.
	if got, want := items[1].In(message.En), "content/a.md:5:1: warning: not in the catalogue 7"; got != want {
		t.Errorf("uncatalogued: %q, want %q", got, want)
	}
	if items[0].Severity.Code() != "error" || items[1].Severity.Code() != "warning" {
		t.Error("Code is not the stable English name")
	}
	err := l.Err()
	if got := message.En.Error(err); !strings.Contains(got, "error: title must be text") {
		t.Errorf("Errors in English: %q", got)
	}
}

// TestAddSharedAsAdd: diagnostics recorded whole (AddShared) among others are listed,
// counted and returned as errors as if added one by one, in the same order where the
// sort ties, with or without FormatLate.
func TestAddSharedAsAdd(t *testing.T) {
	for _, late := range []bool{false, true} {
		d := func(path, code string, sev Severity) Diagnostic {
			return Diagnostic{Path: path, Line: 1, Severity: sev, Code: code, Message: "m", Format: "m"}
		}
		block1 := []Diagnostic{d("b", "s1", Warning), d("a", "s2", Error)}
		block2 := []Diagnostic{d("a", "s3", Warning)}
		var one, whole List
		if late {
			one.FormatLate()
			whole.FormatLate()
		}
		one.Add(d("a", "x1", Warning))
		whole.Add(d("a", "x1", Warning))
		for _, x := range block1 {
			one.Add(x)
		}
		whole.AddShared(block1)
		one.Add(d("a", "x2", Error))
		whole.Add(d("a", "x2", Error))
		for _, x := range block2 {
			one.Add(x)
		}
		whole.AddShared(block2)
		whole.AddShared(nil)
		if got, want := whole.Items(), one.Items(); !reflect.DeepEqual(got, want) {
			t.Errorf("late %v: Items\n got %v\nwant %v", late, got, want)
		}
		if got, want := whole.Sorted(), one.Sorted(); !reflect.DeepEqual(got, want) {
			t.Errorf("late %v: Sorted\n got %v\nwant %v", late, got, want)
		}
		e1, w1 := one.Count()
		e2, w2 := whole.Count()
		if e1 != e2 || w1 != w2 || e2 != 2 || w2 != 3 {
			t.Errorf("late %v: Count %d, %d; one by one %d, %d", late, e2, w2, e1, w1)
		}
		if got, want := whole.Err(), one.Err(); !reflect.DeepEqual(got, want) {
			t.Errorf("late %v: Err %v, one by one %v", late, got, want)
		}
	}
}
