package build

import (
	"html/template"
	"sync"
	"sync/atomic"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/spool"
)

// A MemoryCache keeps every published article's rendered body from one build to the next.
// Where it keeps them is its bodyKeeper, chosen by the constructor:
//
//   - heapBodies (portal preview): the HTML and plain text in memory, and the parsed
//     document's Markdown, as they came.
//   - spooledBodies (portal serve --watch, ServeCache): the HTML and plain text in a
//     temporary spool file beside the output folder, and the Markdown let go once it is
//     rendered (read again from its file, content.ReadBody, in the rare case the body must
//     be rendered again without the file having changed: its images' key changed). At
//     100,000 articles that is about 1.3 GB of HTML and text and 0.7 GB of Markdown the
//     server does not hold; the kernel's page cache holds what is read often.
type bodyKeeper interface {
	// keep stores the HTML and plain text of res (a rendered body) and returns how to
	// read them back.
	keep(res markdown.Result) (site.Stored, error)
	// rendered is told that d's body is kept (rendered now, or found rendered).
	rendered(docs *content.Cache, d *content.Document)
	// forget is told that a body kept is no longer read.
	forget(st site.Stored)
	// commit follows a successful build that forgot some bodies; live calls yield with
	// every body still kept.
	commit(live func(yield func(site.Stored)))
	close()
}

// heapBodies keeps bodies in memory.
type heapBodies struct{}

func (heapBodies) keep(res markdown.Result) (site.Stored, error) {
	return memoryBody{res.HTML, res.Text}, nil
}
func (heapBodies) rendered(*content.Cache, *content.Document) {}
func (heapBodies) forget(site.Stored)                         {}
func (heapBodies) commit(func(func(site.Stored)))             {}
func (heapBodies) close()                                     {}

// spooledBodies keeps bodies in a temporary spool file (internal/spool: unlinked at once,
// so it goes with the process). The file only grows as bodies are rendered again after
// edits; when what is no longer read outweighs what is (and is over compactMin), commit
// copies the live bodies into a new file and moves each spooledBody there in place (the
// graph's articles and the cache share the very values), then closes the old one.
type spooledBodies struct {
	mu  sync.Mutex
	dir string // where the spool file goes ("": the system's temporary folder)
	f   *spool.File
	// used counts the bytes of f still read (kept and not forgotten).
	used atomic.Int64
	// compactMin is the least dead weight worth a compaction.
	compactMin int64
}

// compactMin is spooledBodies' default: below it, dead bodies cost only disk space.
const compactMin = 64 << 20

func newSpooledBodies() *spooledBodies { return &spooledBodies{compactMin: compactMin} }

// at sets the folder of the spool files made from now on (beside the output folder).
func (s *spooledBodies) at(dir string) {
	s.mu.Lock()
	s.dir = dir
	s.mu.Unlock()
}

// file returns the current spool file, created on first need.
func (s *spooledBodies) file() (*spool.File, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		f, err := spool.Create(s.dir)
		if err != nil {
			return nil, err
		}
		s.f = f
	}
	return s.f, nil
}

func (s *spooledBodies) keep(res markdown.Result) (site.Stored, error) {
	f, err := s.file()
	if err != nil {
		return nil, err
	}
	h, t := string(res.HTML), res.Text
	buf := make([]byte, 0, len(h)+len(t))
	sp, err := f.Put(append(append(buf, h...), t...))
	if err != nil {
		return nil, err
	}
	s.used.Add(sp.End() - sp.Off())
	b := &spooledBody{}
	b.at.Store(&spoolPlace{f: f, html: sp.Slice(0, len(h)), text: sp.Slice(len(h), sp.Len())})
	return b, nil
}

func (*spooledBodies) rendered(docs *content.Cache, d *content.Document) { docs.DropBody(d) }

func (s *spooledBodies) forget(st site.Stored) {
	if b, ok := st.(*spooledBody); ok {
		pl := b.at.Load()
		s.used.Add(-int64(pl.html.Len() + pl.text.Len()))
	}
}

func (s *spooledBodies) commit(live func(yield func(site.Stored))) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return
	}
	used := s.used.Load()
	if dead := s.f.Size() - used; dead <= used || dead < s.compactMin {
		return
	}
	nf, err := spool.Create(s.dir)
	if err != nil {
		return // keep the file as it is: it only costs disk space
	}
	var (
		bodies []*spooledBody
		moved  []*spoolPlace
	)
	live(func(st site.Stored) {
		b, ok := st.(*spooledBody)
		if !ok || err != nil {
			return
		}
		pl := b.at.Load()
		if pl.f == nf {
			return // kept twice (two files of the same bytes): moved already
		}
		var data []byte
		if data, err = pl.f.Read(spool.At(pl.html.Off(), int64(pl.html.Len()+pl.text.Len()))); err != nil {
			return
		}
		var sp spool.Span
		if sp, err = nf.Put(data); err == nil {
			bodies = append(bodies, b)
			moved = append(moved, &spoolPlace{f: nf, html: sp.Slice(0, pl.html.Len()), text: sp.Slice(pl.html.Len(), sp.Len())})
		}
	})
	if err != nil {
		nf.Close()
		return
	}
	for i, b := range bodies {
		b.at.Store(moved[i])
	}
	s.f.Close()
	s.f = nf
	s.used.Store(nf.Size())
}

func (s *spooledBodies) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
}

// spooledBody is one article's HTML and plain text in a spooledBodies' file; its place
// changes when the file is compacted.
type spooledBody struct{ at atomic.Pointer[spoolPlace] }

type spoolPlace struct {
	f          *spool.File
	html, text spool.Span
}

func (b *spooledBody) HTML() (template.HTML, error) {
	pl := b.at.Load()
	s, err := pl.f.ReadString(pl.html)
	return template.HTML(s), err
}

func (b *spooledBody) Text() (string, error) {
	pl := b.at.Load()
	return pl.f.ReadString(pl.text)
}
