package content

import (
	"encoding/binary"
	"hash/crc32"
	"io"
	"math"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/message"
)

// The saved documents' encoding (Save, SaveChanges): a compact binary form written and
// read field by field, instead of encoding/gob, which at 100,000 articles spent seconds
// of every build with the cache decoding interface values (every front matter value in
// Params carries its type's name in gob) and allocating each string on its own.
//
// A file is read whole into one string; every string of the documents read back is a
// part of it (no allocation of its own, nothing for the collector to scan), and the
// records, each prefixed by its length, are decoded on every core. The file ends with a
// CRC-32C of everything before it: a truncated or damaged file is refused whole.
//
// Every value keeps its Go type and whether a slice or map was nil, so a document read
// back prints (%#v) as the parsed one did.

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errDamaged is the decoder's error for bytes that are not a whole record.
var errDamaged = message.Errorf("một bản ghi bị thiếu byte hoặc có giá trị ngoài khoảng cho phép")

// encoder appends values to buf.
type encoder struct{ buf []byte }

func (e *encoder) uint(u uint64) { e.buf = binary.AppendUvarint(e.buf, u) }
func (e *encoder) int(i int64)   { e.buf = binary.AppendVarint(e.buf, i) }

func (e *encoder) str(s string) {
	e.uint(uint64(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *encoder) bool(b bool) {
	if b {
		e.buf = append(e.buf, 1)
	} else {
		e.buf = append(e.buf, 0)
	}
}

// time writes t with its location's name, zone abbreviation and offset (savedTime).
func (e *encoder) time(t time.Time) {
	s := saveTime(t)
	e.int(s.Unix)
	e.int(int64(s.Nsec))
	e.str(s.Loc)
	e.str(s.Abbrev)
	e.int(int64(s.Offset))
}

// strs writes a list of strings, nil apart from empty.
func (e *encoder) strs(l []string) {
	if l == nil {
		e.uint(0)
		return
	}
	e.uint(uint64(len(l)) + 1)
	for _, s := range l {
		e.str(s)
	}
}

// The tags of the values Params may hold (encodable's types).
const (
	tagNil byte = iota
	tagString
	tagBool
	tagInt
	tagInt8
	tagInt16
	tagInt32
	tagInt64
	tagUint
	tagUint8
	tagUint16
	tagUint32
	tagUint64
	tagFloat32
	tagFloat64
	tagTime
	tagList
	tagMap
	tagNilList
	tagNilMap
)

// value writes v, one of encodable's values (Save checks with encodable first).
func (e *encoder) value(v any) {
	switch x := v.(type) {
	case nil:
		e.buf = append(e.buf, tagNil)
	case string:
		e.buf = append(e.buf, tagString)
		e.str(x)
	case bool:
		e.buf = append(e.buf, tagBool)
		e.bool(x)
	case int:
		e.buf = append(e.buf, tagInt)
		e.int(int64(x))
	case int8:
		e.buf = append(e.buf, tagInt8)
		e.int(int64(x))
	case int16:
		e.buf = append(e.buf, tagInt16)
		e.int(int64(x))
	case int32:
		e.buf = append(e.buf, tagInt32)
		e.int(int64(x))
	case int64:
		e.buf = append(e.buf, tagInt64)
		e.int(x)
	case uint:
		e.buf = append(e.buf, tagUint)
		e.uint(uint64(x))
	case uint8:
		e.buf = append(e.buf, tagUint8)
		e.uint(uint64(x))
	case uint16:
		e.buf = append(e.buf, tagUint16)
		e.uint(uint64(x))
	case uint32:
		e.buf = append(e.buf, tagUint32)
		e.uint(uint64(x))
	case uint64:
		e.buf = append(e.buf, tagUint64)
		e.uint(x)
	case float32:
		e.buf = append(e.buf, tagFloat32)
		e.uint(uint64(math.Float32bits(x)))
	case float64:
		e.buf = append(e.buf, tagFloat64)
		e.uint(math.Float64bits(x))
	case time.Time:
		e.buf = append(e.buf, tagTime)
		e.time(x)
	case []any:
		if x == nil {
			e.buf = append(e.buf, tagNilList)
			return
		}
		e.buf = append(e.buf, tagList)
		e.uint(uint64(len(x)))
		for _, v := range x {
			e.value(v)
		}
	case map[string]any:
		if x == nil {
			e.buf = append(e.buf, tagNilMap)
			return
		}
		e.buf = append(e.buf, tagMap)
		e.uint(uint64(len(x)))
		for _, k := range sortedKeys(x) {
			e.str(k)
			e.value(x[k])
		}
	default:
		panic("content: a value Save cannot write (encodable lets it through)")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// decoder reads values from s, a part of the file read whole: strings read are parts of
// it. The first error sticks; reads after it give zero values.
type decoder struct {
	s   string
	i   int
	err error
	ls  locations
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errDamaged
	}
	d.i = len(d.s)
}

func (d *decoder) uint() uint64 {
	var u uint64
	var shift uint
	for {
		if d.i >= len(d.s) || shift > 63 {
			d.fail()
			return 0
		}
		b := d.s[d.i]
		d.i++
		u |= uint64(b&0x7f) << shift
		if b < 0x80 {
			return u
		}
		shift += 7
	}
}

func (d *decoder) int() int64 {
	u := d.uint()
	i := int64(u >> 1)
	if u&1 != 0 {
		i = ^i
	}
	return i
}

// count reads a length, refusing one longer than the bytes left (each element takes at
// least one byte).
func (d *decoder) count() int {
	n := d.uint()
	if n > uint64(len(d.s)-d.i) {
		d.fail()
		return 0
	}
	return int(n)
}

func (d *decoder) str() string {
	n := d.count()
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *decoder) byte() byte {
	if d.i >= len(d.s) {
		d.fail()
		return 0
	}
	b := d.s[d.i]
	d.i++
	return b
}

func (d *decoder) bool() bool { return d.byte() != 0 }

func (d *decoder) time() time.Time {
	s := savedTime{Unix: d.int(), Nsec: int32(d.int()), Loc: d.str(), Abbrev: d.str(), Offset: int(d.int())}
	return d.ls.time(s)
}

func (d *decoder) strs() []string {
	n := d.count()
	if n == 0 {
		return nil
	}
	l := make([]string, n-1)
	for i := range l {
		l[i] = d.str()
	}
	return l
}

// depth bounds the nesting of lists and maps read back (front matter nests a few levels).
const maxValueDepth = 64

func (d *decoder) value(depth int) any {
	if depth > maxValueDepth {
		d.fail()
		return nil
	}
	switch tag := d.byte(); tag {
	case tagNil:
		return nil
	case tagString:
		return d.str()
	case tagBool:
		return d.bool()
	case tagInt:
		return int(d.int())
	case tagInt8:
		return int8(d.int())
	case tagInt16:
		return int16(d.int())
	case tagInt32:
		return int32(d.int())
	case tagInt64:
		return d.int()
	case tagUint:
		return uint(d.uint())
	case tagUint8:
		return uint8(d.uint())
	case tagUint16:
		return uint16(d.uint())
	case tagUint32:
		return uint32(d.uint())
	case tagUint64:
		return d.uint()
	case tagFloat32:
		return math.Float32frombits(uint32(d.uint()))
	case tagFloat64:
		return math.Float64frombits(d.uint())
	case tagTime:
		return d.time()
	case tagList:
		l := make([]any, d.count())
		for i := range l {
			l[i] = d.value(depth + 1)
		}
		return l
	case tagMap:
		n := d.count()
		m := make(map[string]any, n)
		for range n {
			k := d.str()
			m[k] = d.value(depth + 1)
		}
		return m
	case tagNilList:
		return []any(nil)
	case tagNilMap:
		return map[string]any(nil)
	default:
		d.fail()
		return nil
	}
}

// entry writes one saved document: the file's path, the cache entry's taxonomies, key
// and stat, then the document without its Markdown.
func (e *encoder) entry(rel string, c cacheEntry) {
	e.str(rel)
	e.str(c.tax)
	e.str(c.key)
	e.str(c.stat)
	doc := c.doc
	for _, s := range [...]string{doc.Path, doc.Section, doc.Name, doc.BundleDir, doc.Title, doc.Summary, doc.Author,
		doc.Source, doc.Image, doc.ImageAlt, doc.Slug, doc.URL, doc.Description, doc.Hash} {
		e.str(s)
	}
	e.int(int64(doc.Kind))
	e.strs(doc.Aliases)
	e.bool(doc.Draft)
	e.bool(doc.WasNFC)
	for _, t := range [...]time.Time{doc.Date, doc.Lastmod, doc.PublishDate, doc.ExpiryDate} {
		e.time(t)
	}
	e.int(int64(doc.Weight))
	e.int(int64(doc.BodyLine))
	if doc.Terms == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(doc.Terms)) + 1)
		for _, k := range sortedKeys(doc.Terms) {
			e.str(k)
			e.strs(doc.Terms[k])
		}
	}
	e.value(doc.Params)
	if doc.KeyLines == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(doc.KeyLines)) + 1)
		for _, k := range sortedKeys(doc.KeyLines) {
			e.str(k)
			e.int(int64(doc.KeyLines[k]))
		}
	}
	if doc.ValueAt == nil {
		e.uint(0)
	} else {
		e.uint(uint64(len(doc.ValueAt)) + 1)
		for _, k := range sortedKeys(doc.ValueAt) {
			p := doc.ValueAt[k]
			e.str(k)
			e.int(int64(p.Line))
			e.int(int64(p.Col))
		}
	}
	l := doc.Legal
	e.bool(l != nil)
	if l != nil {
		for _, s := range [...]string{l.Number, l.Key, l.Type, l.Issuer, l.Signer, l.Status} {
			e.str(s)
		}
		for _, t := range [...]time.Time{l.Issued, l.Effective, l.Expires} {
			e.time(t)
		}
		for _, list := range [...][]string{l.Fields, l.Replaces, l.Amends, l.Files} {
			e.strs(list)
		}
	}
}

