package publish

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
)

// Op says how a file of a new generation differs from the output it replaces.
type Op byte

const (
	Added    Op = 'A'
	Modified Op = 'M'
	Deleted  Op = 'D'
)

// Change is one file that a committed generation added, modified or deleted in the
// output folder (Options.Changes): what a deployment must copy or remove.
type Change struct {
	Op   Op
	Path string // slash-separated, relative to the output folder
}

// String is the change as a line of `portal build --changes`: "M tin-tuc/x/index.html".
func (c Change) String() string { return string(c.Op) + " " + c.Path }

// sameFileBytes reports whether the files a and b (of the same size) hold the same bytes.
func sameFileBytes(a, b string) (bool, error) {
	fa, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer fa.Close()
	fb, err := os.Open(b)
	if err != nil {
		return false, err
	}
	defer fb.Close()
	ra, rb := bufio.NewReaderSize(fa, 64<<10), bufio.NewReaderSize(fb, 64<<10)
	bufA, bufB := make([]byte, 32<<10), make([]byte, 32<<10)
	for {
		na, errA := io.ReadFull(ra, bufA)
		nb, errB := io.ReadFull(rb, bufB)
		if na != nb || !bytes.Equal(bufA[:na], bufB[:nb]) {
			return false, nil
		}
		endA := errors.Is(errA, io.EOF) || errors.Is(errA, io.ErrUnexpectedEOF)
		endB := errors.Is(errB, io.EOF) || errors.Is(errB, io.ErrUnexpectedEOF)
		if errA != nil && !endA {
			return false, errA
		}
		if errB != nil && !endB {
			return false, errB
		}
		if endA || endB {
			return endA == endB, nil
		}
	}
}
