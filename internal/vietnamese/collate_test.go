package vietnamese

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// alphabet is the Vietnamese alphabet in dictionary order.
var alphabet = strings.Fields("a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y")

// shuffled returns a copy of ss in a fixed pseudo-random order.
func shuffled(ss []string, seed uint64) []string {
	out := slices.Clone(ss)
	r := rand.New(rand.NewPCG(seed, seed))
	r.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

func checkSorted(t *testing.T, want []string) {
	t.Helper()
	for seed := range uint64(5) {
		got := shuffled(want, seed)
		SortStrings(got)
		if !slices.Equal(got, want) {
			t.Errorf("SortStrings(seed %d) =\n  %q\nwant\n  %q", seed, got, want)
		}
	}
}

func TestSortAlphabet(t *testing.T) {
	checkSorted(t, alphabet)
	upper := make([]string, len(alphabet))
	for i, l := range alphabet {
		upper[i] = strings.ToUpper(l)
	}
	checkSorted(t, upper)
}

func TestSortTones(t *testing.T) {
	// Dictionary order of the tones: none, huyền, hỏi, ngã, sắc, nặng.
	checkSorted(t, []string{"ma", "mà", "mả", "mã", "má", "mạ"})
	// Letters decide before tones: every "ma…" sorts before "mă…" and "man".
	checkSorted(t, []string{"ma", "mạ", "mạc", "man", "mă", "mắc", "mâ", "mận"})
}

func TestSortProvinces(t *testing.T) {
	checkSorted(t, []string{
		"An Giang", "Bà Rịa – Vũng Tàu", "Bắc Giang", "Bắc Ninh", "Bến Tre",
		"Cà Mau", "Cao Bằng", "Cần Thơ", "Dak Test", "Đà Nẵng", "Đắk Lắk",
		"Đắk Nông", "Điện Biên", "Đồng Nai", "Đồng Tháp", "Gia Lai", "Hà Giang",
		"Hà Nội", "Hà Tĩnh", "Hải Dương", "Hải Phòng", "Hậu Giang", "Hòa Bình",
		"Huế", "Hưng Yên", "Khánh Hòa", "Lâm Đồng", "Ninh Bình", "Ninh Thuận",
		"Quảng Bình", "Quảng Ninh", "Sóc Trăng", "Sơn La", "Tây Ninh", "Thái Bình",
		"Thanh Hóa", "Thành phố Hồ Chí Minh", "Trà Vinh", "Tuyên Quang",
		"Vĩnh Long", "Vĩnh Phúc", "Yên Bái",
	})
}

func TestCompare(t *testing.T) {
	c := NewCollator()
	for _, tc := range []struct{ a, b string }{
		{"Dak Lak", "Đà Nẵng"},
		{"Dzung", "Đà Nẵng"}, // đ sorts after every d… word
		{"Đà Nẵng", "Ea Súp"},
		{"Đồng Tháp", "E"},
		{"A", "Ă"},
		{"Az", "Ă"},
		{"Ă", "Â"},
		{"Ơ", "P"},
		{"Uz", "Ư"},
	} {
		if got := c.Compare(tc.a, tc.b); got >= 0 {
			t.Errorf("Compare(%q, %q) = %d, want < 0", tc.a, tc.b, got)
		}
		if got := c.Compare(tc.b, tc.a); got <= 0 {
			t.Errorf("Compare(%q, %q) = %d, want > 0", tc.b, tc.a, got)
		}
		if got, want := strings.Compare(string(c.Key(tc.a)), string(c.Key(tc.b))), c.Compare(tc.a, tc.b); got != want {
			t.Errorf("Key order of %q, %q = %d, Compare = %d", tc.a, tc.b, got, want)
		}
	}
	s := "Thừa Thiên Huế"
	if got := c.Compare(s, norm.NFD.String(s)); got != 0 {
		t.Errorf("Compare(NFC, NFD of %q) = %d, want 0", s, got)
	}
}

func TestSortStringsTieBreak(t *testing.T) {
	// NFC and NFD forms collate equal; the byte tie-break fixes their order
	// whatever the input order.
	nfc, nfd := "Hà Nội", norm.NFD.String("Hà Nội")
	want := []string{nfc, nfd}
	if nfd < nfc {
		want = []string{nfd, nfc}
	}
	for _, in := range [][]string{{nfc, nfd}, {nfd, nfc}} {
		got := slices.Clone(in)
		SortStrings(got)
		if !slices.Equal(got, want) {
			t.Errorf("SortStrings(%+q) = %+q, want %+q", in, got, want)
		}
	}
}

func TestSortFuncStable(t *testing.T) {
	type item struct {
		name string
		id   int
	}
	items := []item{{"Huế", 1}, {"Đà Nẵng", 2}, {"Huế", 3}, {"An Giang", 4}, {"Đà Nẵng", 5}, {"Huế", 6}}
	SortFunc(items, func(it item) string { return it.name })
	want := []item{{"An Giang", 4}, {"Đà Nẵng", 2}, {"Đà Nẵng", 5}, {"Huế", 1}, {"Huế", 3}, {"Huế", 6}}
	if !slices.Equal(items, want) {
		t.Errorf("SortFunc = %v, want %v", items, want)
	}
}

func BenchmarkSortStrings(b *testing.B) {
	in := shuffled(strings.Fields(strings.Repeat("Hà Nội Đà Nẵng Cần Thơ Bắc Ninh An Giang Thừa Thiên Huế ", 20)), 1)
	ss := make([]string, len(in))
	for b.Loop() {
		copy(ss, in)
		SortStrings(ss)
	}
}
