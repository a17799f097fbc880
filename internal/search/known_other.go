//go:build !linux

package search

// identify knows no file identity on this system: every file is read to be checked.
func identify(string) (fileID, bool) { return fileID{}, false }
