package publish

import (
	"context"
	"os"
	"path/filepath"
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
