package publish

import (
	"encoding/binary"
	"math"
	"strings"

	"github.com/vnportal/portal/internal/binrec"
)

// A saved listing's format 2 (listingMagic; WriteTo appends a CRC-32C of it all):
//
//	uvarint len(dest), dest
//	uvarint back: how many bytes hold the paths once read (below)
//	uvarint files; per file: uvarint shared, uvarint len(rest), rest
//	uvarint folders; per folder: the same, then uvarint Dev, uvarint Ino,
//	varint ModNs, varint ChgNs
//
// Each path is the first shared bytes of the one before it (of its list; the first
// one's is "") followed by rest; the paths of a list are distinct, in no order but that
// a page's .gz sibling comes right after the page. The reader puts every path into one
// buffer of back bytes and makes one string of it, of which each path is a part: a path
// that starts with the whole path before it (the sibling) is that path's bytes followed
// by its rest, the others their own bytes. At 100,000 articles, format 1 (gob) made a
// string and allocated ≈ 500 bytes per listed file when read; this format makes none.
// The paths are not sorted when written: a sort of 250,000 paths cost more CPU than
// the read saves (BENCHMARKS.md, twenty-second session, branch pub23).

func sharedPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// pathsWriter front-codes a list of paths, counting the bytes of the reader's buffer.
type pathsWriter struct {
	b       []byte
	prev    string // the bytes of the last path the next may share
	prevLen int    // the last path's length
	back    int
}

// add writes a path that is the first shared bytes of the one before and rest.
func (w *pathsWriter) add(shared int, rest string) {
	w.b = binary.AppendUvarint(w.b, uint64(shared))
	w.b = binary.AppendUvarint(w.b, uint64(len(rest)))
	w.b = append(w.b, rest...)
	if shared == w.prevLen {
		w.back += len(rest)
	} else {
		w.back += shared + len(rest)
	}
	w.prevLen = shared + len(rest)
}

func (w *pathsWriter) path(p string) {
	s := sharedPrefix(w.prev, p)
	w.add(s, p[s:])
	w.prev = p
}

// encodeListing is l's bytes in format 2 after listingMagic, without the CRC.
func encodeListing(l *Listing) []byte {
	files := pathsWriter{b: make([]byte, 0, 12*len(l.files))}
	var gz []byte // a sibling's name: a map look-up by string(bytes) makes no string
	for rel := range l.files {
		if base, ok := strings.CutSuffix(rel, GzipSuffix); ok {
			if _, ok := l.files[base]; ok {
				continue // written after base
			}
		}
		files.path(rel)
		// Its sibling, and the sibling's (a file named so by hand), and so on.
		gz = append(gz[:0], rel...)
		for {
			gz = append(gz, GzipSuffix...)
			if _, ok := l.files[string(gz)]; !ok {
				break
			}
			files.add(files.prevLen, GzipSuffix)
		}
	}
	dirs := pathsWriter{b: make([]byte, 0, 40*len(l.dirs))}
	for dir, st := range l.dirs {
		dirs.path(dir)
		dirs.b = binary.AppendUvarint(dirs.b, st.Dev)
		dirs.b = binary.AppendUvarint(dirs.b, st.Ino)
		dirs.b = binary.AppendVarint(dirs.b, st.ModNs)
		dirs.b = binary.AppendVarint(dirs.b, st.ChgNs)
	}
	b := make([]byte, 0, len(listingMagic)+len(l.dest)+40+len(files.b)+len(dirs.b)+4)
	b = append(b, listingMagic...)
	b = binary.AppendUvarint(b, uint64(len(l.dest)))
	b = append(b, l.dest...)
	b = binary.AppendUvarint(b, uint64(files.back+dirs.back))
	b = binary.AppendUvarint(b, uint64(len(l.files)))
	b = append(b, files.b...)
	b = binary.AppendUvarint(b, uint64(len(l.dirs)))
	return append(b, dirs.b...)
}

// listingReader decodes format 2; any error is in its Reader's Err.
type listingReader struct {
	binrec.Reader
	back []byte // the paths' bytes, of the capacity announced (never reallocated)
}

// count reads a number of entries, each of at least min bytes still to come.
func (r *listingReader) count(min int) int {
	n := r.Uint()
	if n > uint64((len(r.S)-r.I)/min) {
		r.Fail()
		return 0
	}
	return int(n)
}

// paths reads a list of paths into r.back, returning their bounds in it, each [start,
// end); the extra fields of path i of n are read by more.
func (r *listingReader) paths(more func(i, n int)) [][2]int {
	n := r.count(2)
	spans := make([][2]int, 0, n)
	prevStart, prevEnd := len(r.back), len(r.back)
	for i := 0; i < n && r.Err == nil; i++ {
		s, rest := r.Uint(), r.Uint()
		prevLen := uint64(prevEnd - prevStart)
		// A path all of the one before and nothing more would be that path again (or
		// the first one empty).
		if r.Err != nil || s > prevLen || (s == prevLen && rest == 0) || rest > uint64(len(r.S)-r.I) {
			r.Fail()
			break
		}
		start := prevStart
		need := rest
		if s < prevLen {
			start, need = len(r.back), s+rest
		}
		if need > uint64(cap(r.back)-len(r.back)) {
			r.Fail()
			break
		}
		if s < prevLen {
			r.back = append(r.back, r.back[prevStart:prevStart+int(s)]...)
		}
		r.back = append(r.back, r.S[r.I:r.I+int(rest)]...)
		r.I += int(rest)
		prevStart, prevEnd = start, len(r.back)
		spans = append(spans, [2]int{start, prevEnd})
		if more != nil {
			more(i, n)
		}
	}
	return spans
}

// decodeListing reads body (listingMagic and format 2, without the CRC).
func decodeListing(body []byte) (*Listing, error) {
	r := &listingReader{Reader: binrec.Reader{S: string(body[len(listingMagic):])}}
	dest := strings.Clone(r.Str()) // not a part of S, which the listing would keep
	// The paths' bytes: no more than a path of every byte left could make (each path
	// at most the one before and its rest, counted in bytes left).
	back, left := r.Uint(), uint64(len(r.S)-r.I)
	if r.Err != nil || back > math.MaxInt32 || back > left*left {
		return nil, errBadListing
	}
	r.back = make([]byte, 0, back)
	files := r.paths(nil)
	var stamps []dirStamp
	dirs := r.paths(func(i, n int) {
		if i == 0 {
			stamps = make([]dirStamp, 0, n)
		}
		stamps = append(stamps, dirStamp{Dev: r.Uint(), Ino: r.Uint(), ModNs: r.Int(), ChgNs: r.Int()})
	})
	if r.Err != nil || r.I != len(r.S) || len(r.back) != cap(r.back) {
		return nil, errBadListing
	}
	all := string(r.back) // one string: every path is a part of it
	l := &Listing{dest: dest, files: make(map[string]struct{}, len(files)), dirs: make(map[string]dirStamp, len(dirs))}
	for _, sp := range files {
		rel := all[sp[0]:sp[1]]
		if c, err := cleanRel(rel); err != nil || c != rel {
			return nil, errBadListing
		}
		l.files[rel] = struct{}{}
	}
	for i, sp := range dirs {
		l.dirs[all[sp[0]:sp[1]]] = stamps[i]
	}
	if len(l.files) != len(files) || len(l.dirs) != len(dirs) { // a path twice
		return nil, errBadListing
	}
	return l, nil
}
