package buildcache

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func bodyKey(s string) BodyKey { return sha256.Sum256([]byte(s)) }

func parts(s string) [BodyParts][]byte {
	return [BodyParts][]byte{[]byte("meta:" + s), []byte("<p>" + s + "</p>"), []byte(s)}
}

func openBodies(t *testing.T, dir, binary string) (*Bodies, error) {
	t.Helper()
	b, warning, err := OpenBodies(dir, binary)
	if err != nil {
		t.Fatal(err)
	}
	return b, warning
}

// commitBodies is one build that puts a record for each of ss and commits; it returns
// the pack's name.
func commitBodies(t *testing.T, dir, binary string, ss ...string) string {
	t.Helper()
	b, _ := openBodies(t, dir, binary)
	defer b.Close()
	for _, s := range ss {
		if _, err := b.Put(bodyKey(s), parts(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	return b.packName
}

// wantRecord checks that key is found with the parts of s.
func wantRecord(t *testing.T, b *Bodies, key, s string) {
	t.Helper()
	body, first, ok := b.Get(bodyKey(key))
	if !ok {
		t.Fatalf("%q: not found", key)
	}
	want := parts(s)
	if !bytes.Equal(first, want[0]) {
		t.Errorf("%q: first part %q, want %q", key, first, want[0])
	}
	for i := 1; i < BodyParts; i++ {
		got, err := b.Read(body, i)
		if err != nil || !bytes.Equal(got, want[i]) {
			t.Errorf("%q: part %d = %q, %v; want %q", key, i, got, err, want[i])
		}
	}
}

func TestBodiesCarryOverBuilds(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache")
	b, warning := openBodies(t, dir, "bin")
	if warning != nil {
		t.Errorf("first open warns: %s", warning)
	}
	if _, _, ok := b.Get(bodyKey("a")); ok {
		t.Fatal("an empty pack has a record")
	}
	var wg sync.WaitGroup
	for _, s := range []string{"a", "b", "c", "hội nghị", ""} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := b.Put(bodyKey(s), parts(s)); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b.Close()

	// The next build finds them all; it uses a and "hội nghị" and adds d.
	b, warning = openBodies(t, dir, "bin")
	if warning != nil {
		t.Errorf("warning: %s", warning)
	}
	wantRecord(t, b, "a", "a")
	wantRecord(t, b, "hội nghị", "hội nghị")
	if _, err := b.Put(bodyKey("d"), parts("d")); err != nil {
		t.Fatal(err)
	}
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b.Close()

	// Only what the last build used is kept.
	b, _ = openBodies(t, dir, "bin")
	defer b.Close()
	for _, s := range []string{"a", "hội nghị", "d"} {
		wantRecord(t, b, s, s)
	}
	for _, s := range []string{"b", "c", ""} {
		if _, _, ok := b.Get(bodyKey(s)); ok {
			t.Errorf("%q is still there after a build that did not use it", s)
		}
	}
}

func TestBodiesOfAnotherProgramAreDropped(t *testing.T) {
	dir := t.TempDir()
	commitBodies(t, dir, "old", "a")
	b, warning := openBodies(t, dir, "new")
	defer b.Close()
	if warning != nil {
		t.Errorf("another program's pack warns: %s", warning)
	}
	if _, _, ok := b.Get(bodyKey("a")); ok {
		t.Error("a record of another program was found")
	}
	if packs, _ := filepath.Glob(filepath.Join(dir, "bodies-*.pack")); len(packs) != 1 {
		t.Errorf("packs: %v, want only the new one", packs)
	}
}

// A build that fails (or is killed) after appending records does not commit: the next one
// finds the previous build's records and cuts off what was appended.
func TestBodiesUncommittedRecordsAreCutOff(t *testing.T) {
	dir := t.TempDir()
	b, _ := openBodies(t, dir, "bin")
	b.Put(bodyKey("a"), parts("a"))
	b.Commit()
	size := b.pack.Size()
	b.Close()
	b, _ = openBodies(t, dir, "bin")
	b.Put(bodyKey("b"), parts(strings.Repeat("b", 1000)))
	b.Close() // no Commit
	b, _ = openBodies(t, dir, "bin")
	defer b.Close()
	if b.pack.Size() != size {
		t.Errorf("pack is %d bytes, want %d (the failed build's record cut off)", b.pack.Size(), size)
	}
	wantRecord(t, b, "a", "a")
	if _, _, ok := b.Get(bodyKey("b")); ok {
		t.Error("an uncommitted record was found")
	}
}

func TestBodiesLockOneBuildAtATime(t *testing.T) {
	dir := t.TempDir()
	b, _ := openBodies(t, dir, "bin")
	if _, _, err := OpenBodies(dir, "bin"); err == nil || !strings.Contains(err.Error(), "portal build khác") {
		t.Errorf("second open while the first holds the pack: %v", err)
	}
	b.Close()
	b2, _ := openBodies(t, dir, "bin")
	b2.Close()
}

func TestBodiesCompact(t *testing.T) {
	dir := t.TempDir()
	b, _ := openBodies(t, dir, "bin")
	for _, s := range []string{"a", "b", "c", "d"} {
		b.Put(bodyKey(s), parts(strings.Repeat(s, 100)))
	}
	b.Commit()
	b.Close()
	b, _ = openBodies(t, dir, "bin")
	b.slack = 0
	wantRecord(t, b, "c", strings.Repeat("c", 100)) // one in four used: compacted
	old := b.packName
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	b.Close()
	if _, err := os.Stat(filepath.Join(dir, old)); !os.IsNotExist(err) {
		t.Errorf("the old pack %s is still there: %v", old, err)
	}
	b, _ = openBodies(t, dir, "bin")
	defer b.Close()
	if b.packName == old {
		t.Errorf("Commit did not compact into a new pack")
	}
	c := parts(strings.Repeat("c", 100))
	if want := int64(len(bytes.Join(c[:], nil))); b.pack.Size() != want {
		t.Errorf("compacted pack: %d bytes, want %d", b.pack.Size(), want)
	}
	wantRecord(t, b, "c", strings.Repeat("c", 100))
}

func TestBodiesDamage(t *testing.T) {
	dir := t.TempDir()
	b, _ := openBodies(t, dir, "bin")
	b.Put(bodyKey("a"), parts("aaaa"))
	b.Put(bodyKey("b"), parts("bbbb"))
	b.Commit()
	b.Close()
	pack := filepath.Join(dir, packName(1))
	data, _ := os.ReadFile(pack)
	// Damage a's metadata and b's HTML.
	i := bytes.Index(data, []byte("meta:aaaa"))
	j := bytes.Index(data, []byte("<p>bbbb"))
	data[i+6], data[j+4] = 'X', 'X'
	if err := os.WriteFile(pack, data, 0o644); err != nil {
		t.Fatal(err)
	}
	b, _ = openBodies(t, dir, "bin")
	if _, _, ok := b.Get(bodyKey("a")); ok {
		t.Error("a record with damaged metadata was found")
	}
	body, _, ok := b.Get(bodyKey("b"))
	if !ok {
		t.Fatal("b not found")
	}
	if _, err := b.Read(body, 1); err == nil || !strings.Contains(err.Error(), "bị hỏng") {
		t.Errorf("reading damaged HTML: %v", err)
	}
	b.Close()
	// The index was reset: the next build starts afresh, without a warning.
	b, warning := openBodies(t, dir, "bin")
	if warning != nil {
		t.Errorf("warning after a reset: %s", warning)
	}
	if _, _, ok := b.Get(bodyKey("b")); ok {
		t.Error("found a record after the reset")
	}
	b.Close()

	// A damaged index: a warning, and nothing is reused.
	commitBodies(t, dir, "bin", "a")
	idx := filepath.Join(dir, bodiesIndexName)
	data, _ = os.ReadFile(idx)
	for _, cut := range [][]byte{data[:len(data)-1], append(bytes.Clone(data[:40]), data[41:]...), []byte("garbage")} {
		if err := os.WriteFile(idx, cut, 0o644); err != nil {
			t.Fatal(err)
		}
		b, warning = openBodies(t, dir, "bin")
		if warning == nil || !strings.Contains(warning.Error(), "bị hỏng") {
			t.Errorf("damaged index: warning %q", warning)
		}
		if _, _, ok := b.Get(bodyKey("a")); ok {
			t.Error("a record was found through a damaged index")
		}
		b.Close()
	}
	// A pack shorter than its index says (truncated by hand): a warning, nothing reused.
	name := commitBodies(t, dir, "bin", "a")
	if err := os.Truncate(filepath.Join(dir, name), 3); err != nil {
		t.Fatal(err)
	}
	b, warning = openBodies(t, dir, "bin")
	defer b.Close()
	if warning == nil || !strings.Contains(warning.Error(), "không dùng được") {
		t.Errorf("truncated pack: warning %q", warning)
	}
	if _, _, ok := b.Get(bodyKey("a")); ok {
		t.Error("a record was found in a truncated pack")
	}
}
