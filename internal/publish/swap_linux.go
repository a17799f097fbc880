//go:build linux

package publish

import (
	"errors"
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// swap moves the finished generation tmp into dest. When dest exists the
// two folders are exchanged in one atomic renameat2(RENAME_EXCHANGE), so
// dest never goes missing; the previous generation ends up at tmp's name
// and is returned for deletion. Filesystems without RENAME_EXCHANGE fall
// back to swapByRename.
func swap(tmp, dest string) (old string, err error) {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, dest)
	}
	err = unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dest, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return tmp, nil
	case errors.Is(err, unix.ENOSYS), errors.Is(err, unix.EINVAL), errors.Is(err, unix.EOPNOTSUPP):
		return swapByRename(tmp, dest)
	}
	return "", &os.LinkError{Op: "renameat2 exchange", Old: tmp, New: dest, Err: err}
}
