package site

// ForgetChecked lets go of what only the checks and Refresh read of each article's
// body: its links and its citations (Body.Links, Body.Citations). Pages do not need
// them: the citations of the library's documents are linked already (Content and
// LinkedLead read the links the assembly made of them). A one-off build calls it once
// its checks and images are done, so that its render and index stages do not carry
// them; a graph that lives on for Refresh (the preview, serve --watch) must keep them.
func (g *Graph) ForgetChecked() {
	for _, a := range g.Contents() {
		a.Body.Links, a.Body.Citations = nil, nil
	}
}
