package markdown

import (
	"strconv"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"

	"github.com/vnportal/portal/internal/vietnamese"
)

// headingIDBase is the ID base of a heading whose text has no letters
// ("mục" means "section").
const headingIDBase = "muc"

// headingIDs is the parser.IDs of one document: it makes heading IDs with
// vietnamese.Slug and keeps them unique within the document. A fresh value
// is made for every Render call, so it needs no locking.
type headingIDs struct {
	used map[string]bool
	next map[string]int // next suffix to try for a base, so n duplicates cost O(n)
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, next: map[string]int{}}
}

// Generate returns a new unique ID for the plain text value. The base is
// vietnamese.Slug(value); a slug without letters gets the base "muc" ("muc"
// alone when the slug is empty, "muc-2025" for a heading "2025") so that IDs
// never start with a digit. A base already used gets "-1", "-2", ...
func (s *headingIDs) Generate(value []byte, _ ast.NodeKind) []byte {
	base := vietnamese.Slug(string(value))
	switch {
	case base == "":
		base = headingIDBase
	case !hasASCIILetter(base):
		base = headingIDBase + "-" + base
	}
	id := base
	if s.used[id] {
		for i := s.next[base] + 1; ; i++ {
			id = base + "-" + strconv.Itoa(i)
			if !s.used[id] {
				s.next[base] = i
				break
			}
		}
	}
	s.used[id] = true
	return []byte(id)
}

// Put records an ID written by the author ({#id}) so that generated IDs
// avoid it.
func (s *headingIDs) Put(value []byte) {
	s.used[string(value)] = true
}

func hasASCIILetter(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c >= 'a' && c <= 'z' {
			return true
		}
	}
	return false
}
