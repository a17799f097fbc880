package preview

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/vnportal/portal/internal/publish"
)

// folder is a build target that updates a private output folder in place: a file is
// written only when its bytes changed, and files the new build did not produce are
// removed at Commit. The preview owns the folder (a temporary one), so in-place updates
// are safe; the site's public/ is never touched.
type folder struct {
	root  string
	index string // the search index's live path
	mu    sync.Mutex
	last  map[string][]byte // what is on disk now, by rel
	seen  map[string]bool
	stats publish.Stats
	errs  []error
	next  string // the index folder being built, if any
}

func newFolder(root string) (*folder, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &folder{root: root, last: map[string][]byte{}}, nil
}

// begin starts a generation.
func (f *folder) begin(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = map[string]bool{}
	f.stats = publish.Stats{}
	f.errs = nil
	f.next = ""
	return ctx.Err()
}

func (f *folder) path(rel string) (string, error) {
	clean := path.Clean("/" + rel)[1:]
	if clean == "" || strings.HasPrefix(clean, "../") || strings.ContainsAny(rel, "\\\x00") || clean != strings.TrimPrefix(rel, "/") {
		return "", fmt.Errorf("preview: refusing to write %q outside the preview folder", rel)
	}
	return filepath.Join(f.root, filepath.FromSlash(clean)), nil
}

func (f *folder) Add(rel string, content []byte, source string) error {
	p, err := f.path(rel)
	if err != nil {
		return err
	}
	f.mu.Lock()
	if f.seen[rel] {
		f.mu.Unlock()
		return fmt.Errorf("%s would be written twice (second time by %s)", rel, source)
	}
	f.seen[rel] = true
	old, ok := f.last[rel]
	f.mu.Unlock()
	if ok && bytes.Equal(old, content) {
		return nil
	}
	if err := writeFile(p, content); err != nil {
		return err
	}
	f.mu.Lock()
	f.last[rel] = content
	f.stats.Files++
	f.stats.Bytes += int64(len(content))
	f.mu.Unlock()
	return nil
}

func (f *folder) AddFinal(rel string, content []byte, source string) error {
	return f.Add(rel, content, source)
}

func (f *folder) AddFile(rel, srcPath, source string) error {
	b, err := os.ReadFile(srcPath)
	if err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	return f.Add(rel, b, source)
}

func writeFile(p string, content []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp := p + ".portal-tmp"
	if err := os.WriteFile(tmp, content, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, p)
}

// Reserve gives the search index builder a fresh folder beside the output; Commit moves
// it to the live index path.
func (f *folder) Reserve(rel, source string) (string, error) {
	if f.index == "" {
		return "", errors.New("preview: no index path")
	}
	next := f.index + ".next"
	os.RemoveAll(next)
	f.mu.Lock()
	f.next = next
	f.mu.Unlock()
	return next, os.MkdirAll(next, 0o755)
}

func (f *folder) Commit() (publish.Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for rel := range f.last {
		if !f.seen[rel] {
			if p, err := f.path(rel); err == nil {
				os.Remove(p)
				removeEmptyParents(filepath.Dir(p), f.root)
			}
			delete(f.last, rel)
		}
	}
	if f.next != "" {
		old := f.index + ".old"
		os.RemoveAll(old)
		if _, err := os.Stat(f.index); err == nil {
			if err := os.Rename(f.index, old); err != nil {
				return f.stats, err
			}
		}
		if err := os.Rename(f.next, f.index); err != nil {
			return f.stats, err
		}
		go os.RemoveAll(old) // in-flight searches keep their open files
		f.next = ""
	}
	return f.stats, nil
}

func (f *folder) Abort() {
	f.mu.Lock()
	next := f.next
	f.next = ""
	f.mu.Unlock()
	if next != "" {
		os.RemoveAll(next)
	}
}

func removeEmptyParents(dir, root string) {
	for dir != root && strings.HasPrefix(dir, root) {
		d, err := os.Open(dir)
		if err != nil {
			return
		}
		_, err = d.Readdirnames(1)
		d.Close()
		if !errors.Is(err, io.EOF) {
			return
		}
		os.Remove(dir)
		dir = filepath.Dir(dir)
	}
}
