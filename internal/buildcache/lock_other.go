//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package buildcache

import (
	"errors"
	"os"
)

// lockFile: without flock the pack of rendered bodies is not shared between builds.
func lockFile(*os.File) error {
	return errors.New("this system cannot lock files the way portal needs")
}
