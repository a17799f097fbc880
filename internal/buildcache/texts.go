package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// TextsDir is the folder of the cache folder that keeps the text of PDF attachments
// (internal/pdftext), and WazeroDir the one that keeps the PDF engine's compiled code.
const (
	TextsDir  = "pdftext"
	WazeroDir = "wazero"
)

// Texts keeps what reading an attachment gave, by pdftext.Key (a hash of the file's
// bytes, the engine's version and the limits): the text as "<key>.txt", or a lasting
// failure as "<key>.err" (the *pdftext.Error as JSON). A key is never reused for other
// content, so an entry found is the right one. Files are written whole (a temporary file
// renamed), so a crash leaves no partial entry under its name.
type Texts struct{ dir string }

// OpenTexts returns the texts store of the cache folder dir, creating it.
func OpenTexts(dir string) (*Texts, error) {
	d := filepath.Join(dir, TextsDir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return nil, fmt.Errorf("không tạo được thư mục chữ của tệp PDF trong bộ nhớ đệm: %w", err)
	}
	return &Texts{dir: d}, nil
}

// Text and Failure are the two kinds of entry.
const (
	Text    = ".txt"
	Failure = ".err"
)

func validKey(key string) bool {
	return key != "" && !strings.ContainsAny(key, `/\.`)
}

// Path returns where the entry key of kind (Text or Failure) is kept, and whether it is
// there.
func (t *Texts) Path(key, kind string) (string, bool) {
	if !validKey(key) {
		return "", false
	}
	p := filepath.Join(t.dir, key+kind)
	fi, err := os.Lstat(p)
	return p, err == nil && fi.Mode().IsRegular()
}

// Read returns the bytes of the entry key of kind, if it is there.
func (t *Texts) Read(key, kind string) ([]byte, bool) {
	p, ok := t.Path(key, kind)
	if !ok {
		return nil, false
	}
	b, err := os.ReadFile(p)
	return b, err == nil
}

// Put keeps data as the entry key of kind.
func (t *Texts) Put(key, kind string, data []byte) error {
	if !validKey(key) {
		return fmt.Errorf("khoá chữ tệp PDF không hợp lệ: %q", key)
	}
	f, err := os.CreateTemp(t.dir, ".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(t.dir, key+kind))
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}

// Prune removes the entries whose key is not in used (after a successful build) when
// they outnumber the used ones, like Variants.Prune. It returns how many it removed.
func (t *Texts) Prune(used map[string]bool) (int, error) {
	entries, err := os.ReadDir(t.dir)
	if err != nil {
		return 0, err
	}
	var stale []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, Text) && !strings.HasSuffix(name, Failure) && !strings.HasPrefix(name, ".tmp-") {
			continue
		}
		key := strings.TrimSuffix(strings.TrimSuffix(name, Text), Failure)
		if !used[key] {
			stale = append(stale, e.Name())
		}
	}
	if len(stale) <= len(used) {
		return 0, nil
	}
	n := 0
	for _, name := range stale {
		if err := os.Remove(filepath.Join(t.dir, name)); err == nil {
			n++
		}
	}
	return n, nil
}

// sumsFile keeps the SHA-256 of each attachment by its path and identity, so that a
// build whose PDFs did not change does not read them even to hash them.
const sumsFile = "sums.gob"

// Sum is the SHA-256 of an attachment's bytes when its file had identity File.
type Sum struct {
	File FileID
	Sum  [sha256.Size]byte
}

// Sums returns the sums the last build recorded (none when the file is missing or
// unreadable: they are worked out again).
func (t *Texts) Sums() map[string]Sum {
	m := map[string]Sum{}
	b, err := os.ReadFile(filepath.Join(t.dir, sumsFile))
	if err != nil || gob.NewDecoder(bytes.NewReader(b)).Decode(&m) != nil {
		return map[string]Sum{}
	}
	return m
}

// PutSums records the sums of a build, in place of the last ones.
func (t *Texts) PutSums(m map[string]Sum) error {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(m); err != nil {
		return err
	}
	f, err := os.CreateTemp(t.dir, ".tmp-")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(buf.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(t.dir, sumsFile))
	}
	if err != nil {
		_ = os.Remove(tmp)
	}
	return err
}
