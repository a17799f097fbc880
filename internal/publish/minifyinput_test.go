package publish

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestMinifyDoesNotCopyEachPage: a worker minifies a page from its own reused buffer, so a
// page of 200 KB costs far less than 200 KB of new memory once the worker's buffers have
// grown (before, the parser copied every page into a fresh allocation of its size to append
// its NUL terminator). The page is the same after as before, and the output is minified.
func TestMinifyDoesNotCopyEachPage(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n")
	for sb.Len() < 200<<10 {
		fmt.Fprintf(&sb, "<p>Ủy ban   nhân dân   tỉnh họp lần %d &amp; bàn.</p>\n\n", sb.Len())
	}
	sb.WriteString("</body>\n</html>\n")
	page := []byte(sb.String())
	keep := string(page)
	dest := newDest(t, nil)
	w, err := Begin(t.Context(), dest, Options{Minify: true, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var b dataBuffers
	var ms runtime.MemStats
	for i := range 3 {
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		written, _, err := w.writeData(File{Rel: fmt.Sprintf("p%d.html", i), Data: page, Source: "bai.md"}, &b)
		if err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&ms)
		if alloc := ms.TotalAlloc - before; i == 2 && alloc > uint64(len(page))/4 {
			t.Errorf("minifying a page of %d bytes allocated %d bytes; want under a quarter of the page", len(page), alloc)
		}
		if written >= int64(len(page)) || written == 0 {
			t.Errorf("wrote %d bytes of %d: not minified", written, len(page))
		}
	}
	if string(page) != keep {
		t.Error("the caller's page changed")
	}
}

// TestWorkerLetsGoOfALargeFilesBuffers: after a file larger than keepBufferBytes (a
// sitemap of 50,000 URLs is megabytes) a worker keeps none of the buffers it grew for it,
// while a page's buffers stay for the next page. Kept, they stayed per worker until the
// Writer committed: through the rest of rendering and the whole index stage (10 MB of
// minifier input live in the index stage at 30,000 articles).
func TestWorkerLetsGoOfALargeFilesBuffers(t *testing.T) {
	page := func(n int) []byte {
		var sb strings.Builder
		sb.WriteString("<!DOCTYPE html>\n<html lang=\"vi\">\n<body>\n")
		for sb.Len() < n {
			fmt.Fprintf(&sb, "<p>Ủy ban   nhân dân   tỉnh họp lần %d &amp; bàn.</p>\n\n", sb.Len())
		}
		sb.WriteString("</body>\n</html>\n")
		return []byte(sb.String())
	}
	w, err := Begin(t.Context(), newDest(t, nil), Options{Minify: true, Precompress: true, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	var b dataBuffers
	held := func() int { return cap(b.in) + b.min.Cap() + b.gz.Cap() }
	if _, _, err := w.writeData(File{Rel: "a.html", Data: page(100 << 10), Source: "a.md"}, &b); err != nil {
		t.Fatal(err)
	}
	if cap(b.in) < 100<<10 || b.min.Cap() == 0 || b.gz.Cap() == 0 {
		t.Fatalf("after a page of 100 KB the worker keeps %d, %d, %d bytes of buffers; want them kept for the next page", cap(b.in), b.min.Cap(), b.gz.Cap())
	}
	big := page(3 * keepBufferBytes)
	written, _, err := w.writeData(File{Rel: "sitemap.html", Data: big, Source: "trang /sitemap.xml"}, &b)
	if err != nil || written == 0 || written >= int64(len(big)) {
		t.Fatalf("the large file: %d of %d bytes written, %v", written, len(big), err)
	}
	if cap(b.in) > keepBufferBytes || b.min.Cap() > keepBufferBytes || b.gz.Cap() > keepBufferBytes {
		t.Errorf("after a file of %d bytes the worker keeps buffers of %d, %d, %d bytes; want none over %d", len(big), cap(b.in), b.min.Cap(), b.gz.Cap(), keepBufferBytes)
	}
	if _, _, err := w.writeData(File{Rel: "b.html", Data: page(100 << 10), Source: "b.md"}, &b); err != nil || held() == 0 {
		t.Fatalf("the next page: %v, %d bytes of buffers", err, held())
	}
}

// TestMinifyInPlaceWhenGivenBack: a file that comes with Buffers (its producer keeps no
// reference to it) is minified where it is, not copied into the worker's buffer first,
// and the minified buffer is made once at the file's size: a sitemap of 3 MB written by a
// worker whose buffers were let go allocates about its minified size, not the ≈ 3.5 times
// its size of a copy, a doubling output buffer and the sibling (29.2 MB for a sitemap of
// 8.2 MB before, BenchmarkWriteSitemap). The bytes written are those of the copying path.
func TestMinifyInPlaceWhenGivenBack(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
	for i := 0; sb.Len() < 3<<20; i++ {
		fmt.Fprintf(&sb, "\n  <url>\n    <loc>https://x.gov.vn/tin-tuc/bai-%d/?a=1&amp;b=2</loc>\n    <lastmod>2025-07-01T08:00:00+07:00</lastmod>\n  </url>", i)
	}
	sb.WriteString("\n</urlset>\n")
	data := sb.String()
	dest := newDest(t, nil)
	w, err := Begin(t.Context(), dest, Options{Minify: true, Precompress: true, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	bufs := NewBuffers(1)
	var ms runtime.MemStats
	write := func(rel string, given *Buffers) uint64 {
		f := File{Rel: rel, Data: append(make([]byte, 0, len(data)+1), data...), Source: "trang /sitemap.xml", Buffers: given}
		var b dataBuffers
		runtime.ReadMemStats(&ms)
		before := ms.TotalAlloc
		if _, _, err := w.writeData(f, &b); err != nil {
			t.Fatal(err)
		}
		runtime.ReadMemStats(&ms)
		return ms.TotalAlloc - before
	}
	copied := write("copied.xml", nil)
	inPlace := write("given.xml", bufs)
	if inPlace > uint64(len(data))*3/2 {
		t.Errorf("a file of %d bytes given with Buffers allocated %d bytes (%d when copied); want under 1.5 times its size", len(data), inPlace, copied)
	}
	for _, name := range []string{"", GzipSuffix} {
		a, err1 := os.ReadFile(filepath.Join(w.tmp, "copied.xml"+name))
		b, err2 := os.ReadFile(filepath.Join(w.tmp, "given.xml"+name))
		if err1 != nil || err2 != nil || !bytes.Equal(a, b) || len(a) == 0 || len(a) >= len(data) {
			t.Errorf("%q: minified in place %d bytes, copied %d bytes (of %d): want the same, minified (%v, %v)", name, len(b), len(a), len(data), err1, err2)
		}
	}
}
