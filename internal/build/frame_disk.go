package build

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
)

// A DiskCache build whose frame (site.InputFrame's key of its input with the structure key) is
// the previous build's keys only the pages that depend on an article whose key changed:
// every other page's key is the one in the manifest (diskPages.reuse). At 100,000
// articles that is 173,000 page keys a build with one article edited does not compute.
// The previous build's frame and article keys (in the order of Graph.Contents, which the
// same frame keeps) are in frameFile, written after the manifest it goes with and removed
// before the manifest changes; a missing, damaged or different record means keying every
// page.

// frameFile is the record's name in the cache folder.
const frameFile = "frame.bin"

// frameHead starts frameFile: then the frame (keySize bytes), the number of articles
// (uvarint), their keys (keySize bytes each), and a CRC-32C of everything after the head.
const frameHead = "portal-frame 1\n"

// frameRecord is a build's frame and its articles' keys.
type frameRecord struct {
	frame string
	arts  []string
}

// readFrame returns the record in dir, or nil.
func readFrame(dir string) *frameRecord {
	b, err := os.ReadFile(filepath.Join(dir, frameFile))
	if err != nil || !bytes.HasPrefix(b, []byte(frameHead)) {
		return nil
	}
	b = b[len(frameHead):]
	if len(b) < keySize+4 {
		return nil
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, titlesCRC) != sum {
		return nil
	}
	r := &frameRecord{frame: string(body[:keySize])}
	body = body[keySize:]
	n, l := binary.Uvarint(body)
	body = body[max(l, 0):]
	if l <= 0 || uint64(len(body)) != n*keySize {
		return nil
	}
	r.arts = make([]string, n)
	for i := range r.arts {
		r.arts[i] = string(body[i*keySize : (i+1)*keySize])
	}
	return r
}

// writeFrame writes the record of frame and arts into dir; a failure leaves none (the
// next build keys every page).
func writeFrame(dir, frame string, arts []string) {
	body := make([]byte, 0, keySize+binary.MaxVarintLen64+len(arts)*keySize)
	body = append(body, frame...)
	body = binary.AppendUvarint(body, uint64(len(arts)))
	for _, k := range arts {
		body = append(body, k...)
	}
	err := writeAtomic(dir, frameFile, func(w io.Writer) error {
		if _, err := io.WriteString(w, frameHead); err != nil {
			return err
		}
		if _, err := w.Write(body); err != nil {
			return err
		}
		_, err := w.Write(binary.BigEndian.AppendUint32(nil, crc32.Checksum(body, titlesCRC)))
		return err
	})
	if err != nil {
		removeFrame(dir)
	}
}

// removeFrame removes the record in dir, if any.
func removeFrame(dir string) { _ = os.Remove(filepath.Join(dir, frameFile)) }
