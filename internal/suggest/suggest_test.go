package suggest

import (
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"tittle", "title", 1},
		{"Lâm Đông", "Lâm Đồng", 1}, // one rune, although several bytes
		{"Hà Tĩnh", "Ha Tinh", 2},
		{"đ", "d", 1},
		{"ab", "ba", 1},       // two neighbours swapped: one edit
		{"Titel", "Title", 1}, // the typo a theme's author makes
		{"tgas", "tags", 1},
		{"ca", "abc", 3}, // a swapped pair is not edited again (optimal string alignment)
		{"Thừa Thiên Huế", "Huế", 11},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := Distance(tc.b, tc.a); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
		}
	}
}

var provinces = []string{
	"An Giang", "Bắc Ninh", "Cà Mau", "Cần Thơ", "Đà Nẵng", "Điện Biên",
	"Đồng Nai", "Gia Lai", "Hà Nội", "Hà Tĩnh", "Huế", "Lâm Đồng",
	"Lạng Sơn", "Quảng Ninh", "Quảng Ngãi", "Thành phố Hồ Chí Minh",
}

func TestClosest(t *testing.T) {
	frontMatter := []string{"title", "date", "tags"}
	for _, tc := range []struct {
		name       string
		candidates []string
		want       string
		ok         bool
	}{
		{"Lâm Đông", provinces, "Lâm Đồng", true},
		{"Ha Tinh", provinces, "Hà Tĩnh", true},
		{"ha noi", provinces, "Hà Nội", true},
		{"Da Nang", provinces, "Đà Nẵng", true},
		{norm.NFD.String("Lâm Đông"), provinces, "Lâm Đồng", true},
		{"Quang Ninh", provinces, "Quảng Ninh", true},
		{"Quang Ngai", provinces, "Quảng Ngãi", true},
		{"Thanh pho Ho Chi Min", provinces, "Thành phố Hồ Chí Minh", true},
		{"tittle", frontMatter, "title", true},
		{"titel", frontMatter, "title", true}, // two letters swapped: one edit
		{"tgas", frontMatter, "tags", true},
		{"dat", frontMatter, "date", true},
		{"Title", frontMatter, "title", true},
		{"xyz", frontMatter, "", false},
		{"xyz", provinces, "", false},
		{"Hà Tây", provinces, "", false}, // dissolved in 2008: too far from any
		{"", frontMatter, "", false},
		{"title", nil, "", false},
	} {
		got, ok := Closest(tc.name, tc.candidates)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Closest(%q) = %q, %v; want %q, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestClosestThreshold(t *testing.T) {
	// "abcdefghi" has 9 runes, so up to 3 edits are allowed, and no more.
	name := "abcdefghi"
	if got := MaxDistance(name); got != 3 {
		t.Fatalf("MaxDistance(%q) = %d, want 3", name, got)
	}
	if _, ok := Closest(name, []string{"abcdefXXX"}); !ok {
		t.Error("3 edits away: want a suggestion")
	}
	if got, ok := Closest(name, []string{"abcdeXXXX"}); ok {
		t.Errorf("4 edits away: got %q, want none", got)
	}
	// Short names still allow one edit.
	if got, ok := Closest("ab", []string{"xb"}); !ok || got != "xb" {
		t.Errorf("Closest(ab, [xb]) = %q, %v; want xb, true", got, ok)
	}
	// Runes, not bytes, count: "Huế" is 3 runes (5 bytes), so one edit only.
	if got := MaxDistance("Huế"); got != 1 {
		t.Errorf("MaxDistance(Huế) = %d, want 1", got)
	}
	if got, ok := Closest("Hxy", []string{"Huế"}); ok {
		t.Errorf("Closest(Hxy, [Huế]) = %q, want none", got)
	}
}

func TestClosestTieBreak(t *testing.T) {
	// Both fold to "ha tinh"; the one with matching diacritics wins, in
	// either input order.
	for _, cands := range [][]string{{"Ha Tinh", "Hà Tĩnh"}, {"Hà Tĩnh", "Ha Tinh"}} {
		if got, _ := Closest("Hà Tĩnh", cands); got != "Hà Tĩnh" {
			t.Errorf("Closest(Hà Tĩnh, %q) = %q, want Hà Tĩnh", cands, got)
		}
		if got, _ := Closest("Ha Tinh", cands); got != "Ha Tinh" {
			t.Errorf("Closest(Ha Tinh, %q) = %q, want Ha Tinh", cands, got)
		}
		// "Hả Tinh" is 1 edit from "Ha Tinh" but 2 from "Hà Tĩnh".
		if got, _ := Closest("Hả Tinh", cands); got != "Ha Tinh" {
			t.Errorf("Closest(Hả Tinh, %q) = %q, want Ha Tinh", cands, got)
		}
	}
	// Case decides after diacritics.
	for _, cands := range [][]string{{"TITLE", "title"}, {"title", "TITLE"}} {
		if got, _ := Closest("title", cands); got != "title" {
			t.Errorf("Closest(title, %q) = %q, want title", cands, got)
		}
	}
	// A full tie goes to the first candidate in input order.
	for _, cands := range [][]string{{"tag", "tap"}, {"tap", "tag"}} {
		if got, _ := Closest("tax", cands); got != cands[0] {
			t.Errorf("Closest(tax, %q) = %q, want the first, %q", cands, got, cands[0])
		}
	}
}

func BenchmarkClosest(b *testing.B) {
	cands := make([]string, 0, 4*len(provinces))
	for i := range 4 {
		for _, p := range provinces {
			cands = append(cands, p+strings.Repeat(" ", i))
		}
	}
	for b.Loop() {
		Closest("Lam Dong", cands)
	}
}
