package markdown

import (
	"testing"
	"unsafe"
)

// A document keeps its headings for its table of contents: the list is exactly as long
// as there are headings, and each heading's text and ID are one string (issue 22, the
// loaded site at 100,000 articles).
func TestHeadingsAreKeptCompactly(t *testing.T) {
	res, err := New(Options{}).Render([]byte("## Một\n\nA.\n\n## Hai {#hai-x}\n\nB.\n\n### Ba\n\nC.\n"))
	if err != nil {
		t.Fatal(err)
	}
	hs := res.Headings
	if len(hs) != 3 || cap(hs) != 3 {
		t.Fatalf("%d headings in a list of %d", len(hs), cap(hs))
	}
	for _, h := range hs {
		if h.ID == "" || h.Text == "" || unsafe.StringData(h.ID) != (*byte)(unsafe.Add(unsafe.Pointer(unsafe.StringData(h.Text)), len(h.Text))) {
			t.Errorf("heading %q (#%s): its text and ID are two strings", h.Text, h.ID)
		}
	}
	if hs[1].ID != "hai-x" || hs[0].Text != "Một" || hs[2].Level != 3 {
		t.Errorf("headings %+v", hs)
	}
	if res, _ := New(Options{}).Render([]byte("Không có tiêu đề.\n")); res.Headings != nil {
		t.Errorf("a body without headings: %#v, want nil", res.Headings)
	}
}
