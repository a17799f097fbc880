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

	"github.com/vnportal/portal/internal/binrec"
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

// encoder appends a saved document's values (binrec.Writer and the kinds below).
type encoder struct{ binrec.Writer }

// time writes t with its location's name, zone abbreviation and offset (savedTime).
func (e *encoder) time(t time.Time) {
	s := saveTime(t)
	e.Int(s.Unix)
	e.Int(int64(s.Nsec))
	e.Str(s.Loc)
	e.Str(s.Abbrev)
	e.Int(int64(s.Offset))
}

// strs writes a list of strings, nil apart from empty.
func (e *encoder) strs(l []string) {
	if l == nil {
		e.Uint(0)
		return
	}
	e.Uint(uint64(len(l)) + 1)
	for _, s := range l {
		e.Str(s)
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
		e.Buf = append(e.Buf, tagNil)
	case string:
		e.Buf = append(e.Buf, tagString)
		e.Str(x)
	case bool:
		e.Buf = append(e.Buf, tagBool)
		e.Bool(x)
	case int:
		e.Buf = append(e.Buf, tagInt)
		e.Int(int64(x))
	case int8:
		e.Buf = append(e.Buf, tagInt8)
		e.Int(int64(x))
	case int16:
		e.Buf = append(e.Buf, tagInt16)
		e.Int(int64(x))
	case int32:
		e.Buf = append(e.Buf, tagInt32)
		e.Int(int64(x))
	case int64:
		e.Buf = append(e.Buf, tagInt64)
		e.Int(x)
	case uint:
		e.Buf = append(e.Buf, tagUint)
		e.Uint(uint64(x))
	case uint8:
		e.Buf = append(e.Buf, tagUint8)
		e.Uint(uint64(x))
	case uint16:
		e.Buf = append(e.Buf, tagUint16)
		e.Uint(uint64(x))
	case uint32:
		e.Buf = append(e.Buf, tagUint32)
		e.Uint(uint64(x))
	case uint64:
		e.Buf = append(e.Buf, tagUint64)
		e.Uint(x)
	case float32:
		e.Buf = append(e.Buf, tagFloat32)
		e.Uint(uint64(math.Float32bits(x)))
	case float64:
		e.Buf = append(e.Buf, tagFloat64)
		e.Uint(math.Float64bits(x))
	case time.Time:
		e.Buf = append(e.Buf, tagTime)
		e.time(x)
	case []any:
		if x == nil {
			e.Buf = append(e.Buf, tagNilList)
			return
		}
		e.Buf = append(e.Buf, tagList)
		e.Uint(uint64(len(x)))
		for _, v := range x {
			e.value(v)
		}
	case map[string]any:
		if x == nil {
			e.Buf = append(e.Buf, tagNilMap)
			return
		}
		e.Buf = append(e.Buf, tagMap)
		e.Uint(uint64(len(x)))
		for _, k := range sortedKeys(x) {
			e.Str(k)
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

// decoder reads what encoder wrote (binrec.Reader), with the locations of the times read.
type decoder struct {
	binrec.Reader
	ls locations
}

func (d *decoder) time() time.Time {
	s := savedTime{Unix: d.Int(), Nsec: int32(d.Int()), Loc: d.Str(), Abbrev: d.Str(), Offset: int(d.Int())}
	return d.ls.time(s)
}

func (d *decoder) strs() []string {
	n := d.Count()
	if n == 0 {
		return nil
	}
	l := make([]string, n-1)
	for i := range l {
		l[i] = d.Str()
	}
	return l
}

// depth bounds the nesting of lists and maps read back (front matter nests a few levels).
const maxValueDepth = 64

func (d *decoder) value(depth int) any {
	if depth > maxValueDepth {
		d.Fail()
		return nil
	}
	switch tag := d.Byte(); tag {
	case tagNil:
		return nil
	case tagString:
		return d.Str()
	case tagBool:
		return d.Bool()
	case tagInt:
		return int(d.Int())
	case tagInt8:
		return int8(d.Int())
	case tagInt16:
		return int16(d.Int())
	case tagInt32:
		return int32(d.Int())
	case tagInt64:
		return d.Int()
	case tagUint:
		return uint(d.Uint())
	case tagUint8:
		return uint8(d.Uint())
	case tagUint16:
		return uint16(d.Uint())
	case tagUint32:
		return uint32(d.Uint())
	case tagUint64:
		return d.Uint()
	case tagFloat32:
		return math.Float32frombits(uint32(d.Uint()))
	case tagFloat64:
		return math.Float64frombits(d.Uint())
	case tagTime:
		return d.time()
	case tagList:
		l := make([]any, d.Count())
		for i := range l {
			l[i] = d.value(depth + 1)
		}
		return l
	case tagMap:
		n := d.Count()
		m := make(map[string]any, n)
		for range n {
			k := d.Str()
			m[k] = d.value(depth + 1)
		}
		return m
	case tagNilList:
		return []any(nil)
	case tagNilMap:
		return map[string]any(nil)
	default:
		d.Fail()
		return nil
	}
}

// entry writes one saved document: the file's path, the cache entry's taxonomies, key
// and stat, then the document without its Markdown.
func (e *encoder) entry(rel string, c cacheEntry) {
	e.Str(rel)
	e.Str(c.tax)
	e.Str(c.key)
	e.Str(c.stat)
	doc := c.doc
	for _, s := range [...]string{doc.Path, doc.Section, doc.Name, doc.BundleDir, doc.Title, doc.Summary, doc.Author,
		doc.Source, doc.Image, doc.ImageAlt, doc.Slug, doc.URL, doc.Description, doc.Hash} {
		e.Str(s)
	}
	e.Int(int64(doc.Kind))
	e.strs(doc.Aliases)
	e.Bool(doc.Draft)
	e.Bool(doc.WasNFC)
	for _, t := range [...]time.Time{doc.Date, doc.Lastmod, doc.PublishDate, doc.ExpiryDate} {
		e.time(t)
	}
	e.Int(int64(doc.Weight))
	e.Int(int64(doc.BodyLine))
	if doc.Terms == nil {
		e.Uint(0)
	} else {
		e.Uint(uint64(len(doc.Terms)) + 1)
		for _, l := range doc.Terms { // sorted by taxonomy
			e.Str(l.Taxonomy)
			e.strs(l.Values)
		}
	}
	e.value(doc.Params)
	e.Uint(uint64(doc.KeyLines.Len()) + 1)
	for k, line := range doc.KeyLines.All() { // sorted by key
		e.Str(k)
		e.Int(int64(line))
	}
	if doc.ValueAt == nil {
		e.Uint(0)
	} else {
		e.Uint(uint64(len(doc.ValueAt)) + 1)
		for _, k := range sortedKeys(doc.ValueAt) {
			p := doc.ValueAt[k]
			e.Str(k)
			e.Int(int64(p.Line))
			e.Int(int64(p.Col))
		}
	}
	l := doc.Legal
	e.Bool(l != nil)
	if l != nil {
		for _, s := range [...]string{l.Number, l.Key, l.Type, l.Issuer, l.Signer, l.Status} {
			e.Str(s)
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
	rel := d.Str()
	c := cacheEntry{tax: d.Str(), key: d.Str(), stat: d.Str(), bodiless: true}
	doc := &Document{}
	for _, p := range [...]*string{&doc.Path, &doc.Section, &doc.Name, &doc.BundleDir, &doc.Title, &doc.Summary, &doc.Author,
		&doc.Source, &doc.Image, &doc.ImageAlt, &doc.Slug, &doc.URL, &doc.Description, &doc.Hash} {
		*p = d.Str()
	}
	doc.Kind = Kind(d.Int())
	doc.Aliases = d.strs()
	doc.Draft = d.Bool()
	doc.WasNFC = d.Bool()
	for _, p := range [...]*time.Time{&doc.Date, &doc.Lastmod, &doc.PublishDate, &doc.ExpiryDate} {
		*p = d.time()
	}
	doc.Weight = int(d.Int())
	doc.BodyLine = int(d.Int())
	if n := d.Count(); n > 1 {
		doc.Terms = make(Terms, 0, n-1)
		for range n - 1 {
			k := d.Str()
			doc.Terms.Set(k, d.strs())
		}
	}
	params, _ := d.value(0).(map[string]any)
	doc.Params = params
	if n := d.Count(); n > 1 {
		// The encoder writes the pairs sorted by key: pack them as they come, no map.
		var packed []byte
		prev := ""
		for i := range n - 1 {
			k := d.Str()
			if i > 0 && k <= prev {
				d.Fail() // out of order: not what the encoder wrote
			}
			prev = k
			packed = appendKeyLine(packed, k, int(d.Int()))
		}
		doc.KeyLines = KeyLines{string(packed)}
	}
	if n := d.Count(); n > 0 {
		doc.ValueAt = make(map[string]Pos, n-1)
		for range n - 1 {
			k := d.Str()
			doc.ValueAt[k] = Pos{Line: int(d.Int()), Col: int(d.Int())}
		}
	}
	if d.Bool() {
		l := &Legal{}
		for _, p := range [...]*string{&l.Number, &l.Key, &l.Type, &l.Issuer, &l.Signer, &l.Status} {
			*p = d.Str()
		}
		for _, p := range [...]*time.Time{&l.Issued, &l.Effective, &l.Expires} {
			*p = d.time()
		}
		for _, p := range [...]*[]string{&l.Fields, &l.Replaces, &l.Amends, &l.Files} {
			*p = d.strs()
		}
		doc.Legal = l
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
