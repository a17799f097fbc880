package markdown

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestRenderPageTrustsKnownNFC: Page.NFC skips the normalization check of a body the
// caller has normalized (content.Parse): decomposed text is left as given, while without
// the flag it comes out NFC. The build sets the flag only for a Document's Body (see
// internal/build TestNFCAndNFDGiveOnePage for a decomposed file end to end).
func TestRenderPageTrustsKnownNFC(t *testing.T) {
	r := New(Options{})
	nfd := norm.NFD.String("Ủy ban nhân dân tỉnh Hà Tĩnh")
	checked, err := r.RenderPage([]byte(nfd), Page{Images: NoImages{}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(checked.HTML), "Ủy ban nhân dân tỉnh Hà Tĩnh") {
		t.Errorf("without Page.NFC, a decomposed body is not normalized: %q", checked.HTML)
	}
	trusted, err := r.RenderPage([]byte(nfd), Page{Images: NoImages{}, NFC: true})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(trusted.HTML), nfd) {
		t.Errorf("with Page.NFC the body was checked and normalized again: %q", trusted.HTML)
	}
}
