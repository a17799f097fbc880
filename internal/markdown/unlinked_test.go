package markdown

import (
	"bytes"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// sameAsLinkified renders src with and without Linkify and fails when the results differ.
func sameAsLinkified(t *testing.T, r *Renderer, src string) {
	t.Helper()
	b, valid := nfcValid([]byte(src))
	want, werr := r.renderPage(r.md, b, Page{Images: NoImages{}, NFC: valid})
	got, gerr := r.renderPage(r.unlinked, b, Page{Images: NoImages{}, NFC: valid})
	if (werr == nil) != (gerr == nil) || !reflect.DeepEqual(got, want) {
		t.Errorf("without Linkify, %q renders as\n%#v (%v)\nwith it\n%#v (%v)", src, got, gerr, want, werr)
	}
}

// TestUnlinkedRendersTheSame: a document in which Linkify can find nothing (mayLinkify
// is false) renders to the same Result without it: HTML, text, headings, links, word
// count and citations, for every case of testdata/cases and the benchmark article.
// Text nodes are not split at each space without Linkify; nothing reads their bounds.
func TestUnlinkedRendersTheSame(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "cases", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no case files: %v", err)
	}
	tried := 0
	for _, unsafe := range []bool{false, true} {
		r := New(Options{Unsafe: unsafe})
		for _, file := range files {
			for _, c := range readCaseFile(t, file).cases {
				if !mayLinkify([]byte(c.input)) {
					sameAsLinkified(t, r, c.input)
					tried++
				}
			}
		}
		sameAsLinkified(t, r, strings.NewReplacer("http", "", "www.", "", "@", "").Replace(benchArticle()))
	}
	if tried < 50 {
		t.Errorf("only %d cases without links to compare", tried)
	}
	for _, s := range []string{"http://x.vn", "xem www.x.vn", "a@b.vn", "https:", "a    \nb", "a\t \nb", "a  "} {
		if !mayLinkify([]byte(s)) {
			t.Errorf("mayLinkify(%q) = false", s)
		}
	}
}

// FuzzUnlinked compares the renders with and without Linkify of documents without links.
func FuzzUnlinked(f *testing.F) {
	for _, s := range []string{
		"# Tiêu đề {#id}\n\nĐoạn *nhấn* và **đậm**, `mã` và [liên kết](/a) theo Nghị định số 64/2007/NĐ-CP. \nDòng hai  \nba\\\n\n- a\n- b\n\n| a | b |\n|---|---|\n| 1 | 2 |\n",
		"a ~~b~~ (c) _d_ ![ảnh](x.png \"t\")[^1]\n\n[^1]: chú thích\n",
		"> trích *dẫn* 12/2024/QĐ-UBND\n>\n> tiếp\n\n    mã\n\n<b>x</b> <!-- c -->\n",
	} {
		f.Add(s)
	}
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 4000 || mayLinkify([]byte(s)) {
			return
		}
		sameAsLinkified(t, r, s)
	})
}

// mayLinkifyByByte is mayLinkify as it was before it jumped from line end to line end:
// every byte looked at.
func mayLinkifyByByte(src []byte) bool {
	if bytes.Contains(src, []byte("http")) || bytes.Contains(src, []byte("www.")) || bytes.IndexByte(src, '@') >= 0 {
		return true
	}
	space := func(c byte) bool { return c == ' ' || c == '\t' || c == '\v' || c == '\f' || c == '\r' }
	for i := 0; i <= len(src); i++ {
		if (i == len(src) || src[i] == '\n') && i >= 2 && space(src[i-1]) && space(src[i-2]) {
			return true
		}
	}
	return false
}

// TestMayLinkifyByLineEnds: mayLinkify, which looks only at the bytes before each line
// end (bytes.IndexByte), answers as the byte-by-byte loop, for line ends at the start, in
// a row and at the end, and trailing white space of each kind.
func TestMayLinkifyByLineEnds(t *testing.T) {
	for _, s := range []string{"", "\n", "\n\n", " \n", "  ", "  \n", "a  ", "a \t", "a\v\f\nb", "a \r\n", "\r\r", "a\n  \n", "a \nb\n",
		"x\n\n \t", "Hà Tĩnh  \nĐà Nẵng", "a\u00a0\u00a0\n", " \n\n  x", benchArticle()} {
		if got, want := mayLinkify([]byte(s)), mayLinkifyByByte([]byte(s)); got != want {
			t.Errorf("mayLinkify(%q) = %v, want %v", s, got, want)
		}
	}
}

// FuzzMayLinkifyByLineEnds is TestMayLinkifyByLineEnds for any text.
func FuzzMayLinkifyByLineEnds(f *testing.F) {
	f.Add("a  \nb")
	f.Add("\n\t \n")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mayLinkify([]byte(s)), mayLinkifyByByte([]byte(s)); got != want {
			t.Fatalf("mayLinkify(%q) = %v, want %v", s, got, want)
		}
	})
}
