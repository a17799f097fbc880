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
// (segmentWriter.write) and hands them to the analysis workers again, by size class
// (freqClass).

// freqSet is a field's term frequencies: m, and the TokenFreqs its values point into.
type freqSet struct {
	m   index.TokenFrequencies
	tfs []index.TokenFreq
	// class is the size class the set belongs to (-1: none, not pooled): m has room for
	// 1<<class slots, as a map made for classTerms(class) terms has, and cap(tfs) is
	// classTerms(class).
	class int
}

// maxFreqClass bounds the sets pooled: a field of more than classTerms(maxFreqClass)
// distinct terms gets its own, not pooled.
const maxFreqClass = 20

// freqPool hands out and takes back freqSets (safe for concurrent use). Sets not taken
// back are collected like any other memory; sets taken back survive a collection or two
// (sync.Pool).
type freqPool struct {
	classes [maxFreqClass + 1]sync.Pool
}

// The classes follow the map's own sizes: a Go map made for n terms has room for the
// power of two of slots at or above n·8/7 (its groups are at most 7/8 full), and ranging
// over it (the segment writer does, once per field) visits every slot; a pooled map is
// as large as a new one for the same terms, no larger.

// freqClass is the class of a set for n terms (n > 0).
func freqClass(n int) int {
	slots := (n*8 + 6) / 7 // n·8/7, rounded up
	return bits.Len(uint(slots - 1))
}

// classTerms is the most terms a set of class c holds.
func classTerms(c int) int { return max(1, (1<<c)*7/8) }

// get returns an empty set for n terms (n > 0): m and tfs[:n], the slice's TokenFreqs
// zero.
func (p *freqPool) get(n int) *freqSet {
	c := freqClass(n)
	if c > maxFreqClass {
		return &freqSet{m: make(index.TokenFrequencies, n), tfs: make([]index.TokenFreq, n), class: -1}
	}
	if s, ok := p.classes[c].Get().(*freqSet); ok {
		s.tfs = s.tfs[:n]
		return s
	}
	k := classTerms(c)
	return &freqSet{m: make(index.TokenFrequencies, k), tfs: make([]index.TokenFreq, n, k), class: c}
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
