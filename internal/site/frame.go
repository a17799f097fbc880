package site

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
)

// A frame key, InputFrame(in).Key(g), hashes everything of in that Assemble, which made
// g from it, derives the graph's structure from: what Refresh requires to be as before
// (the configuration, the section index documents, the published documents in their
// order with the fields sameStructure compares, legal documents whole, attachments,
// citations, the schedule),
// and the clock when there are legal documents (their status follows it) — but a
// document's title only where the assembly copies it into a page that does not depend on
// the article (its alias pages) or makes a URL of it: the URL, permalink and output path
// of every article of g are hashed instead. A title is otherwise shown only on the pages
// that depend on its article (its page, its neighbours', the lists and feeds that show
// it), or in the newest articles' part of the structure key that build keys also hash.
//
// Two inputs with the same frame key assemble into graphs whose pages differ only in
// what the articles themselves show: a page of one shows the same as the other's page at
// its path unless it depends (Page.DependsOn) on an article that differs. `portal build`
// with its cache keys only those pages when the previous build's frame key is this one's.
//
// Front matter line numbers (diagnostics only) are left out. Hashing 100,000 documents
// costs well under a CPU-second.
//
// Frame is the hash of an input, before the graph's part: InputFrame can run beside
// Assemble (it only reads in), Key once g is assembled.
type Frame struct {
	h   hash.Hash
	buf []byte
}

func (f *Frame) str(s string) {
	f.buf = binary.AppendUvarint(f.buf, uint64(len(s)))
	f.buf = append(f.buf, s...)
}

func (f *Frame) num(i int64) { f.buf = binary.AppendVarint(f.buf, i) }

func (f *Frame) flush() {
	if len(f.buf) > 32<<10 {
		f.h.Write(f.buf)
		f.buf = f.buf[:0]
	}
}

// Key is the frame key of the input f hashed and g, the graph Assemble made of it. It is
// called once.
func (f *Frame) Key(g *Graph) string {
	for _, a := range g.Contents() {
		f.str(a.URL)
		f.str(a.Permalink)
		if a.page != nil {
			f.str(a.page.Path)
		}
		f.flush()
	}
	f.h.Write(f.buf)
	return string(f.h.Sum(nil))
}

// InputFrame hashes what the frame key hashes of in (see Frame).
func InputFrame(in Input) *Frame {
	f := &Frame{h: sha256.New()}
	str, num, flush := f.str, f.num, f.flush
	str(fmt.Sprintf("%#v", in.Config))
	str(scheduleKey(in))
	num(int64(len(in.SectionIndexes)))
	for _, d := range in.SectionIndexes {
		str(d.Path)
		str(d.Hash)
	}
	legal := false
	num(int64(len(in.Sources)))
	for _, s := range in.Sources {
		d := s.Doc
		str(d.Path)
		str(d.Section)
		str(d.Name)
		str(d.BundleDir)
		num(int64(d.Kind))
		if len(d.Aliases) > 0 { // alias pages show the title
			str(d.Title)
		}
		str(d.Slug)
		str(d.URL)
		num(int64(len(d.Aliases)))
		for _, a := range d.Aliases {
			str(a)
		}
		if d.Draft {
			num(1)
		} else {
			num(0)
		}
		num(int64(d.Weight))
		for _, t := range []string{d.Date.String(), d.Lastmod.String(), d.PublishDate.String(), d.ExpiryDate.String()} {
			str(t)
		}
		num(int64(len(d.Terms)))
		for _, l := range d.Terms {
			str(l.Taxonomy)
			num(int64(len(l.Values)))
			for _, v := range l.Values {
				str(v)
			}
		}
		if d.Legal != nil { // a legal document's fields are its page's structure
			legal = true
			str(d.Hash)
		}
		num(int64(len(s.Attachments)))
		for _, a := range s.Attachments {
			str(a.Name)
			num(a.Size)
		}
		keys := citedKeys(s.Body.Citations)
		num(int64(len(keys)))
		for _, k := range keys {
			str(k)
		}
		keys = citedKeys(htmlCitations(string(s.Summary)))
		num(int64(len(keys)))
		for _, k := range keys {
			str(k)
		}
		flush()
	}
	if legal {
		str(in.Now.String())
	}
	return f
}
