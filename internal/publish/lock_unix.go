//go:build unix

package publish

import (
	"errors"
	"io"
	"os"

	"golang.org/x/sys/unix"

	"github.com/vnportal/portal/internal/message"
)

// lockDir takes an exclusive advisory lock on a folder for as long as the
// returned Closer is open. The kernel drops it when the process dies, so a
// folder left by a killed build is unlocked.
func lockDir(dir string) (io.Closer, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// errLocked reports that a folder is in use by a running build.
var errLocked = message.Errorf("thư mục đang được một lần dựng khác dùng")

// tryLockDir is lockDir that returns errLocked when another open handle
// holds the lock.
func tryLockDir(dir string) (io.Closer, error) {
	c, err := lockDir(dir)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return nil, errLocked
	}
	return c, err
}

// waitLockDir is lockDir that waits for the lock instead of failing.
func waitLockDir(dir string) (io.Closer, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
