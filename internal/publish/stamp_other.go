//go:build !linux

package publish

import "os"

// stampDir returns no stamp on this system (a zero one is never recorded), so a saved
// listing's folders are always read and compared.
func stampDir(p string) (st dirStamp, isDir bool, err error) {
	fi, err := os.Lstat(p)
	if err != nil {
		return dirStamp{}, false, err
	}
	return dirStamp{}, fi.IsDir(), nil
}
