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
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/vnportal/portal/internal/binrec"
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

// asBeforeFile is the record's keys' name in the cache folder; asBeforeReportFile its
// report's (asBeforeKeys.Report names the one the keys go with).
const (
	asBeforeFile       = "asbefore.gob"
	asBeforeReportFile = "asbefore.report"
)

// asBeforeVersion numbers the record's format and what its keys hash.
const asBeforeVersion = 3 // 3: the report in a file of its own, its warnings in titles_codec.go's form

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

// asBeforeRecord is what a build with a DiskCache leaves for the next one: its keys
// (asBeforeFile, a gob value) and its report (asBeforeReportFile, encodeReport), which
// the keys name by its SHA-256 (writeAsBefore). The report is read only when the keys are
// this build's (readAsBefore): it holds the build's warnings, ≈ 63,000 near-duplicate
// title findings at 100,000 articles, which a build with any change decoded for nothing.
// It is written only when it changed (a body edited leaves the same report): at 100,000
// articles encoding it with gob took 0.3 s of every build's cache stage, and the file
// was 67 MB.
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
	// Report is the hex SHA-256 of the report file written with these keys.
	Report string
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
func openDiskSame(dir, bin, dest string, opts Options, pages func() *diskPages) (*diskSame, siteWalk) {
	cacheDir, _ := filepath.Abs(dir)
	s := &diskSame{dir: dir, dest: dest, now: opts.Now}
	if opts.Output != nil || opts.Preview || opts.Images != nil { // not a one-off build's output
		dropHint(dir, asBeforeFile)
		s.pages = pages()
		return s, siteWalk{}
	}
	s.sameKey = sameKey(opts, bin, dest, cacheDir)
	var walk siteWalk
	s.inputs, walk = inputsKey(opts.SiteDir, dest, cacheDir, time.Now())
	if s.inputs != "" {
		rec, _ := readAsBefore(dir, func(k *asBeforeKeys) bool {
			return k.Same == s.sameKey && k.Inputs == s.inputs && !s.now.Before(k.Now) && (k.Next.IsZero() || s.now.Before(k.Next))
		})
		if rec != nil {
			if l := readHint(dir, listingFile, publish.ReadListing); l != nil && cacheKey(dir) == rec.Keys.Cache && l.Holds(dest) && outputKey(dest, l.Files(), nil) == rec.Keys.Output {
				s.rep, s.ok = rec.Report.asBefore(dest), true
				return s, siteWalk{}
			}
		}
	}
	dropHint(dir, asBeforeFile)
	s.pages = pages()
	return s, walk
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
	_ = writeAsBefore(s.dir, &rec)
}

// A diagnostic's message may hold a message in its arguments (message.New), which a
// record keeps for the next build to print in its language.
func init() { gob.Register(message.Text{}) }

// writeAsBefore writes rec into the cache folder dir: its report, unless the report
// file there is this one already (its head names its sum), then its keys, which name the
// report (each file through a temporary one renamed into place). The keys are removed
// when a build starts (openDiskSame) and written last: a build stopped in between leaves
// a report without keys, which no build reads.
func writeAsBefore(dir string, rec *asBeforeRecord) error {
	report, err := encodeReport(&rec.Report)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(report)
	rec.Keys.Report = hex.EncodeToString(sum[:])
	if reportSum(dir) != rec.Keys.Report {
		err := writeAtomic(dir, asBeforeReportFile, func(w io.Writer) error {
			if _, err := io.WriteString(w, reportHead(rec.Keys.Report)+"\n"); err != nil {
				return err
			}
			_, err := w.Write(report)
			return err
		})
		if err != nil {
			dropHint(dir, asBeforeReportFile)
			return err
		}
	}
	return writeAtomic(dir, asBeforeFile, func(w io.Writer) error { return gob.NewEncoder(w).Encode(&rec.Keys) })
}

func reportHead(sum string) string {
	return "portal-asbefore-report " + strconv.Itoa(asBeforeVersion) + " " + sum
}

// reportSum is the sum the head line of the report file in dir names ("" when there is
// none), without reading the rest of it.
func reportSum(dir string) string {
	f, err := os.Open(filepath.Join(dir, asBeforeReportFile))
	if err != nil {
		return ""
	}
	defer f.Close()
	head, err := headLine(f)
	if err != nil {
		return ""
	}
	sum, ok := strings.CutPrefix(head, reportHead(""))
	if !ok {
		return ""
	}
	return sum
}

// errNotAsBefore: the record's keys are not those of this build.
var errNotAsBefore = errors.New("asbefore: the keys differ")

