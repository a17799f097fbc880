package config

import (
	"reflect"
	"strings"
	"testing"
)

// TestSearchSynonyms: [search.synonyms] is read as sets, key first; an
// entry without a word or without another spelling is an error at its
// line, in Vietnamese, and is dropped.
func TestSearchSynonyms(t *testing.T) {
	src := `baseURL = "https://stttt.example.gov.vn"
[search.synonyms]
"STNMT" = ["Sở Tài nguyên và Môi trường", "Sở TN&MT"]
DVC = ["dịch vụ công"]
`
	cfg, ds := Parse("config.toml", []byte(src))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	want := [][]string{{"DVC", "dịch vụ công"}, {"STNMT", "Sở Tài nguyên và Môi trường", "Sở TN&MT"}}
	if got := cfg.Search.SynonymSets(); !reflect.DeepEqual(got, want) {
		t.Errorf("SynonymSets() = %q, want %q", got, want)
	}

	bad := `baseURL = "https://stttt.example.gov.vn"
[search.synonyms]
"UBND" = []
"CNTT" = ["…"]
"HĐND" = ["Hội đồng nhân dân"]
`
	cfg, ds = Parse("config.toml", []byte(bad))
	items := ds.Items()
	if len(items) != 2 || !ds.HasErrors() {
		t.Fatalf("want two errors, got %v", items)
	}
	lines := map[int]string{}
	for _, it := range items {
		lines[it.Line] = it.Message
	}
	if !strings.Contains(lines[3], "UBND") || !strings.Contains(lines[3], "cần ít nhất một cách viết khác") {
		t.Errorf("line 3: %q", lines[3])
	}
	if !strings.Contains(lines[4], "không có chữ nào") {
		t.Errorf("line 4: %q", lines[4])
	}
	if got := cfg.Search.SynonymSets(); !reflect.DeepEqual(got, [][]string{{"HĐND", "Hội đồng nhân dân"}}) {
		t.Errorf("the good entry must be kept, the bad ones dropped: %q", got)
	}
}
