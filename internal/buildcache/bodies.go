package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/spool"
)

// The cache folder also keeps the rendered Markdown of the last build's articles, so that
// the next build neither parses nor renders a body whose file did not change. The bodies
// are in a pack file (bodies-N.pack) that the build appends to and reads pages and search
// text from, in place of a temporary spool; an index (bodies.index) written after each
// successful build names the pack and the records of that build's articles. A record is
// found by a key that the caller derives from everything that renders the body (the
// file's bytes, the Markdown options, the portal program), so a record is never stale;
// each of its parts carries a CRC-32C that is checked when it is read. Records no build
// uses any more are dead space, dropped when they outweigh the live ones (compaction).
// One build at a time uses a cache folder's pack (a lock file); a second one builds
// without it.

// BodiesVersion is the format of the pack and its index; raise it when either changes.
const BodiesVersion = 1

const (
	bodiesIndexName = "bodies.index"
	bodiesLockName  = "bodies.lock"
	bodiesMagic     = "portal-bodies"
	bodyEntrySize   = 32 + 8 + 3*4 + 3*4
)

// BodyKey is the key of one rendered body.
type BodyKey [32]byte

// BodyParts is how many parts a record has (the caller's metadata, HTML, plain text).
const BodyParts = 3

// Body locates one record of the pack.
type Body struct {
	Parts [BodyParts]spool.Span
	sums  [BodyParts]uint32
}

func (b Body) size() int64 { return b.Parts[BodyParts-1].End() - b.Parts[0].Off() }

// Bodies is one build's use of the cache folder's pack of rendered bodies. Get, Put and
// Read are safe for concurrent use.
type Bodies struct {
	dir, binary string
	lock        *os.File
	pack        *spool.File
	packName    string
	gen         uint64
	prev        map[BodyKey]Body
	slack       int64 // dead bytes the pack may carry before Commit compacts it
	start       int64 // the pack's size when this build opened it

	mu   sync.Mutex
	used map[BodyKey]Body
}

// errBodiesFormat: an index of another format version; nothing in its pack is reused.
var errBodiesFormat = errors.New("the build cache's index of rendered bodies has another format")

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// OpenBodies locks the pack of dir (created if needed) for one build by the program
// binary. An error means the build cannot use the pack (another build holds it, the
// system cannot lock files, the folder is not writable). A non-empty warning says why
// nothing in it is reused this time (a damaged index); an index of another program or
// format is dropped silently.
func OpenBodies(dir, binary string) (b *Bodies, warning error, err error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, message.Errorf("không tạo được thư mục bộ nhớ đệm: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, bodiesLockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, message.Errorf("không mở được tệp khoá của bộ nhớ đệm: %w", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		return nil, nil, message.Errorf("không khoá được thư mục bộ nhớ đệm %s (một lệnh portal build khác đang dùng nó?): %w", dir, err)
	}
	b = &Bodies{dir: dir, binary: binary, lock: lock, slack: compactSlack, used: map[BodyKey]Body{}}
	idx, err := readBodiesIndex(filepath.Join(dir, bodiesIndexName))
	switch {
	case err == nil && idx.binary == binary:
		b.gen, b.packName, b.prev = idx.gen, idx.pack, idx.bodies
		b.start = idx.end
		if b.pack, err = spool.Open(filepath.Join(dir, b.packName), idx.end); err != nil {
			warning = message.Errorf("không dùng được tệp Markdown đã dựng trong bộ nhớ đệm (%v): lần dựng này dựng lại Markdown của mọi bài", err)
		}
	case err == nil: // another program: its records are no use to this one
		b.gen = idx.gen
	case !errors.Is(err, os.ErrNotExist) && !errors.Is(err, errBodiesFormat):
		warning = message.Errorf("%v: lần dựng này dựng lại Markdown của mọi bài", err)
	}
	if b.pack == nil {
		b.start = 0
		b.gen++
		b.packName, b.prev = packName(b.gen), nil
		_ = os.Remove(filepath.Join(dir, b.packName))
		if b.pack, err = spool.Open(filepath.Join(dir, b.packName), 0); err != nil {
			b.Close()
			return nil, warning, err
		}
	}
	b.removeStale()
	return b, warning, nil
}

func packName(gen uint64) string { return "bodies-" + strconv.FormatUint(gen, 10) + ".pack" }

// removeStale deletes pack files other than the current one (left by a build that was
// stopped while it compacted, or by another program's build).
func (b *Bodies) removeStale() {
	names, _ := filepath.Glob(filepath.Join(b.dir, "bodies-*.pack"))
	for _, n := range names {
		if filepath.Base(n) != b.packName {
			_ = os.Remove(n)
		}
	}
}

