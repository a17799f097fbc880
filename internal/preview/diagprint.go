package preview

import (
	"fmt"
	"io"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
)

// seenDiag identifies a diagnostic without formatting it: where, what rule, the
// Vietnamese text.
type seenDiag struct {
	path, code, msg string
	line, col       int
	sev             diag.Severity
}

// printNew writes to w, in lang, the errors of ds and the warnings the last build did not
// report (last), and returns this build's warnings for the next call. A rebuild of a site
// with thousands of warnings (10,000 articles) then neither formats them all again at every
// save nor scrolls what the save changed out of the terminal: an editor sees each warning
// once, when it appears, and every error at every build.
func printNew(w io.Writer, lang message.Lang, ds []diag.Diagnostic, last map[seenDiag]bool) map[seenDiag]bool {
	now := make(map[seenDiag]bool, len(last))
	for _, d := range ds {
		if d.Severity == diag.Error {
			fmt.Fprintln(w, d.In(lang))
			continue
		}
		k := seenDiag{d.Path, d.Code, d.Message, d.Line, d.Col, d.Severity}
		if now[k] {
			continue
		}
		now[k] = true
		if !last[k] {
			fmt.Fprintln(w, d.In(lang))
		}
	}
	return now
}
