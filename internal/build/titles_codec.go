package build

import (
	"encoding/binary"
	"errors"
	"math"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// The title rule's findings in titlesFile, in a binary form of their own: read by every
// build in which no title changed (at 100,000 articles of the generated corpus, 100,000
// findings), which spent a second decoding them with gob, whose arguments carry their
// types' names. Strings read back are parts of the one string the block is read into.

// The tags of the findings' arguments (gobSafeArgs' types).
const (
	argString byte = iota
	argInt
	argInt64
	argFloat64
	argBool
	argText
)

func appendUvarint(b []byte, u uint64) []byte { return binary.AppendUvarint(b, u) }
func appendVarint(b []byte, i int64) []byte   { return binary.AppendVarint(b, i) }

func appendString(b []byte, s string) []byte {
	return append(appendUvarint(b, uint64(len(s))), s...)
}

// appendFindings writes ds (whose arguments gobSafeDiagnostics accepts).
func appendFindings(b []byte, ds []diag.Diagnostic) []byte {
	b = appendUvarint(b, uint64(len(ds)))
	for _, d := range ds {
		b = appendString(b, d.Path)
		b = appendVarint(b, int64(d.Line))
		b = appendVarint(b, int64(d.Col))
		b = appendVarint(b, int64(d.Severity))
		b = appendString(b, d.Message)
		b = appendString(b, d.Code)
		b = appendString(b, d.Format)
		b = appendArgs(b, d.Args)
	}
	return b
}

func appendArgs(b []byte, args []any) []byte {
	if args == nil {
		return appendUvarint(b, 0)
	}
	b = appendUvarint(b, uint64(len(args))+1)
	for _, a := range args {
		switch x := a.(type) {
		case string:
			b = appendString(append(b, argString), x)
		case int:
			b = appendVarint(append(b, argInt), int64(x))
		case int64:
			b = appendVarint(append(b, argInt64), x)
		case float64:
			b = appendUvarint(append(b, argFloat64), math.Float64bits(x))
		case bool:
			v := uint64(0)
			if x {
				v = 1
			}
			b = appendUvarint(append(b, argBool), v)
		case message.Text:
			b = appendString(append(b, argText), x.Format)
			b = appendArgs(b, x.Args)
		default:
			panic("build: a finding's argument the titles file cannot hold (gobSafeArgs lets it through)")
		}
	}
	return b
}

var errBadFindings = errors.New("titles: damaged findings")

// findingsReader reads what appendFindings wrote from s; the first error sticks.
type findingsReader struct {
	s   string
	i   int
	err error
}

func (r *findingsReader) uvarint() uint64 {
	var u uint64
	for shift := uint(0); ; shift += 7 {
		if r.i >= len(r.s) || shift > 63 {
			r.err, r.i = errBadFindings, len(r.s)
			return 0
		}
		c := r.s[r.i]
		r.i++
		u |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return u
		}
	}
}

func (r *findingsReader) varint() int64 {
	u := r.uvarint()
	i := int64(u >> 1)
	if u&1 != 0 {
		i = ^i
	}
	return i
}

func (r *findingsReader) count() int {
	n := r.uvarint()
	if n > uint64(len(r.s)-r.i) {
		r.err, r.i = errBadFindings, len(r.s)
		return 0
	}
	return int(n)
}

func (r *findingsReader) string() string {
	n := r.count()
	s := r.s[r.i : r.i+n]
	r.i += n
	return s
}

func (r *findingsReader) findings() ([]diag.Diagnostic, error) {
	ds := make([]diag.Diagnostic, r.count())
	for i := range ds {
		ds[i] = diag.Diagnostic{Path: r.string(), Line: int(r.varint()), Col: int(r.varint()), Severity: diag.Severity(r.varint()),
			Message: r.string(), Code: r.string(), Format: r.string(), Args: r.args(0)}
	}
	if r.err == nil && r.i != len(r.s) {
		r.err = errBadFindings
	}
	return ds, r.err
}

func (r *findingsReader) args(depth int) []any {
	n := r.count()
	if n == 0 || depth > 16 {
		if depth > 16 {
			r.err = errBadFindings
		}
		return nil
	}
	args := make([]any, n-1)
	for i := range args {
		if r.i >= len(r.s) {
			r.err = errBadFindings
			return nil
		}
		tag := r.s[r.i]
		r.i++
		switch tag {
		case argString:
			args[i] = r.string()
		case argInt:
			args[i] = int(r.varint())
		case argInt64:
			args[i] = r.varint()
		case argFloat64:
			args[i] = math.Float64frombits(r.uvarint())
		case argBool:
			args[i] = r.uvarint() != 0
		case argText:
			args[i] = message.Text{Format: r.string(), Args: r.args(depth + 1)}
		default:
			r.err, r.i = errBadFindings, len(r.s)
			return nil
		}
	}
	return args
}