// Get returns the record under key from the previous build with its first part, and
// keeps the record for the next build. A record whose first part cannot be read or does
// not match its checksum is not found (the caller renders the body again and Puts it).
func (b *Bodies) Get(key BodyKey) (Body, []byte, bool) {
	body, ok := b.prev[key]
	if !ok {
		return Body{}, nil, false
	}
	first, err := b.pack.Read(body.Parts[0])
	if err != nil || crc32.Checksum(first, crcTable) != body.sums[0] {
		return Body{}, nil, false
	}
	b.mu.Lock()
	b.used[key] = body
	b.mu.Unlock()
	return body, first, true
}

// Forget drops the record under key from what the next build finds (the caller found
// it unusable).
func (b *Bodies) Forget(key BodyKey) {
	b.mu.Lock()
	delete(b.used, key)
	b.mu.Unlock()
}

// Dir is the cache folder.
func (b *Bodies) Dir() string { return b.dir }

// IndexPath is the path of the index of the pack's records.
func (b *Bodies) IndexPath() string { return filepath.Join(b.dir, bodiesIndexName) }

// Put appends a record of the given parts under key.
func (b *Bodies) Put(key BodyKey, parts [BodyParts][]byte) (Body, error) {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	buf := make([]byte, 0, n)
	var body Body
	for i, p := range parts {
		buf = append(buf, p...)
		body.sums[i] = crc32.Checksum(p, crcTable)
	}
	sp, err := b.pack.Put(buf)
	if err != nil {
		return Body{}, err
	}
	at := 0
	for i, p := range parts {
		body.Parts[i] = sp.Slice(at, at+len(p))
		at += len(p)
	}
	b.mu.Lock()
	b.used[key] = body
	b.mu.Unlock()
	return body, nil
}

// Read returns part i of body. A record whose checksum does not match fails with an
// error that says how to recover, and the index is removed so that the next build
// renders everything again.
func (b *Bodies) Read(body Body, i int) ([]byte, error) {
	data, err := b.pack.Read(body.Parts[i])
	if err != nil {
		return nil, err
	}
	if crc32.Checksum(data, crcTable) != body.sums[i] {
		_ = os.Remove(b.IndexPath())
		return nil, message.Errorf("bộ nhớ đệm bị hỏng (một bài đã dựng trong %s sai mã kiểm tra): bộ nhớ đệm đã được làm mới, hãy dựng lại (hoặc dựng với --no-cache)", filepath.Join(b.dir, b.packName))
	}
	return data, nil
}

// Commit makes the records this build got or put the previous build's for the next one:
// it writes the pack to disk, compacts it when most of it is dead, and replaces the
// index. Call it after the build succeeded, and no Read after it.
func (b *Bodies) Commit() error {
	live := int64(0)
	for _, body := range b.used {
		live += body.size()
	}
	old := ""
	if b.pack.Size() > 2*live+b.slack {
		old = b.packName
		if err := b.compact(); err != nil {
			return err
		}
	} else if err := b.pack.Sync(); err != nil {
		return message.Errorf("không ghi được bộ nhớ đệm: %w", err)
	}
	if err := writeBodiesIndex(b.dir, bodiesIndex{binary: b.binary, gen: b.gen, pack: b.packName, bodies: b.used}); err != nil {
		return err
	}
	if old != "" {
		// Only now that the index names the new pack (removeStale does it if this
		// process stops in between).
		_ = os.Remove(filepath.Join(b.dir, old))
	}
	return nil
}

// compactSlack is the dead space a pack may carry whatever its size.
const compactSlack = 64 << 20

// compact copies the used records to a new pack and makes it the current one (Commit
// removes the old one once the index names the new one).
func (b *Bodies) compact() error {
	gen := b.gen + 1
	name := packName(gen)
	path := filepath.Join(b.dir, name)
	_ = os.Remove(path)
	np, err := spool.Open(path, 0)
	if err != nil {
		return err
	}
	moved := make(map[BodyKey]Body, len(b.used))
	for key, body := range b.used {
		data, err := b.pack.Read(spool.At(body.Parts[0].Off(), body.size()))
		if err == nil {
			var sp spool.Span
			if sp, err = np.Put(data); err == nil {
				shift := sp.Off() - body.Parts[0].Off()
				for i := range body.Parts {
					body.Parts[i] = spool.At(body.Parts[i].Off()+shift, int64(body.Parts[i].Len()))
				}
				moved[key] = body
			}
		}
		if err != nil {
			np.Close()
			_ = os.Remove(path)
			return message.Errorf("không thu gọn được bộ nhớ đệm: %w", err)
		}
	}
	if err := np.Sync(); err != nil {
		np.Close()
		_ = os.Remove(path)
		return message.Errorf("không ghi được bộ nhớ đệm: %w", err)
	}
	b.pack.Close()
	b.pack, b.packName, b.gen, b.used = np, name, gen, moved
	return nil
}

