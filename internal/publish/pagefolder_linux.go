package publish

import (
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// pageFolder is the folder of a file whose bytes are in memory, opened once for the file
// and its .gz sibling. os.Root.OpenFile walks every folder of a path again for each file
// (an openat and a close per folder), then registers the new file with the poller (an
// epoll_ctl that fails for a regular file): a page two folders deep cost about eight
// system calls of path walking and polling for the one openat that creates it, twice.
// Here the folder is opened through the Writer's root (the same walk, which refuses a
// symbolic link anywhere on the path) once, and each file is created in it with one
// openat(O_EXCL|O_NOFOLLOW), written with write(2) and closed: no os.File, no poller.
type pageFolder struct {
	dir *os.File // nil: the output folder itself, through root
	fd  int
}

// openPageFolder opens dir (slash path, its folder exists) of w's staging folder.
func (w *Writer) openPageFolder(dir string) (pageFolder, error) {
	f, err := w.root.Open(filepath.FromSlash(dir))
	if err != nil {
		return pageFolder{}, err
	}
	return pageFolder{dir: f, fd: int(f.Fd())}, nil
}

func (d pageFolder) close() { d.dir.Close() }

// create makes the new file name in d with data: O_EXCL, never over another file (even
// one something else wrote into Dir()), and O_NOFOLLOW. With durable it is synced before
// it is closed.
func (d pageFolder) create(name string, data []byte, durable bool) error {
	fd, err := openatRetry(d.fd, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if err != nil {
		return &os.PathError{Op: "open", Path: name, Err: err}
	}
	for len(data) > 0 && err == nil {
		var n int
		n, err = unix.Write(fd, data)
		if err == unix.EINTR {
			err = nil
			continue
		}
		if err == nil && n == 0 {
			err = unix.EIO
		}
		data = data[max(n, 0):]
	}
	if err == nil && durable {
		err = unix.Fsync(fd)
		if err != nil {
			err = &os.PathError{Op: "sync", Path: name, Err: err}
		}
	} else if err != nil {
		err = &os.PathError{Op: "write", Path: name, Err: err}
	}
	if cerr := unix.Close(fd); cerr != nil && err == nil {
		err = &os.PathError{Op: "close", Path: name, Err: cerr}
	}
	return err
}

func openatRetry(dirfd int, name string, flags int, mode uint32) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flags, mode)
		if err != unix.EINTR {
			return fd, err
		}
	}
}
