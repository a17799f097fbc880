package publish

import (
	"os"
	"path/filepath"

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
// next page: a section's articles share it. The list pages come by their newest article's
// date, their parents (a term's page/ folder) taken in turn: at 10,000 prose articles the
// parent changed about 8,400 times (runtime/trace, BENCHMARKS.md, nineteenth session,
// branch sys22), and os.Root.Open walked each path folder by folder (an openat and a close
// each, then four fcntl and an epoll_ctl for the poller). The parent is opened instead
// with one openat2 in the staging folder (top, opened once per worker through the
// Writer's root), beneath it and refusing a symbolic link anywhere on the path; where
// the kernel has no openat2 (before Linux 5.6, or a sandbox's filter), through the root.
type parentFolder struct {
	rel  string   // slash path in the staging folder
	fd   int      // the open folder, when held
	held bool     // fd is open
	top  *os.File // the staging folder, nil until a parent is opened
}

// release closes the folders kept open, if any.
func (p *parentFolder) release() {
	if p.held {
		unix.Close(p.fd)
		p.rel, p.held = "", false
	}
	if p.top != nil {
		p.top.Close()
		p.top = nil
	}
}

// open makes p the folder rel (slash path, "." for the staging folder itself) of w's
// staging folder.
func (p *parentFolder) open(w *Writer, rel string) error {
	if p.held {
		unix.Close(p.fd)
		p.rel, p.held = "", false
	}
	if p.top == nil {
		top, err := w.root.Open(".")
		if err != nil {
			return err
		}
		p.top = top
	}
	how := unix.OpenHow{
		Flags:   unix.O_RDONLY | unix.O_DIRECTORY | unix.O_NOFOLLOW | unix.O_CLOEXEC,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS,
	}
	fd, err := unix.Openat2(int(p.top.Fd()), rel, &how)
	for err == unix.EINTR || err == unix.EAGAIN {
		fd, err = unix.Openat2(int(p.top.Fd()), rel, &how)
	}
	switch err {
	case nil:
	case unix.ENOSYS, unix.EPERM, unix.EINVAL, unix.E2BIG: // no openat2 here
		f, err := w.root.Open(filepath.FromSlash(rel))
		if err != nil {
			return err
		}
		fd, err = unix.Dup(int(f.Fd()))
		f.Close()
		if err != nil {
			return &os.PathError{Op: "dup", Path: rel, Err: err}
		}
	default:
		return &os.PathError{Op: "openat2", Path: rel, Err: err}
	}
	p.rel, p.fd, p.held = rel, fd, true
	return nil
}

// openPageFolder makes (once) and opens dir, the folder of a page (slash path) in w's
// staging folder, for source (in error messages). p keeps its parent open for the next.
func (w *Writer) openPageFolder(dir, source string, p *parentFolder) (pageFolder, error) {
	parent, base := dirOf(dir), baseOf(dir)
	if !p.held || p.rel != parent {
		if err := w.stagingFolder(parent, source); err != nil {
			return pageFolder{}, err
		}
		if err := p.open(w, parent); err != nil {
			return pageFolder{}, err
		}
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
