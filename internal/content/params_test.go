package content

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
)

// The front matter is kept once: a key with a field of its own (title, dates, the
// site's taxonomies, a legal document's number …) is in that field, and Params holds only
// the others, which templates read there (layout, lang, a site's own keys).
func TestParamsHoldOnlyTheKeysWithoutAField(t *testing.T) {
	schema := Schema{Taxonomies: []string{"provinces", "categories"}}
	src := "---\ntitle: \"Hội nghị\"\ndate: 2024-05-02\nsummary: \"Tóm tắt\"\nauthor: \"An\"\nprovinces: [\"Gia Lai\"]\n" +
		"categories: [\"Tin\"]\ntags: [\"không phải phân loại\"]\nlayout: \"contact\"\nlang: \"en\"\nmuc_rieng:\n  a: 1\n---\nThân bài.\n"
	d, ds := Parse("content/tin-tuc/a.md", []byte(src), schema)
	if d == nil {
		t.Fatal(ds)
	}
	if d.Title != "Hội nghị" || d.Summary != "Tóm tắt" || d.Author != "An" || d.Date.IsZero() || len(d.Terms.Of("provinces")) != 1 {
		t.Errorf("typed fields: %+v", d)
	}
	want := "map[lang:en layout:contact muc_rieng:map[a:1] tags:[không phải phân loại]]"
	if got := fmt.Sprint(d.Params); got != want {
		t.Errorf("Params = %s, want %s", got, want)
	}
	for _, k := range []string{"title", "date", "summary", "author", "provinces", "categories"} {
		if d.Line(k) == 1 {
			t.Errorf("the line of %s is lost", k)
		}
	}

	plain, _ := Parse("content/tin-tuc/b.md", []byte("---\ntitle: \"B\"\ndate: 2024-05-02\nprovinces: [\"Huế\"]\n---\nB.\n"), schema)
	if plain == nil || plain.Params != nil {
		t.Errorf("a file with only typed keys: Params %#v, want nil", plain.Params)
	}

	legal, ds := Parse("content/van-ban/64-2007-nd-cp/index.md", []byte("---\ntitle: \"Nghị định\"\nnumber: \"64/2007/NĐ-CP\"\ntype: \"Nghị định\"\n"+
		"issuer: \"Chính phủ\"\nissued: 2007-04-10\nstatus: \"Còn hiệu lực\"\nkeywords: [\"cntt\"]\n---\nVăn bản.\n"), schema)
	if legal == nil || legal.Legal == nil || legal.Legal.Number != "64/2007/NĐ-CP" || legal.Legal.Type != "Nghị định" {
		t.Fatalf("legal document: %+v %v", legal, ds)
	}
	if got := fmt.Sprint(legal.Params); got != "map[keywords:[cntt]]" {
		t.Errorf("legal document's Params = %s, want only keywords", got)
	}
	// An article's type is no field of its own: it stays for templates.
	typed, _ := Parse("content/tin-tuc/c.md", []byte("---\ntitle: \"C\"\ndate: 2024-05-02\ntype: \"thong-bao\"\n---\nC.\n"), schema)
	if typed == nil || typed.Params["type"] != "thong-bao" {
		t.Errorf("an article's type: Params %#v", typed.Params)
	}
}

// A document's taxonomy values are one list per taxonomy, sorted by key, whatever the
// order of the front matter and of the schema (Terms: a slice, not a map).
func TestTermsAreOneSortedList(t *testing.T) {
	schema := Schema{Taxonomies: []string{"tags", "provinces", "categories"}}
	d, ds := Parse("content/tin-tuc/a.md", []byte("---\ntitle: \"A\"\ndate: 2024-05-02\ntags: [\"B\", \"A\", \"B\"]\nprovinces: [\"Huế\"]\ncategories: []\n---\nA.\n"), schema)
	if d == nil {
		t.Fatal(ds)
	}
	if got := fmt.Sprint(d.Terms); got != "[{provinces [Huế]} {tags [B A]}]" {
		t.Errorf("Terms = %s", got)
	}
	if d.Terms.Of("categories") != nil || d.Terms.Of("tags")[1] != "A" {
		t.Errorf("Of: %v %v", d.Terms.Of("categories"), d.Terms.Of("tags"))
	}
	terms := NewTerms(map[string][]string{"tags": {"A"}, "provinces": {"Huế"}, "categories": nil})
	if !terms.Equal(Terms{{"provinces", []string{"Huế"}}, {"tags", []string{"A"}}}) {
		t.Errorf("NewTerms = %v", terms)
	}
	terms.Set("provinces", nil)
	terms.Set("categories", []string{"Tin"})
	if fmt.Sprint(terms) != "[{categories [Tin]} {tags [A]}]" {
		t.Errorf("after Set: %v", terms)
	}
}

// A taxonomy value already written with single spaces is kept as the front matter
// parser gave it (not copied); any other is normalized as before.
func TestSingleSpacedTermsAreNotCopied(t *testing.T) {
	for s, want := range map[string]bool{"": true, "Hà Tĩnh": true, "Nghị định 42": true, " Hà Tĩnh": false, "Hà Tĩnh ": false,
		"Hà  Tĩnh": false, "Hà\tTĩnh": false, "Hà\u00a0Tĩnh": false, " ": false} {
		if got := singleSpaced(s); got != want || got != (strings.Join(strings.Fields(s), " ") == s) {
			t.Errorf("singleSpaced(%q) = %v, want %v", s, got, want)
		}
	}
	d, ds := Parse("content/tin-tuc/a.md", []byte("---\ntitle: \"A\"\ndate: 2024-05-02\nprovinces: [\"Hà Tĩnh\", \"  Gia   Lai \"]\n---\nA.\n"), Schema{Taxonomies: []string{"provinces"}})
	if d == nil {
		t.Fatal(ds)
	}
	if got := d.Terms.Of("provinces"); len(got) != 2 || got[0] != "Hà Tĩnh" || got[1] != "Gia Lai" {
		t.Errorf("provinces %q", got)
	}
	fm, l := map[string]any{"tags": []any{"Chuyển đổi số", "Nghị định 42"}}, &diag.List{}
	allocs := testing.AllocsPerRun(50, func() { stringList(d, fm, "tags", nil, l) })
	if allocs > 2 { // the list's backing array as it grows; no string copy
		t.Errorf("%v allocations for two single-spaced values", allocs)
	}
}
