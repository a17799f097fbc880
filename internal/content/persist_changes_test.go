package content

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"testing/fstest"
	"time"
)

// The changes saved against a full save, read back over it, give the documents of the
// last load: an edited file's new parse, an added file's, and no entry for a deleted
// file; nothing is parsed again on the next load.
func TestSavedChangesOverTheFullSave(t *testing.T) {
	fsys := fstest.MapFS{
		"content/tin-tuc/a.md": {Data: []byte("---\ntitle: \"Bài A\"\ndate: 2007-05-29\n---\nThân bài A.\n"), ModTime: time.Unix(1, 0)},
		"content/tin-tuc/b.md": {Data: []byte("---\ntitle: \"Bài B\"\ndate: 2007-05-30\n---\nThân bài B.\n"), ModTime: time.Unix(1, 0)},
		"content/tin-tuc/c.md": {Data: []byte("---\ntitle: \"Bài C\"\ndate: 2007-05-31\n---\nThân bài C.\n"), ModTime: time.Unix(1, 0)},
	}
	ctx := context.Background()
	first := NewCache()
	if _, ds := LoadCached(ctx, fsys, Schema{}, first, nil, nil); ds.HasErrors() {
		t.Fatal(ds.Items())
	}
	var full bytes.Buffer
	if err := first.Save(&full); err != nil {
		t.Fatal(err)
	}
	if _, _, _, ok := first.Changes(); ok {
		t.Error("Changes of a cache not read from a full save: ok, want not (nothing to save changes against)")
	}

	// The next build: b edited, c deleted, d added.
	fsys["content/tin-tuc/b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"Bài B đã sửa\"\ndate: 2007-05-30\n---\nThân bài B.\n"), ModTime: time.Unix(2, 0)}
	delete(fsys, "content/tin-tuc/c.md")
	fsys["content/tin-tuc/d.md"] = &fstest.MapFile{Data: []byte("---\ntitle: \"Bài D\"\ndate: 2007-06-01\n---\nThân bài D.\n"), ModTime: time.Unix(2, 0)}
	second, err := LoadCache(bytes.NewReader(full.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	want, ds := LoadCached(ctx, fsys, Schema{}, second, nil, nil)
	if ds.HasErrors() || len(want) != 3 {
		t.Fatalf("second load: %d docs, %v", len(want), ds.Items())
	}
	upserts, removed, saved, ok := second.Changes()
	if !ok || upserts != 2 || removed != 1 || saved != 3 {
		t.Errorf("Changes = %d written, %d gone, %d saved, %v; want 2 (b, d), 1 (c), 3, true", upserts, removed, saved, ok)
	}
	var changes bytes.Buffer
	if err := second.SaveChanges(&changes); err != nil {
		t.Fatal(err)
	}
	if changes.Len() >= full.Len() {
		t.Errorf("the changes take %d bytes, the full save %d: want fewer", changes.Len(), full.Len())
	}

	// The build after: the full save, then the changes.
	third, err := LoadCache(bytes.NewReader(full.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := third.LoadChanges(&changes); err != nil {
		t.Fatal(err)
	}
	got, ds := LoadCached(ctx, fsys, Schema{}, third, nil, nil)
	if ds.HasErrors() || len(got) != len(want) {
		t.Fatalf("third load: %d docs, %v", len(got), ds.Items())
	}
	for i, d := range got {
		if !third.Bodiless(d) {
			t.Errorf("%s was parsed again instead of taken from the full save and its changes", d.Path)
		}
		w := *want[i]
		w.Body, d.Body = nil, nil
		if g, w := fmt.Sprintf("%#v", *d), fmt.Sprintf("%#v", w); g != w {
			t.Errorf("%s differs after full save + changes:\n got %s\nwant %s", d.Path, g, w)
		}
	}
	if !third.SavedAsIs() {
		t.Error("SavedAsIs after reading the full save and its changes, nothing changed since: false, want true (nothing to write)")
	}
	if _, ok := third.entries["content/tin-tuc/c.md"]; ok {
		t.Error("the deleted c.md still has an entry after the changes")
	}
	if u, r, _, _ := third.Changes(); u != 2 || r != 1 {
		t.Errorf("Changes after reading them = %d, %d; want them all again (2, 1): each save of changes is against the full save", u, r)
	}
	var bad bytes.Buffer
	bad.WriteString("hỏng")
	if err := third.LoadChanges(&bad); err == nil {
		t.Error("LoadChanges of damaged bytes: no error")
	}
}
