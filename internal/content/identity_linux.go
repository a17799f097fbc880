//go:build linux

package content

import (
	"io/fs"
	"strconv"
	"syscall"
)

// identity adds to a file's size and modification time what a saved cache needs to tell
// a file rewritten with its old time: the inode and the change time (which cannot be set).
// It is appended to b ("dev.ino.ctime-s.ctime-ns").
func appendIdentity(b []byte, fi fs.FileInfo) []byte {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return b
	}
	b = strconv.AppendUint(b, uint64(st.Dev), 10)
	b = append(b, '.')
	b = strconv.AppendUint(b, st.Ino, 10)
	b = append(b, '.')
	b = strconv.AppendInt(b, st.Ctim.Sec, 10)
	b = append(b, '.')
	return strconv.AppendInt(b, st.Ctim.Nsec, 10)
}
