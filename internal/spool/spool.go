// Package spool keeps large byte strings of one build in a temporary file instead of
// memory: a build of 100,000 articles renders about 1.5 GB of HTML and plain text, which
// are needed once more (to write each article page and to index it) but not all at once.
//
// A File is append-only and safe for concurrent use. A temporary one (Create) lives in an
// unlinked file (on Unix it is removed from its folder as soon as it is created, so it
// disappears with the process even after a crash); a kept one (Open) is a named file that
// outlives the build (the build cache's pack of rendered bodies). The kernel's page
// cache, not the Go heap, holds what was written recently.
package spool

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/vnportal/portal/internal/message"
)

// File is a temporary append-only store. The zero value is not usable; call Create.
type File struct {
	f    *os.File
	name string // the temporary file Close removes: "" once unlinked, and for a kept file
	end  atomic.Int64

	mu     sync.RWMutex // held for reading by Put and Read, for writing by Close
	closed bool
}

// Span locates one string written to a File.
type Span struct {
	off int64
	n   int64
}

// At returns the span of n bytes at offset off, for a caller that recorded both.
func At(off, n int64) Span { return Span{off: off, n: n} }

// Off is the offset of the spanned string in the file.
func (s Span) Off() int64 { return s.off }

// End is the offset just after the spanned string.
func (s Span) End() int64 { return s.off + s.n }

// Len is the length of the spanned string in bytes.
func (s Span) Len() int { return int(s.n) }

// ErrClosed is returned by Put and Read after Close.
var ErrClosed = errors.New("spool: the temporary store was closed (its data belonged to a build that has finished)")

// Create makes a new temporary store in dir ("" means the system's temporary folder).
// Pick a folder on a disk: a tmpfs folder would keep the data in memory after all.
func Create(dir string) (*File, error) {
	f, err := os.CreateTemp(dir, ".portal-spool-*")
	if err != nil {
		return nil, message.Errorf("không tạo được tệp tạm: %w", err)
	}
	s := &File{f: f, name: f.Name()}
	if unlinkOpen && os.Remove(s.name) == nil {
		s.name = ""
	}
	return s, nil
}

// Open opens (creating it if needed) the file at path as a kept store whose first size
// bytes are its data: anything after them is cut off (it was written by a run that did
// not finish), and Puts append after them. Close leaves the file.
func Open(path string, size int64) (*File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, message.Errorf("không mở được %s: %w", path, err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Size() < size {
		err = message.Errorf("tệp chỉ có %d byte, cần %d byte", fi.Size(), size)
	}
	if err == nil && fi.Size() > size {
		err = f.Truncate(size)
	}
	if err != nil {
		f.Close()
		return nil, message.Errorf("không dùng được %s: %w", path, err)
	}
	s := &File{f: f}
	s.end.Store(size)
	return s, nil
}

// Sync commits what was written to the disk.
func (s *File) Sync() error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.f.Sync()
}

// Put appends b and returns where it is. Concurrent Puts write to disjoint places.
func (s *File) Put(b []byte) (Span, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return Span{}, ErrClosed
	}
	n := int64(len(b))
	off := s.end.Add(n) - n
	if n > 0 {
		if _, err := s.f.WriteAt(b, off); err != nil {
			return Span{}, message.Errorf("không ghi được tệp tạm (ổ đĩa đầy?): %w", err)
		}
	}
	return Span{off: off, n: n}, nil
}

// Read returns a new copy of the bytes at sp.
func (s *File) Read(sp Span) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, ErrClosed
	}
	if sp.off < 0 || sp.n < 0 || sp.off+sp.n > s.end.Load() {
		return nil, fmt.Errorf("spool: span %d+%d is outside the %d bytes written", sp.off, sp.n, s.end.Load())
	}
	b := make([]byte, sp.n)
	if _, err := s.f.ReadAt(b, sp.off); err != nil && !(errors.Is(err, io.EOF) && sp.n == 0) {
		return nil, message.Errorf("không đọc được tệp tạm: %w", err)
	}
	return b, nil
}

// ReadString is Read returning a string: the new copy itself, not a second one (an
// index build reads every article's text once, a render its HTML).
func (s *File) ReadString(sp Span) (string, error) {
	b, err := s.Read(sp)
	if err != nil || len(b) == 0 {
		return "", err
	}
	return unsafe.String(unsafe.SliceData(b), len(b)), nil // b is ours alone and never written again
}

// Size is the number of bytes written so far.
func (s *File) Size() int64 { return s.end.Load() }

// Close removes a temporary file (a kept one stays). Put and Read fail afterwards; Close
// again does nothing.
func (s *File) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	err := s.f.Close()
	if s.name != "" {
		if rerr := os.Remove(s.name); err == nil {
			err = rerr
		}
	}
	return err
}

// Slice returns the part [from, to) of sp, in bytes.
func (sp Span) Slice(from, to int) Span {
	if from < 0 || to < from || int64(to) > sp.n {
		panic(fmt.Sprintf("spool: slice [%d:%d] of a %d-byte span", from, to, sp.n))
	}
	return Span{off: sp.off + int64(from), n: int64(to - from)}
}
