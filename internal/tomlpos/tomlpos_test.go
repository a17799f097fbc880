package tomlpos

import "testing"

func TestScan(t *testing.T) {
	src := `title = "x"   # a comment
note = """
date = 2026-12-01
"""
[[event]]
date = 2026-12-01
  "session" = "Sáng"
[[event]]
content = "Hội nghị"
a.b = 1
[org]
phone = "0203"
`
	ix := Scan(src)
	for path, want := range map[string]Pos{
		"title":            {1, 9},
		"note":             {2, 8},
		"event[0]":         {5, 1},
		"event[0].date":    {6, 8},
		"event[0].session": {7, 15},
		"event[1].content": {9, 11},
		"event[1].a.b":     {10, 7},
		"event[1].missing": {8, 1}, // a missing key: its table
		"org.phone":        {12, 9},
		"event[2].date":    {},
		"date":             {}, // inside the multi-line string, not a key
	} {
		if got := ix.Key(path); got != want {
			t.Errorf("%s: %v, want %v", path, got, want)
		}
	}
}