// readAsBefore reads the record writeAsBefore left in dir whose keys match accepts; the
// report is not read when they do not (errNotAsBefore). A report that is not the one its
// keys name (damaged, or cut short) is removed, so that the next record writes it again.
func readAsBefore(dir string, match func(*asBeforeKeys) bool) (*asBeforeRecord, error) {
	var rec asBeforeRecord
	f, err := os.Open(filepath.Join(dir, asBeforeFile))
	if err != nil {
		return nil, err
	}
	err = gob.NewDecoder(f).Decode(&rec.Keys)
	f.Close()
	if err != nil {
		return nil, err
	}
	if rec.Keys.Version != asBeforeVersion {
		return nil, fmt.Errorf("asbefore: version %d", rec.Keys.Version)
	}
	if !match(&rec.Keys) {
		return nil, errNotAsBefore
	}
	b, err := os.ReadFile(filepath.Join(dir, asBeforeReportFile))
	if err != nil {
		return nil, err
	}
	head, report, _ := bytes.Cut(b, []byte{'\n'})
	sum := sha256.Sum256(report)
	if string(head) != reportHead(rec.Keys.Report) || hex.EncodeToString(sum[:]) != rec.Keys.Report {
		dropHint(dir, asBeforeReportFile)
		return nil, errors.New("asbefore: the report is not the one its keys name")
	}
	if rec.Report, err = decodeReport(string(report)); err != nil {
		dropHint(dir, asBeforeReportFile)
		return nil, err
	}
	return &rec, nil
}

// The report's encodings (encodeReport's first byte).
const (
	reportFindings byte = 'b' // its diagnostics as the titles file's findings, then the rest as gob
	reportGob      byte = 'g' // all of it as gob (a diagnostic argument the findings' form cannot hold)
)

// encodeReport encodes r: its diagnostics in the findings' form of titles_codec.go
// (gob spent 0.3 s on the 63,000 of a 100,000-article build, each argument with its
// type's name), the rest with gob. Diagnostics with an argument of another type are all
// written with gob.
func encodeReport(r *savedReport) ([]byte, error) {
	var buf bytes.Buffer
	rest := *r
	if gobSafeDiagnostics(r.Diagnostics) {
		buf.WriteByte(reportFindings)
		block := binary.AppendUvarint(nil, uint64(len(r.Diagnostics)))
		for _, d := range r.Diagnostics {
			block = appendFinding(block, d)
		}
		buf.Write(binary.AppendUvarint(nil, uint64(len(block))))
		buf.Write(block)
		rest.Diagnostics = nil
	} else {
		buf.WriteByte(reportGob)
	}
	if err := gob.NewEncoder(&buf).Encode(&rest); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeReport decodes what encodeReport encoded.
func decodeReport(b string) (savedReport, error) {
	var r savedReport
	if b == "" {
		return r, errors.New("asbefore: an empty report")
	}
	kind, b := b[0], b[1:]
	var ds []diag.Diagnostic
	switch kind {
	case reportFindings:
		n, k := binary.Uvarint([]byte(b[:min(len(b), binary.MaxVarintLen64)]))
		if k <= 0 || n > uint64(len(b)-k) {
			return r, binrec.ErrDamaged
		}
		fr := findingsReader{binrec.Reader{S: b[k : k+int(n)]}}
		var err error
		if ds, err = fr.findings(); err != nil {
			return r, err
		}
		b = b[k+int(n):]
	case reportGob:
	default:
		return r, fmt.Errorf("asbefore: a report of kind %q", kind)
	}
	if err := gob.NewDecoder(strings.NewReader(b)).Decode(&r); err != nil {
		return r, err
	}
	if kind == reportFindings {
		r.Diagnostics = ds
	}
	return r, nil
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
// content/, and the entries of the folders there, by their path from siteDir
// ("content/…"), for the reading stage (walkedFS), which then stats and reads none of
// them again: the walk goes on to the end when the key cannot be trusted (after an edit,
// the edited file is younger than the margin).
func inputsKey(siteDir, dest, cacheDir string, start time.Time) (string, siteWalk) {
	root, err := filepath.Abs(siteDir)
	if err != nil {
		return "", siteWalk{}
	}
	h := sha256.New()
	var buf []byte
	limit := start.Add(-inputsMargin).UnixNano()
	walk := siteWalk{stamps: map[string]fs.FileInfo{}, dirs: map[string][]fs.DirEntry{}}
	contentRoot := filepath.Join(root, "content")
	contentDir := contentRoot + string(filepath.Separator)
	untrusted := false
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		skip := d.IsDir() && p != root && (p == dest || p == cacheDir)
		inContent := strings.HasPrefix(p, contentDir)
		if skip && !inContent {
			return fs.SkipDir
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if inContent {
			rel := filepath.ToSlash(p[len(root)+1:])
			parent := path.Dir(rel)
			walk.dirs[parent] = append(walk.dirs[parent], fs.FileInfoToDirEntry(fi))
			if fi.Mode().IsRegular() {
				walk.stamps[rel] = fi
			}
			if d.IsDir() && !skip {
				walk.dirs[rel] = []fs.DirEntry{} // its entries follow; none if it is empty
			}
		} else if p == contentRoot && d.IsDir() {
			walk.dirs["content"] = []fs.DirEntry{}
		}
		if skip {
			return fs.SkipDir
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
		return "", siteWalk{}
	}
	if untrusted {
		return "", walk
	}
	return hex.EncodeToString(h.Sum(nil)), walk
}

// cacheKey hashes the names and identities of the files of the cache folder dir that a
// build reads (the record and its report, the lock, the program's remembered hash,
// written at the first build whose folder exists, and the pack of bodies, which opening
// it for a build may truncate to its index's end, left out): a cache file changed, damaged or removed
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
		if !e.Type().IsRegular() || strings.HasPrefix(name, "asbefore.") || name == buildcache.ProgramFile || strings.HasPrefix(name, "bodies-") || strings.HasSuffix(name, ".lock") {
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
