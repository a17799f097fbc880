// Package diag collects positioned diagnostics ("path:line:col: message") across a
// run, so that every problem of a build is reported together instead of only the first.
package diag

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/message"
)

// Severity tells whether a diagnostic stops the build.
type Severity int

const (
	// Error makes the run fail (exit code 1); the last good output stays in place.
	Error Severity = iota
	// Warning is reported but does not fail the run.
	Warning
)

// String is the severity's word in Vietnamese, as diagnostics print it: "lỗi", "cảnh báo".
func (s Severity) String() string { return s.In(message.Vi) }

// In is the severity's word in l: "lỗi"/"cảnh báo", "error"/"warning".
func (s Severity) In(l message.Lang) string {
	if s == Warning {
		return l.Sprintf("cảnh báo")
	}
	return l.Sprintf("lỗi")
}

// Code is the severity's stable name for machines (portal check --json): "error" or
// "warning", whatever the language.
func (s Severity) Code() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Diagnostic is one finding tied to a place in a source file.
// Line and Col are 1-based; 0 means unknown.
type Diagnostic struct {
	Path     string   `json:"path"`
	Line     int      `json:"line,omitempty"`
	Col      int      `json:"col,omitempty"`
	Severity Severity `json:"-"`
	Message  string   `json:"message"`
	// Code is a short stable identifier for machines ("front-matter", "unknown-province", ...).
	Code string `json:"code,omitempty"`
	// Format and Args are the message before formatting: a Vietnamese format of the
	// message catalogue, so that printing can show it in another language (In). Message
	// is the Vietnamese text; a diagnostic without Format prints Message as it is.
	Format string `json:"-"`
	Args   []any  `json:"-"`
}

// Text is the message in l.
func (d Diagnostic) Text(l message.Lang) string {
	if d.Format == "" {
		return d.Message
	}
	return l.Sprintf(d.Format, d.Args...)
}

// String formats the diagnostic as "path:line:col: lỗi: message" ("cảnh báo" for a
// warning), in Vietnamese, on one line: a path or a message that holds a newline or
// another control character (a file named "ok.md:1:1: cảnh báo: forged\nreal.md") has
// it escaped, so that it cannot forge a line.
func (d Diagnostic) String() string { return d.In(message.Vi) }

// In formats the diagnostic as String does, in l.
func (d Diagnostic) In(l message.Lang) string {
	return Place(d.Path, d.Line, d.Col) + ": " + d.Severity.In(l) + ": " + Printable(d.Text(l))
}

// Place is "path:line:col" as a diagnostic prints its place: the line and the column
// only when known (not 0), the path Printable.
func Place(path string, line, col int) string {
	s := Printable(path)
	if line > 0 {
		s += ":" + strconv.Itoa(line)
		if col > 0 {
			s += ":" + strconv.Itoa(col)
		}
	}
	return s
}

// Printable returns s with control characters (newlines included), bytes that are not
// UTF-8 and Unicode line and paragraph separators escaped as Go writes them in quoted
// strings (\n, \x1b, \xff, \u2028); anything else is kept as it is.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError || r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r < 0x20 || r == 0x7f || r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError:
			q := strconv.QuoteRune(r)
			b.WriteString(q[1 : len(q)-1])
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// List is a concurrency-safe collection of diagnostics. The zero value is ready to use.
type List struct {
	mu     sync.Mutex
	items  []Diagnostic
	shared []sharedBlock // AddShared's, in the order they came among items
	late   bool          // FormatLate
}

// sharedBlock is a slice of diagnostics recorded whole by AddShared, at position at of
// items (the number of items recorded before it).
type sharedBlock struct {
	at    int
	items []Diagnostic
}

