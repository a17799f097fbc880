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
	seen  map[string]uint64 // rel → the generation that last wrote it (kept between builds: no map per build)
	gen   uint64
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
	f.gen++
	if f.seen == nil {
		f.seen = map[string]uint64{}
	}
	f.stats = publish.Stats{}
	f.errs = nil
	return ctx.Err()
}

func (f *folder) path(rel string) (string, error) {
	clean := path.Clean("/" + rel)[1:]
	if clean == "" || strings.HasPrefix(clean, "../") || strings.ContainsAny(rel, "\\\x00") || clean != strings.TrimPrefix(rel, "/") {
		return "", fmt.Errorf("preview: refusing to write %q outside the preview folder", rel)
	}
	return filepath.Join(f.root, filepath.FromSlash(clean)), nil
}

func (f *folder) Add(file publish.File) error {
	rel, content, source := file.Rel, file.Data, file.Source
	if file.Kind == publish.Static || file.Kind == publish.Existing {
		b, err := os.ReadFile(file.SrcPath)
		if err != nil {
			return fmt.Errorf("%s: %w", source, err)
		}
		content = b
	}
	f.mu.Lock()
	if f.seen[rel] == f.gen {
		f.mu.Unlock()
		return fmt.Errorf("%s would be written twice (second time by %s)", rel, source)
	}
	f.seen[rel] = f.gen
	old, ok := f.last[rel]
	f.mu.Unlock()
	if ok && sameBytes(old, content) {
		return nil // on disk already (its path was checked when it was written)
	}
	p, err := f.path(rel)
	if err != nil {
		return err
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

// sameBytes compares cheaply: pages reused from the build cache are the very same slice.
func sameBytes(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	if len(a) == 0 || &a[0] == &b[0] {
		return true
	}
	return bytes.Equal(a, b)
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

// Commit removes the files the new build did not produce.
func (f *folder) Commit() (publish.Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for rel := range f.last {
		if f.seen[rel] != f.gen {
			delete(f.seen, rel)
			if p, err := f.path(rel); err == nil {
				os.Remove(p)
				removeEmptyParents(filepath.Dir(p), f.root)
			}
			delete(f.last, rel)
		}
	}
	return f.stats, nil
}

// Abort leaves the folder as it is: files already updated by a failed build are
// replaced by the next successful one (a failed build rarely gets this far: content
// and template errors stop it before anything is written).
func (f *folder) Abort() {}

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
