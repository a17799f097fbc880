package content

import "testing"

// TestMarkdownNestingAtLines: markdownNestingAt names the first line that nests deeper
// than the limit — quotes, indentation (a tab counts 4 spaces, 2 spaces a level) or both
// — counting lines from 1, on the first, a middle and a last line without '\n', and 0
// when none does.
func TestMarkdownNestingAtLines(t *testing.T) {
	for _, c := range []struct {
		body string
		want int
	}{
		{"", 0},
		{"\n\n\n", 0},
		{">>>\n", 1},
		{"a\n>>\n>>>", 3},
		{"a\n\n> > >x\nb", 3},
		{"a\n      x\n", 2},
		{"a\n\tx\n", 0},
		{"a\n\t\tx\n", 2},
		{"a\n> >x\n", 0},
		{"a\n > > x\n\n", 2},
		{"x >>>\n", 0},
		{"a\r\n>>>\r\n", 2},
	} {
		if got := markdownNestingAt([]byte(c.body), 2); got != c.want {
			t.Errorf("markdownNestingAt(%q, 2) = %d, want %d", c.body, got, c.want)
		}
	}
}
