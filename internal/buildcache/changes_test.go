package buildcache

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func manyPages(n int) map[string]Entry {
	pages := map[string]Entry{}
	for i := range n {
		pages[fmt.Sprintf("tin-tuc/bai-%d/index.html", i)] = Entry{Key: fmt.Sprintf("key-%012d", i), File: FileID{Size: int64(i), ModNs: 1, ChgNs: 2, Ino: uint64(i), Dev: 1}}
	}
	return pages
}

// A build that changed few pages writes only those, and the paths gone, beside the full
// manifest, which stays as it is; Load reads both and gives the pages the build saved,
// build after build. Many changes, and the whole manifest is written again.
func TestFewChangedPagesAreSavedAsChanges(t *testing.T) {
	dir := t.TempDir()
	full := &Manifest{Binary: "b", Dest: "/out", Pages: manyPages(100)}
	if err := full.Save(dir); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(Path(dir))
	if err != nil {
		t.Fatal(err)
	}
	prev, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	// One page edited, one added, one gone.
	next := &Manifest{Binary: "b", Dest: "/out", Pages: maps.Clone(prev.Pages)}
	next.Pages["tin-tuc/bai-5/index.html"] = Entry{Key: "key-changed-0005", File: FileID{Size: 5, ModNs: 9, ChgNs: 9, Ino: 999, Dev: 1}}
	next.Pages["tin-tuc/bai-moi/index.html"] = Entry{Key: "key-new-0000000", File: FileID{Size: 1, ModNs: 9, ChgNs: 9, Ino: 1000, Dev: 1}}
	delete(next.Pages, "tin-tuc/bai-7/index.html")
	if err := next.SaveOver(dir, prev); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(Path(dir)); string(after) != string(before) {
		t.Error("the full manifest was written again after three changes: want only the changes")
	}
	if _, err := os.Stat(filepath.Join(dir, ChangesName)); err != nil {
		t.Fatalf("no changes file: %v", err)
	}
	got, err := Load(dir)
	if err != nil || !reflect.DeepEqual(got.Pages, next.Pages) {
		t.Fatalf("Load after the changes: %v, %d pages, want %d as saved", err, len(got.Pages), len(next.Pages))
	}
	// The next build changes the added page back out and the gone one back in, and edits
	// another: the changes are still against the same full manifest.
	third := &Manifest{Binary: "b", Dest: "/out", Pages: maps.Clone(got.Pages)}
	delete(third.Pages, "tin-tuc/bai-moi/index.html")
	third.Pages["tin-tuc/bai-7/index.html"] = Entry{Key: "key-back-000007", File: FileID{Size: 7, ModNs: 9, ChgNs: 9, Ino: 1001, Dev: 1}}
	third.Pages["tin-tuc/bai-9/index.html"] = Entry{Key: "key-changed-0009", File: FileID{Size: 9, ModNs: 9, ChgNs: 9, Ino: 1002, Dev: 1}}
	if err := third.SaveOver(dir, got); err != nil {
		t.Fatal(err)
	}
	if after, _ := os.ReadFile(Path(dir)); string(after) != string(before) {
		t.Error("the full manifest was written again after the second build's changes")
	}
	if again, err := Load(dir); err != nil || !reflect.DeepEqual(again.Pages, third.Pages) {
		t.Fatalf("Load after the second changes: %v; pages differ from those saved", err)
	}

	// A damaged changes file is not read: the full manifest's pages come back, whose
	// entries for the changed pages name files no longer there (they are rendered again).
	if err := os.WriteFile(filepath.Join(dir, ChangesName), []byte("portal-build-cache-changes 2\nhỏng\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Load(dir); err != nil || !reflect.DeepEqual(got.Pages, full.Pages) {
		t.Errorf("Load with damaged changes: %v; want the full manifest's pages", err)
	}

	// Changes made against another full manifest are not read.
	prev, _ = Load(dir)
	if err := third.SaveOver(dir, prev); err != nil {
		t.Fatal(err)
	}
	other := &Manifest{Binary: "b", Dest: "/out", Pages: manyPages(3)}
	if err := other.Save(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ChangesName)); err == nil {
		t.Error("a full save left the changes made against the manifest it replaced")
	}
	if got, err := Load(dir); err != nil || !reflect.DeepEqual(got.Pages, other.Pages) {
		t.Errorf("Load after a full save: %v; want its pages", err)
	}

	// Many changes: the whole manifest again, and no changes file.
	prev, _ = Load(dir)
	if err := full.SaveOver(dir, prev); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ChangesName)); err == nil {
		t.Error("100 of 100 pages changed: changes written, want the whole manifest")
	}
	if got, err := Load(dir); err != nil || !reflect.DeepEqual(got.Pages, full.Pages) {
		t.Errorf("Load after many changes: %v", err)
	}
}
