package preview

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sync"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/site"
)

// notesURL answers, for ?path=/a/page/, the warnings about the content file of that page
// that an editor fixes on the page itself (noteCodes), as overlay items: the script shows
// them in a panel on the page being previewed, and fetches them again on a "notes" event.
const notesURL = prefix + "notes"

// noteCodes are the warnings shown on their page: a legal document's PDF whose text
// cannot be read, its replaces/amends naming no document, and a citation of a number the
// library lacks.
var noteCodes = map[string]bool{"attachment-text": true, "document-link": true, "citation-missing": true}

// pageNotes keeps the warnings of noteCodes by content file, from the last build and
// from the last reading of the PDF attachments (the preview reads them in the
// background, after the build), and which file each page shows.
type pageNotes struct {
	mu    sync.Mutex
	pages map[string]string            // URL path → its content file
	build map[string][]diag.Diagnostic // by file
	pdfs  map[string][]diag.Diagnostic // by file
}

// byFile groups the notes of ds by file.
func byFile(ds []diag.Diagnostic) map[string][]diag.Diagnostic {
	out := map[string][]diag.Diagnostic{}
	for _, d := range ds {
		if noteCodes[d.Code] {
			out[d.Path] = append(out[d.Path], d)
		}
	}
	return out
}

// sameNotes reports whether two lists of notes say the same.
func sameNotes(a, b []diag.Diagnostic) bool {
	return slices.EqualFunc(a, b, func(x, y diag.Diagnostic) bool { return x.String() == y.String() })
}

// fromBuild records the pages of g (read under the build lock) and the notes among ds;
// it reports whether the notes changed.
func (n *pageNotes) fromBuild(g *site.Graph, ds []diag.Diagnostic) bool {
	pages := map[string]string{}
	if g != nil {
		for _, p := range g.Pages {
			if len(p.Sources) == 1 && (p.Kind == site.KindArticle || p.Kind == site.KindPage || p.Kind == site.KindDocument) {
				pages[p.URL] = p.Sources[0]
			}
		}
	}
	b := byFile(ds)
	n.mu.Lock()
	defer n.mu.Unlock()
	changed := !maps.EqualFunc(b, n.build, sameNotes)
	n.pages, n.build = pages, b
	return changed
}

// fromPDFs records the warnings of the last reading of the attachments; it reports
// whether they changed.
func (n *pageNotes) fromPDFs(ds []diag.Diagnostic) bool {
	b := byFile(ds)
	n.mu.Lock()
	defer n.mu.Unlock()
	changed := !maps.EqualFunc(b, n.pdfs, sameNotes)
	n.pdfs = b
	return changed
}

// items are the notes of the page at urlPath, in lang.
func (n *pageNotes) items(urlPath string, lang message.Lang) []overlayItem {
	n.mu.Lock()
	defer n.mu.Unlock()
	file, ok := n.pages[urlPath]
	if !ok {
		return nil
	}
	items := []overlayItem{}
	for _, d := range slices.Concat(n.build[file], n.pdfs[file]) {
		loc := d.Path
		if d.Line > 0 {
			loc = fmt.Sprintf("%s:%d:%d", d.Path, d.Line, max(d.Col, 1))
		}
		items = append(items, overlayItem{loc, d.Text(lang), "warning"})
	}
	return items
}

// notify tells every tab that the notes changed: each fetches its page's again.
func (h *hub) notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.broadcast(event{"notes", "{}", h.id()})
}

// serveNotes answers notesURL.
func (h *hub) serveNotes(w http.ResponseWriter, r *http.Request, lang message.Lang) {
	items := h.notes.items(r.URL.Query().Get("path"), lang)
	if items == nil {
		items = []overlayItem{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(items)
}