// entry reads what encoder.entry wrote: the path and the entry of a document without
// its Markdown (bodiless).
func (d *decoder) entry() (string, cacheEntry) {
	rel := d.str()
	c := cacheEntry{tax: d.str(), key: d.str(), stat: d.str(), bodiless: true}
	doc := &Document{}
	for _, p := range [...]*string{&doc.Path, &doc.Section, &doc.Name, &doc.BundleDir, &doc.Title, &doc.Summary, &doc.Author,
		&doc.Source, &doc.Image, &doc.ImageAlt, &doc.Slug, &doc.URL, &doc.Description, &doc.Hash} {
		*p = d.str()
	}
	doc.Kind = Kind(d.int())
	doc.Aliases = d.strs()
	doc.Draft = d.bool()
	doc.WasNFC = d.bool()
	for _, p := range [...]*time.Time{&doc.Date, &doc.Lastmod, &doc.PublishDate, &doc.ExpiryDate} {
		*p = d.time()
	}
	doc.Weight = int(d.int())
	doc.BodyLine = int(d.int())
	if n := d.count(); n > 0 {
		doc.Terms = make(map[string][]string, n-1)
		for range n - 1 {
			k := d.str()
			doc.Terms[k] = d.strs()
		}
	}
	params, _ := d.value(0).(map[string]any)
	doc.Params = params
	if n := d.count(); n > 0 {
		doc.KeyLines = make(map[string]int, n-1)
		for range n - 1 {
			k := d.str()
			doc.KeyLines[k] = int(d.int())
		}
	}
	if n := d.count(); n > 0 {
		doc.ValueAt = make(map[string]Pos, n-1)
		for range n - 1 {
			k := d.str()
			doc.ValueAt[k] = Pos{Line: int(d.int()), Col: int(d.int())}
		}
	}
	if d.bool() {
		l := &Legal{}
		for _, p := range [...]*string{&l.Number, &l.Key, &l.Type, &l.Issuer, &l.Signer, &l.Status} {
			*p = d.str()
		}
		for _, p := range [...]*time.Time{&l.Issued, &l.Effective, &l.Expires} {
			*p = d.time()
		}
		for _, p := range [...]*[]string{&l.Fields, &l.Replaces, &l.Amends, &l.Files} {
			*p = d.strs()
		}
		doc.Legal = l
	}
	// A fresh parse always has these maps (restore did the same for gob's nil).
	if doc.KeyLines == nil {
		doc.KeyLines = map[string]int{}
	}
	if doc.Terms == nil {
		doc.Terms = map[string][]string{}
	}
	c.doc = doc
	return rel, c
}

