package preview

import (
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// A rebuild prints every error, and only the warnings the build before did not report.
func TestRebuildPrintsEachWarningOnce(t *testing.T) {
	ds := func(extra ...diag.Diagnostic) []diag.Diagnostic {
		l := &diag.List{}
		l.Warnf("content/a.md", 3, 1, "date-future", "ngày %s ở tương lai", "2030-01-01")
		l.Errorf("content/b.md", 1, 1, "front-matter", "thiếu %s", "title")
		for _, d := range extra {
			l.Add(d)
		}
		return l.Items()
	}
	var out strings.Builder
	last := printNew(&out, message.Vi, ds(), nil)
	if got := out.String(); !strings.Contains(got, "content/a.md:3:1: cảnh báo") || !strings.Contains(got, "content/b.md:1:1: lỗi") {
		t.Fatalf("first build printed %q", got)
	}
	out.Reset()
	last = printNew(&out, message.Vi, ds(), last)
	if got := out.String(); strings.Contains(got, "a.md") || !strings.Contains(got, "content/b.md:1:1: lỗi") {
		t.Fatalf("second build printed %q, want the error alone", got)
	}
	out.Reset()
	l := &diag.List{}
	l.Warnf("content/c.md", 2, 5, "alt", "ảnh thiếu %s", "alt")
	last = printNew(&out, message.En, ds(l.Items()...), last)
	if got := out.String(); strings.Contains(got, "a.md") || !strings.Contains(got, "content/c.md:2:5: warning") {
		t.Fatalf("third build printed %q, want the new warning (in English) and the error", got)
	}
	out.Reset()
	last = printNew(&out, message.Vi, nil, last) // every problem fixed
	printNew(&out, message.Vi, ds(), last)       // and back: printed again
	if got := out.String(); !strings.Contains(got, "content/a.md:3:1: cảnh báo") {
		t.Fatalf("a warning that came back was not printed: %q", got)
	}
}
