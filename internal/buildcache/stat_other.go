//go:build !linux && !darwin

package buildcache

import (
	"errors"
	"io/fs"
)

// fileID fails where this package does not know how to read a file's inode and change
// time: without them a hand-edited output file could not be told apart, so nothing is
// reused (every build renders every page).
func fileID(fs.FileInfo) (FileID, error) {
	return FileID{}, errors.New("reusing pages between builds is not supported on this system")
}

func lstatID(path string) (FileID, error) { return lstatFileID(path) }
