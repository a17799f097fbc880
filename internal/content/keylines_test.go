package content

import (
	"fmt"
	"testing"
)

// KeyLines packs the lines of a file's front matter keys into one string: each key's line
// comes back, the keys in order, and two packs of the same pairs are equal.
func TestKeyLinesPackEveryKeysLine(t *testing.T) {
	m := map[string]int{"title": 2, "date": 3, "provinces": 4, "summary": 70000, "x": 0}
	k := NewKeyLines(m)
	for key, want := range m {
		if got, ok := k.Line(key); !ok || got != want {
			t.Errorf("Line(%q) = %d, %v; want %d", key, got, ok, want)
		}
	}
	if _, ok := k.Line("tags"); ok {
		t.Error("a key not written has a line")
	}
	if k.Len() != len(m) || k.String() != "map[date:3 provinces:4 summary:70000 title:2 x:0]" {
		t.Errorf("Len %d, %s", k.Len(), k)
	}
	if k != NewKeyLines(map[string]int{"x": 0, "summary": 70000, "provinces": 4, "date": 3, "title": 2}) || k == NewKeyLines(map[string]int{"title": 2}) {
		t.Error("== does not compare the pairs")
	}
	if (KeyLines{}).Len() != 0 || (KeyLines{}) != NewKeyLines(nil) {
		t.Error("no keys: not the zero KeyLines")
	}

	d, ds := Parse("content/tin-tuc/a.md", []byte("---\ntitle: \"A\"\n# chú thích\ndate: 2024-05-02\nprovinces:\n  - \"Huế\"\nauthor: \"B\"\n---\nA.\n"), Schema{Taxonomies: []string{"provinces"}})
	if d == nil {
		t.Fatal(ds)
	}
	if got := fmt.Sprint(d.KeyLines); got != "map[author:7 date:4 provinces:5 title:2]" {
		t.Errorf("KeyLines of a parsed file: %s", got)
	}
	if d.Line("author") != 7 || d.Line("tags") != 1 {
		t.Errorf("Line: author %d, tags %d", d.Line("author"), d.Line("tags"))
	}
}
