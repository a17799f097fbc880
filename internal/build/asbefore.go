package build

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/gob"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/parallel"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
)

// A `portal build` with its cache folder whose inputs are all as the last successful
// build found them, into an output folder as that build left it, would render, link
// and write nothing: its output is the last one, byte for byte. Such a build runs no
// stage: it checks, and reports what the last build reported (as a build with nothing
// changed says it: every page, body and image reused). At 100,000 articles the stages
// took 12.6 s of such a build (BENCHMARKS.md, "Fifteenth session, branch cached19").
//
// What is checked, in the order of its cost:
//   - the program, the options, the site and output folders (sameKey);
//   - the clock: not before the last build's, and before the next scheduled change the
//     last build found (an article's date or expiryDate, a legal document taking effect,
//     the schedule's new week: NextScheduled), the only ways the output changes with no
//     file changed;
//   - every file and folder under the site folder (the output and cache folders left
//     out): path, type, and each file's size, modification and change times, inode and
//     device, hashed (inputsKey). Content, config.toml, data, layouts, static files, the schedules,
//     photos and PDFs are all there; the embedded theme is the program. A change time
//     cannot be set by hand, so an edit shows even when the modification time is put
//     back. A tree with a symbolic link, or with an entry changed less than racyMargin
//     before the walk (a change in the same tick of the file system's clock would not
//     show), is not recorded: the next build runs every stage;
//   - the cache folder's own files (cacheKey): one damaged, removed or replaced since
//     was not the last build's, and the stages that read it say so;
//   - the output folder's names, by the listing the last commit saved (publish.Listing's
//     Holds: its folders' stamps);
//   - the identity (size, times, inode) of every file in it, against those the last
//     build recorded for them (outputKey): a page edited or replaced by hand in the
//     output is seen, as a build that runs its stages sees it (keptFile).
//
// The record is removed when a build that does not skip starts (under the cache
// folder's lock), and written again after it succeeded; a build that fails, or is
// stopped, leaves none, and the next one runs every stage.

// asBeforeFile is the record's name in the cache folder.
const asBeforeFile = "asbefore.gob"

// asBeforeVersion numbers the record's format and what its keys hash.
const asBeforeVersion = 2

// sameStore is a run's part in skipping a build that would change nothing.
type sameStore interface {
	// same returns the report of a build with nothing changed, when nothing that the
	// output depends on changed since the last build (checked by the Cache's open).
	same() (Report, bool)
	// committed keeps what the next build checks, after a successful build whose
	// report is rep and whose commit left the output as listing says.
	committed(rep Report, listing *publish.Listing)
}

type noSame struct{}

func (noSame) same() (Report, bool)               { return Report{}, false }
func (noSame) committed(Report, *publish.Listing) {}

// asBeforeRecord is what a build with a DiskCache leaves for the next one: its keys,
// then its report, as two gob values one after the other in the file (writeAsBefore).
// The report is read only when the keys are this build's (readAsBefore): it holds the
// build's warnings, ≈ 63,000 near-duplicate title findings at 100,000 articles, which a
// build with any change decoded for nothing.
type asBeforeRecord struct {
	Keys   asBeforeKeys
	Report savedReport
}

// asBeforeKeys are what a build checks against the record the last one left.
type asBeforeKeys struct {
	Version int
	// Same hashes the program, the options and the folders (sameKey); Inputs the site
	// folder's tree (inputsKey); Output the output folder's files (outputKey); Cache the
	// cache folder's own files as the build left them (cacheKey).
	Same, Inputs, Output, Cache string
	// Now is the clock of the build; Next its next scheduled change (zero: none).
	Now, Next time.Time
}

// savedReport is the part of a Report that a build with nothing changed repeats.
type savedReport struct {
	Diagnostics       []diag.Diagnostic
	Pages             map[site.Kind]int
	Articles          int
	Files             int
	Bytes             int64
	BytesBeforeMinify int64
	Minified          int
	Precompressed     int
	GzBytes           int64
	Search            search.BuildStats
	IndexDir          string
	Pages2            int // pages rendered or reused
	Bodies            int // Markdown bodies rendered or reused
	Documents         int // content files parsed or reused
	Images            int
	Attachments       AttachmentStats
	NextScheduled     Scheduled
	HeldBack          []HeldBack
}

