package publish

import (
	"bufio"
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
)

// Op says how a file of a new generation differs from the output it replaces.
type Op byte

const (
	Added    Op = 'A'
	Modified Op = 'M'
	Deleted  Op = 'D'
)

// Change is one file that a committed generation added, modified or deleted in the
// output folder (Options.Changes): what a deployment must copy or remove.
type Change struct {
	Op   Op
	Path string // slash-separated, relative to the output folder
}

// String is the change as a line of `portal build --changes`: "M tin-tuc/x/index.html".
func (c Change) String() string { return string(c.Op) + " " + c.Path }

// noteLinked records, for the change list, that rel was linked from src, when src is the
// file at rel in the current output.
func (w *Writer) noteLinked(rel, src string) {
	if w.opts.Changes && src == filepath.Join(w.dest, filepath.FromSlash(rel)) {
		w.linked.Store(rel, struct{}{})
	}
}

// diffTrees compares the generation in next with the output in cur (which may not exist)
// and returns the changes sorted by path. A file the Writer linked from the same path of
// cur (unchanged says so) is not even looked at; a file of next that is the same file as
// cur's (an index file linked by its builder) is unchanged without being read; others are
// compared by size, then by bytes, so a file written again with the same bytes is not a
// change. The cost is one walk of each tree (names only) and two stats per file not
// linked by the Writer, plus reading the files written again with an unchanged size.
func diffTrees(cur, next string, unchanged func(rel string) bool) ([]Change, error) {
	var out []Change
	seen := map[string]struct{}{}
	err := filepath.WalkDir(next, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(next, p)
		if err != nil {
			return err
		}
		seen[rel] = struct{}{}
		if unchanged(filepath.ToSlash(rel)) {
			return nil
		}
		old := filepath.Join(cur, rel)
		oi, err := os.Lstat(old)
		// ENOTDIR: a folder on the path is a file in the current output.
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) || (err == nil && !oi.Mode().IsRegular()) {
			out = append(out, Change{Added, filepath.ToSlash(rel)})
			return nil
		}
		if err != nil {
			return err
		}
		ni, err := d.Info()
		if err != nil {
			return err
		}
		if os.SameFile(oi, ni) {
			return nil
		}
		same := oi.Size() == ni.Size()
		if same {
			if same, err = sameFileBytes(old, p); err != nil {
				return err
			}
		}
		if !same {
			out = append(out, Change{Modified, filepath.ToSlash(rel)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish: listing the changed files: %w", err)
	}
	err = filepath.WalkDir(cur, func(p string, d fs.DirEntry, err error) error {
		if p == cur && errors.Is(err, fs.ErrNotExist) {
			return fs.SkipAll // the first build
		}
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(cur, p)
		if err != nil {
			return err
		}
		if _, ok := seen[rel]; !ok {
			out = append(out, Change{Deleted, filepath.ToSlash(rel)})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("publish: listing the removed files: %w", err)
	}
	slices.SortFunc(out, func(a, b Change) int { return cmp.Compare(a.Path, b.Path) })
	return out, nil
}

// sameFileBytes reports whether the files a and b (of the same size) hold the same bytes.
func sameFileBytes(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(fa, 64<<10), bufio.NewReaderSize(fb, 64<<10)
	bufA, bufB := make([]byte, 32<<10), make([]byte, 32<<10)
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		endA := errors.Is(errA, io.EOF) || errors.Is(errA, io.ErrUnexpectedEOF)
		endB := errors.Is(errB, io.EOF) || errors.Is(errB, io.ErrUnexpectedEOF)
		if errA != nil && !endA {
			return false, errA
		}
		if errB != nil && !endB {
			return false, errB
		}
		if endA || endB {
			return endA == endB, nil
		}
	}
}
