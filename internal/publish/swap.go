package publish

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/message"
)

// swapByRename replaces dest with tmp using two renames: dest moves aside
// to "<dest>.old-<random>", then tmp moves to dest. Between the two renames
// dest is missing; Recover restores it from the ".old-" folder if the
// process dies there. It returns the path of the previous generation to
// delete ("" if dest did not exist).
func swapByRename(tmp, dest string) (old string, err error) {
	if _, err := os.Lstat(dest); errors.Is(err, fs.ErrNotExist) {
		return "", os.Rename(tmp, dest)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	old = filepath.Join(filepath.Dir(dest), oldPrefix(dest)+hex.EncodeToString(b[:]))
	if err := os.Rename(dest, old); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dest); err != nil {
		if rerr := os.Rename(old, dest); rerr != nil {
			return "", message.Errorf("%w; bản đầu ra cũ được giữ ở %s (khôi phục thất bại: %v); lần dựng sau sẽ khôi phục nó", err, old, rerr)
		}
		return "", err
	}
	return old, nil
}
