package build_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After a few edits a build with the cache writes only the documents that changed
// (documents.changes) and leaves the full save (documents.bin) as it is; the next build
// reads both and parses nothing again, its output equal to a build without cache (s.build
// compares). Many changes, or a full save replaced, and everything is written again.
func TestDiskCacheSavesOnlyTheChangedDocuments(t *testing.T) {
	s := newDiskSite(t, 40)
	s.build()
	full, changes := filepath.Join(s.dir, "documents.bin"), filepath.Join(s.dir, "documents.changes")
	before, err := os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(s.site, "content", "tin-tuc", "*.md"))
	if err != nil || len(files) < 10 {
		t.Fatal("too few articles", err)
	}
	edit := func(path string) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, append(b, "\nĐoạn thêm vào sau lần dựng trước.\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// One edited, one deleted, one added (a copy of another with a new title).
	edit(files[3])
	if err := os.Remove(files[4]); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(files[5])
	if err != nil {
		t.Fatal(err)
	}
	added := filepath.Join(s.site, "content", "tin-tuc", "bai-moi-them-vao.md")
	if err := os.WriteFile(added, []byte(strings.Replace(string(b), "title: \"", "title: \"Bài mới: ", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	second := s.build()
	if after, err := os.Stat(full); err != nil || !after.ModTime().Equal(before.ModTime()) || after.Size() != before.Size() {
		t.Errorf("documents.bin was written again after one edit, one deletion and one addition (%v): want only the changes", err)
	}
	if fi, err := os.Stat(changes); err != nil || fi.Size() >= before.Size()/4 {
		t.Fatalf("documents.changes after three changes: %v (size %d, the full save %d)", err, sizeOf(fi), before.Size())
	}
	third := s.build()
	if third.DocumentsReused != second.DocumentsReused+2 {
		t.Errorf("after reading the full save and its changes: reused %d documents, want %d (the edited and the added one too)", third.DocumentsReused, second.DocumentsReused+2)
	}
	if _, err := os.Stat(changes); err != nil {
		t.Errorf("documents.changes is gone after a build that changed nothing: %v", err)
	}

	// Changes made against another full save are not read: every document is parsed,
	// the output is still a fresh build's, and a full save is written.
	if err := os.Remove(full); err != nil {
		t.Fatal(err)
	}
	if fourth := s.build(); fourth.DocumentsReused != 0 {
		t.Errorf("without the full save: reused %d documents from the changes alone, want none", fourth.DocumentsReused)
	}
	if _, err := os.Stat(changes); !os.IsNotExist(err) {
		t.Errorf("documents.changes still there after a full save (%v)", err)
	}

	// More changes than an eighth of the documents: all written again.
	before, err = os.Stat(full)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files[10:20] {
		edit(f)
	}
	s.build()
	if after, err := os.Stat(full); err != nil || after.ModTime().Equal(before.ModTime()) {
		t.Errorf("ten of 40 documents changed: documents.bin not written again (%v)", err)
	}
	if _, err := os.Stat(changes); !os.IsNotExist(err) {
		t.Errorf("documents.changes still there after a full save (%v)", err)
	}
	if fifth := s.build(); fifth.DocumentsReused != third.DocumentsReused {
		t.Errorf("after the full save: reused %d documents, want %d", fifth.DocumentsReused, third.DocumentsReused)
	}
}

func sizeOf(fi os.FileInfo) int64 {
	if fi == nil {
		return -1
	}
	return fi.Size()
}
