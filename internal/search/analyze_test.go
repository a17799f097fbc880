package search

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
)

// TestSharedAnalysisEqualsBleve: every field of every document analyzed
// with shared stages has the length and token frequencies (terms,
// counts, positions, offsets, array positions) that bleve's own analysis
// of that field gives.
func TestSharedAnalysisEqualsBleve(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	docs := append(fixtureDocs(), genRealisticDocs(200, 5)...)
	docs[0].Body = "Ha\u0300 Ti\u0303nh (NFD), ĐÀ NẴNG, 64/2007/NĐ-CP và \u1112\u1161\u11ab."
	prepared, err := prepareDocs(docs)
	if err != nil {
		t.Fatal(err)
	}
	fields, shared := 0, 0
	for _, d := range prepared {
		got, err := analyzeDoc(im, d)
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
		if len(gd.Fields) != len(want.Fields) {
			t.Fatalf("%s: %d fields, want %d", d.url, len(gd.Fields), len(want.Fields))
		}
		// MapDocument's field order follows a map: match fields by name,
		// value and array positions.
		key := func(f document.Field) string {
			return fmt.Sprintf("%s\x00%s\x00%v", f.Name(), f.Value(), f.ArrayPositions())
		}
		byKey := map[string][]document.Field{}
		for _, wf := range want.Fields {
			k := key(wf) // before Analyze: bleve lower-cases an unstored field's value in place
			if wf.Options().IsIndexed() {
				wf.Analyze()
			}
			byKey[k] = append(byKey[k], wf)
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
			if gf.AnalyzedLength() != wf.AnalyzedLength() || !reflect.DeepEqual(gf.AnalyzedTokenFrequencies(), wf.AnalyzedTokenFrequencies()) {
				t.Fatalf("%s field %s: length %d, frequencies %v;\nbleve: length %d, frequencies %v", d.url, wf.Name(),
					gf.AnalyzedLength(), gf.AnalyzedTokenFrequencies(), wf.AnalyzedLength(), wf.AnalyzedTokenFrequencies())
			}
		}
	}
	if shared < fields/2 {
		t.Errorf("only %d of %d fields went through the shared analysis", shared, fields)
	}
}
