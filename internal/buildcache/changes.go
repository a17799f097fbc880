package buildcache

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// After an edit a build renders a dozen pages of 173,000 (at 100,000 articles): writing
// the whole manifest again (38 MB, synced to disk) cost more than the rest of the cache
// stage. While the pages that differ from the full manifest are few, a build writes only
// those (and the paths gone) to ChangesName, against the full manifest named by its size
// and modification time; Load reads both. A changes file made against another manifest,
// by another program or for another output, or damaged, is not read: the pages it would
// have named are then found with their old entries, whose files are no longer the ones
// recorded (each was written anew), so they are rendered again, never reused wrongly.

// ChangesName is the changes' file in the cache folder.
const ChangesName = "pages.changes"

const changesMagic = "portal-build-cache-changes"

// changesShare: a build writes only the changes while they are at most this share of
// its pages (at 100,000 articles, 21,600), else the whole manifest again.
const changesShare = 8

// tagOf names one full manifest file by its size and modification time (each is written
// to a new file renamed into place).
func tagOf(fi fs.FileInfo) string {
	return strconv.FormatInt(fi.Size(), 10) + "." + strconv.FormatInt(fi.ModTime().UnixNano(), 10)
}

// loadChanges applies to m the changes in dir made against the full manifest m was read
// from, if any (see above: anything else is ignored).
func (m *Manifest) loadChanges(dir string) error {
	data, err := os.ReadFile(filepath.Join(dir, ChangesName))
	if err != nil {
		return nil // none (or unreadable: as none)
	}
	pages, gone, ok := parseChanges(data, m)
	if !ok {
		return nil
	}
	m.journaled = make(map[string]bool, len(pages)+len(gone))
	for rel, e := range pages {
		m.Pages[rel] = e
		m.journaled[rel] = true
	}
	for _, rel := range gone {
		delete(m.Pages, rel)
		m.journaled[rel] = true
	}
	return nil
}

// parseChanges reads a changes file made against m's full manifest by m's program for
// m's output: its entries and the paths gone.
func parseChanges(data []byte, m *Manifest) (map[string]Entry, []string, bool) {
	i := bytes.LastIndexByte(bytes.TrimSuffix(data, []byte{'\n'}), '\n')
	if i < 0 || !bytes.HasSuffix(data, []byte{'\n'}) {
		return nil, nil, false
	}
	sum := sha256.Sum256(data[:i+1])
	if string(data[i+1:len(data)-1]) != "end "+hex.EncodeToString(sum[:]) {
		return nil, nil, false
	}
	rest := string(data[:i+1])
	line := func() string {
		l, after, _ := strings.Cut(rest, "\n")
		rest = after
		return l
	}
	if line() != changesMagic+" "+strconv.Itoa(Version) || line() != "base "+m.base ||
		line() != "binary "+oneLine(m.Binary) || line() != "dest "+oneLine(m.Dest) {
		return nil, nil, false
	}
	count := func(name string) (int, bool) {
		v, ok := strings.CutPrefix(line(), name+" ")
		n, err := strconv.Atoi(v)
		return n, ok && err == nil && n >= 0 && n <= len(rest)
	}
	n, ok := count("pages")
	if !ok {
		return nil, nil, false
	}
	pages := make(map[string]Entry, n)
	for range n {
		rel, e, err := parseEntry(line())
		if err != nil {
			return nil, nil, false
		}
		pages[rel] = e
	}
	n, ok = count("gone")
	if !ok {
		return nil, nil, false
	}
	gone := make([]string, 0, n)
	for range n {
		rel := line()
		if rel == "" {
			return nil, nil, false
		}
		gone = append(gone, rel)
	}
	if rest != "" || len(pages) == 0 && len(gone) == 0 {
		return nil, nil, false
	}
	return pages, gone, true
}

// SaveOver writes m in dir as the changes over the full manifest prev was read from
// (Load), when that file is still in place, prev is of the same program and output, and
// the pages that differ from it are few (changesShare); else it saves m whole (Save).
func (m *Manifest) SaveOver(dir string, prev *Manifest) error {
	if prev == nil || prev.base == "" || prev.Binary != m.Binary || prev.Dest != m.Dest {
		return m.Save(dir)
	}
	if fi, err := os.Stat(Path(dir)); err != nil || tagOf(fi) != prev.base {
		return m.Save(dir)
	}
	// What differs from the full manifest: a page the changes read named (its entry
	// there is not the full manifest's) or whose entry is not prev's, and the paths of
	// prev or of those changes that m no longer has.
	var changed, gone []string
	for rel, e := range m.Pages {
		if was, ok := prev.Pages[rel]; writable(rel) && (!ok || was != e || prev.journaled[rel]) {
			changed = append(changed, rel)
		}
	}
	for rel := range prev.Pages {
		if _, ok := m.Pages[rel]; !ok && writable(rel) {
			gone = append(gone, rel)
		}
	}
	for rel := range prev.journaled {
		_, now := m.Pages[rel]
		_, was := prev.Pages[rel]
		if !now && !was {
			gone = append(gone, rel) // gone before, still gone
		}
	}
	if len(changed)+len(gone) > len(m.Pages)/changesShare {
		return m.Save(dir)
	}
	if len(changed)+len(gone) == 0 {
		_ = os.Remove(filepath.Join(dir, ChangesName)) // m is the full manifest
		return nil
	}
	slices.Sort(changed)
	slices.Sort(gone)
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %d\nbase %s\nbinary %s\ndest %s\n", changesMagic, Version, prev.base, oneLine(m.Binary), oneLine(m.Dest))
	writeEntries(&b, m.Pages, changed)
	fmt.Fprintf(&b, "gone %d\n", len(gone))
	for _, rel := range gone {
		b.WriteString(rel)
		b.WriteByte('\n')
	}
	sum := sha256.Sum256(b.Bytes())
	fmt.Fprintf(&b, "end %x\n", sum)
	return writeAtomic(dir, ChangesName, b.Bytes())
}
