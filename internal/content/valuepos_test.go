package content

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValuePositions(t *testing.T) {
	src := "---\nnumber:   \"64/2007/NĐ-CP\"\nfields: [CNTT, 'Hành chính' ]\nfiles:\n- a.pdf\n  -  \"b c.pdf\"  \nreplaces: # danh sách\n  - 1/2000/NĐ-CP\ntitle: >\n  Dài\n---\nfiles: x\n"
	got := valuePositions([]byte(src), fmYAML)
	for k, want := range map[string]Pos{
		"number": {2, 11}, "fields": {3, 9}, "fields=CNTT": {3, 10}, "fields=Hành chính": {3, 16},
		"files": {5, 3}, "files=a.pdf": {5, 3}, "files=b c.pdf": {6, 6},
		"replaces": {8, 5}, "replaces=1/2000/NĐ-CP": {8, 5}, "title": {9, 8},
	} {
		if got[k] != want {
			t.Errorf("%s: %v, want %v", k, got[k], want)
		}
	}
	if _, ok := got["files=x"]; ok {
		t.Error("a line after the front matter was read")
	}
}

// FuzzValuePositions: any text gives positions inside it, without a panic.
func FuzzValuePositions(f *testing.F) {
	for _, s := range []string{
		"---\nfiles: [\"a.pdf\", 'b', c]\nnumber: x\n---\n",
		"---\nfiles:\n  - a\n  -\n- \"\n---\n",
		"+++\nfiles = [\"a\", \"b\"\nnumber = \"x\"\n+++\n",
		"{\n  \"files\": [\"a\", \"b\"],\n  \"number\": 1\n}\n",
		"---\nfiles: [\u00a0\"é\", ]\n\u00a0- x\n---\n",
	} {
		f.Add([]byte(s), uint8(0))
	}
	f.Fuzz(func(t *testing.T, src []byte, format uint8) {
		lines := strings.Split(string(src), "\n")
		for k, p := range valuePositions(src, fmFormat(format%3)) {
			if p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > utf8.RuneCountInString(lines[p.Line-1])+1 {
				t.Errorf("%s at %v: outside the text", k, p)
			}
		}
	})
}
