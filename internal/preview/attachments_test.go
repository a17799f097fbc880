package preview

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// testPDF returns a committed PDF of internal/pdftext padded with spaces after its end
// to size bytes, so that two different files have the same size.
func testPDF(t *testing.T, name string, size int) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "pdftext", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > size {
		t.Fatalf("%s: %d bytes", name, len(b))
	}
	return string(b) + strings.Repeat(" ", size-len(b))
}

// TestPreviewSearchReadsReplacedPDF: the preview's search finds a legal document by a word
// found only in its PDF, and follows the PDF when it is replaced by another file of the
// same size.
func TestPreviewSearchReadsReplacedPDF(t *testing.T) {
	dir := newSite(t)
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/van-ban/2599-qd-ubnd/index.md": "---\nnumber: \"2599/QĐ-UBND\"\ntype: \"Quyết định\"\ntitle: \"Ban hành kế hoạch\"\nissued: 2008-10-03\nfiles: [\"qd.pdf\"]\n---\nKế hoạch mẫu.\n",
		"content/van-ban/2599-qd-ubnd/qd.pdf":   testPDF(t, "text.pdf", 30000),
	})
	r := start(t, dir)
	urls := func(q string) []string {
		t.Helper()
		resp, err := http.Get(r.srv.URL + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			return nil // the first index is not there yet
		}
		var res struct{ Hits []struct{ URL string } }
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
			t.Fatalf("search %q: %d %v", q, resp.StatusCode, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.URL)
		}
		return out
	}
	finds := func(q string) bool {
		for _, u := range urls(q) {
			if u == "/van-ban/2599-qd-ubnd/" {
				return true
			}
		}
		return false
	}
	// The first index compiles the PDF engine (seconds on a busy machine).
	eventually := func(q string, want bool) {
		t.Helper()
		for deadline := time.Now().Add(90 * time.Second); finds(q) != want; time.Sleep(50 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("search %q finds the document: %v, want %v (%v)", q, !want, want, urls(q))
			}
		}
	}
	eventually("Chánh Văn phòng thủ trưởng", true)
	if finds("quy chế") {
		t.Fatal("a word of no PDF finds the document")
	}
	write(t, dir, "content/van-ban/2599-qd-ubnd/qd.pdf", testPDF(t, "pages.pdf", 30000))
	eventually("quy chế", true)
	eventually("Chánh Văn phòng thủ trưởng", false)
}
