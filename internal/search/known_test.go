//go:build linux

package search

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// What a build knows of the index it committed (Stamp, written and read back by the next
// process) spares the next build reading its files to check them, while they are the
// very files stamped; a file written since (a byte flipped, its size kept) is read,
// found damaged, and the index is not carried over.
func TestKnownFilesAreNotCheckedAgain(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	gen1 := filepath.Join(root, "gen1", "index")
	if _, err := Build(ctx, gen1, "", fixtureDocs()); err != nil {
		t.Fatal(err)
	}
	stamped, err := Stamp(gen1)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := stamped.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	k, err := ReadKnown(&buf)
	if err != nil {
		t.Fatal(err)
	}
	m, err := readManifestOnly(gen1)
	if err != nil {
		t.Fatal(err)
	}
	if c := k.checked(gen1); len(c) != len(m.Files) {
		t.Fatalf("known files of the stamped index: %d, want all %d", len(c), len(m.Files))
	}
	if c := k.checked(filepath.Join(root, "other")); c != nil {
		t.Errorf("known files of another folder: %v", c)
	}
	gen2 := filepath.Join(root, "gen2", "index")
	st, err := NewMemo().BuildKnown(ctx, gen2, gen1, fixtureDocs(), k)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Reused {
		t.Errorf("the stamped index was not carried over: %+v", st)
	}

	// A byte of the segment flipped by hand: no longer known, read, and refused. (Linking
	// gen1's files into gen2 changed their change times: stamp them again first.)
	if k, err = Stamp(gen1); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(gen1, "store", "000000000002.zap")
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	b[100] ^= 0xff
	if err := os.WriteFile(seg, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if c := k.checked(gen1); len(c) != len(m.Files)-1 {
		t.Errorf("known files after a write: %d, want all but the segment (%d)", len(c), len(m.Files)-1)
	}
	gen3 := filepath.Join(root, "gen3", "index")
	st, err = NewMemo().BuildKnown(ctx, gen3, gen1, fixtureDocs(), k)
	if err != nil {
		t.Fatal(err)
	}
	if st.Reused || st.Incremental || st.FullReason == "" {
		t.Errorf("a damaged previous index was carried over: %+v", st)
	}
}
