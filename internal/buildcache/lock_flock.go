//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package buildcache

import (
	"os"
	"syscall"
)

// lockFile takes f's exclusive lock without waiting; closing f releases it (so does the
// end of the process, however it ends).
func lockFile(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}
