package buildcache

import (
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// OpenDir opens the folder at path for Stat by relative paths; a folder that cannot be
// opened (not there yet) is looked up by path.
func OpenDir(path string) *Dir {
	fd, err := unix.Open(path, unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return &Dir{path: path, fd: -1}
	}
	return &Dir{path: path, fd: fd}
}

// Close lets the folder go.
func (d *Dir) Close() {
	if d.fd >= 0 {
		_ = unix.Close(d.fd)
		d.fd = -1
	}
}

func statAt(fd int, dir, rel string) (FileID, error) {
	var st unix.Stat_t
	for {
		err := unix.Fstatat(fd, rel, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil {
			break
		}
		if err != unix.EINTR {
			return FileID{}, &fs.PathError{Op: "lstat", Path: filepath.Join(dir, rel), Err: err}
		}
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return FileID{}, notRegular(filepath.Join(dir, rel))
	}
	return FileID{Size: st.Size, ModNs: st.Mtim.Nano(), ChgNs: st.Ctim.Nano(), Ino: st.Ino, Dev: uint64(st.Dev)}, nil
}