// Abandon releases the pack and the lock after a build that could not write the pack (a
// full disk): what this build appended is cut off, so that the disk space comes back and
// the next build finds the pack as the last successful build left it.
func (b *Bodies) Abandon() {
	path := filepath.Join(b.dir, b.packName)
	b.Close()
	_ = os.Truncate(path, b.start)
}

// Close releases the pack and the lock.
func (b *Bodies) Close() error {
	var err error
	if b.pack != nil {
		err = b.pack.Close()
	}
	if cerr := b.lock.Close(); err == nil {
		err = cerr
	}
	return err
}

type bodiesIndex struct {
	binary string
	gen    uint64
	pack   string
	end    int64
	bodies map[BodyKey]Body
}

// writeBodiesIndex replaces the index atomically: a header of lines, fixed-size entries,
// and the SHA-256 of everything before it.
func writeBodiesIndex(dir string, idx bodiesIndex) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d\nbinary %s\ngen %d\npack %s\ncount %d\n", bodiesMagic, BodiesVersion, oneLine(idx.binary), idx.gen, idx.pack, len(idx.bodies))
	var e [bodyEntrySize]byte
	for key, body := range idx.bodies {
		copy(e[:32], key[:])
		binary.LittleEndian.PutUint64(e[32:], uint64(body.Parts[0].Off()))
		for i := range body.Parts {
			binary.LittleEndian.PutUint32(e[40+4*i:], uint32(body.Parts[i].Len()))
			binary.LittleEndian.PutUint32(e[52+4*i:], body.sums[i])
		}
		b.Write(e[:])
	}
	sum := sha256.Sum256(b.Bytes())
	b.Write(sum[:])
	return writeAtomic(dir, bodiesIndexName, b.Bytes())
}

func readBodiesIndex(path string) (bodiesIndex, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return bodiesIndex{}, err
	}
	damaged := func(why string) (bodiesIndex, error) {
		return bodiesIndex{}, message.Errorf("mục lục các bài đã dựng trong bộ nhớ đệm bị hỏng (chi tiết kỹ thuật: %s)", why)
	}
	if len(data) < sha256.Size {
		return damaged("truncated")
	}
	body, sum := data[:len(data)-sha256.Size], data[len(data)-sha256.Size:]
	if s := sha256.Sum256(body); !bytes.Equal(s[:], sum) {
		return damaged("checksum mismatch")
	}
	var idx bodiesIndex
	var lines [5]string
	rest := body
	for i := range lines {
		l, r, ok := bytes.Cut(rest, []byte{'\n'})
		if !ok {
			return damaged("short header")
		}
		lines[i], rest = string(l), r
	}
	if lines[0] != bodiesMagic+" "+strconv.Itoa(BodiesVersion) {
		return bodiesIndex{}, errBodiesFormat
	}
	var ok [4]bool
	var count string
	idx.binary, ok[0] = strings.CutPrefix(lines[1], "binary ")
	gen, ok1 := strings.CutPrefix(lines[2], "gen ")
	idx.pack, ok[2] = strings.CutPrefix(lines[3], "pack ")
	count, ok[3] = strings.CutPrefix(lines[4], "count ")
	ok[1] = ok1
	n, err := strconv.Atoi(count)
	if ok != [4]bool{true, true, true, true} || err != nil || n < 0 || len(rest) != n*bodyEntrySize {
		return damaged("bad header")
	}
	if idx.gen, err = strconv.ParseUint(gen, 10, 64); err != nil || idx.pack != packName(idx.gen) {
		return damaged("bad pack name")
	}
	idx.bodies = make(map[BodyKey]Body, n)
	for i := 0; i < n; i++ {
		e := rest[i*bodyEntrySize : (i+1)*bodyEntrySize]
		var key BodyKey
		copy(key[:], e[:32])
		off := int64(binary.LittleEndian.Uint64(e[32:]))
		var body Body
		for j := range body.Parts {
			l := int64(binary.LittleEndian.Uint32(e[40+4*j:]))
			body.Parts[j] = spool.At(off, l)
			body.sums[j] = binary.LittleEndian.Uint32(e[52+4*j:])
			off += l
		}
		if body.Parts[0].Off() < 0 || off < body.Parts[0].Off() {
			return damaged("bad entry")
		}
		idx.end = max(idx.end, off)
		idx.bodies[key] = body
	}
	return idx, nil
}

// writeAtomic replaces dir/name with data: a reader sees the old file or the new one.
func writeAtomic(dir, name string, data []byte) error {
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return message.Errorf("không ghi được bộ nhớ đệm: %w", err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(dir, name))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return message.Errorf("không ghi được bộ nhớ đệm: %w", err)
	}
	return nil
}
