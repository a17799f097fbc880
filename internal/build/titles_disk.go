package build

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
	"strconv"

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

// titlesFile is the saved findings' name in the cache folder.
const titlesFile = "titles.gob"

// savedTitles is what titlesFile holds. Bin and State let the next build whose key
// differs (an article added, deleted or retitled) compare only the titles that changed
// (check.TitleState), when the same program saved them.
type savedTitles struct {
	Key      string
	Findings []diag.Diagnostic
	Bin      string
	State    check.SavedTitles
}

// diskTitles returns the title rule of a DiskCache build in dir by the program bin.
func diskTitles(dir, bin string) func(context.Context, []*content.Document) []diag.Diagnostic {
	return func(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
		key := titlesKey(docs, bin)
		p := filepath.Join(dir, titlesFile)
		state := &check.TitleState{}
		if b, err := os.ReadFile(p); err == nil {
			var s savedTitles
			if gob.NewDecoder(bytes.NewReader(b)).Decode(&s) == nil {
				if s.Key == key {
					return s.Findings
				}
				if s.Bin == bin && s.State.Titles != nil {
					state = check.RestoreTitles(s.State)
				}
			}
		}
		found := state.Update(ctx, docs)
		if ctx.Err() == nil && gobSafeDiagnostics(found) {
			var buf bytes.Buffer
			if gob.NewEncoder(&buf).Encode(savedTitles{Key: key, Findings: found, Bin: bin, State: state.Save()}) == nil {
				writeAtomic(dir, titlesFile, buf.Bytes())
			}
		}
		return found
	}
}

// titlesKey hashes what the title rule reads of docs (see check.SameTitles).
func titlesKey(docs []*content.Document, bin string) string {
	k := newKey().str("titles 1").str(bin)
	for _, d := range docs {
		k.str(d.Path).int(int(d.Kind)).str(d.Title).int(d.Line("title"))
	}
	return hex.EncodeToString([]byte(k.sum()))
}

func init() {
	gob.Register(message.Text{}) // an argument of the title rule's findings ("gần giống")
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
// when v cannot be encoded, so that no stale hint outlives it.
func writeHint(dir, name string, v io.WriterTo) {
	var buf bytes.Buffer
	if _, err := v.WriteTo(&buf); err != nil {
		dropHint(dir, name)
		return
	}
	writeAtomic(dir, name, buf.Bytes())
}

// dropHint removes the cache file name in dir.
func dropHint(dir, name string) { _ = os.Remove(filepath.Join(dir, name)) }

// writeAtomic writes name in dir through a temporary file renamed over it; a failure
// leaves the old file or none (the cache is only ever a hint).
func writeAtomic(dir, name string, data []byte) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return
	}
	tmp := filepath.Join(dir, name+".tmp-"+strconv.Itoa(os.Getpid()))
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		_ = os.Remove(tmp)
		return
	}
	if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
		_ = os.Remove(tmp)
	}
}
