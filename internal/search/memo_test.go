package search

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// hashed gives each document the content hash an assembler would (Document.Hash), which
// a Memo needs to keep a document.
func hashed(docs []Document) []Document {
	out := slices.Clone(docs)
	for i := range out {
		out[i].Hash = contentHash(out[i])
	}
	return out
}

// A Memo carried from build to build gives every generation the index and generation a
// build without one gives: through Update (the preview) and through Build into a new
// folder renamed over the output's (portal serve --watch), for an edit, a deletion, an
// addition, a new title, a term's new name under the same Hash, and documents that did
// not change.
func TestMemoBuildsWhatBuildBuilds(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	step1 := hashed(fixtureDocs())
	step2 := hashed(editedDocs())
	step3 := slices.Clone(step2)
	step3[1].Title = "Tiêu đề đã đổi của bài thứ hai"
	step3[1].Hash = contentHash(step3[1])
	// A term's name is not in the Hash the build gives (its slug is): a Memo must still
	// see the new name.
	step3[2].Provinces = []Term{{step3[2].Provinces[0].Name + " (tên khác)", step3[2].Provinces[0].Slug}}
	step4 := slices.Clone(step3)
	step4 = step4[1:]
	steps := [][]Document{step1, step2, step3, step3, step4}

	updated := filepath.Join(root, "preview", ".search")
	if err := os.MkdirAll(filepath.Dir(updated), 0o755); err != nil {
		t.Fatal(err)
	}
	output := filepath.Join(root, "public", ".search")
	if err := os.MkdirAll(filepath.Dir(output), 0o755); err != nil {
		t.Fatal(err)
	}
	viaUpdate, viaBuild := NewMemo(), NewMemo()
	for i, docs := range steps {
		fresh := filepath.Join(root, "fresh", strings.Repeat("x", i+1))
		if _, err := Build(ctx, fresh, "", docs); err != nil {
			t.Fatal(err)
		}
		if _, err := viaUpdate.Update(ctx, updated, docs); err != nil {
			t.Fatalf("step %d: update: %v", i+1, err)
		}
		// As the Writer does: build in a staging folder from the output's index, then
		// rename it over the output's.
		staged := filepath.Join(root, "stage", strings.Repeat("x", i+1))
		if err := os.MkdirAll(filepath.Dir(staged), 0o755); err != nil {
			t.Fatal(err)
		}
		prev := output
		if i == 0 {
			prev = ""
		}
		st, err := viaBuild.Build(ctx, staged, prev, docs)
		if err != nil {
			t.Fatalf("step %d: build: %v", i+1, err)
		}
		if i > 0 && st.FullReason != "" {
			t.Errorf("step %d: a full build (%s), want an update of the previous index", i+1, st.FullReason)
		}
		if i == 3 && !st.Reused {
			t.Errorf("step %d: the same documents again did not carry the index over: %+v", i+1, st)
		}
		if err := os.RemoveAll(output); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(staged, output); err != nil {
			t.Fatal(err)
		}
		want := openSnapshot(t, fresh)
		for _, dir := range []string{updated, output} {
			got := openSnapshot(t, dir)
			if got.gen != want.gen {
				t.Errorf("step %d: %s has generation %s, a build without a memo %s", i+1, dir, got.gen, want.gen)
			}
			for k := range want.answers {
				if !reflect.DeepEqual(got.answers[k], want.answers[k]) {
					t.Errorf("step %d: %s answers %q otherwise than a build without a memo:\n%v\n%v", i+1, dir, k, got.answers[k], want.answers[k])
				}
			}
		}
	}
}

type indexSnapshot struct {
	gen     string
	answers map[string]any
}

func openSnapshot(t *testing.T, dir string) indexSnapshot {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	return indexSnapshot{ix.Generation(), snapshot(t, ix)}
}

// The index a Memo wrote is not read again to verify it when it is the previous index of
// the next build, even after its folder was renamed (the Writer's commit): a segment
// damaged in place with its size and time kept goes unnoticed by the memo's check, and
// is found by a check without the memo. A file that is not the one the memo wrote (a
// copy put in its place: another build, rsync) is read and checked.
func TestMemoReadsOnlyFilesItDidNotWrite(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	memo := NewMemo()
	staged, output := filepath.Join(root, "stage"), filepath.Join(root, "out")
	if _, err := memo.Build(ctx, staged, "", hashed(fixtureDocs())); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(staged, output); err != nil {
		t.Fatal(err)
	}
	m, err := readManifestOnly(output)
	if err != nil {
		t.Fatal(err)
	}
	if len(memo.files) != len(m.Files) {
		t.Fatalf("the memo knows %d files of the index, its manifest lists %d", len(memo.files), len(m.Files))
	}
	if _, err := verifyFilesKnown(output, m, memo.files); err != nil {
		t.Fatalf("the memo's own index: %v", err)
	}
	var seg string
	for _, f := range m.Files {
		if immutable(f.Path) {
			seg = filepath.Join(output, filepath.FromSlash(f.Path))
		}
	}
	if seg == "" {
		t.Fatal("no segment in the index")
	}
	fi, err := os.Stat(seg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	damaged := slices.Clone(b)
	damaged[len(damaged)/2] ^= 0xff
	f, err := os.OpenFile(seg, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt(damaged[len(damaged)/2:len(damaged)/2+1], int64(len(damaged)/2)); err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Chtimes(seg, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyFilesKnown(output, m, memo.files); err != nil {
		t.Errorf("the memo read again a file it wrote: %v", err)
	}
	if _, err := verifyFilesKnown(output, m, nil); err == nil {
		t.Error("the damaged segment passes a check without the memo")
	}
	// A copy renamed in its place (a new file: another inode, as rsync and the Writer
	// replace files) is checked.
	if err := os.WriteFile(seg+".new", damaged, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(seg+".new", fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(seg+".new", seg); err != nil {
		t.Fatal(err)
	}
	if _, err := verifyFilesKnown(output, m, memo.files); err == nil {
		t.Error("a damaged copy in place of a file the memo wrote passes the memo's check")
	}
	st, err := memo.Build(ctx, filepath.Join(root, "next"), output, hashed(editedDocs()))
	if err != nil {
		t.Fatal(err)
	}
	if st.FullReason == "" {
		t.Errorf("a build from the damaged index did not rebuild it: %+v", st)
	}
}
