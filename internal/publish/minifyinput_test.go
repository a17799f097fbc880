package publish

import (
	"fmt"
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
