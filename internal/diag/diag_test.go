package diag

import (
	"strings"
	"testing"
)

func TestListSortsAndFormats(t *testing.T) {
	var l List
	l.Warnf("content/b.md", 3, 1, "x", "unknown province %q", "Lâm Đông")
	l.Errorf("content/a.md", 10, 4, "y", "date is missing")
	l.Errorf("content/a.md", 2, 0, "y", "title is missing")
	items := l.Items()
	got := []string{items[0].String(), items[1].String(), items[2].String()}
	want := []string{
		"content/a.md:2: error: title is missing",
		"content/a.md:10:4: error: date is missing",
		`content/b.md:3:1: warning: unknown province "Lâm Đông"`,
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
	want := `content/ok.md:1:1: warning: forged\nreal.md:3:1: error: bad\r\nvalue \x1b[31m\xff`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if p := Printable("Hà Tĩnh/bài viết.md"); p != "Hà Tĩnh/bài viết.md" {
		t.Errorf("Vietnamese text changed: %q", p)
	}
}
