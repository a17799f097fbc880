// Package message holds the one catalogue of the messages people read. A message is
// written in Vietnamese, the default language, as a format string with arguments; the
// catalogue maps each Vietnamese format to its English translation for the IT centre
// (`--lang en`, or LANG=en_US.UTF-8). Code deep in the pipeline keeps the Vietnamese
// format and its arguments (diag.Diagnostic, Errorf) and needs no language; only
// printing, at the edges, picks one (Lang.Sprintf, Lang.Text).
package message

import (
	"errors"
	"fmt"
	"strings"
)

// Lang is a language messages are printed in.
type Lang int

const (
	// Vi is Vietnamese, the default.
	Vi Lang = iota
	// En is English.
	En
)

// String is the language's code ("vi", "en").
func (l Lang) String() string {
	if l == En {
		return "en"
	}
	return "vi"
}

// Parse reads a language code or a POSIX locale name: "vi", "vi_VN.UTF-8", "en",
// "en_US.UTF-8". ok is false for anything else ("fr", "C", "").
func Parse(s string) (l Lang, ok bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "_.@-"); i >= 0 {
		s = s[:i]
	}
	switch s {
	case "vi":
		return Vi, true
	case "en":
		return En, true
	}
	return Vi, false
}

// FromEnv picks the language from the environment as POSIX does for messages: the
// first of LC_ALL, LC_MESSAGES and LANG that is set. A locale whose language is
// English ("en_US.UTF-8") means English; anything else, or nothing, Vietnamese.
func FromEnv(getenv func(string) string) Lang {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(k); v != "" {
			l, _ := Parse(v)
			return l
		}
	}
	return Vi
}

// Localizer is a value that prints itself in a language: a Text, an error made by
// Errorf, a diagnostic. Arguments of Sprintf that are Localizers are printed in the
// same language as the format.
type Localizer interface {
	In(Lang) string
}

// Sprintf formats a Vietnamese format string in l: the catalogue's translation of
// format when l is not Vietnamese (the Vietnamese format itself when the catalogue
// has none), with every Localizer argument printed in l too. %w works as %v.
func (l Lang) Sprintf(format string, args ...any) string {
	f := format
	if l == En {
		if e, ok := english[format]; ok {
			f = e
		}
	}
	if strings.Contains(f, "%w") {
		f = strings.ReplaceAll(f, "%w", "%v")
	}
	if len(args) == 0 && !strings.Contains(f, "%") {
		return f
	}
	out, copied := args, false
	for i, a := range args {
		var s string
		switch x := a.(type) {
		case Localizer:
			s = x.In(l)
		case error:
			s = l.Error(x)
		default:
			continue
		}
		if !copied {
			out, copied = append([]any(nil), args...), true
		}
		out[i] = s
	}
	return fmt.Sprintf(f, out...)
}

// Error prints err in l: through the catalogue when err is, or wraps first, a
// Localizer (an Errorf error); as it is otherwise.
func (l Lang) Error(err error) string {
	if err == nil {
		return ""
	}
	if x, ok := err.(Localizer); ok {
		return x.In(l)
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok && l != Vi {
		// errors.Join: one error a line, each in l.
		errs := j.Unwrap()
		vi, in := make([]string, len(errs)), make([]string, len(errs))
		for i, e := range errs {
			vi[i], in[i] = e.Error(), l.Error(e)
		}
		if err.Error() == strings.Join(vi, "\n") {
			return strings.Join(in, "\n")
		}
	}
	var loc *Error
	if l != Vi && errors.As(err, &loc) {
		// A plain wrapper ("publish: %w") around a catalogued error: translate the
		// inner part where it appears in the whole text.
		return strings.Replace(err.Error(), loc.Error(), loc.In(l), 1)
	}
	return err.Error()
}

// Text is a message not yet printed: a Vietnamese format and its arguments.
type Text struct {
	Format string
	Args   []any
}

// New returns the message format with args.
func New(format string, args ...any) Text { return Text{format, args} }

// In prints the message in l.
func (t Text) In(l Lang) string { return l.Sprintf(t.Format, t.Args...) }

// String prints the message in Vietnamese.
func (t Text) String() string { return t.In(Vi) }

// Error is an error whose text is a catalogued message. It unwraps to the error
// arguments of its message, so errors.Is and errors.As see through it as they do
// through fmt.Errorf's %w.
type Error struct{ Text }

// Errorf is fmt.Errorf for a catalogued Vietnamese format: Error() is Vietnamese,
// In(En) English; error arguments (%v or %w) are unwrapped by errors.Is and As.
func Errorf(format string, args ...any) error { return &Error{Text{format, args}} }

func (e *Error) Error() string { return e.In(Vi) }

// Unwrap returns the error arguments.
func (e *Error) Unwrap() []error {
	var errs []error
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			errs = append(errs, err)
		}
	}
	return errs
}
