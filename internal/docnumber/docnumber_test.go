package docnumber

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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

// BenchmarkFindMany: a paragraph of an official letter, five citations a sentence, each
// with its type before it (typeBefore's work).
func BenchmarkFindMany(b *testing.B) {
	text := strings.Repeat("Thực hiện Quyết định số 2872/QĐ-UBND ngày 12/6/2011 của UBND tỉnh và Nghị định 64/2007/NĐ-CP, "+
		"Sở đã ban hành Kế hoạch 57-KH/SKHCN, Công văn số 120/SKHCN-VP và hướng dẫn 03/2008/TTLT-BNV-BTC trong giai đoạn 2007-2010. ", 4)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(Find(text)) != 20 {
			b.Fatal("not 20 citations")
		}
	}
}

// typeRe is the regular expression typeBefore replaced: a type and an optional "số"
// right before a number.
var typeRe = regexp.MustCompile(`(?i:(?:` + types + `)\s+(?:số\s+)?)$`)

func sameTypeBefore(t *testing.T, w string) {
	t.Helper()
	if got, want := typeBefore(w), typeRe.FindStringIndex(w); !slices.Equal(got, want) {
		t.Fatalf("typeBefore(%q) = %v, the regular expression finds %v", w, got, want)
	}
}

// TestTypeBeforeAsRegexp: typeBefore finds what the regular expression finds: each type
// in each case, with and without "số" (in its folds: S, ſ, Ố), \s runs of each kind, a
// type glued to a word, two types, the longest type first, invalid UTF-8, and what must
// not match (\v, no space, a type without a number after it).
func TestTypeBeforeAsRegexp(t *testing.T) {
	var cases []string
	for _, name := range typeNames {
		for _, v := range []string{name, strings.ToUpper(name), titled(name), "x" + name, "của " + name, name + "x"} {
			for _, tail := range []string{" ", "  ", "\t", "\n", "\f", "\r", "\v", "", " số ", " Số\t", "\tSỐ  ", " ſố ", " số", " số  x ", "số ", " sô ", "\u00a0"} {
				cases = append(cases, v+tail, "\xff"+v+tail, "thông tư "+v+tail)
			}
		}
	}
	cases = append(cases, "", " ", "số ", "luật luật ", "pháp lệnh ", "thông tư liên tịch ", "kế hoạch ", "\u212aế hoạch ", "chỉ thị\xff ", "quyết\xe1 định ")
	for _, w := range cases {
		sameTypeBefore(t, w)
	}
}

// titled capitalises the first letter of each word of s.
func titled(s string) string {
	words := strings.Fields(s)
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// FuzzTypeBeforeAsRegexp is TestTypeBeforeAsRegexp for any window.
func FuzzTypeBeforeAsRegexp(f *testing.F) {
	for _, s := range []string{"Nghị định số ", "x thông tư liên tịch\t", "QUYẾT ĐỊNH ſố ", "lệnh  ", "\u212aế hoạch "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, w string) {
		if len(w) > 200 {
			return
		}
		sameTypeBefore(t, w)
	})
}
