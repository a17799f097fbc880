//go:build !unix

package publish

import (
	"io"

	"github.com/vnportal/portal/internal/message"
)

// nopCloser is the lock on platforms without flock: no lock at all, so
// Recover may remove the temporary folder of a build running at the same
// time for the same destination. Do not run two builds of one site at once.
type nopCloser struct{}

func (nopCloser) Close() error { return nil }

var errLocked = message.Errorf("thư mục đang được một lần dựng khác dùng")

func lockDir(string) (io.Closer, error)     { return nopCloser{}, nil }
func tryLockDir(string) (io.Closer, error)  { return nopCloser{}, nil }
func waitLockDir(string) (io.Closer, error) { return nopCloser{}, nil }