// readChecked reads the rest of r into one string, sized by what r says is left, and
// returns it without its last four bytes when they are the CRC-32C of the rest (ok).
// The checksum is taken as the bytes go by: the string is never copied.
func readChecked(r io.Reader) (body string, ok bool, err error) {
	var b strings.Builder
	switch x := r.(type) {
	case *os.File:
		if fi, err := x.Stat(); err == nil {
			if at, err := x.Seek(0, io.SeekCurrent); err == nil && fi.Size() > at {
				b.Grow(int(fi.Size() - at))
			}
		}
	case interface{ Len() int }:
		b.Grow(x.Len())
	}
	var (
		crc  uint32
		held = make([]byte, 0, 4) // the last four bytes so far: not summed until more come
		buf  = make([]byte, 256<<10)
	)
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			b.Write(buf[:n])
			if n >= 4 {
				crc = crc32.Update(crc, crcTable, held)
				crc = crc32.Update(crc, crcTable, buf[:n-4])
				held = append(held[:0], buf[n-4:n]...)
			} else {
				all := append(append([]byte{}, held...), buf[:n]...)
				if len(all) > 4 {
					crc = crc32.Update(crc, crcTable, all[:len(all)-4])
					all = all[len(all)-4:]
				}
				held = append(held[:0], all...)
			}
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return "", false, rerr
		}
	}
	s := b.String()
	if len(held) < 4 || binary.BigEndian.Uint32(held) != crc {
		return "", false, nil
	}
	return s[:len(s)-4], true, nil
}

// checkedWriter writes through to w, summing what it writes (CRC-32C).
type checkedWriter struct {
	w   io.Writer
	crc uint32
}

func (c *checkedWriter) Write(p []byte) (int, error) {
	c.crc = crc32.Update(c.crc, crcTable, p)
	return c.w.Write(p)
}

// end writes the sum of everything written before.
func (c *checkedWriter) end() error {
	_, err := c.w.Write(binary.BigEndian.AppendUint32(nil, c.crc))
	return err
}
