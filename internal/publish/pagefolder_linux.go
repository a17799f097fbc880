package publish

import (
	"os"
	"path"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"

	"github.com/vnportal/portal/internal/message"
)

// pageFolder is the folder of a file whose bytes are in memory, made and opened once for
// the file and its .gz sibling. os.Root.OpenFile walks every folder of a path again for
// each file (an openat and a close per folder), then registers the new file with the
// poller (an epoll_ctl that fails for a regular file): a page two folders deep cost about
// eight system calls of path walking and polling for the one openat that creates it,
// twice. Here each file is created in its folder with one openat(O_EXCL|O_NOFOLLOW),
// written with write(2) and closed: no os.File, no poller.
//
// The folder itself is made and opened in its parent, which the worker keeps open from
// page to page (parentFolder): one mkdirat and one openat(O_DIRECTORY|O_NOFOLLOW). Before,
// os.Root.MkdirAll walked the path to make it (openat, mkdirat, close) and os.Root.Open
// walked it again to open it, as an os.File (openat of each folder, four fcntl and an
// epoll_ctl for the poller, close): about twelve system calls per page folder, three now
// (strace of BenchmarkWriterFiles, BENCHMARKS.md, fast22). The parent is opened through
// the Writer's root (its walk refuses a symbolic link anywhere on the path), and the
// folder with O_NOFOLLOW, so a folder replaced by a link is refused as before.
type pageFolder struct {
	fd int
}

// parentFolder is the parent of the last page folder a worker opened, kept open for the
// next page: pages come in their sections' order, so most share it.
type parentFolder struct {
	rel string   // slash path in the staging folder
	dir *os.File // nil: none open
	fd  int      // dir's descriptor
}

// release closes the parent folder kept open, if any.
func (p *parentFolder) release() {
	if p.dir != nil {
		p.dir.Close()
		p.dir = nil
	}
}

// openPageFolder makes (once) and opens dir, the folder of a page (slash path) in w's
// staging folder, for source (in error messages). p keeps its parent open for the next.
func (w *Writer) openPageFolder(dir, source string, p *parentFolder) (pageFolder, error) {
	parent, base := path.Split(dir)
	parent = strings.TrimSuffix(parent, "/")
	if parent == "" {
		parent = "."
	}
	if p.dir == nil || p.rel != parent {
		p.release()
		if err := w.stagingFolder(parent, source); err != nil {
			return pageFolder{}, err
		}
		f, err := w.root.Open(filepath.FromSlash(parent))
		if err != nil {
			return pageFolder{}, err
		}
		p.rel, p.dir, p.fd = parent, f, int(f.Fd())
	}
	pfd := p.fd
	if base != "." {
		if _, ok := w.madeDirs.Load(dir); !ok {
			if err := unix.Mkdirat(pfd, base, 0o755); err != nil && err != unix.EEXIST {
				return pageFolder{}, message.Errorf("không tạo được thư mục %s cho %s: %w", w.show(dir), source, &os.PathError{Op: "mkdirat", Path: dir, Err: err})
			}
			w.madeDirs.Store(dir, struct{}{})
		}
	}
	fd, err := openatRetry(pfd, base, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
	if err != nil {
		return pageFolder{}, &os.PathError{Op: "openat", Path: dir, Err: err}
	}
	return pageFolder{fd: fd}, nil
}

func (d pageFolder) close() { unix.Close(d.fd) }

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
