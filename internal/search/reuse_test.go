package search

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// files returns every regular file under dir by slash path.
func indexFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = p
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// indexTree reads every file of the index at dir: its bytes by slash path.
func indexTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	for rel, p := range indexFiles(t, dir) {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		tree[rel] = string(b)
	}
	return tree
}

func TestUnchangedBuildReusesIndex(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	docs := fixtureDocs()
	gen1 := filepath.Join(root, "gen1", "index")
	if _, err := Build(ctx, gen1, "", docs); err != nil {
		t.Fatal(err)
	}
	gen2 := filepath.Join(root, "gen2", "index")
	st, err := Build(ctx, gen2, gen1, fixtureDocs())
	if err != nil {
		t.Fatal(err)
	}
	if !st.Reused || st.Unchanged != len(docs) || st.Added+st.Updated+st.Deleted != 0 {
		t.Errorf("unchanged build stats = %+v", st)
	}
	f1, f2 := indexFiles(t, gen1), indexFiles(t, gen2)
	if len(f1) != len(f2) {
		t.Fatalf("files %v, then %v", f1, f2)
	}
	for rel, p1 := range f1 {
		p2, ok := f2[rel]
		if !ok {
			t.Fatalf("%s missing from the reused index", rel)
		}
		a, _ := os.Stat(p1)
		b, _ := os.Stat(p2)
		if !os.SameFile(a, b) {
			t.Errorf("%s was written again instead of linked", rel)
		}
	}
	// The store folder keeps bleve's mode.
	a, _ := os.Stat(filepath.Join(gen1, "store"))
	b, _ := os.Stat(filepath.Join(gen2, "store"))
	if a.Mode() != b.Mode() {
		t.Errorf("store folder mode %v, reused %v", a.Mode(), b.Mode())
	}
	ix, err := Open(gen2)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got := urls(doSearch(t, ix, Request{Query: "pháo hoa"})); len(got) == 0 {
		t.Error("the reused index finds nothing")
	}

	// One changed title: a new generation, not a reuse.
	edited := fixtureDocs()
	edited[0].Title += " (sửa)"
	gen3 := filepath.Join(root, "gen3", "index")
	st, err = Build(ctx, gen3, gen2, edited)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reused || st.Updated != 1 {
		t.Errorf("edited build stats = %+v", st)
	}
	m2, _ := readManifestOnly(gen2)
	m3, _ := readManifestOnly(gen3)
	if m2.Generation == m3.Generation {
		t.Errorf("an edited document kept the generation %s", m2.Generation)
	}
}

func TestDamagedIndexIsNotReused(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	gen1 := filepath.Join(root, "gen1", "index")
	if _, err := Build(ctx, gen1, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	// Flip one byte of the segment, keeping its size.
	seg := filepath.Join(gen1, "store", "000000000002.zap")
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	b[100] ^= 0xff
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	gen2 := filepath.Join(root, "gen2", "index")
	st, err := Build(ctx, gen2, gen1, fixtureDocs())
	if err != nil {
		t.Fatal(err)
	}
	if st.Reused || st.Incremental || st.FullReason == "" {
		t.Errorf("a damaged previous index was carried over: %+v", st)
	}
	ix, err := Open(gen2)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}

// TestManifestHasNoTimeOrRandom builds the same documents twice from scratch: the
// manifests are the same bytes, with no date and no "built" time.
func TestManifestHasNoTimeOrRandom(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	var raws [][]byte
	for _, name := range []string{"a", "b"} {
		dir := filepath.Join(root, name, "index")
		if _, err := Build(ctx, dir, "", fixtureDocs()); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(filepath.Join(dir, manifestFile))
		if err != nil {
			t.Fatal(err)
		}
		if y := time.Now().UTC().Format("2006-01-02"); bytes.Contains(raw, []byte(y)) {
			t.Errorf("the manifest holds today's date: %s", raw)
		}
		var fields map[string]any
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatal(err)
		}
		if _, ok := fields["built"]; ok {
			t.Error("the manifest still records when it was built")
		}
		raws = append(raws, raw)
	}
	if !bytes.Equal(raws[0], raws[1]) {
		t.Errorf("two manifests of the same documents:\n%s\n%s", raws[0], raws[1])
	}
}
