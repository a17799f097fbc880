// Package buildcache keeps, between runs of `portal build`, the manifest of the pages the
// last successful build published: for each output file, the key it was rendered under and
// the identity (size, times, inode) of the file as it was left in the output folder.
//
// The next build renders a page only when its key changed or its file is no longer exactly
// the one recorded; otherwise it links the file into the new generation. The manifest is
// only ever a hint: a missing, truncated or foreign manifest means "render everything",
// and deleting the cache folder only makes the next build slower.
package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vnportal/portal/internal/message"
)

// Version is the format of the manifest and of the page keys. Raise it whenever either
// changes meaning: a manifest of another version is never trusted.
const Version = 2 // 2: the .gz sibling's identity

// FileName is the manifest's name inside the cache folder.
const FileName = "pages.manifest"

const magic = "portal-build-cache"

// ErrVersion is wrapped by Load's error for a manifest of another format version.
var ErrVersion = message.Errorf("bộ nhớ đệm được ghi theo định dạng khác")

// FileID identifies one file's exact state on disk. Any write to the file changes its
// modification and change times; replacing it changes the inode; the change time cannot be
// set by hand, so a file restored with its old modification time still differs.
type FileID struct {
	Size         int64
	ModNs, ChgNs int64 // modification and status change times, ns since 1970
	Ino, Dev     uint64
}

// Stat returns the identity of the regular file at path (symbolic links are not followed:
// a link is not a page this package recorded).
func Stat(path string) (FileID, error) { return lstatID(path) }

// IDOf returns the identity of the file or folder fi describes (from Lstat or a folder
// walk), or an error where the system does not give one.
func IDOf(fi fs.FileInfo) (FileID, error) { return fileID(fi) }

// lstatFileID is Stat through os.Lstat (stat_linux.go has a system call without it).
func lstatFileID(path string) (FileID, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return FileID{}, err
	}
	if !fi.Mode().IsRegular() {
		return FileID{}, notRegular(path)
	}
	return fileID(fi)
}

func notRegular(path string) error { return fmt.Errorf("%s is not a regular file", path) }

// Entry is one published page.
type Entry struct {
	Key  string // the page's key (opaque bytes)
	File FileID
	// Gz is the identity of the page's .gz sibling as the build left it (zero: it had
	// none, or none was recorded).
	Gz FileID
}

// Manifest describes the pages of one published output folder.
type Manifest struct {
	// Binary identifies the portal program that wrote the pages (see Executable).
	Binary string
	// Dest is the absolute output folder the pages are in.
	Dest string
	// Pages maps output paths ("tin-tuc/x/index.html") to their entries.
	Pages map[string]Entry

	// base names the full manifest Load read (tagOf; "" for one made in memory), and
	// journaled the paths the changes read over it named (changes.go).
	base      string
	journaled map[string]bool
}

// Path returns the manifest's path in the cache folder dir.
func Path(dir string) string { return filepath.Join(dir, FileName) }

// Load reads the manifest in dir. A missing manifest is an error wrapping
// fs.ErrNotExist; one of another format version wraps ErrVersion; a truncated or
// damaged one is any other error. Callers treat every error as "nothing to reuse".
func Load(dir string) (*Manifest, error) {
	f, err := os.Open(Path(dir))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	data := make([]byte, fi.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, err
	}
	m, err := parse(data)
	if err != nil {
		return nil, err
	}
	m.base = tagOf(fi)
	if err := m.loadChanges(dir); err != nil {
		return nil, err
	}
	return m, nil
}

func parse(data []byte) (*Manifest, error) {
	damaged := func(why string) (*Manifest, error) {
		return nil, message.Errorf("danh sách trang trong bộ nhớ đệm bị hỏng (chi tiết kỹ thuật: %s)", why)
	}
	head, _, ok := bytes.Cut(data, []byte{'\n'})
	if !ok {
		return damaged("no header")
	}
	name, ver, _ := strings.Cut(string(head), " ")
	if name != magic {
		return damaged("not a portal build cache")
	}
	if ver != strconv.Itoa(Version) {
		return nil, message.Errorf("%w (%s, bản portal này dùng %d)", ErrVersion, ver, Version)
	}
	// The last line is "end <sha256 of everything before it>": a truncated or altered
	// file fails here.
	body := bytes.TrimSuffix(data, []byte{'\n'})
	i := bytes.LastIndexByte(body, '\n')
	if i < 0 || !bytes.HasPrefix(body[i+1:], []byte("end ")) || len(data) == len(body) {
		return damaged("truncated")
	}
	sum := sha256.Sum256(data[:i+1])
	if string(body[i+1+len("end "):]) != hex.EncodeToString(sum[:]) {
		return damaged("checksum mismatch")
	}
	// One string for the whole list: the paths are parts of it.
	rest := string(data[len(head)+1 : i])
	m := &Manifest{}
	field := func(name string) (string, bool) {
		if rest == "" {
			return "", false
		}
		line, after, _ := strings.Cut(rest, "\n")
		rest = after
		return strings.CutPrefix(line, name+" ")
	}
	var count string
	if m.Binary, ok = field("binary"); !ok {
		return damaged("no binary line")
	}
	if m.Dest, ok = field("dest"); !ok {
		return damaged("no dest line")
	}
	if count, ok = field("pages"); !ok {
		return damaged("no pages line")
	}
	n, err := strconv.Atoi(count)
	if err != nil || n < 0 || n > len(rest) {
		return damaged("page count mismatch")
	}
	m.Pages = make(map[string]Entry, n)
	for rest != "" {
		l, after, _ := strings.Cut(rest, "\n")
		rest = after
		rel, e, err := parseEntry(l)
		if err != nil {
			return damaged(err.Error())
		}
		m.Pages[rel] = e
	}
	if len(m.Pages) != n {
		return damaged("page count mismatch")
	}
	return m, nil
}

