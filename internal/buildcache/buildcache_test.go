package buildcache

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func sample() *Manifest {
	return &Manifest{Binary: "abc123", Dest: "/srv/cổng/public", Pages: map[string]Entry{
		"index.html":                  {Key: "\x00\x01key-one-16bytes", File: FileID{Size: 10, ModNs: 1, ChgNs: 2, Ino: 3, Dev: 4}, Gz: FileID{Size: 5, ModNs: 6, ChgNs: 7, Ino: 8, Dev: 4}},
		"tin-tuc/hội nghị/index.html": {Key: "0123456789abcdef", File: FileID{Size: 1 << 40, ModNs: 1<<62 + 5, ChgNs: 7, Ino: 1<<64 - 1, Dev: 9}},
	}}
}

func TestSaveLoadRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cache") // created by Save
	for _, m := range []*Manifest{sample(), {Binary: "x", Dest: "/d", Pages: map[string]Entry{}}} {
		if err := m.Save(dir); err != nil {
			t.Fatal(err)
		}
		got, err := Load(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got.Binary != m.Binary || got.Dest != m.Dest || !reflect.DeepEqual(got.Pages, m.Pages) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, m)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestSaveSkipsPathsWithLineBreaks(t *testing.T) {
	dir := t.TempDir()
	m := sample()
	m.Pages["a\nb.html"] = Entry{Key: "k"}
	if err := m.Save(dir); err != nil {
		t.Fatal(err)
	}
	got, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := got.Pages["a\nb.html"]; ok || len(got.Pages) != 2 {
		t.Errorf("pages %v", got.Pages)
	}
}

func TestLoadRejectsDamage(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); !IsNotExist(err) {
		t.Errorf("missing manifest: %v", err)
	}
	if err := sample().Save(dir); err != nil {
		t.Fatal(err)
	}
	good, err := os.ReadFile(Path(dir))
	if err != nil {
		t.Fatal(err)
	}
	// Every truncation and every single flipped bit is detected.
	for n := range len(good) {
		if _, err := parse(good[:n]); err == nil {
			t.Fatalf("truncated to %d of %d bytes: accepted", n, len(good))
		}
	}
	for i := range good {
		b := []byte(string(good))
		b[i] ^= 0x20
		if _, err := parse(b); err == nil {
			t.Fatalf("byte %d (%q) changed: accepted", i, good[i])
		}
	}
	other := strings.Replace(string(good), fmt.Sprintf("portal-build-cache %d\n", Version), fmt.Sprintf("portal-build-cache %d\n", Version+1), 1)
	if _, err := parse([]byte(other)); !errors.Is(err, ErrVersion) {
		t.Errorf("other version: %v", err)
	}
}

func TestStatTellsFilesApart(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.html")
	if err := os.WriteFile(p, []byte("một"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Stat(p)
	if err != nil {
		t.Skipf("no file identity here: %v", err)
	}
	if b, _ := Stat(p); b != a {
		t.Errorf("the same file twice: %+v vs %+v", a, b)
	}
	fi, _ := os.Stat(p)
	if err := os.WriteFile(p, []byte("hai"), 0o644); err != nil { // same size
		t.Fatal(err)
	}
	if err := os.Chtimes(p, fi.ModTime(), fi.ModTime()); err != nil {
		t.Fatal(err)
	}
	if b, _ := Stat(p); b == a {
		t.Error("a rewritten file with its old size and time has the same identity")
	}
	if err := os.Symlink(p, filepath.Join(dir, "l")); err == nil {
		if _, err := Stat(filepath.Join(dir, "l")); err == nil {
			t.Error("Stat accepted a symbolic link")
		}
	}
}

func TestDefaultDirDependsOnBothFolders(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	a, err := DefaultDir("site", "site/public")
	if err != nil {
		t.Skipf("no user cache folder: %v", err)
	}
	b, _ := DefaultDir("site", "other")
	c, _ := DefaultDir("site2", "site/public")
	if a == b || a == c || b == c {
		t.Errorf("dirs %s %s %s", a, b, c)
	}
	if a2, _ := DefaultDir("./site/", "site/../site/public"); a2 != a {
		t.Errorf("the same folders spelled differently: %s vs %s", a2, a)
	}
}
