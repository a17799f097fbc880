//go:build !unix

package publish

import (
	"errors"
	"io"
)

// nopCloser is the lock on platforms without flock: no lock at all, so
// Recover may remove the temporary folder of a build running at the same
// time for the same destination. Do not run two builds of one site at once.
type nopCloser struct{}

func (nopCloser) Close() error { return nil }

var errLocked = errors.New("folder is in use by a running build")

func lockDir(string) (io.Closer, error)    { return nopCloser{}, nil }
func tryLockDir(string) (io.Closer, error) { return nopCloser{}, nil }
