package check

import (
	"slices"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/site"
)

// missingCitations reports the document numbers articles cite that the site's library
// does not hold, once per article and number, so that staff know which documents to add.
// A site without a library (no content/van-ban/) is not told about its citations.
func missingCitations(g *site.Graph, ds *diag.List) {
	if g.Library == nil || len(g.Library.Documents) == 0 {
		return
	}
	for _, a := range g.Contents() {
		seen := map[string]bool{}
		for _, c := range slices.Concat(a.LeadCitations(), a.Body.Citations) {
			if seen[c.Key] || g.Library.Lookup(c.Number) != nil {
				continue
			}
			seen[c.Key] = true
			line, col := a.Line("summary"), 1 // in the lead
			if c.Line > 0 {
				line, col = a.BodyLine+c.Line-1, c.Col
			}
			ds.Warnf(a.Path, line, col, "citation-missing", "bài trích dẫn văn bản số %s nhưng thư viện văn bản chưa có: thêm tệp content/van-ban/%s.md (hoặc thư mục có index.md và tệp đính kèm) để trích dẫn thành liên kết", c.Number, c.Key)
		}
	}
}
