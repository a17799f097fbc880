package search

import (
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// TestCompoundRuns: the compound tokenizer yields every run of 2 to
// maxCompoundRun consecutive tokens of each compound, and nothing for
// words separated by spaces or by longer punctuation.
func TestCompoundRuns(t *testing.T) {
	text := []byte("Nghị định số 64/2007/NĐ-CP ngày 10/4, khoản 5 2007 - hết; a/b/c/d/e/f/g")
	var got []string
	for _, tok := range compoundRuns(text, unicode.NewUnicodeTokenizer().Tokenize(text)) {
		got = append(got, string(tok.Term))
		if s := string(text[tok.Start:tok.End]); strings.ReplaceAll(strings.NewReplacer("/", " ", "-", " ").Replace(s), "  ", " ") != string(tok.Term) {
			t.Errorf("run %q has offsets of %q", tok.Term, s)
		}
	}
	want := []string{
		"64 2007", "64 2007 NĐ", "64 2007 NĐ CP", "2007 NĐ", "2007 NĐ CP", "NĐ CP",
		"10 4",
		// a/b/c/d/e/f/g: 7 tokens, runs of at most 6.
		"a b", "a b c", "a b c d", "a b c d e", "a b c d e f",
		"b c", "b c d", "b c d e", "b c d e f", "b c d e f g",
		"c d", "c d e", "c d e f", "c d e f g",
		"d e", "d e f", "d e f g",
		"e f", "e f g",
		"f g",
	}
	if !slices.Equal(got, want) {
		t.Errorf("runs:\n got %q\nwant %q", got, want)
	}
}

// TestDocumentNumberInBodyOnly: a document number that only the body
// holds is found as typed, by a part of it, without diacritics and, when
// longer than the longest run, by overlapping runs; the same tokens
// separated by spaces are not a match; the hit's excerpt marks it.
func TestDocumentNumberInBodyOnly(t *testing.T) {
	const (
		urlA = "/tin-tuc/a/"
		urlB = "/tin-tuc/b/"
		urlC = "/tin-tuc/c/"
	)
	docs := []Document{
		{URL: urlA, Title: "Triển khai kế hoạch", Summary: "Tin ngắn.",
			Body: "Thực hiện Quyết định số 1234/QĐ-UBND ngày 5/3/2024 của tỉnh, các sở triển khai kế hoạch."},
		{URL: urlB, Title: "Báo cáo số liệu", Summary: "Tin ngắn.",
			Body: "Năm 1234 QĐ UBND có nhiều việc; số 5 3 2024 khác."},
		{URL: urlC, Title: "Cổng dịch vụ công", Summary: "Tin ngắn.",
			Body: "Xem tại dichvucong.gov.vn/p/home/dvc-trang-chu.html để nộp hồ sơ."},
	}
	ix, _ := buildFixture(t, docs)
	for _, c := range []struct {
		q    string
		want []string
	}{
		{"1234/QĐ-UBND", []string{urlA}},
		{"1234/qd-ubnd", []string{urlA}},
		{"QĐ-UBND", []string{urlA}},
		{"5/3/2024", []string{urlA}},
		{"dichvucong.gov.vn/p/home/dvc-trang-chu.html", []string{urlC}},
		{"home/dvc-trang", []string{urlC}},
		{"1234 qđ", []string{urlA, urlB}}, // plain words: both
	} {
		res := doSearch(t, ix, Request{Query: c.q, Thesaurus: &Thesaurus{}})
		got := urls(res)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: %v, want %v", c.q, got, c.want)
			continue
		}
		if len(c.want) == 1 && !strings.Contains(string(res.Hits[0].ExcerptHTML), "<mark>") {
			t.Errorf("%q: excerpt %q marks nothing", c.q, res.Hits[0].ExcerptHTML)
		}
	}
	res := doSearch(t, ix, Request{Query: "1234/QĐ-UBND", Thesaurus: &Thesaurus{}})
	if len(res.Hits) == 1 && !strings.Contains(string(res.Hits[0].ExcerptHTML), "<mark>1234/QĐ-UBND</mark>") {
		t.Errorf("excerpt %q does not mark the document number", res.Hits[0].ExcerptHTML)
	}
}
