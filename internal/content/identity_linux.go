//go:build linux

package content

import (
	"fmt"
	"io/fs"
	"syscall"
)

// identity adds to a file's size and modification time what a saved cache needs to tell
// a file rewritten with its old time: the inode and the change time (which cannot be set).
func identity(fi fs.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	return fmt.Sprintf("%d.%d.%d.%d", st.Dev, st.Ino, st.Ctim.Sec, st.Ctim.Nsec)
}
