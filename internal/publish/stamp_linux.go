package publish

import "golang.org/x/sys/unix"

// stampDir returns the stamp of the folder p (isDir false: p is not a folder). One
// lstat, no allocation.
func stampDir(p string) (st dirStamp, isDir bool, err error) {
	var s unix.Stat_t
	if err := unix.Lstat(p, &s); err != nil {
		return dirStamp{}, false, err
	}
	if s.Mode&unix.S_IFMT != unix.S_IFDIR {
		return dirStamp{}, false, nil
	}
	return dirStamp{Dev: uint64(s.Dev), Ino: s.Ino, ModNs: s.Mtim.Nano(), ChgNs: s.Ctim.Nano()}, true, nil
}
