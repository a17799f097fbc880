package buildcache

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The program's hash is remembered by its file's identity: a second build by the same
// program reads the file no more, and a program changed or replaced is hashed again.
func TestProgramHashRememberedByIdentity(t *testing.T) {
	dir, bin := t.TempDir(), filepath.Join(t.TempDir(), "portal")
	if err := os.WriteFile(bin, []byte("chương trình 1"), 0o755); err != nil {
		t.Fatal(err)
	}
	hashes := 0
	sum := func(f *os.File) (string, error) { hashes++; return hashFile(f) }
	later := time.Now().Add(time.Minute) // the file is older than the margin then
	first, err := programHash(dir, bin, later, sum)
	if err != nil {
		t.Fatal(err)
	}
	want := sumOf(t, bin)
	if first != want {
		t.Fatalf("hash %s, want %s", first, want)
	}
	again, err := programHash(dir, bin, later, sum)
	if err != nil || again != first {
		t.Fatalf("second hash %s (%v), want %s", again, err, first)
	}
	if hashes != 1 {
		t.Errorf("the same program file was hashed %d times, want once", hashes)
	}
	// Rewritten in place (same size, inode): its change time differs.
	time.Sleep(10 * time.Millisecond)
	if err := os.WriteFile(bin, []byte("chương trình 2"), 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := programHash(dir, bin, later, sum)
	want = sumOf(t, bin)
	if err != nil || got != want || got == first || hashes != 2 {
		t.Fatalf("after a rewrite: %s (%v, %d hashes), want %s", got, err, hashes, want)
	}
	// A damaged record is not believed.
	if err := os.WriteFile(filepath.Join(dir, ProgramFile), []byte("portal-program 1 garbage\nabc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := programHash(dir, bin, later, sum); err != nil || got != want || hashes != 3 {
		t.Fatalf("after damage: %s (%v, %d hashes), want %s", got, err, hashes, want)
	}
	// A file changed within the margin is not remembered: the next build hashes it too.
	fresh := time.Now()
	if err := os.WriteFile(bin, []byte("chương trình 3"), 0o755); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := programHash(dir, bin, fresh, sum); err != nil {
			t.Fatal(err)
		}
	}
	if hashes != 5 {
		t.Errorf("a program changed within the margin was hashed %d times in two builds, want twice (5 in all, got %d)", hashes-3, hashes)
	}
	// A folder that does not exist is no error.
	if got, err := programHash(filepath.Join(dir, "none"), bin, later, sum); err != nil || got == "" {
		t.Fatalf("no folder: %q, %v", got, err)
	}
}

func sumOf(t *testing.T, path string) string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	h, err := hashFile(f)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
