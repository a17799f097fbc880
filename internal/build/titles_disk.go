package build

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

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
// those with the others (check.TitleState, saved beside the findings). The file is written whenever the rule runs (it names its inputs,
// so a failed build cannot make it wrong); a damaged or foreign one means running the rule.

// titlesCRC sums the findings' block.
var titlesCRC = crc32.MakeTable(crc32.Castagnoli)

// titlesFile is the saved findings' name in the cache folder.
const titlesFile = "titles.gob"

// titlesFormat is the version of titlesFile: a head line "portal-titles <format> <bin>
// <key>", the findings' block (its length in 8 bytes, the findings as titles_codec.go
// writes them, a CRC-32C of them), then the check.SavedTitles state as gob. A rebuild
// in which no title changed reads the head and the findings only: the state holds every
// title and every similar pair, the larger part (most of the file's 228 MB at 100,000
// articles of the generated corpus). Files of other formats (gob values from format 2
// on) are read as foreign: the rule runs and the file is written anew. Bin and the state
// let the next build whose key differs (an article added, deleted or retitled) compare
// only the titles that changed (check.TitleState), when the same program saved them.
const titlesFormat = 3

func titlesHead(key, bin string) string {
	return "portal-titles " + strconv.Itoa(titlesFormat) + " " + bin + " " + key
}

// diskTitles returns the title rule of a DiskCache build in dir by the program bin.
func diskTitles(dir, bin string) func(context.Context, []*content.Document) []diag.Diagnostic {
	return func(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
		key := titlesKey(docs, bin)
		found, state := readTitles(filepath.Join(dir, titlesFile), key, bin)
		if found != nil {
			return found
		}
		found = state.Update(ctx, docs)
		if ctx.Err() == nil && gobSafeDiagnostics(found) {
			// A failure leaves the last file, which names its own key, or none.
			_ = writeAtomic(dir, titlesFile, func(w io.Writer) error {
				block := appendFindings(nil, found)
				head := binary.BigEndian.AppendUint64([]byte(titlesHead(key, bin)+"\n"), uint64(len(block)))
				if _, err := w.Write(head); err != nil {
					return err
				}
				if _, err := w.Write(binary.BigEndian.AppendUint32(block, crc32.Checksum(block, titlesCRC))); err != nil {
					return err
				}
				return gob.NewEncoder(w).Encode(state.Save())
			})
		}
		return found
	}
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
	var size [8]byte
	if _, err := io.ReadFull(r, size[:]); err != nil {
		return nil, state
	}
	n := binary.BigEndian.Uint64(size[:])
	if n > 1<<40 {
		return nil, state
	}
	if savedKey == key {
		// The findings' block read into one string, summed as it goes by.
		var b strings.Builder
		b.Grow(int(n))
		sum := crc32.New(titlesCRC)
		if _, err := io.CopyN(io.MultiWriter(&b, sum), r, int64(n)); err != nil {
			return nil, state
		}
		var tail [4]byte
		if _, err := io.ReadFull(r, tail[:]); err != nil || binary.BigEndian.Uint32(tail[:]) != sum.Sum32() {
			return nil, state
		}
		saved, err := (&findingsReader{binrec.Reader{S: b.String()}}).findings()
		if err != nil {
			return nil, state
		}
		return saved, nil
	}
	if _, err := r.Discard(int(n) + 4); err != nil {
		return nil, state
	}
	var st check.SavedTitles
	if gob.NewDecoder(r).Decode(&st) == nil && st.Titles != nil {
		state = check.RestoreTitles(st)
	}
	return nil, state
}

// titlesKey hashes what the title rule reads of docs (see check.SameTitles).
func titlesKey(docs []*content.Document, bin string) string {
	k := newKey().str("titles 1").str(bin)
	for _, d := range docs {
		k.str(d.Path).int(int(d.Kind)).str(d.Title).int(d.Line("title"))
	}
	return hex.EncodeToString([]byte(k.sum()))
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after the rename: nothing left to remove
	w := bufio.NewWriter(f)
	if err := write(w); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), filepath.Join(dir, name))
}
