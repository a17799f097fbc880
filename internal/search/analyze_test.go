package search

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
)

// sameFrequencies reports whether a and b have the same terms, counts and
// term locations (an empty list of locations is no locations).
func sameFrequencies(a, b index.TokenFrequencies) bool {
	if len(a) != len(b) {
		return false
	}
	for k, x := range a {
		y, ok := b[k]
		if !ok || !bytes.Equal(x.Term, y.Term) || x.Frequency() != y.Frequency() || len(x.Locations) != len(y.Locations) {
			return false
		}
		for i := range x.Locations {
			if !reflect.DeepEqual(*x.Locations[i], *y.Locations[i]) {
				return false
			}
		}
	}
	return true
}

// TestSharedAnalysisEqualsBleve: every field of every document analyzed
// with shared stages has the length and token frequencies (terms,
// counts, positions, offsets, array positions) that bleve's own analysis
// of that field gives; a field counting a name's fields together, what
// bleve's fields of that name give together.
func TestSharedAnalysisEqualsBleve(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(goldenDocs())
	if err != nil {
		t.Fatal(err)
	}
	fields, shared := 0, 0
	for _, d := range prepared {
		got, err := newDocAnalyzer(im, &freqPool{}).analyze(d)
		if err != nil {
			t.Fatal(err)
		}
		want := document.NewDocument(d.url)
		m, err := d.fields()
		if err != nil {
			t.Fatal(err)
		}
		if err := im.MapDocument(want, m); err != nil {
			t.Fatal(err)
		}
		gd := got.(*document.Document)
		// MapDocument's field order follows a map: match fields by name,
		// value and array positions. The fields analyzeFields counts
		// together are matched by name, with bleve's fields of that name
		// merged as the segment writer merges them.
		key := func(f document.Field) string {
			if countedTogether(f.Options()) {
				return f.Name()
			}
			return fmt.Sprintf("%s\x00%s\x00%v", f.Name(), f.Value(), f.ArrayPositions())
		}
		type merged struct {
			length int
			freqs  index.TokenFrequencies
		}
		byKey := map[string][]*merged{}
		for _, wf := range want.Fields {
			k := key(wf) // before Analyze: bleve lower-cases an unstored field's value in place
			if wf.Options().IsIndexed() {
				wf.Analyze()
			}
			if ws := byKey[k]; len(ws) > 0 && countedTogether(wf.Options()) {
				ws[0].length += wf.AnalyzedLength()
				ws[0].freqs.MergeAll(wf.Name(), wf.AnalyzedTokenFrequencies())
				continue
			}
			byKey[k] = append(byKey[k], &merged{wf.AnalyzedLength(), wf.AnalyzedTokenFrequencies()})
		}
		for _, gf := range gd.Fields {
			ws := byKey[key(gf)]
			if len(ws) == 0 {
				t.Fatalf("%s: field %s %q has no counterpart in bleve's mapping", d.url, gf.Name(), gf.Value())
			}
			wf := ws[0]
			byKey[key(gf)] = ws[1:]
			if _, ok := gf.(analyzedField); ok {
				shared++
			}
			fields++
			if gf.AnalyzedLength() != wf.length || !sameFrequencies(gf.AnalyzedTokenFrequencies(), wf.freqs) {
				t.Fatalf("%s field %s: length %d, frequencies %v;\nbleve: length %d, frequencies %v", d.url, gf.Name(),
					gf.AnalyzedLength(), gf.AnalyzedTokenFrequencies(), wf.length, wf.freqs)
			}
		}
		for k, ws := range byKey {
			if len(ws) > 0 {
				t.Fatalf("%s: bleve's field %q has no counterpart in the shared analysis", d.url, k)
			}
		}
	}
	if shared < fields/2 {
		t.Errorf("only %d of %d fields went through the shared analysis", shared, fields)
	}
}
