package content

import (
	"bytes"
	"encoding/json"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v2"
)

// fmDelims is one front matter format: the lines that open and close it, and how its
// text is decoded.
type fmDelims struct {
	start, end string
	format     fmFormat
	decode     func([]byte, any) error
	// withDelims: the decoder is given the delimiter lines too (JSON's braces).
	withDelims bool
	// blankAfter: the closing line must be followed by a blank line (or the end of the
	// file), or it does not close.
	blankAfter bool
}

// fmFormats are the three formats portal reads, in the order they are tried.
var fmFormats = [...]fmDelims{
	{start: "---", end: "---", format: fmYAML, decode: yaml.Unmarshal},
	{start: "+++", end: "+++", format: fmTOML, decode: toml.Unmarshal},
	{start: "{", end: "}", format: fmJSON, decode: json.Unmarshal, withDelims: true, blankAfter: true},
}

// lineReader reads src line by line without copying it.
type lineReader struct {
	src []byte
	pos int // offset of the next line
}

// next returns the next line with its surrounding white space trimmed; atEOF is true
// when the line has no '\n' at its end (the last line, or nothing once src is read).
func (r *lineReader) next() (line []byte, atEOF bool) {
	rest := r.src[r.pos:]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		r.pos = len(r.src)
		return bytes.TrimSpace(rest), true
	}
	r.pos += i + 1
	return bytes.TrimSpace(rest[:i+1]), false
}

// findFrontMatter finds the front matter of src the way github.com/adrg/frontmatter
// v0.2.0 did (which portal used before; TestFindFrontMatterMatchesAdrg compares the two),
// without reading src into buffers: the first line that is not blank must be a format's
// opening line, and the front matter runs to the next line that is its closing line.
// It returns the format (nil when src has no closed front matter), the text to decode
// and the offset where the body starts.
func findFrontMatter(src []byte) (f *fmDelims, data []byte, end int) {
	r := lineReader{src: src}
	start := 0
	for f == nil {
		before := r.pos
		line, atEOF := r.next()
		if atEOF {
			return nil, nil, 0
		}
		if len(line) == 0 {
			continue
		}
		for i := range fmFormats {
			if string(line) == fmFormats[i].start {
				f = &fmFormats[i]
				break
			}
		}
		if f == nil {
			return nil, nil, 0
		}
		start = r.pos
		if f.withDelims {
			start = before
		}
	}
	for {
		before := r.pos
		line, atEOF := r.next()
		for string(line) == f.end {
			if !f.blankAfter {
				return f, src[start:before], r.pos
			}
			line, atEOF = r.next()
			if len(line) == 0 {
				stop := before
				if f.withDelims {
					stop = r.pos
				}
				return f, src[start:stop], r.pos
			}
		}
		if atEOF {
			return nil, nil, 0
		}
	}
}
