package themecheck

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestParseVNU(t *testing.T) {
	out := `{"messages":[
{"type":"error","url":"file:/tmp/a/index.html","lastLine":3,"firstColumn":5,"lastColumn":9,"message":"Stray end tag “p”.","extract":"</div></p>\n<span"},
{"type":"info","subType":"warning","url":"file:/tmp/b.html","message":"Consider adding a lang attribute."},
{"type":"non-document-error","url":"file:/tmp/c.html","message":"File not found."}]}`
	rep, err := ParseVNU([]byte(out))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file    string
		isError bool
		text    string
	}{
		{"/tmp/a/index.html", true, "3:5: error: Stray end tag “p”.\n      </div></p>↵<span"},
		{"/tmp/b.html", false, "0:0: info: Consider adding a lang attribute."},
		{"/tmp/c.html", true, "0:0: non-document-error: File not found."},
	}
	if len(rep.Messages) != len(tests) {
		t.Fatalf("got %d messages, want %d", len(rep.Messages), len(tests))
	}
	for i, tt := range tests {
		m := rep.Messages[i]
		if got := m.File(); got != filepath.FromSlash(tt.file) {
			t.Errorf("message %d: File() = %q, want %q", i, got, tt.file)
		}
		if m.IsError() != tt.isError {
			t.Errorf("message %d: IsError() = %v, want %v", i, m.IsError(), tt.isError)
		}
		if got := m.String(); got != tt.text {
			t.Errorf("message %d: String() = %q, want %q", i, got, tt.text)
		}
	}
	if _, err := ParseVNU([]byte("Exception in thread main")); err == nil || !strings.Contains(err.Error(), "vnu-jar") {
		t.Errorf("ParseVNU of non-JSON output: err = %v, want an error naming vnu-jar", err)
	}
}

func TestAxeViolationString(t *testing.T) {
	v := AxeViolation{ID: "color-contrast", Impact: "serious", Help: "Elements must meet minimum color contrast ratio thresholds",
		HelpURL: "https://dequeuniversity.com/rules/axe/4.10/color-contrast",
		Nodes: []AxeNode{
			{Target: []any{".meta > time"}, FailureSummary: "Fix any of the following:\n  Element has insufficient color contrast of 3.1"},
			{Target: []any{"iframe", []any{"#x", "a"}}},
		}}
	want := "color-contrast (serious): Elements must meet minimum color contrast ratio thresholds\n" +
		"    https://dequeuniversity.com/rules/axe/4.10/color-contrast\n" +
		"    - .meta > time\n" +
		"      Fix any of the following:\n        Element has insufficient color contrast of 3.1\n" +
		"    - iframe >>> #x >>> a"
	if got := v.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
}

func TestAxeRunScript(t *testing.T) {
	s := AxeRunScript()
	for _, tag := range []string{`"wcag2a"`, `"wcag2aa"`, `"wcag21a"`, `"wcag21aa"`, `"wcag22aa"`, "axe.run(document"} {
		if !strings.Contains(s, tag) {
			t.Errorf("AxeRunScript() = %s; missing %s", s, tag)
		}
	}
}

func TestOverflows(t *testing.T) {
	for _, tt := range []struct {
		scroll, inner int
		want          bool
	}{{320, 320, false}, {321, 320, false}, {322, 320, true}, {1200, 320, true}} {
		if got := (Overflow{ScrollWidth: tt.scroll, InnerWidth: tt.inner}).Overflows(); got != tt.want {
			t.Errorf("Overflow{%d, %d}.Overflows() = %v, want %v", tt.scroll, tt.inner, got, tt.want)
		}
	}
}
