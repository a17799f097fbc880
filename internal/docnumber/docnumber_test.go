package docnumber

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestFind(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string // matched text
		keys []string
	}{
		{"theo Nghị định số 64/2007/NĐ-CP của Chính phủ", []string{"Nghị định số 64/2007/NĐ-CP"}, []string{"64-2007-nd-cp"}},
		{"Quyết định 2599/QĐ-UBND ngày", []string{"Quyết định 2599/QĐ-UBND"}, []string{"2599-qd-ubnd"}},
		{"thực hiện nghị quyết số 16/NQ-TU.", []string{"nghị quyết số 16/NQ-TU"}, []string{"16-nq-tu"}},
		{"(57-NQ/TW) và 202/2025/QH15", []string{"57-NQ/TW", "202/2025/QH15"}, []string{"57-nq-tw", "202-2025-qh15"}},
		{"Thông tư liên tịch 03/2008/TTLT-BNV-BTC", []string{"Thông tư liên tịch 03/2008/TTLT-BNV-BTC"}, []string{"03-2008-ttlt-bnv-btc"}},
		{"ngày 1/7/2025, tỷ lệ 3/4", nil, nil},
		{"x64/2007/NĐ-CP và 64/2007/NĐ-CPa", nil, nil},
		{"", nil, nil},
	} {
		got := Find(c.text)
		if len(got) != len(c.want) {
			t.Errorf("Find(%q) = %+v, want %q", c.text, got, c.want)
			continue
		}
		for i, m := range got {
			if c.text[m.Start:m.End] != c.want[i] || m.Key != c.keys[i] {
				t.Errorf("Find(%q)[%d] = %q key %q, want %q key %q", c.text, i, c.text[m.Start:m.End], m.Key, c.want[i], c.keys[i])
			}
		}
	}
}

func TestKeyFoldsSpellings(t *testing.T) {
	want := "64-2007-nd-cp"
	for _, s := range []string{"64/2007/NĐ-CP", "64/2007/nđ-cp", "64/2007/ND-CP", "64/2007/nd-cp", norm.NFD.String("64/2007/NĐ-CP")} {
		if k := Key(s); k != want {
			t.Errorf("Key(%q) = %q, want %q", s, k, want)
		}
	}
}

func TestIs(t *testing.T) {
	if !Is("64/2007/NĐ-CP") || Is("Nghị định 64/2007/NĐ-CP") || Is("64/2007") {
		t.Error("Is")
	}
}

// BenchmarkFind: a paragraph of news with dates and hyphens but one citation, as most
// text is: the cost every rendered body pays for citation linking.
func BenchmarkFind(b *testing.B) {
	text := strings.Repeat("Ngày 10-11/06/2009, Sở Thông tin và Truyền thông tổ chức hội nghị giai đoạn 2008-2010 về ứng dụng công nghệ thông tin trong cơ quan nhà nước. ", 8) +
		"Theo Nghị định số 64/2007/NĐ-CP của Chính phủ."
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(Find(text)) != 1 {
			b.Fatal("want one citation")
		}
	}
}
