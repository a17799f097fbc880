package build

import (
	"math"

	"github.com/vnportal/portal/internal/binrec"
	"github.com/vnportal/portal/internal/check"
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

// appendFinding writes one finding (arguments that gobSafeDiagnostics accepts) of the
// findings block: their number, then each one (writeFindingsBlock).
func appendFinding(b []byte, d diag.Diagnostic) []byte {
	w := binrec.Writer{Buf: b}
	w.Str(d.Path)
	w.Int(int64(d.Line))
	w.Int(int64(d.Col))
	w.Int(int64(d.Severity))
	msg := d.Message
	if msg == "" { // the rule leaves its findings unformatted (check.DuplicateTitles)
		msg = d.Text(message.Vi)
	}
	w.Str(msg)
	w.Str(d.Code)
	w.Str(d.Format)
	writeArgs(&w, d.Args)
	return w.Buf
}

func writeArgs(w *binrec.Writer, args []any) {
	if args == nil {
		w.Uint(0)
		return
	}
	w.Uint(uint64(len(args)) + 1)
	for _, a := range args {
		switch x := a.(type) {
		case string:
			w.Byte(argString)
			w.Str(x)
		case int:
			w.Byte(argInt)
			w.Int(int64(x))
		case int64:
			w.Byte(argInt64)
			w.Int(x)
		case float64:
			w.Byte(argFloat64)
			w.Uint(math.Float64bits(x))
		case bool:
			w.Byte(argBool)
			w.Bool(x)
		case message.Text:
			w.Byte(argText)
			w.Str(x.Format)
			writeArgs(w, x.Args)
		default:
			panic("build: a finding's argument the titles file cannot hold (gobSafeArgs lets it through)")
		}
	}
}

// findingsReader reads the findings block writeFindingsBlock wrote; the first error sticks.
type findingsReader struct{ binrec.Reader }

func (r *findingsReader) findings() ([]diag.Diagnostic, error) {
	ds := make([]diag.Diagnostic, r.Count())
	for i := range ds {
		ds[i] = diag.Diagnostic{Path: r.Str(), Line: int(r.Int()), Col: int(r.Int()), Severity: diag.Severity(r.Int()),
			Message: r.Str(), Code: r.Str(), Format: r.Str(), Args: r.args(0)}
	}
	if r.Err == nil && r.I != len(r.S) {
		r.Fail()
	}
	return ds, r.Err
}

func (r *findingsReader) args(depth int) []any {
	n := r.Count()
	if n == 0 {
		return nil
	}
	if depth > 16 {
		r.Fail()
		return nil
	}
	args := make([]any, n-1)
	for i := range args {
		switch r.Byte() {
		case argString:
			args[i] = r.Str()
		case argInt:
			args[i] = int(r.Int())
		case argInt64:
			args[i] = r.Int()
		case argFloat64:
			args[i] = math.Float64frombits(r.Uint())
		case argBool:
			args[i] = r.Bool()
		case argText:
			args[i] = message.Text{Format: r.Str(), Args: r.args(depth + 1)}
		default:
			r.Fail()
			return nil
		}
	}
	return args
}

// eachStatePiece encodes the rule's state (check.SavedTitles), the block after the
// findings, and hands it to emit a piece of about 32 KB at a time (emit must not keep the
// piece): the titles (path, as written, folded) and the pairs, each as the gap from the
// previous pair's first position and the gap from its own first to its second. At
// 100,000 articles of the generated corpus the block is 27 MB (the findings' block 61 MB),
// read without the gob decoding of every pair's two paths that was most of a retitle, and
// written by pieces (writeStateBlock) rather than grown whole in memory in the checks
// stage, beside the loaded site and the rule's own state.
func eachStatePiece(st check.SavedTitles, emit func([]byte)) {
	const piece = 32 << 10
	w := binrec.Writer{Buf: make([]byte, 0, piece+1024)}
	flush := func() {
		if len(w.Buf) >= piece {
			emit(w.Buf)
			w.Buf = w.Buf[:0]
		}
	}
	w.Uint(uint64(len(st.Paths)))
	for i, p := range st.Paths {
		w.Str(p)
		w.Str(st.Titles[i])
		w.Str(st.Folded[i])
		flush()
	}
	w.Uint(uint64(len(st.Pairs)))
	prev := int32(0)
	for _, p := range st.Pairs {
		w.Uint(uint64(p[0] - prev))
		w.Uint(uint64(p[1] - p[0]))
		prev = p[0]
		flush()
	}
	emit(w.Buf)
}

// titleState reads what eachStatePiece wrote (check.RestoreTitles checks that the
// positions hold together).
func (r *findingsReader) titleState() (check.SavedTitles, error) {
	n := r.Count()
	st := check.SavedTitles{Paths: make([]string, n), Titles: make([]string, n), Folded: make([]string, n)}
	for i := range n {
		st.Paths[i], st.Titles[i], st.Folded[i] = r.Str(), r.Str(), r.Str()
	}
	pairs := r.Count()
	st.Pairs = make([][2]int32, pairs)
	prev := uint64(0)
	for i := range st.Pairs {
		a := prev + r.Uint()
		b := a + r.Uint()
		if b > math.MaxInt32 {
			r.Fail()
			break
		}
		st.Pairs[i], prev = [2]int32{int32(a), int32(b)}, a
	}
	if r.Err == nil && r.I != len(r.S) {
		r.Fail()
	}
	return st, r.Err
}
