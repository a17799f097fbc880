package vietnamese

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNFC(t *testing.T) {
	nfd := norm.NFD.String("Thừa Thiên Huế")
	if nfd == "Thừa Thiên Huế" {
		t.Fatal("test setup: NFD form should differ from NFC")
	}
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"ascii only", "ascii only"},
		{"Thừa Thiên Huế", "Thừa Thiên Huế"},
		{nfd, "Thừa Thiên Huế"},
		{"a\u0323\u0302", "ậ"}, // marks in either order compose to the same letter
		{"a\u0302\u0323", "ậ"},
	} {
		if got := NFC(tc.in); got != tc.want {
			t.Errorf("NFC(%+q) = %+q, want %+q", tc.in, got, tc.want)
		}
		if got := IsNFC(tc.in); got != (tc.in == tc.want) {
			t.Errorf("IsNFC(%+q) = %v, want %v", tc.in, got, tc.in == tc.want)
		}
	}
}

// toneMarks are the five Vietnamese tone marks as combining characters:
// huyền, sắc, hỏi, ngã, nặng.
var toneMarks = []string{"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}

// vowels maps each Vietnamese vowel letter (without tone) to its folded form.
var vowels = []struct{ letter, base string }{
	{"a", "a"}, {"ă", "a"}, {"â", "a"}, {"e", "e"}, {"ê", "e"}, {"i", "i"},
	{"o", "o"}, {"ô", "o"}, {"ơ", "o"}, {"u", "u"}, {"ư", "u"}, {"y", "y"},
}

// TestFoldAllVietnameseLetters builds every vowel × tone × case combination,
// in NFC and NFD, and checks that each folds to its plain ASCII base letter.
func TestFoldAllVietnameseLetters(t *testing.T) {
	n := 0
	for _, v := range vowels {
		for _, tone := range append([]string{""}, toneMarks...) {
			for _, upper := range []bool{false, true} {
				letter, base := v.letter, v.base
				if upper {
					letter, base = strings.ToUpper(letter), strings.ToUpper(base)
				}
				composed := norm.NFC.String(letter + tone)
				if tone != "" && len([]rune(composed)) != 1 {
					t.Fatalf("test setup: %+q did not compose to one rune", composed)
				}
				for _, in := range []string{composed, norm.NFD.String(composed)} {
					if got := Fold(in); got != base {
						t.Errorf("Fold(%+q) = %+q, want %+q", in, got, base)
					}
				}
				n++
			}
		}
	}
	if n != 12*6*2 {
		t.Fatalf("checked %d letters, want %d", n, 12*6*2)
	}
	for in, want := range map[string]string{"đ": "d", "Đ": "D"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Đà Nẵng", "Da Nang"},
		{"Thừa Thiên Huế", "Thua Thien Hue"},
		{norm.NFD.String("Thừa Thiên Huế"), "Thua Thien Hue"},
		{"Nghị định 64/2007/NĐ-CP", "Nghi dinh 64/2007/ND-CP"},
		{"ĐẮK LẮK", "DAK LAK"},
		{"Quảng Ngãi – 1/7/2025!", "Quang Ngai – 1/7/2025!"},
		{"Café Noël, señor, Müller", "Cafe Noel, senor, Muller"},
		{"x\u0301y", "xy"}, // a mark with no precomposed letter is still removed
		// Letters without diacritics and other scripts are kept as they are.
		{"straße Ørsted", "straße Ørsted"},
		{"東京 Москва й", "東京 Москва й"},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFoldLower(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Đà Nẵng", "da nang"},
		{"THỪA THIÊN HUẾ", "thua thien hue"},
		{"Lâm Đồng", "lam dong"},
		{"Lâm Đông", "lam dong"},
	} {
		if got := FoldLower(tc.in); got != tc.want {
			t.Errorf("FoldLower(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	in := "Thành phố Hồ Chí Minh tổ chức hội nghị triển khai Nghị định 64/2007/NĐ-CP"
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Fold(in)
	}
}

func BenchmarkFoldASCII(b *testing.B) {
	in := "Thanh pho Ho Chi Minh to chuc hoi nghi trien khai Nghi dinh 64/2007/ND-CP"
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Fold(in)
	}
}

// TestAppendFoldEqualsFold: the NFC-skipping path gives Fold's bytes for
// every rune up to U+2000 alone, after a letter, and before a combining
// mark, and for NFD, mixed-script and invalid text.
func TestAppendFoldEqualsFold(t *testing.T) {
	check := func(s string) {
		t.Helper()
		if got, want := string(AppendFold([]byte("x"), []byte(s))), "x"+Fold(s); got != want {
			t.Fatalf("AppendFold(%q) = %q, Fold = %q", s, got[1:], want[1:])
		}
	}
	for r := rune(0); r < 0x2000; r++ {
		check(string(r))
		check("a" + string(r))
		check(string(r) + "\u0301")
		check("Đ" + string(r) + "ệ")
	}
	for _, s := range []string{"", "Hà Tĩnh", "Ha\u0300 Ti\u0303nh", "x\u0301", "\u1112\u1161\u11ab", "Đà Nẵng 64/2007/NĐ-CP", "ǿ ǽ ǻ", "\xff\xfeđ", "ĐẮK LẮK", "Ωμέγα ệ"} {
		check(s)
	}
}

func FuzzAppendFold(f *testing.F) {
	for _, s := range []string{"Hà Tĩnh", "Ha\u0300 Ti\u0303nh", "x\u0301", "\xffđ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(AppendFold(nil, []byte(s))), Fold(s); got != want {
			t.Fatalf("AppendFold(%q) = %q, Fold = %q", s, got, want)
		}
	})
}
