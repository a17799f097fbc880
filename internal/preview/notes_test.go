package preview

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// TestPreviewNotesShowAPageOwnWarnings: through the preview's HTTP server, the notes of
// a legal document's page list its scanned PDF (read in the background) and its
// replaces naming no document, at their line:col; an article's page lists the number it
// cites that the library lacks; another page has none; fixing the file clears them.
func TestPreviewNotesShowAPageOwnWarnings(t *testing.T) {
	dir := newSite(t)
	scan, err := os.ReadFile(filepath.Join("..", "pdftext", "testdata", "scan.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	doc := "---\nnumber: \"15/CT-UBND\"\ntype: \"Chỉ thị\"\ntitle: \"Về công tác văn thư\"\nissued: 2020-05-04\nreplaces: [\"9/2000/CT-UBND\"]\nfiles: [\"quet.pdf\"]\n---\n"
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/van-ban/15-ct-ubnd/index.md": doc,
		"content/van-ban/15-ct-ubnd/quet.pdf": string(scan),
		"content/tin-tuc/c.md":                article("Bài C", "Thực hiện Nghị định số 99/2099/NĐ-CP của Chính phủ."),
	})
	r := start(t, dir)
	notes := func(path string) []overlayItem {
		t.Helper()
		resp, err := http.Get(r.srv.URL + notesURL + "?path=" + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var items []overlayItem
		if err := json.NewDecoder(resp.Body).Decode(&items); err != nil || resp.StatusCode != 200 {
			t.Fatalf("notes of %s: %d %v", path, resp.StatusCode, err)
		}
		return items
	}
	has := func(items []overlayItem, loc, text string) bool {
		for _, it := range items {
			if it.Location == loc && strings.Contains(it.Message, text) && it.Severity == "warning" {
				return true
			}
		}
		return false
	}
	// The PDF is read after the build, in the background (the engine compiles first).
	deadline := time.Now().Add(90 * time.Second)
	for !has(notes("/van-ban/15-ct-ubnd/"), "content/van-ban/15-ct-ubnd/index.md:7:9", "quet.pdf") {
		if time.Now().After(deadline) {
			t.Fatalf("no attachment-text note on the document's page: %+v", notes("/van-ban/15-ct-ubnd/"))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if got := notes("/van-ban/15-ct-ubnd/"); !has(got, "content/van-ban/15-ct-ubnd/index.md:6:12", "9/2000/CT-UBND") {
		t.Errorf("no document-link note at the number: %+v", got)
	}
	if got := notes("/tin-tuc/c/"); len(got) != 1 || !strings.HasPrefix(got[0].Location, "content/tin-tuc/c.md:") || !strings.Contains(got[0].Message, "99/2099/NĐ-CP") {
		t.Errorf("no citation-missing note on the article's page: %+v", got)
	}
	if got := notes("/tin-tuc/a/"); len(got) != 0 {
		t.Errorf("a page without warnings has notes: %+v", got)
	}
	// The script asks for them.
	if _, js := r.get(t, scriptURL); !strings.Contains(js, notesURL) {
		t.Error("the live-reload script does not fetch the page's notes")
	}
	// Fixed: the document-link note goes with the next build.
	n := r.s.Builds()
	write(t, dir, "content/van-ban/15-ct-ubnd/index.md", strings.Replace(doc, "replaces: [\"9/2000/CT-UBND\"]\n", "", 1))
	r.waitBuilds(t, n)
	if got := notes("/van-ban/15-ct-ubnd/"); has(got, "content/van-ban/15-ct-ubnd/index.md:6:12", "9/2000/CT-UBND") {
		t.Errorf("the fixed note is still shown: %+v", got)
	}
}
