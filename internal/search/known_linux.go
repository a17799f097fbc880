package search

import "golang.org/x/sys/unix"

// identify returns the identity of the regular file at p (symbolic links not followed).
func identify(p string) (fileID, bool) {
	var s unix.Stat_t
	if err := unix.Lstat(p, &s); err != nil || s.Mode&unix.S_IFMT != unix.S_IFREG {
		return fileID{}, false
	}
	return fileID{Dev: uint64(s.Dev), Ino: s.Ino, Size: s.Size, ModNs: s.Mtim.Nano(), ChgNs: s.Ctim.Nano()}, true
}
