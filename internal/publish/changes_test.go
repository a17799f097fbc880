package publish

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func changeLines(cs []Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.String()
	}
	return out
}

func TestCommitListsChanges(t *testing.T) {
	dest := newDest(t, nil)
	big := strings.Repeat("x", 100<<10) // past one read buffer
	st := publishAll(t, dest, Options{Changes: true}, map[string]string{
		"index.html": "<p>trang chủ</p>", "a/index.html": "<p>a</p>", "gone.html": "<p>sẽ bị xóa</p>",
		"same-size.txt": "abc", "big.txt": big + "1", "dir/f.txt": "f", "x.html": "một",
	})
	if got, want := changeLines(st.Changes), []string{"A a/index.html", "A big.txt", "A dir/f.txt", "A gone.html", "A index.html", "A same-size.txt", "A x.html"}; !slices.Equal(got, want) {
		t.Errorf("first build: %q, want %q", got, want)
	}

	w, err := Begin(context.Background(), dest, Options{Changes: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Abort()
	add := func(f File) {
		if err := w.Add(f); err != nil {
			t.Fatal(err)
		}
	}
	add(File{Rel: "index.html", Data: []byte("<p>trang chủ</p>"), Source: "same bytes, written again"})
	add(File{Rel: "a/index.html", SrcPath: filepath.Join(dest, "a", "index.html"), Source: "linked", Kind: Existing})
	add(File{Rel: "same-size.txt", Data: []byte("abd"), Source: "same size, other bytes"})
	// Linked, but from another path: compared like any written file.
	add(File{Rel: "moved.html", SrcPath: filepath.Join(dest, "gone.html"), Source: "linked from elsewhere", Kind: Existing})
	add(File{Rel: "x.html", SrcPath: filepath.Join(dest, "gone.html"), Source: "linked from elsewhere", Kind: Existing})
	add(File{Rel: "big.txt", Data: []byte(big + "2"), Source: "differs at the end"})
	add(File{Rel: "dir", Data: []byte("a file where a folder was"), Source: "x"})
	add(File{Rel: "new/index.html", Data: []byte("<p>mới</p>"), Source: "new"})
	st, err = w.Commit()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"M big.txt", "A dir", "D dir/f.txt", "D gone.html", "A moved.html", "A new/index.html", "M same-size.txt", "M x.html"}
	if got := changeLines(st.Changes); !slices.Equal(got, want) {
		t.Errorf("second build: %q, want %q", got, want)
	}

	// Without the option nothing is listed (and nothing is compared).
	st = publishAll(t, dest, Options{}, map[string]string{"index.html": "khác"})
	if st.Changes != nil {
		t.Errorf("changes listed without Options.Changes: %v", st.Changes)
	}
	if _, err := os.Stat(filepath.Join(dest, "index.html")); err != nil {
		t.Fatal(err)
	}
}

// TestSameFileBytesSmallBuffer: comparing two pages of the same size (a page rendered
// again at a save, against the output's) gives the right answer for equal files, files
// that differ in their last byte and files of several buffers, and allocates for a 20 KB
// page about twice its size, not two 64 KB readers and two 32 KB buffers (base a85cb4a:
// 197,136 bytes for two pages of 22,178 bytes; now 49,488).
func TestSameFileBytesSmallBuffer(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, size := range []int{0, 1, 20 << 10, 32<<10 - 1, 32 << 10, 100<<10 + 7} {
		page := make([]byte, size)
		for i := range page {
			page[i] = byte('a' + i%26)
		}
		a, b := write("a", page), write("b", page)
		if same, err := sameFileBytes(a, b, int64(size)); err != nil || !same {
			t.Errorf("%d bytes, equal: same %v, %v", size, same, err)
		}
		if size == 0 {
			continue
		}
		other := slices.Clone(page)
		other[size-1]++
		c := write("c", other)
		if same, err := sameFileBytes(a, c, int64(size)); err != nil || same {
			t.Errorf("%d bytes, the last differs: same %v, %v", size, same, err)
		}
		// b grew after it was looked at: not the same.
		d := write("d", append(slices.Clone(page), 'x'))
		if same, err := sameFileBytes(a, d, int64(size)); err != nil || same {
			t.Errorf("%d bytes and one more: same %v, %v", size, same, err)
		}
	}
	page := []byte(strings.Repeat("<p>Trang đã dựng.</p>\n", 20<<10/24))
	a, b := write("a", page), write("b", page)
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	const runs = 10
	for range runs {
		if same, err := sameFileBytes(a, b, int64(len(page))); err != nil || !same {
			t.Fatalf("same %v, %v", same, err)
		}
	}
	runtime.ReadMemStats(&m1)
	per := (m1.TotalAlloc - m0.TotalAlloc) / runs
	t.Logf("%d bytes allocated to compare two pages of %d bytes", per, len(page))
	if limit := uint64(2*len(page) + 8<<10); per > limit {
		t.Errorf("comparing two pages of %d bytes allocated %d bytes, want at most %d", len(page), per, limit)
	}
}
