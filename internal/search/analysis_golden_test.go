package search

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v15"
)

// goldenDocs are documents whose text exercises the analysis: generated prose with
// document numbers, the fixtures, and texts with what the fast paths must hand on
// (decomposed letters, upper case that lowers to a longer encoding, final sigma,
// ideographs, joiners, numbers with separators, apostrophes, tabs and line breaks).
func goldenDocs() []Document {
	docs := append(fixtureDocs(), genRealisticDocs(300, 9)...)
	odd := []string{
		"Ha\u0300 Ti\u0303nh (NFD), ĐÀ NẴNG, 64/2007/NĐ-CP và \u1112\u1161\u11ab.",
		"ȺȾ ΣΑΣ ὈΔΥΣΣΕΎΣ İstanbul K\u0301 ǅ ǈ ﬃ ẞ straße",
		"1.000.000 đồng, 3,5 %, 12:30, 2024-05-01, v1.2.3, a_b, a'b, don't, l'été, 'trích'",
		"東京 タワー ひらがな 한국어\u200d👍🏽 e\u0301 \u0301đầu \u00adx y\u200bz",
		"Dòng một\nDòng hai\r\n\tthụt lề  hai  dấu cách\u00a0không ngắt\u2003em",
		"Số 1234/2024/QĐ-UBND-VX ngày 5/1/2024; “ngoặc kép” — gạch ngang… (ngoặc) [vuông] {nhọn} #thẻ @ai",
		"ǸǹȀȁ ĂăÂâÊêÔôƠơƯư ỲỳỴỵỶỷỸỹ Ỉỉ Ị ị Ũ ũ Ủ ủ Ọ ọ Ổ ổ Ỡ ỡ ĐđĐ",
		"",
		"   ",
		"a",
	}
	for i, s := range odd {
		d := docs[i%len(docs)]
		d.URL = fmt.Sprintf("/tin-tuc/la-%d/", i)
		d.Title, d.Body = s, s+" "+d.Body
		if i%2 == 0 {
			d.Summary = s
		}
		d.Tags = []Term{{Name: s, Slug: fmt.Sprintf("la-%d", i)}, {Name: "Hội nghị", Slug: "hoi-nghi"}}
		docs = append(docs, d)
	}
	return docs
}

// TestSegmentEqualsBleveAnalysis: a segment of documents analyzed by docAnalyzer.analyze (the
// shared stages, the fields of one name counted together) has the bytes of the segment
// zap writes from the same documents mapped by bleve and analyzed by bleve's own
// analyzers, field by field. So the analysis can change how it works, never what the
// index holds.
func TestSegmentEqualsBleveAnalysis(t *testing.T) {
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	prepared, err := NewMemo().prepare(goldenDocs())
	if err != nil {
		t.Fatal(err)
	}
	var ours, theirs []index.Document
	for _, d := range prepared {
		ad, err := newDocAnalyzer(im, &freqPool{}).analyze(d)
		if err != nil {
			t.Fatal(err)
		}
		ours = append(ours, ad)
		want := document.NewDocument(d.url)
		m, err := d.fields()
		if err != nil {
			t.Fatal(err)
		}
		if err := im.MapDocument(want, m); err != nil {
			t.Fatal(err)
		}
		theirs = append(theirs, want)
	}
	write := func(name string, batch []index.Document) []byte {
		for _, d := range batch {
			d.AddIDField()
			analyzeIndexed(d) // bleve's own Analyze for theirs
		}
		seg, _, err := (&zap.ZapPlugin{}).New(batch)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(t.TempDir(), name+".zap")
		if err := seg.(segment.UnpersistedSegment).Persist(p); err != nil {
			t.Fatal(err)
		}
		_ = seg.Close()
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	a, b := write("ours", ours), write("theirs", theirs)
	if !bytes.Equal(a, b) {
		n := 0
		for n < min(len(a), len(b)) && a[n] == b[n] {
			n++
		}
		t.Fatalf("the segment of the shared analysis (%d bytes) differs from bleve's (%d bytes) from byte %d", len(a), len(b), n)
	}
}
