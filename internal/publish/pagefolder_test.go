package publish

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stagedPageFolder begins a Writer (aborted when the test ends) and makes the staging
// folder of the page tin-tuc/bai/index.html, whose path it returns.
func stagedPageFolder(t *testing.T) (*Writer, string) {
	t.Helper()
	w, err := Begin(t.Context(), newDest(t, nil), Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Abort)
	if err := w.stagingDir("tin-tuc/bai/index.html", "bai.md"); err != nil {
		t.Fatal(err)
	}
	return w, filepath.Join(w.tmp, "tin-tuc", "bai")
}

// TestPageFolderCreatesNewFilesOnly: a page and its sibling are created in their folder
// opened once, with the bytes given, mode 0644 (less the umask, as os.OpenFile), synced
// when durable; a name that exists (a file, or a symbolic link even to nowhere) is not
// written over and the error says the file exists.
func TestPageFolderCreatesNewFilesOnly(t *testing.T) {
	w, staged := stagedPageFolder(t)
	for _, durable := range []bool{false, true} {
		var p parentFolder
		d, err := w.openPageFolder("tin-tuc/bai", "bai.md", &p)
		p.release()
		if err != nil {
			t.Fatal(err)
		}
		name := "index.html"
		if durable {
			name = "khac.html"
		}
		body := strings.Repeat("<p>Ủy ban nhân dân tỉnh</p>", 3000) // 90 KB: more than one page of memory
		if err := d.create(name, []byte(body), durable); err != nil {
			t.Fatal(err)
		}
		err = d.create(name, []byte("khác"), durable)
		d.close()
		if !errors.Is(err, fs.ErrExist) {
			t.Errorf("creating %s twice: %v, want an error that the file exists", name, err)
		}
		got, err := os.ReadFile(filepath.Join(staged, name))
		if err != nil || string(got) != body {
			t.Fatalf("%s: %d bytes (%v), want the %d bytes given, unchanged", name, len(got), err, len(body))
		}
		fi, err := os.Stat(filepath.Join(staged, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm()&^0o644 != 0 || !fi.Mode().IsRegular() {
			t.Errorf("%s: mode %v, want a regular file within 0644", name, fi.Mode())
		}
	}
	if err := os.Symlink(filepath.Join(t.TempDir(), "outside.html"), filepath.Join(staged, "link.html")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	var p parentFolder
	defer p.release()
	d, err := w.openPageFolder("tin-tuc/bai", "bai.md", &p)
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	if err := d.create("link.html", []byte("x"), false); err == nil {
		t.Error("created a file through a symbolic link")
	}
}

// TestPageFolderRefusesALinkedFolder: when a page's folder in the staging folder has been
// replaced by a symbolic link to a folder outside it, the page is not written there (the
// folder is opened through the Writer's root, which refuses links) and the error names
// the page.
func TestPageFolderRefusesALinkedFolder(t *testing.T) {
	outside := t.TempDir()
	w, folder := stagedPageFolder(t)
	if err := os.Remove(folder); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, folder); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	_, _, err := w.writeData(File{Rel: "tin-tuc/bai/index.html", Data: []byte("<p>bài</p>"), Source: "bai.md"}, &dataBuffers{})
	if err == nil || !strings.Contains(err.Error(), "tin-tuc/bai/index.html") {
		t.Errorf("writing through a linked folder: %v, want an error naming the page", err)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("the page was written outside the staging folder: %v", entries)
	}
}