// parseEntry reads "<hex key> <size> <mtime> <ctime> <ino> <dev> <the same five of the
// .gz sibling> <path>".
func parseEntry(l string) (string, Entry, error) {
	field := func() (string, bool) {
		f, after, ok := strings.Cut(l, " ")
		l = after
		return f, ok
	}
	hexKey, ok := field()
	if !ok {
		return "", Entry{}, errors.New("bad entry")
	}
	key, err := hex.DecodeString(hexKey)
	if err != nil {
		return "", Entry{}, errors.New("bad key")
	}
	var nums [10]uint64
	for i := range nums {
		f, ok := field()
		if !ok {
			return "", Entry{}, errors.New("bad entry")
		}
		if nums[i], err = strconv.ParseUint(f, 10, 64); err != nil {
			return "", Entry{}, errors.New("bad number")
		}
	}
	if l == "" {
		return "", Entry{}, errors.New("bad entry")
	}
	id := func(n []uint64) FileID {
		return FileID{Size: int64(n[0]), ModNs: int64(n[1]), ChgNs: int64(n[2]), Ino: n[3], Dev: n[4]}
	}
	return l, Entry{Key: string(key), File: id(nums[:5]), Gz: id(nums[5:])}, nil
}

// Remove deletes the manifest in dir, if any, with its changes: the next build renders
// every page.
func Remove(dir string) error {
	_ = os.Remove(filepath.Join(dir, ChangesName))
	return os.Remove(Path(dir))
}

// Save writes m as the manifest in dir (created if needed), atomically: a reader sees
// the old manifest or the new one, never part of one. Paths with a line break are left
// out (they are rendered every time).
func (m *Manifest) Save(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return message.Errorf("không tạo được thư mục bộ nhớ đệm: %w", err)
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d\nbinary %s\ndest %s\n", magic, Version, oneLine(m.Binary), oneLine(m.Dest))
	writeEntries(&b, m.Pages, slices.Sorted(maps.Keys(m.Pages)))
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "end %x\n", sum)

	if err := writeAtomic(dir, FileName, b.Bytes()); err != nil {
		return err
	}
	_ = os.Remove(filepath.Join(dir, ChangesName)) // made against the manifest just replaced
	return nil
}

// writeEntries writes "pages <count>" and the entry of each path of rels in pages (see
// parseEntry); paths with a line break are left out (rendered every time).
func writeEntries(b *bytes.Buffer, pages map[string]Entry, rels []string) {
	n := 0
	for _, rel := range rels {
		if writable(rel) {
			n++
		}
	}
	fmt.Fprintf(b, "pages %d\n", n)
	var num []byte
	for _, rel := range rels {
		if !writable(rel) {
			continue
		}
		e := pages[rel]
		b.WriteString(hex.EncodeToString([]byte(e.Key)))
		for _, n := range [...]uint64{uint64(e.File.Size), uint64(e.File.ModNs), uint64(e.File.ChgNs), e.File.Ino, e.File.Dev,
			uint64(e.Gz.Size), uint64(e.Gz.ModNs), uint64(e.Gz.ChgNs), e.Gz.Ino, e.Gz.Dev} {
			b.WriteByte(' ')
			num = strconv.AppendUint(num[:0], n, 10)
			b.Write(num)
		}
		b.WriteByte(' ')
		b.WriteString(rel)
		b.WriteByte('\n')
	}
}

func writable(rel string) bool { return rel != "" && !strings.ContainsAny(rel, "\n\r") }

// oneLine keeps a header value on its line (a folder name could hold a line break).
func oneLine(s string) string { return strings.NewReplacer("\n", `\n`, "\r", `\r`).Replace(s) }

// DefaultDir returns the cache folder for building siteDir into dest:
// <user cache folder>/portal/<hash of both absolute paths>, so that every site and output
// folder has its own. It fails when the system has no user cache folder.
func DefaultDir(siteDir, dest string) (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	a, err := filepath.Abs(siteDir)
	if err != nil {
		return "", err
	}
	b, err := filepath.Abs(dest)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(a + "\x00" + b))
	return filepath.Join(base, "portal", hex.EncodeToString(sum[:8])), nil
}

// IsNotExist reports whether err from Load means there is no manifest at all.
func IsNotExist(err error) bool { return errors.Is(err, fs.ErrNotExist) }