// diskSame is a DiskCache's sameStore.
type diskSame struct {
	dir, dest string
	// sameKey and inputs are this build's keys, taken before it read anything ("":
	// not to be recorded); now is its clock.
	sameKey, inputs string
	now             time.Time
	pages           *diskPages
	rep             Report
	ok              bool
}

// sameKey hashes what, besides the files, decides a build's output and report.
func sameKey(opts Options, bin, dest, cacheDir string) string {
	site, _ := filepath.Abs(opts.SiteDir)
	h := sha256.New()
	fmt.Fprintf(h, "asbefore %d\x00%s\x00%s\x00%s\x00%s\x00%+v\x00%s\x00%t %t %t %t %t %t %t\x00%s", asBeforeVersion, bin, site, dest, cacheDir,
		opts.Include, opts.BaseURL, opts.Minify, opts.Precompress, opts.Preview, opts.NoSearch, opts.AllowShrink, opts.Changes, opts.Strict, opts.LiveReloadURL)
	return hex.EncodeToString(h.Sum(nil))
}

// openDiskSame checks the record the last build left in dir against this build (see
// above). A build that does not skip removes the record (the caller holds the cache
// folder's lock). It also returns the content files' stamps that its walk took, for the
// reading stage (none when the build skips).
func openDiskSame(dir, bin, dest string, opts Options, pages func() *diskPages) (*diskSame, map[string]fs.FileInfo) {
	cacheDir, _ := filepath.Abs(dir)
	s := &diskSame{dir: dir, dest: dest, now: opts.Now}
	if opts.Output != nil || opts.Preview || opts.Images != nil { // not a one-off build's output
		dropHint(dir, asBeforeFile)
		s.pages = pages()
		return s, nil
	}
	s.sameKey = sameKey(opts, bin, dest, cacheDir)
	var stamps map[string]fs.FileInfo
	s.inputs, stamps = inputsKey(opts.SiteDir, dest, cacheDir, time.Now())
	if s.inputs != "" {
		rec := readHint(dir, asBeforeFile, func(r io.Reader) (*asBeforeRecord, error) {
			return readAsBefore(r, func(k *asBeforeKeys) bool {
				return k.Same == s.sameKey && k.Inputs == s.inputs && !s.now.Before(k.Now) && (k.Next.IsZero() || s.now.Before(k.Next))
			})
		})
		if rec != nil {
			if l := readHint(dir, listingFile, publish.ReadListing); l != nil && cacheKey(dir) == rec.Keys.Cache && l.Holds(dest) && outputKey(dest, l.Files(), nil) == rec.Keys.Output {
				s.rep, s.ok = rec.Report.asBefore(dest), true
				return s, nil
			}
		}
	}
	dropHint(dir, asBeforeFile)
	s.pages = pages()
	return s, stamps
}

func (s *diskSame) same() (Report, bool) { return s.rep, s.ok }

// committed writes the record of a successful build: its keys, taken before it read
// anything, and the identities of the output's files, those of the pages from the
// manifest the build just saved (no system call each), the others stat'ed.
func (s *diskSame) committed(rep Report, listing *publish.Listing) {
	if s.inputs == "" || s.pages == nil || s.pages.saved == nil || listing == nil {
		return
	}
	out := outputKey(s.dest, listing.Files(), s.pages.saved)
	if out == "" {
		return
	}
	cache := cacheKey(s.dir)
	if cache == "" {
		return
	}
	rec := asBeforeRecord{Keys: asBeforeKeys{Version: asBeforeVersion, Same: s.sameKey, Inputs: s.inputs, Output: out, Cache: cache,
		Now: s.now, Next: rep.NextScheduled.At}, Report: saveReport(rep)}
	// A diagnostic whose arguments gob cannot encode (an error value) leaves no record.
	_ = writeAtomic(s.dir, asBeforeFile, func(w io.Writer) error { return writeAsBefore(w, &rec) })
}

// A diagnostic's message may hold a message in its arguments (message.New), which a
// record keeps for the next build to print in its language.
func init() { gob.Register(message.Text{}) }

// writeAsBefore writes rec: its keys, then its report (asBeforeRecord).
func writeAsBefore(w io.Writer, rec *asBeforeRecord) error {
	e := gob.NewEncoder(w)
	if err := e.Encode(&rec.Keys); err != nil {
		return err
	}
	return e.Encode(&rec.Report)
}

