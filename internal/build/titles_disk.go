package build

import (
	"bufio"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// A DiskCache keeps the findings of the near-duplicate title rule (check.DuplicateTitles,
// which compares every title with the similar others: about a second at 10,000 articles)
// in its folder, under a key over every document's path, kind, title and title line and
// the program: a rebuild in which no title changed reports the same findings without
// comparing anything; one in which titles were added, removed or changed compares only
// those with the others (check.TitleState, saved beside the findings). The file is
// written whenever the rule runs (it names its inputs, so a failed build cannot make it
// wrong); a damaged or foreign one means running the rule.

// titlesCRC sums the file's blocks.
var titlesCRC = crc32.MakeTable(crc32.Castagnoli)

// titlesFile is the saved findings' name in the cache folder; oldTitlesFile is the name
// of the gob formats before it (up to 1 GB at 100,000 articles), removed when titlesFile
// is written.
const (
	titlesFile    = "titles.bin"
	oldTitlesFile = "titles.gob"
)

// titlesFormat is the version of titlesFile: a head line "portal-titles <format> <bin>
// <key>", then two blocks, each its length in 8 bytes, its bytes and a CRC-32C of them:
// the findings (as titles_codec.go writes them), then the check.SavedTitles state
// (eachStatePiece). A rebuild in which no title changed reads the head and the findings
// only: the state holds every title and every similar pair, the larger part. Files of
// other formats (gob values up to format 3) are read as foreign: the rule runs and the
// file is written anew. Bin and the state let the next build whose key differs (an
// article added, deleted or retitled) compare only the titles that changed
// (check.TitleState), when the same program saved them.
const titlesFormat = 4

func titlesHead(key, bin string) string {
	return "portal-titles " + strconv.Itoa(titlesFormat) + " " + bin + " " + key
}

// diskTitles returns the title rule of a DiskCache build in dir by the program bin.
func diskTitles(dir, bin string) *titlesRule { return &titlesRule{dir: dir, bin: bin} }

// titlesRule is the title rule of a DiskCache build: run finds the findings (from the
// file, or by updating its state) and writes the file again when the titles changed.
// When a file was there (a build after another, where one retitle changes the whole
// file: ~70 MB at 100,000 articles, a second to encode and write), it is written in the
// background, beside the stages after the checks, and the build waits for it before it
// ends (wait); without one (the first build, whose memory peaks later) run writes it.
type titlesRule struct {
	dir, bin string
	writing  sync.WaitGroup
}

// run is the rule (the run's titles).
func (t *titlesRule) run(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
	t.wait() // the file another call may still be writing
	key := titlesKey(docs, t.bin)
	p := filepath.Join(t.dir, titlesFile)
	_, statErr := os.Stat(p)
	found, state := readTitles(p, key, t.bin)
	if found != nil {
		return found
	}
	found = state.Update(ctx, docs)
	if ctx.Err() != nil || !gobSafeDiagnostics(found) {
		return found
	}
	kept := slices.Clone(found) // the build's copy of found is its own; state is this call's
	write := func() {
		saved := state.Save()
		// A failure leaves the last file, which names its own key, or none.
		err := writeAtomic(t.dir, titlesFile, func(w io.Writer) error {
			if _, err := io.WriteString(w, titlesHead(key, t.bin)+"\n"); err != nil {
				return err
			}
			if err := writeFindingsBlock(w, kept); err != nil {
				return err
			}
			return writeStateBlock(w, saved)
		})
		if err == nil {
			dropHint(t.dir, oldTitlesFile)
		}
	}
	if statErr != nil {
		write()
	} else {
		t.writing.Go(write)
	}
	return found
}

// wait returns once the file run writes in the background is written (or not).
func (t *titlesRule) wait() { t.writing.Wait() }

// writeFindingsBlock writes the findings ds as one block of titlesFile (as
// writeTitlesBlock would of the number of findings and each one's appendFinding), byte for
// byte, one finding at a time: the whole block in memory was the peak of a
// `portal build --cache-dir` of 100,000 articles (103 MB for its 62,856 findings, in the
// checks stage, beside the loaded site and the title rule's state: 1,167 MB resident).
// Into a staged file (stageFile) each finding is encoded once, the block's length written
// at its place once known; into another writer the findings are encoded twice, once to
// count the block's length. (Encoding a finding formats its message: two formattings of
// every finding were ~2 % of a title edit's CPU at 30,000 articles.)
func writeFindingsBlock(w io.Writer, ds []diag.Diagnostic) error {
	head := binary.AppendUvarint(nil, uint64(len(ds)))
	size := len(head)
	var rec []byte
	if sw, ok := w.(*stagingWriter); ok {
		setSize := sw.later(8)
		if _, err := w.Write(head); err != nil {
			return err
		}
		sum := crc32.Update(0, titlesCRC, head)
		for _, d := range ds {
			rec = appendFinding(rec[:0], d)
			size += len(rec)
			sum = crc32.Update(sum, titlesCRC, rec)
			if _, err := w.Write(rec); err != nil {
				return err
			}
		}
		setSize(binary.BigEndian.AppendUint64(nil, uint64(size)))
		_, err := w.Write(binary.BigEndian.AppendUint32(nil, sum))
		return err
	}
	for _, d := range ds {
		rec = appendFinding(rec[:0], d)
		size += len(rec)
	}
	if _, err := w.Write(binary.BigEndian.AppendUint64(nil, uint64(size))); err != nil {
		return err
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	sum := crc32.Update(0, titlesCRC, head)
	for _, d := range ds {
		rec = appendFinding(rec[:0], d)
		sum = crc32.Update(sum, titlesCRC, rec)
		if _, err := w.Write(rec); err != nil {
			return err
		}
	}
	_, err := w.Write(binary.BigEndian.AppendUint32(nil, sum))
	return err
}

// writeStateBlock writes the rule's state st as one block of titlesFile (as
// writeTitlesBlock would of the whole encoding), byte for byte, by pieces
// (eachStatePiece): encoded twice, once to count the block's length.
func writeStateBlock(w io.Writer, st check.SavedTitles) error {
	size := 0
	eachStatePiece(st, func(b []byte) { size += len(b) })
	if _, err := w.Write(binary.BigEndian.AppendUint64(nil, uint64(size))); err != nil {
		return err
	}
	var sum uint32
	var err error
	eachStatePiece(st, func(b []byte) {
		if err == nil {
			sum = crc32.Update(sum, titlesCRC, b)
			_, err = w.Write(b)
		}
	})
	if err != nil {
		return err
	}
	_, err = w.Write(binary.BigEndian.AppendUint32(nil, sum))
	return err
}

// readTitlesBlock reads one block of titlesFile into one string (its strings are parts
// of it), or skips it (ok, ""), checking its sum.
func readTitlesBlock(r *bufio.Reader, skip bool) (block string, ok bool) {
	var size [8]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return "", false
	}
	n := binary.BigEndian.Uint64(size[:])
	if n > 1<<40 {
		return "", false
	}
	if skip {
		_, err := r.Discard(int(n) + 4)
		return "", err == nil
	}
	var b strings.Builder
	b.Grow(int(n))
	sum := crc32.New(titlesCRC)
	if _, err := io.CopyN(io.MultiWriter(&b, sum), r, int64(n)); err != nil {
		return "", false
	}
	var tail [4]byte
	if _, err := io.ReadFull(r, tail[:]); err != nil || binary.BigEndian.Uint32(tail[:]) != sum.Sum32() {
		return "", false
	}
	return b.String(), true
}

// readTitles reads the title rule's findings from the file p when they were saved under
// key (found not nil), else the state to update (empty when the file is missing, damaged,
// of another format or another program's).
func readTitles(p, key, bin string) (found []diag.Diagnostic, state *check.TitleState) {
	state = &check.TitleState{}
	f, err := os.Open(p)
	if err != nil {
		return nil, state
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<20)
	head, err := r.ReadString('\n')
	prefix := "portal-titles " + strconv.Itoa(titlesFormat) + " " + bin + " "
	savedKey, ok := strings.CutPrefix(strings.TrimSuffix(head, "\n"), prefix)
	if err != nil || !ok {
		return nil, state
	}
	block, ok := readTitlesBlock(r, savedKey != key)
	if !ok {
		return nil, state
	}
	if savedKey == key {
		saved, err := (&findingsReader{binrec.Reader{S: block}}).findings()
		if err != nil {
			return nil, state
		}
		return saved, nil
	}
	if block, ok = readTitlesBlock(r, false); !ok {
		return nil, state
	}
	if st, err := (&findingsReader{binrec.Reader{S: block}}).titleState(); err == nil {
		state = check.RestoreTitles(st)
	}
	return nil, state
}

// titlesKey hashes what the title rule reads of docs (see check.SameTitles).
// The fields are hashed as they go, a buffer at a time, rather than gathered first (at
// 100,000 articles they are 13 MB, grown by doubling at every build): the key is
// keyWriter's over the same fields.
func titlesKey(docs []*content.Document, bin string) string {
	const chunk = 32 << 10
	h := sha256.New()
	k := newKey().str("titles 1").str(bin)
	for _, d := range docs {
		k.str(d.Path).int(int(d.Kind)).str(d.Title).int(d.Line("title"))
		if len(k.buf) >= chunk {
			h.Write(k.buf)
			k.buf = k.buf[:0]
		}
	}
	h.Write(k.buf)
	return hex.EncodeToString(h.Sum(nil)[:keySize])
}

// gobSafeDiagnostics reports whether the findings' arguments are plain values gob writes
// as they are (the title rule's are strings and nested messages).
func gobSafeDiagnostics(ds []diag.Diagnostic) bool {
	for _, d := range ds {
		if !gobSafeArgs(d.Args) {
			return false
		}
	}
	return true
}

func gobSafeArgs(args []any) bool {
	for _, a := range args {
		switch x := a.(type) {
		case string, int, int64, float64, bool:
		case message.Text:
			if !gobSafeArgs(x.Args) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// readHint reads the cache file name in dir through read; a missing, unreadable or
// damaged file reads as the zero T (the cache is only ever a hint).
func readHint[T any](dir, name string, read func(io.Reader) (T, error)) T {
	var none T
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return none
	}
	defer f.Close()
	v, err := read(f)
	if err != nil {
		return none
	}
	return v
}

// writeHint writes v as the cache file name in dir (writeAtomic), or removes the file
// when v cannot be written, so that no stale hint outlives it.
func writeHint(dir, name string, v io.WriterTo) {
	err := writeAtomic(dir, name, func(w io.Writer) error {
		_, err := v.WriteTo(w)
		return err
	})
	if err != nil {
		dropHint(dir, name)
	}
}

// dropHint removes the cache file name in dir.
func dropHint(dir, name string) { _ = os.Remove(filepath.Join(dir, name)) }

// writeAtomic writes name in dir, what write writes (buffered), through a temporary file
// renamed over it: on an error the old file, or none, stays.
func writeAtomic(dir, name string, write func(io.Writer) error) error {
	s, err := stageFile(dir, name, write)
	if err != nil {
		return err
	}
	return s.commit()
}

// stagedFile is a file written under a temporary name in the folder of the file it is to
// replace (stageFile), until commit renames it into place or discard removes it.
type stagedFile struct{ tmp, dest string }

// stageFile writes what write writes (buffered) into a temporary file in dir, to become
// name by commit. On an error nothing is left and the old file, or none, stays.
func stageFile(dir, name string, write func(io.Writer) error) (stagedFile, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return stagedFile{}, err
	}
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return stagedFile{}, err
	}
	s := stagedFile{tmp: f.Name(), dest: filepath.Join(dir, name)}
	w := &stagingWriter{Writer: bufio.NewWriter(f), f: f}
	err = write(w)
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = w.err
	}
	for _, p := range w.patches {
		if err == nil {
			_, err = f.WriteAt(p.b, p.off)
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		s.discard()
		return stagedFile{}, err
	}
	return s, nil
}

// commit renames the staged file over its destination (on an error it is removed).
func (s stagedFile) commit() error {
	err := os.Rename(s.tmp, s.dest)
	if err != nil {
		s.discard()
	}
	return err
}

// discard removes the staged file, if it is still there.
func (s stagedFile) discard() { _ = os.Remove(s.tmp) }

// stagingWriter is the buffered writer of a staged file (stageFile), which can write
// bytes whose value is known only later (later) at their place once the rest is written.
type stagingWriter struct {
	*bufio.Writer
	f       *os.File
	patches []filePatch
	err     error // of finding a place (stageFile fails with it)
}

// filePatch is bytes b to write at off once the staged file is flushed.
type filePatch struct {
	off int64
	b   []byte
}

// later writes n zero bytes, and returns the function that sets them: what it is given
// (n bytes) is written over them when the file is flushed.
func (w *stagingWriter) later(n int) func([]byte) {
	off, err := w.f.Seek(0, io.SeekCurrent)
	if err != nil {
		w.err = cmp.Or(w.err, err)
		return func([]byte) {}
	}
	off += int64(w.Buffered())
	_, _ = w.Write(make([]byte, n)) // an error is bufio's own, returned by every later write and Flush
	return func(b []byte) {
		if len(b) != n {
			panic("build: stagingWriter.later given a length other than the one it reserved")
		}
		w.patches = append(w.patches, filePatch{off, slices.Clone(b)})
	}
}
