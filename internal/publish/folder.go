package publish

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sync"

	"github.com/vnportal/portal/internal/message"
)

// Folder is a Sink that updates a private folder in place (`portal preview`): a file is
// written, to a temporary name and renamed, only when its bytes changed; at Commit the
// files of the last generation that this one did not produce are removed, with the
// folders they leave empty. Nothing is minified (kinds Static and Existing are read from
// their SrcPath) and nothing is precompressed: the preview serves it to one person on
// this machine, where the server's compression of small files per request is enough and
// gzipping every changed file at each save would only delay the reload. (Without a
// sibling the server compresses only small files, so a large one is sent uncompressed.)
// Nobody else reads the folder, so in-place updates are safe there; a site's output
// folder is only ever written by a Writer.
type Folder struct {
	dir  string
	root *os.Root // dir; every write goes through it
	mu   sync.Mutex
	// files are the files this Folder wrote or was asked for, by rel: one look-up per Add
	// (a preview's rebuild Adds every page of the site, most of them unchanged).
	files map[string]*folderFile
	gen   uint64
	stats Stats
}

// folderFile is one file of a Folder.
type folderFile struct {
	data   []byte // what is on disk now (when onDisk)
	onDisk bool
	seen   uint64 // the generation that last Added it (kept between generations: no map per build)
	put    uint64 // the generation during which Put last wrote it
}

// TempFolder creates a new, empty Folder in the system's temporary folder, named after
// pattern as by os.MkdirTemp. Remove deletes it.
func TempFolder(pattern string) (*Folder, error) {
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		_ = os.Remove(dir)
		return nil, fmt.Errorf("publish: %w", err)
	}
	return &Folder{dir: dir, root: root, files: map[string]*folderFile{}}, nil
}

// Dir returns the folder's path.
func (f *Folder) Dir() string { return f.dir }

// Begin starts a generation: Add its files, then Commit.
func (f *Folder) Begin(ctx context.Context) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.gen++
	f.stats = Stats{}
	return ctx.Err()
}

// Add writes file unless the folder holds the same bytes at file.Rel already.
func (f *Folder) Add(file File) error {
	rel, data := file.Rel, file.Data
	f.mu.Lock()
	// A path the folder has an entry for is clean already (entries are made for clean
	// paths only): the unchanged pages of a preview's rebuild are not cleaned again.
	e := f.files[rel]
	if e == nil || file.fromFile() {
		f.mu.Unlock()
		var err error
		if rel, data, err = fileBytes(file); err != nil {
			return err
		}
		f.mu.Lock()
		e = f.entry(rel)
	}
	if e.seen == f.gen {
		f.mu.Unlock()
		return fmt.Errorf("%s would be written twice (second time by %s)", rel, file.Source)
	}
	e.seen = f.gen
	same := e.onDisk && sameBytes(e.data, data)
	f.mu.Unlock()
	if same {
		return nil
	}
	return f.write(rel, data)
}

// entry returns rel's entry, made when missing. Called with mu held.
func (f *Folder) entry(rel string) *folderFile {
	e := f.files[rel]
	if e == nil {
		e = &folderFile{}
		f.files[rel] = e
	}
	return e
}

// fileBytes is file's clean relative path and its bytes (read from its source file when
// it names one).
func fileBytes(file File) (rel string, data []byte, err error) {
	if rel, err = cleanRel(file.Rel); err != nil {
		return "", nil, fmt.Errorf("publish: %s wants to write outside the folder: %w", file.Source, err)
	}
	data = file.Data
	if file.fromFile() {
		if data, err = os.ReadFile(file.SrcPath); err != nil {
			return "", nil, fmt.Errorf("%s: %w", file.Source, err)
		}
	}
	return rel, data, nil
}

// write puts data at rel: to a temporary name, then renamed, so that a reader never
// sees half a file.
func (f *Folder) write(rel string, data []byte) error {
	name := filepath.FromSlash(rel)
	if err := f.root.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return message.Errorf("publish: không ghi được %s: %w", rel, err)
	}
	if err := f.root.WriteFile(name+".portal-tmp", data, 0o644); err != nil {
		_ = f.root.Remove(name + ".portal-tmp")
		return message.Errorf("publish: không ghi được %s: %w", rel, err)
	}
	if err := f.root.Rename(name+".portal-tmp", name); err != nil {
		_ = f.root.Remove(name + ".portal-tmp")
		return message.Errorf("publish: không ghi được %s: %w", rel, err)
	}
	f.mu.Lock()
	e := f.entry(rel)
	e.data, e.onDisk = data, true
	f.stats.Files++
	f.stats.Bytes += int64(len(data))
	f.mu.Unlock()
	return nil
}

// Put writes file outside the order of a generation: a file that is finished after the
// pages that name it were published (the preview's queued photo variants). It is kept by
// the Commit of the generation during which it was written, and later only when a
// generation Adds it (a build Adding the same bytes again writes nothing). A generation
// may Add a file that was Put during it.
func (f *Folder) Put(file File) error {
	rel, data, err := fileBytes(file)
	if err != nil {
		return err
	}
	f.mu.Lock()
	e := f.entry(rel)
	e.put = f.gen
	same := e.onDisk && sameBytes(e.data, data)
	f.mu.Unlock()
	if same {
		return nil
	}
	return f.write(rel, data)
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

// Commit removes the files the generation did not produce, and the folders they leave
// empty.
func (f *Folder) Commit() (Stats, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for rel, e := range f.files {
		if e.seen == f.gen || (e.put == f.gen && f.gen > 0) {
			continue
		}
		delete(f.files, rel)
		if !e.onDisk {
			continue
		}
		_ = f.root.Remove(filepath.FromSlash(rel))
		for dir := path.Dir(rel); dir != "."; dir = path.Dir(dir) {
			if f.root.Remove(filepath.FromSlash(dir)) != nil {
				break // not empty
			}
		}
	}
	return f.stats, nil
}

// Abort leaves the folder as it is: files already updated by a failed build are
// replaced by the next successful one (a failed build rarely gets this far: content
// and template errors stop it before anything is written).
func (f *Folder) Abort() {}

// Remove deletes the folder with everything in it.
func (f *Folder) Remove() error {
	f.root.Close()
	return os.RemoveAll(f.dir)
}
