package publish

import (
	"encoding/binary"
	"math"
)

// A saved listing's format 2 (listingMagic; WriteTo appends a CRC-32C of it all):
//
//	uvarint len(dest), dest
//	uvarint back: how many bytes hold the paths once read (below)
//	uvarint files; per file, in order: uvarint shared, uvarint len(rest), rest
//	uvarint folders; per folder, in order: the same, then uvarint Dev, uvarint Ino,
//	varint ModNs, varint ChgNs
//
// Each path is the first shared bytes of the one before it (of its list; the first
// one's is "") followed by rest, and is greater than it: the paths are sorted and
// distinct. The reader puts every path into one buffer of back bytes and makes one
// string of it, of which each path is a part: a path that starts with the whole path
// before it (a page, then its .gz sibling) is that path's bytes followed by its rest,
// the others their own bytes. At 100,000 articles, format 1 (gob) made a string and
// allocated ≈ 500 bytes per listed file when read; this format makes none.

// backLen is how many bytes of the reader's buffer paths (sorted, distinct) take,
// following the rule above.
func backLen(paths []string) int {
	n, prev := 0, ""
	for _, p := range paths {
		s := sharedPrefix(prev, p)
		if s == len(prev) {
			n += len(p) - s
		} else {
			n += len(p)
		}
		prev = p
	}
	return n
}

func sharedPrefix(a, b string) int {
	n := min(len(a), len(b))
	for i := range n {
		if a[i] != b[i] {
			return i
		}
	}
	return n
}

// appendPaths appends paths (sorted, distinct) front-coded, each followed by what more
// adds for it.
func appendPaths(b []byte, paths []string, more func([]byte, string) []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(paths)))
	prev := ""
	for _, p := range paths {
		s := sharedPrefix(prev, p)
		b = binary.AppendUvarint(b, uint64(s))
		b = binary.AppendUvarint(b, uint64(len(p)-s))
		b = append(b, p[s:]...)
		if more != nil {
			b = more(b, p)
		}
		prev = p
	}
	return b
}

// encodeListing is a listing's bytes in format 2 after listingMagic, without the CRC:
// files and dirs sorted, stamps the folders' stamps.
func encodeListing(dest string, files, dirs []string, stamps map[string]dirStamp) []byte {
	b := make([]byte, 0, len(listingMagic)+len(dest)+16+12*len(files)+40*len(dirs))
	b = append(b, listingMagic...)
	b = binary.AppendUvarint(b, uint64(len(dest)))
	b = append(b, dest...)
	b = binary.AppendUvarint(b, uint64(backLen(files)+backLen(dirs)))
	b = appendPaths(b, files, nil)
	return appendPaths(b, dirs, func(b []byte, dir string) []byte {
		st := stamps[dir]
		b = binary.AppendUvarint(b, st.Dev)
		b = binary.AppendUvarint(b, st.Ino)
		b = binary.AppendVarint(b, st.ModNs)
		return binary.AppendVarint(b, st.ChgNs)
	})
}

// listingReader decodes format 2; any error leaves bad set.
type listingReader struct {
	b    []byte
	back []byte // the paths' bytes, of the capacity announced (never reallocated)
	bad  bool
}

func (r *listingReader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *listingReader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a number of entries, each of at least min bytes still to come.
func (r *listingReader) count(min int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/min) {
		r.bad = true
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
	for i := 0; i < n && !r.bad; i++ {
		s, rest := r.uvarint(), r.uvarint()
		prevLen := uint64(prevEnd - prevStart)
		if r.bad || s > prevLen || rest == 0 || rest > uint64(len(r.b)) {
			r.bad = true
			break
		}
		add := r.b[:rest]
		// Sorted and distinct: rest's first byte is greater than the previous path's at
		// shared (shared is then the longest common prefix), or that path is all shared.
		if s < prevLen && add[0] <= r.back[prevStart+int(s)] {
			r.bad = true
			break
		}
		start := prevStart
		need := rest
		if s < prevLen {
			start, need = len(r.back), s+rest
		}
		if need > uint64(cap(r.back)-len(r.back)) {
			r.bad = true
			break
		}
		if s < prevLen {
			r.back = append(r.back, r.back[prevStart:prevStart+int(s)]...)
		}
		r.back = append(r.back, add...)
		r.b = r.b[rest:]
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
	r := &listingReader{b: body[len(listingMagic):]}
	destLen := r.uvarint()
	if r.bad || destLen > uint64(len(r.b)) {
		return nil, errBadListing
	}
	dest := string(r.b[:destLen])
	r.b = r.b[destLen:]
	// The paths' bytes: no more than a path of every byte left could make (each path
	// at most the one before and its rest, counted in bytes left).
	back := r.uvarint()
	if r.bad || back > math.MaxInt32 || back > uint64(len(r.b))*uint64(len(r.b)) {
		return nil, errBadListing
	}
	r.back = make([]byte, 0, back)
	files := r.paths(nil)
	var stamps []dirStamp
	dirs := r.paths(func(i, n int) {
		if i == 0 {
			stamps = make([]dirStamp, 0, n)
		}
		stamps = append(stamps, dirStamp{Dev: r.uvarint(), Ino: r.uvarint(), ModNs: r.varint(), ChgNs: r.varint()})
	})
	if r.bad || len(r.b) != 0 || len(r.back) != cap(r.back) {
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
	return l, nil
}
