package build

import (
	"html/template"
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/spool"
)

// A one-off build (no Cache) keeps rendered bodies in a spool file from the Markdown stage
// until each article's page is written and its text indexed: at 100,000 articles the
// HTML and plain text are about 1.5 GB that need not be in memory together.

// storedBody is one article's HTML and plain text, written together to the spool.
type storedBody struct {
	f          *spool.File
	html, text spool.Span
}

func (b *storedBody) HTML() (template.HTML, error) {
	s, err := b.f.ReadString(b.html)
	return template.HTML(s), err
}

func (b *storedBody) Text() (string, error) { return b.f.ReadString(b.text) }

// spill writes src's body to f and returns src without it in memory.
func spill(f *spool.File, src site.Source) (site.Source, error) {
	h, t := string(src.Body.HTML), src.Body.Text
	buf := make([]byte, 0, len(h)+len(t))
	sp, err := f.Put(append(append(buf, h...), t...))
	if err != nil {
		return src, err
	}
	return src.Spill(&storedBody{f: f, html: sp.Slice(0, len(h)), text: sp.Slice(len(h), sp.Len())}), nil
}

// spoolDir picks the folder for a build's spool: next to the output folder, which is on a
// disk the user chose for a large output (the system's temporary folder may be in memory).
func spoolDir(dest string) string {
	dir := filepath.Dir(dest)
	if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
		return dir
	}
	return ""
}