// FormatLate makes l keep the diagnostics it records from then on whose arguments are
// plain values (plainArgs) without their Message, formatted again by Items: for a
// one-off build, which reads its list once at the end, while a server that reads it at
// every save keeps the messages formatted. The 62,856 duplicate-title warnings of a
// 100,000-article build held 30 MB of formatted text through rendering, where that build
// peaks, though it prints 20 of them (BENCHMARKS.md, fifteenth session, branch mem22).
// Items returns the same diagnostics either way.
func (l *List) FormatLate() {
	l.mu.Lock()
	l.late = true
	l.mu.Unlock()
}

// Add records d (see FormatLate).
func (l *List) Add(d Diagnostic) {
	l.mu.Lock()
	if l.late && d.Format != "" && plainArgs(d.Args) {
		d.Message = ""
	}
	l.items = append(l.items, d)
	l.mu.Unlock()
}

// AddShared records every diagnostic of ds, as Add would one by one, without copying
// them: ds must not change afterwards. For a caller that keeps its findings between
// builds and hands the same slice to each build's List (the near-duplicate title
// findings of `portal serve --watch`, 62,856 at 100,000 articles): appended one by one
// they grew the list's slice by doubling at every save (≈ 33 MB a save there, BENCHMARKS.md,
// nineteenth session, branch heap19). A List that formats late (FormatLate) records
// them one by one as Add does, dropping their formatted messages.
func (l *List) AddShared(ds []Diagnostic) {
	if len(ds) == 0 {
		return
	}
	l.mu.Lock()
	late := l.late
	if !late {
		l.shared = append(l.shared, sharedBlock{at: len(l.items), items: ds})
	}
	l.mu.Unlock()
	if late {
		for _, d := range ds {
			l.Add(d)
		}
	}
}

// all returns every diagnostic recorded, in the order recorded, in a new slice; called
// with l.mu held.
func (l *List) all() []Diagnostic {
	if len(l.shared) == 0 {
		return slices.Clone(l.items)
	}
	n := len(l.items)
	for _, b := range l.shared {
		n += len(b.items)
	}
	out := make([]Diagnostic, 0, n)
	from := 0
	for _, b := range l.shared {
		out = append(out, l.items[from:b.at]...)
		out = append(out, b.items...)
		from = b.at
	}
	return append(out, l.items[from:]...)
}

// each calls f with every diagnostic recorded, in the order recorded (that of all),
// without copying them; called with l.mu held.
func (l *List) each(f func(Diagnostic)) {
	from := 0
	for _, b := range l.shared {
		for _, d := range l.items[from:b.at] {
			f(d)
		}
		for _, d := range b.items {
			f(d)
		}
		from = b.at
	}
	for _, d := range l.items[from:] {
		f(d)
	}
}