// errNotAsBefore: the record's keys are not those of this build.
var errNotAsBefore = errors.New("asbefore: the keys differ")

// readAsBefore reads a record written by writeAsBefore whose keys match accepts; the
// report is not decoded when they do not (errNotAsBefore).
func readAsBefore(r io.Reader, match func(*asBeforeKeys) bool) (*asBeforeRecord, error) {
	var rec asBeforeRecord
	dec := gob.NewDecoder(r)
	if err := dec.Decode(&rec.Keys); err != nil {
		return nil, err
	}
	if rec.Keys.Version != asBeforeVersion {
		return nil, fmt.Errorf("asbefore: version %d", rec.Keys.Version)
	}
	if !match(&rec.Keys) {
		return nil, errNotAsBefore
	}
	if err := dec.Decode(&rec.Report); err != nil {
		return nil, err
	}
	return &rec, nil
}

// saveReport keeps what a build with nothing changed would report after rep's build.
// The cache's own warnings (the cache was missing, another program's) are not repeated.
func saveReport(rep Report) savedReport {
	var ds []diag.Diagnostic
	for _, d := range rep.Diagnostics {
		if d.Code != "cache" {
			ds = append(ds, d)
		}
	}
	// A build that rendered no page minified what every build minifies again (the few
	// files written each time); after one that rendered pages, the bytes as they are.
	before, minified := rep.Publish.Bytes, 0
	if rep.Rendered == 0 {
		before, minified = rep.Publish.BytesBeforeMinify, rep.Publish.Minified
	}
	return savedReport{Diagnostics: ds, Pages: rep.Pages, Articles: rep.Articles, Files: rep.Publish.Files, Bytes: rep.Publish.Bytes,
		BytesBeforeMinify: before, Minified: minified, Precompressed: rep.Publish.Precompressed,
		GzBytes: rep.Publish.PrecompressedBytes, Search: rep.Search, IndexDir: rep.IndexDir, Pages2: rep.Rendered + rep.Reused,
		Bodies: rep.MarkdownRendered + rep.MarkdownReused, Documents: rep.documents, Images: rep.ImagesProcessed + rep.ImagesReused,
		Attachments: rep.Attachments, NextScheduled: rep.NextScheduled, HeldBack: rep.HeldBack}
}

// asBefore is the report of a build into dest that found nothing changed.
func (r savedReport) asBefore(dest string) Report {
	rep := Report{Diagnostics: r.Diagnostics, Pages: r.Pages, Articles: r.Articles, Dest: dest, IndexDir: r.IndexDir,
		Reused: r.Pages2, MarkdownReused: r.Bodies, DocumentsReused: r.Documents, ImagesReused: r.Images,
		NextScheduled: r.NextScheduled, HeldBack: r.HeldBack, AsBefore: true, Changed: []string{}}
	if rep.Pages == nil {
		rep.Pages = map[site.Kind]int{}
	}
	rep.Publish = publish.Stats{Files: r.Files, Bytes: r.Bytes, BytesBeforeMinify: r.BytesBeforeMinify, Minified: r.Minified,
		Precompressed: r.Precompressed, PrecompressedBytes: r.GzBytes, Changes: []publish.Change{}, Listed: true}
	if r.IndexDir != "" {
		s := r.Search
		rep.Search = search.BuildStats{Unchanged: s.Added + s.Updated + s.Unchanged, Bytes: s.Bytes, Incremental: true, Reused: true}
	}
	rep.Attachments = AttachmentStats{Reused: r.Attachments.Read + r.Attachments.Reused}
	return rep
}

