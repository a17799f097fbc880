package publish

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fragmentPage is a page made of pieces, every odd one a fragment.
func fragmentPage(pieces ...string) File {
	var data []byte
	var spans []Span
	for i, p := range pieces {
		if i%2 == 1 {
			spans = append(spans, Span{len(data), len(data) + len(p)})
		}
		data = append(data, p...)
	}
	return File{Rel: "p/index.html", Data: data, Fragments: spans, Kind: Page}
}

// minifiedWhole is the page minified in one piece, as a Writer without Fragments does.
func minifiedWhole(t testing.TB, data []byte) []byte {
	var out outBuffer
	if err := newMinifier().Minify(mimeHTML, &out, bytes.NewBuffer(bytes.Clone(data))); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// splicedOf minifies f by minifySpliced with a fresh Writer's cache; ok false when the
// Writer would minify it whole.
func splicedOf(t testing.TB, w *Writer, f File) ([]byte, bool) {
	var b dataBuffers
	ok, err := w.minifySpliced(f, &b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(b.min.Bytes()), ok
}

func fragmentWriter() *Writer {
	w := &Writer{min: newMinifier()}
	w.frags.Reset(maxMinifiedFragmentBytes)
	return w
}

const (
	card    = "\n<article class=\"card\">\n  <h2 class=\"card__title\"><a href=\"/a/\">Ủy ban   &amp; nhân dân</a></h2>\n  <p class=\"meta\"><time datetime=\"2024-01-02T00:00:00&#43;07:00\">2 tháng 1</time></p>\n</article>"
	related = "<a href=\"/b/\">Bài   liên quan</a> <span class=\"meta\"><time datetime=\"x\">1/2 </time></span>"
	header  = "<header class=\"site-header\">\n  <nav>\n    <a href=\"/\">Trang   chủ</a>\n  </nav>\n</header>\n"
)

// TestFragmentsMinifiedOnce: the default theme's shapes of fragment (a card in an <li>,
// a related item inside an <li>, the site header after a link and a line break) are
// taken out of each page, minified once for all pages, and the pages come out byte for
// byte as minified whole.
func TestFragmentsMinifiedOnce(t *testing.T) {
	w := fragmentWriter()
	pages := []File{
		fragmentPage("<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n<a class=\"skip\" href=\"#n\">Bỏ qua</a>\n", header,
			"<ul class=\"card-list\">\n  <li>", card, "</li>\n  <li>", card, "</li>\n</ul>\n</body>\n</html>\n"),
		fragmentPage("<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n<p>Một   đoạn</p>\n", header,
			"<ul class=\"related__list\">\n    <li>", related, "</li>\n    <li>", related, "</li>\n  </ul>\n</body>\n</html>\n"),
	}
	taken := 0
	for _, f := range pages {
		got, ok := splicedOf(t, w, f)
		if !ok {
			t.Fatalf("page %q minified whole; want its fragments taken out", f.Data)
		}
		if want := minifiedWhole(t, f.Data); !bytes.Equal(got, want) {
			t.Errorf("spliced page differs\n got: %s\nwant: %s", got, want)
		}
		taken += len(f.Fragments)
	}
	if n := w.fragmentsSpliced.Load(); n != int64(taken) {
		t.Errorf("%d fragments put in from the cache; want %d", n, taken)
	}
	if n := w.frags.Len(); n != 3 {
		t.Errorf("%d distinct fragments minified; want 3 (card, related item, header)", n)
	}
}

// TestFragmentsOutsideTheRuleStay: fragments whose context the rule does not cover are
// minified with their page (the page is not spliced, or that fragment is left in), and
// every page still comes out as minified whole.
func TestFragmentsOutsideTheRuleStay(t *testing.T) {
	cases := []struct {
		name    string
		page    File
		spliced bool
	}{
		{"inside pre", fragmentPage("<pre>\n", card, "\n</pre>"), false},
		{"inside textarea", fragmentPage("<div><textarea>", card, "</textarea></div>"), false},
		{"inside a comment", fragmentPage("<div><!-- ", card, " --></div>"), false},
		{"inside svg", fragmentPage("<div><svg><g>", card, "</g></svg></div>"), false},
		{"inline after text", fragmentPage("<p>chữ ", related, " và chữ</p>"), false},
		{"a fragment with pre", fragmentPage("<div>", "<div><pre>  a  </pre></div>", "</div>"), false},
		{"a fragment with a comment", fragmentPage("<div>", "<div><!-- x --> a</div>", "</div>"), false},
		{"a page with an iframe", fragmentPage("<div><iframe src=\"/x\"></iframe>", card, "</div>"), false},
		{"a page with an IFrame", fragmentPage("<div><img src=\"/y\"><IFrame src=\"/x\"></IFrame>", card, "</div>"), false},
		{"a page naming the placeholder", fragmentPage("<p>zzportal-fragment</p><div>", card, "</div>"), false},
		{"spans out of order", File{Data: []byte("<div>" + card + "</div>"), Fragments: []Span{{5, 5 + len(card)}, {0, 3}}}, false},
		{"inline fragment then text", fragmentPage("<li>", related, " tiếp</li>"), false},
		{"block fragment after inline text", fragmentPage("<p>chữ ", "<div>khối</div>", "</p>"), false},
		{"one in, one out", fragmentPage("<ul><li>", card, "</li></ul><p>chữ ", related, "</p>"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := splicedOf(t, fragmentWriter(), c.page)
			if ok != c.spliced {
				t.Fatalf("spliced %v; want %v", ok, c.spliced)
			}
			if ok {
				if want := minifiedWhole(t, c.page.Data); !bytes.Equal(got, want) {
					t.Errorf("spliced page differs\n got: %s\nwant: %s", got, want)
				}
			}
		})
	}
}

// FuzzFragmentRule: whenever the Writer takes fragments out of a page, the page comes
// out as minified whole. The page is a prefix, a fragment and a suffix, each from the
// fuzzer, the fragment twice (so that the second comes from the cache).
func FuzzFragmentRule(f *testing.F) {
	f.Add("<ul><li>", card, "</li></ul>")
	f.Add("<ul>\n<li>", related, "</li>\n</ul>")
	f.Add("<a href=\"#\">x</a>\n", header, "<div class=\"c\">")
	f.Add("<p>chữ ", related, " chữ</p>")
	f.Add("<pre>", card, "</pre>")
	f.Add("<div>", "<p>a <b>b </b></p>", "<span> c</span></div>")
	f.Add("<div>x </div>", "\n<div> y </div> ", " z<div>")
	f.Add("<a title=\"x <li>", "<div>y</div>", "</li>\">")
	f.Add("<li>", "<a href='x'>y</a> <b>", "</li>")
	f.Fuzz(func(t *testing.T, a, frag, b string) {
		page := fragmentPage(a, frag, b+a, frag, b)
		whole := minifiedWhole(t, page.Data)
		got, ok := splicedOf(t, fragmentWriter(), page)
		if ok && !bytes.Equal(got, whole) {
			t.Errorf("spliced page differs\npage: %q\n got: %q\nwant: %q", page.Data, got, whole)
		}
	})
}

// TestWriterSplicesFragments: a Writer given a page with Fragments writes the bytes it
// writes without them.
func TestWriterSplicesFragments(t *testing.T) {
	page := fragmentPage("<!DOCTYPE html>\n<html>\n<body>\n<ul>\n<li>", card, "</li>\n<li>", strings.Replace(card, "/a/", "/b/", 1), "</li>\n</ul>\n</body>\n</html>\n")
	dest := newDest(t, nil)
	w, err := Begin(t.Context(), dest, Options{Minify: true, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	if err := w.Add(page); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := w.fragmentsSpliced.Load(); n != 2 {
		t.Errorf("%d fragments put in from the cache; want 2", n)
	}
	got, err := os.ReadFile(filepath.Join(dest, "p", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if want := minifiedWhole(t, page.Data); !bytes.Equal(got, want) {
		t.Errorf("written page differs\n got: %s\nwant: %s", got, want)
	}
}

// TestPagesAddedForgetsTheFragments: once told the pages are all added, a Writer keeps
// none of its minified fragments (they stayed on the heap until Commit, through a
// build's index stage), and a page added after that is still minified as a whole page
// would be.
func TestPagesAddedForgetsTheFragments(t *testing.T) {
	w := fragmentWriter()
	page := fragmentPage("<!DOCTYPE html>\n<html>\n<body>\n<ul>\n<li>", card, "</li>\n<li>", strings.Replace(card, "/a/", "/b/", 1), "</li>\n</ul>\n</body>\n</html>\n")
	if _, ok := splicedOf(t, w, page); !ok {
		t.Fatal("page minified whole; want its fragments taken out")
	}
	if w.frags.Len() == 0 || w.frags.Bytes() == 0 {
		t.Fatal("no fragment kept before PagesAdded")
	}
	w.PagesAdded()
	if w.frags.Len() != 0 || w.frags.Bytes() != 0 {
		t.Fatalf("after PagesAdded the cache keeps %d fragments, %d bytes", w.frags.Len(), w.frags.Bytes())
	}
	got, ok := splicedOf(t, w, page)
	if want := minifiedWhole(t, page.Data); !ok || !bytes.Equal(got, want) {
		t.Fatalf("page after PagesAdded (spliced %v) differs\n got: %s\nwant: %s", ok, got, want)
	}
}
