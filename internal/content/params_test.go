package content

import (
	"fmt"
	"testing"
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
	if d.Title != "Hội nghị" || d.Summary != "Tóm tắt" || d.Author != "An" || d.Date.IsZero() || len(d.Terms["provinces"]) != 1 {
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