// inputsKey hashes the tree of the site folder siteDir (see above), leaving out the
// output and cache folders; "" when it cannot be trusted to show the next change (a
// symbolic link, an entry changed less than inputsMargin before start, a folder that
// cannot be read). It also returns the stamps the walk took of the regular files under
// content/, by their path from siteDir ("content/…"), for the reading stage (walkedFS),
// which then stats none of them again: the walk goes on to the end when the key cannot
// be trusted (after an edit, the edited file is younger than the margin).
func inputsKey(siteDir, dest, cacheDir string, start time.Time) (string, map[string]fs.FileInfo) {
	root, err := filepath.Abs(siteDir)
	if err != nil {
		return "", nil
	}
	h := sha256.New()
	var buf []byte
	limit := start.Add(-inputsMargin).UnixNano()
	stamps := map[string]fs.FileInfo{}
	contentDir := filepath.Join(root, "content") + string(filepath.Separator)
	untrusted := false
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && (p == dest || p == cacheDir) {
			return fs.SkipDir
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.Mode().IsRegular() && strings.HasPrefix(p, contentDir) {
			stamps[filepath.ToSlash(p[len(root)+1:])] = fi
		}
		if untrusted {
			return nil
		}
		if fi.Mode()&fs.ModeSymlink != 0 {
			untrusted = true
			return nil
		}
		buf = append(buf[:0], p[len(root):]...)
		buf = append(buf, 0)
		buf = binary.LittleEndian.AppendUint32(buf, uint32(fi.Mode()))
		if !d.IsDir() {
			// A folder's own stamp is left out: the walk sees its names, and a build
			// into an output folder inside the site folder changes the site folder's
			// times (its staging folder comes and goes beside the output).
			id, err := buildcache.IDOf(fi)
			if err != nil {
				return err
			}
			if id.ChgNs >= limit || id.ModNs >= limit {
				untrusted = true
				return nil
			}
			buf = appendID(buf, id)
		}
		h.Write(buf)
		return nil
	})
	if err != nil {
		return "", nil
	}
	if untrusted {
		return "", stamps
	}
	return hex.EncodeToString(h.Sum(nil)), stamps
}

// cacheKey hashes the names and identities of the files of the cache folder dir that a
// build reads (the record, the lock and the pack of bodies, which opening it for a build
// may truncate to its index's end, left out): a cache file changed, damaged or removed
// since the last build was not its, and the build runs its stages (which say so). ""
// when the folder cannot be read.
func cacheKey(dir string) string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || strings.HasPrefix(name, asBeforeFile) || strings.HasPrefix(name, "bodies-") || strings.HasSuffix(name, ".lock") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			return ""
		}
		id, err := buildcache.IDOf(fi)
		if err != nil {
			return ""
		}
		h.Write(appendID(append([]byte(name), 0), id))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// inputsMargin is how long before the walk an entry of the site folder must have last
// changed for its stamp to show the next change (publish's racyMargin, for the same
// reason: a change in the same tick of the file system's clock would not show).
const inputsMargin = 2 * time.Second

func appendID(buf []byte, id buildcache.FileID) []byte {
	buf = binary.LittleEndian.AppendUint64(buf, uint64(id.Size))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(id.ModNs))
	buf = binary.LittleEndian.AppendUint64(buf, uint64(id.ChgNs))
	buf = binary.LittleEndian.AppendUint64(buf, id.Ino)
	return binary.LittleEndian.AppendUint64(buf, id.Dev)
}

// outputKey hashes the identities of the files of dest at the sorted paths files: from
// pages (a page's entry in the manifest just saved, and its .gz sibling's when recorded)
// or else stat'ed (in parallel). "" when a file cannot be stat'ed.
func outputKey(dest string, files []string, pages map[string]buildcache.Entry) string {
	ids := make([]buildcache.FileID, len(files))
	var todo []int
	for i, rel := range files {
		if e, ok := pages[rel]; ok {
			ids[i] = e.File
			continue
		}
		if base, ok := strings.CutSuffix(rel, publish.GzipSuffix); ok {
			if e, ok := pages[base]; ok && e.Gz != (buildcache.FileID{}) {
				ids[i] = e.Gz
				continue
			}
		}
		todo = append(todo, i)
	}
	out := buildcache.OpenDir(dest)
	defer out.Close()
	var bad atomic.Bool
	const chunk = 1024
	_ = parallel.Each(context.Background(), (len(todo)+chunk-1)/chunk, func(c int) {
		for _, i := range todo[c*chunk : min(len(todo), (c+1)*chunk)] {
			id, err := out.Stat(files[i])
			if err != nil {
				bad.Store(true)
				return
			}
			ids[i] = id
		}
	})
	if bad.Load() {
		return ""
	}
	h := sha256.New()
	var buf bytes.Buffer
	for i, rel := range files {
		buf.Reset()
		buf.WriteString(rel)
		buf.WriteByte(0)
		buf.Write(appendID(nil, ids[i]))
		h.Write(buf.Bytes())
	}
	return hex.EncodeToString(h.Sum(nil))
}
