package search

import (
	"math/bits"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// Recycling the term counts of a full build.
//
// Every counted field of every document (docAnalyzer.emit) gets a map of its terms'
// frequencies and a TokenFreq per term, which the segment writer reads once, when it
// turns the batch into a segment (zap's New copies what it needs into the segment), and
// which are garbage from then on. Made anew for each field they were a fifth of what an
// index build allocated (≈ 1.5 GB per 20,000 template articles), and at 100,000 articles
// each collection marks a large heap. A freqPool takes them back from the segment writer
// (segmentWriter.write) and hands them to the analysis workers again, by size class: a
// map made for 2^k terms and a slice of 2^k TokenFreqs.

// freqSet is a field's term frequencies: m, and the TokenFreqs its values point into.
type freqSet struct {
	m   index.TokenFrequencies
	tfs []index.TokenFreq
	// class is the size class the set belongs to: m was made for 1<<class terms and
	// cap(tfs) is 1<<class.
	class int
}

// maxFreqClass bounds the sets pooled: a field of more than 1<<maxFreqClass distinct
// terms gets its own, not pooled.
const maxFreqClass = 20

// freqPool hands out and takes back freqSets (safe for concurrent use). Sets not taken
// back are collected like any other memory; sets taken back survive a collection or two
// (sync.Pool).
type freqPool struct {
	classes [maxFreqClass + 1]sync.Pool
}

// get returns an empty set for n terms (n > 0): m and tfs[:n], the slice's TokenFreqs
// zero.
func (p *freqPool) get(n int) *freqSet {
	c := bits.Len(uint(n - 1)) // the smallest class with 1<<c >= n
	if c > maxFreqClass {
		return &freqSet{m: make(index.TokenFrequencies, n), tfs: make([]index.TokenFreq, n), class: -1}
	}
	if s, ok := p.classes[c].Get().(*freqSet); ok {
		s.tfs = s.tfs[:n]
		return s
	}
	return &freqSet{m: make(index.TokenFrequencies, 1<<c), tfs: make([]index.TokenFreq, n, 1<<c), class: c}
}

// put takes s back once nothing reads its map or TokenFreqs any more: they are emptied
// (no term kept live) and handed out again.
func (p *freqPool) put(s *freqSet) {
	if s.class < 0 {
		return
	}
	clear(s.m)
	clear(s.tfs)
	s.tfs = s.tfs[:0]
	p.classes[s.class].Put(s)
}

// recycle gives back the sets of the fields of d that emit made (d's segment is
// written).
func (p *freqPool) recycle(d index.Document) {
	doc, ok := d.(*document.Document)
	if !ok {
		return
	}
	for _, f := range doc.Fields {
		if af, ok := f.(analyzedField); ok && af.set != nil {
			p.put(af.set)
		}
	}
}