// plainArgs reports whether args are values that print the same whenever they are
// printed (strings, numbers, booleans, messages of those): a message made of them can be
// formatted later with the same text. Anything else (an error, a pointer) may change or
// print differently later, so its message is formatted when it is recorded.
func plainArgs(args []any) bool {
	for _, a := range args {
		switch x := a.(type) {
		case string, int, int64, float64, bool:
		case message.Text:
			if !plainArgs(x.Args) {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// add records the diagnostic of format and args, formatting its Message unless l would
// drop it (Add).
func (l *List) add(path string, line, col int, sev Severity, code, format string, args []any) {
	d := Diagnostic{Path: path, Line: line, Col: col, Severity: sev, Code: code, Format: format, Args: args}
	l.mu.Lock()
	late := l.late
	l.mu.Unlock()
	if !late || !plainArgs(args) {
		d.Message = message.Vi.Sprintf(format, args...)
	}
	l.Add(d)
}

// withMessage is d with its Message formatted, as Add found it.
func withMessage(d Diagnostic) Diagnostic {
	if d.Message == "" && d.Format != "" {
		d.Message = message.Vi.Sprintf(d.Format, d.Args...)
	}
	return d
}

// Errorf returns an error diagnostic at path:line:col, for a caller that hands a
// diagnostic on rather than collecting it in a List; see List.Errorf.
func Errorf(path string, line, col int, code, format string, args ...any) Diagnostic {
	return Diagnostic{Path: path, Line: line, Col: col, Severity: Error, Code: code, Message: message.Vi.Sprintf(format, args...), Format: format, Args: args}
}

// Errorf records an error at path:line:col. format is a Vietnamese format of the
// message catalogue (internal/message), so that the error can be printed in English.
func (l *List) Errorf(path string, line, col int, code, format string, args ...any) {
	l.add(path, line, col, Error, code, format, args)
}

// Warnf records a warning at path:line:col.
func (l *List) Warnf(path string, line, col int, code, format string, args ...any) {
	l.add(path, line, col, Warning, code, format, args)
}

// Merge appends all diagnostics of other.
func (l *List) Merge(other *List) {
	for _, d := range other.Items() {
		l.Add(d)
	}
}

// Items returns the diagnostics sorted by path, line, column, severity and message,
// so that output is deterministic whatever order the work ran in.
func (l *List) Items() []Diagnostic {
	out := l.Sorted()
	for i, d := range out {
		out[i] = withMessage(d)
	}
	return out
}

// Sorted returns the diagnostics in the order of Items, but those l keeps unformatted
// (FormatLate) stay so: for a rule that hands its findings on to another List, which
// formats them when it hands them out (Items) or keeps them unformatted in turn, or to a
// writer that formats one at a time (Text). The order is by the formatted message where
// path, line, column and severity tie, as in Items.
func (l *List) Sorted() []Diagnostic {
	l.mu.Lock()
	out := l.all()
	l.mu.Unlock()
	slices.SortStableFunc(out, func(a, b Diagnostic) int {
		if c := cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Severity, b.Severity),
		); c != 0 {
			return c
		}
		return cmp.Compare(withMessage(a).Message, withMessage(b).Message)
	})
	return out
}

// Count returns the number of errors and warnings.
func (l *List) Count() (errs, warns int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.each(func(d Diagnostic) {
		if d.Severity == Error {
			errs++
		} else {
			warns++
		}
	})
	return errs, warns
}

// HasErrors reports whether any diagnostic is an error.
func (l *List) HasErrors() bool {
	e, _ := l.Count()
	return e > 0
}

// Err returns nil when there are no errors, else an *Errors value listing them.
func (l *List) Err() error {
	var errs List
	l.mu.Lock()
	l.each(func(d Diagnostic) {
		if d.Severity == Error {
			errs.items = append(errs.items, d)
		}
	})
	l.mu.Unlock()
	if len(errs.items) == 0 {
		return nil
	}
	return &Errors{Items: errs.Items()}
}

// Errors is an error made of one or more error diagnostics.
type Errors struct{ Items []Diagnostic }

func (e *Errors) Error() string { return e.In(message.Vi) }

// In lists the diagnostics in l, one a line.
func (e *Errors) In(l message.Lang) string {
	lines := make([]string, len(e.Items))
	for i, d := range e.Items {
		lines[i] = d.In(l)
	}
	return strings.Join(lines, "\n")
}

// AsErrors unwraps err into its diagnostics, if it carries any.
func AsErrors(err error) ([]Diagnostic, bool) {
	var e *Errors
	if errors.As(err, &e) {
		return e.Items, true
	}
	return nil, false
}

// Position converts a byte offset in src into a 1-based line and column
// (the column counts characters, not bytes, so it matches what editors show).
func Position(src []byte, offset int) (line, col int) {
	if offset > len(src) {
		offset = len(src)
	}
	line = 1
	lineStart := 0
	for i := 0; i < offset; i++ {
		if src[i] == '\n' {
			line++
			lineStart = i + 1
		}
	}
	return line, len([]rune(string(src[lineStart:offset]))) + 1
}

// Absorb adds the diagnostics err carries (see AsErrors) to l and returns l.Err(), so
// that they are reported with the others; any other error is returned as it is.
func (l *List) Absorb(err error) error {
	items, ok := AsErrors(err)
	if !ok {
		return err
	}
	for _, d := range items {
		l.Add(d)
	}
	return l.Err()
}
