package publish

import (
	"cmp"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// Recover cleans up what an interrupted (for example SIGKILLed) earlier
// build left next to dest:
//
//   - a staging folder ".<base>.tmp-*" that no running build holds (each
//     running Writer keeps a lock on its own) and that has a journal belongs to
//     a build killed while it applied its changes to dest: the journal is
//     finished (roll forward: every new byte is in the staging folder), so dest
//     becomes the complete new site; the folder is then removed;
//   - other such folders (builds killed before their commit point) are removed,
//     leaving dest as it was (roll back);
//   - if dest is missing and a "<base>.old-*" folder exists (left by an older
//     portal that swapped whole folders, killed between its renames), the
//     newest one is renamed back to dest; remaining "<base>.old-*" folders are
//     removed.
//
// Begin and Commit call it themselves, and `portal serve` at start; call it
// directly to tidy up without building. A missing parent folder is not an error.
func Recover(dest string) error {
	abs, err := filepath.Abs(dest)
	if err != nil {
		return message.Errorf("thư mục đầu ra %q: %w", dest, err)
	}
	var lock io.Closer
	defer func() {
		if lock != nil {
			lock.Close()
		}
	}()
	return recoverIn(abs, func() error {
		if lock != nil {
			return nil
		}
		lock, err = waitLockDir(filepath.Dir(abs)) // as Commit does
		return err
	})
}

// recoverIn is Recover for the absolute dest; lockDest takes dest's lock (once) before
// a journal is finished in it.
func recoverIn(abs string, lockDest func() error) error {
	parent := filepath.Dir(abs)
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return message.Errorf("không tìm được phần còn sót của lần dựng bị ngắt trong %s: %w", parent, err)
	}

	var errs []error
	type oldGen struct {
		path string
		mod  time.Time
	}
	var olds []oldGen
	tmpP, oldP := tmpPrefix(abs), oldPrefix(abs)
	for _, e := range entries {
		name := e.Name()
		p := filepath.Join(parent, name)
		switch {
		case strings.HasPrefix(name, tmpP):
			if err := removeStaleTmp(abs, p, e, lockDest); err != nil {
				errs = append(errs, err)
			}
		case strings.HasPrefix(name, oldP) && e.IsDir():
			fi, err := e.Info()
			if err != nil {
				continue // vanished meanwhile
			}
			olds = append(olds, oldGen{p, fi.ModTime()})
		}
	}

	if len(olds) > 0 {
		// Newest first; ties broken by name so the choice is stable.
		slices.SortFunc(olds, func(a, b oldGen) int {
			if c := b.mod.Compare(a.mod); c != 0 {
				return c
			}
			return cmp.Compare(a.path, b.path)
		})
		if _, err := os.Lstat(abs); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(olds[0].path, abs); err != nil {
				errs = append(errs, message.Errorf("thư mục đầu ra %s bị mất và không khôi phục được bản cũ từ %s: %w; hãy đổi tên thư mục đó lại bằng tay", abs, olds[0].path, err))
			}
			olds = olds[1:]
		}
		for _, o := range olds {
			if err := os.RemoveAll(o.path); err != nil {
				errs = append(errs, message.Errorf("không xoá được bản đầu ra cũ %s: %w", o.path, err))
			}
		}
	}
	return errors.Join(errs...)
}

// removeStaleTmp finishes the journal of one staging folder, if it has one, and removes
// the folder, unless a running build holds it.
func removeStaleTmp(dest, p string, e fs.DirEntry, lockDest func() error) error {
	if !e.IsDir() {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return message.Errorf("không xoá được phần còn sót %s: %w", p, err)
		}
		return nil
	}
	lock, err := tryLockDir(p)
	switch {
	case errors.Is(err, errLocked):
		return nil // a build is writing it right now
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return message.Errorf("không kiểm tra được thư mục tạm còn sót %s: %w", p, err)
	}
	defer lock.Close()
	if _, err := os.Lstat(filepath.Join(p, journalName)); err == nil {
		if err := lockDest(); err != nil {
			return message.Errorf("không khoá được thư mục đầu ra %s để hoàn tất lần dựng bị ngắt: %w", dest, err)
		}
		if err := finishJournal(dest, p); err != nil {
			return err
		}
	}
	if err := os.RemoveAll(p); err != nil {
		return message.Errorf("không xoá được thư mục tạm %s của một lần dựng bị ngắt: %w; hãy xoá nó bằng tay", p, err)
	}
	return nil
}
