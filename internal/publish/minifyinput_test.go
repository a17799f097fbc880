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
