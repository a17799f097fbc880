package buildcache

import (
	"errors"
	"io/fs"
	"syscall"
)

func fileID(fi fs.FileInfo) (FileID, error) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return FileID{}, errors.New("no file identity on this system")
	}
	return FileID{Size: fi.Size(), ModNs: st.Mtimespec.Nano(), ChgNs: st.Ctimespec.Nano(), Ino: st.Ino, Dev: uint64(st.Dev)}, nil
}

func lstatID(path string) (FileID, error) { return lstatFileID(path) }
