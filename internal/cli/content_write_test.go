package cli

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "content", "tin-tuc", "bai.md")
	read := func() string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if err := writeContent(path, []byte("một"), false); err != nil || read() != "một" {
		t.Fatalf("new file in new folders: %v", err)
	}
	if err := writeContent(path, []byte("hai"), false); !errors.Is(err, fs.ErrExist) || read() != "một" {
		t.Fatalf("an existing file must be kept unless overwrite is asked: %v, %q", err, read())
	}
	if err := writeContent(path, []byte("ba"), true); err != nil || read() != "ba" {
		t.Fatalf("overwrite: %v, %q", err, read())
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
}
