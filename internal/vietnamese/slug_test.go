package vietnamese

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func TestSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Hà Tĩnh", "ha-tinh"},
		{"Thành phố Hồ Chí Minh", "thanh-pho-ho-chi-minh"},
		{"Nghị định 64/2007/NĐ-CP", "nghi-dinh-64-2007-nd-cp"},
		{"1/7/2025", "1-7-2025"},
		{"Đà Nẵng", "da-nang"},
		{"ĐẮK LẮK", "dak-lak"},
		{"Thừa Thiên Huế", "thua-thien-hue"},
		{"  --Hello,   World!--  ", "hello-world"},
		{"a___b...c", "a-b-c"},
		{"Tiếng Việt: ưu tiên “dấu” & (ngoặc)", "tieng-viet-uu-tien-dau-ngoac"},
		{"Café Noël, señor Müller", "cafe-noel-senor-muller"},
		{"Straße, Æsir, Ørsted, Œuvre, Łódź, Þór", "strasse-aesir-orsted-oeuvre-lodz-thor"},
		{"x\u0301y z", "xy-z"}, // a leftover combining mark does not split a word
		{"Hà Nội 東京 2025", "ha-noi-2025"},
		{"", ""},
		{"!!! — ???", ""},
		{"東京", ""},
	} {
		if got := Slug(tc.in); got != tc.want {
			t.Errorf("Slug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlugNFDEqualsNFC(t *testing.T) {
	for _, s := range []string{
		"Hà Tĩnh", "Thành phố Hồ Chí Minh", "Nghị định 64/2007/NĐ-CP",
		"Thừa Thiên Huế", "Bà Rịa – Vũng Tàu", "Quyết định số 1234/QĐ-UBND",
	} {
		nfc, nfd := norm.NFC.String(s), norm.NFD.String(s)
		if nfc == nfd {
			t.Fatalf("test setup: %q has the same NFC and NFD form", s)
		}
		if a, b := Slug(nfc), Slug(nfd); a != b {
			t.Errorf("Slug(NFC %q) = %q but Slug(NFD) = %q", s, a, b)
		}
	}
}

func TestSlugMaxLength(t *testing.T) {
	long := strings.Repeat("Ủy ban nhân dân tỉnh ", 10) // 170 bytes of slug before cutting
	got := Slug(long)
	if len(got) > DefaultSlugMax {
		t.Fatalf("len(Slug(long)) = %d, want <= %d", len(got), DefaultSlugMax)
	}
	full := SlugMax(long, 0)
	if !strings.HasPrefix(full, got+"-") {
		t.Fatalf("Slug(long) = %q is not a whole-word prefix of %q", got, full)
	}
	// The cut must be at the last word boundary that fits: adding the next
	// word would exceed the limit.
	next := full[len(got)+1:]
	if i := strings.IndexByte(next, '-'); i >= 0 {
		next = next[:i]
	}
	if len(got)+1+len(next) <= DefaultSlugMax {
		t.Errorf("Slug(long) = %q stops early: the word %q still fits", got, next)
	}

	for _, tc := range []struct {
		in   string
		max  int
		want string
	}{
		{"Hà Tĩnh", 7, "ha-tinh"}, // exactly max
		{"Hà Tĩnh", 6, "ha"},
		{"Hà Tĩnh", 3, "ha"},
		{"Hà Tĩnh", 2, "ha"},
		{"Hà Tĩnh", 1, "h"},            // first word longer than max: hard cut
		{"abcdefgh ijk", 5, "abcde"},   // hard cut
		{"abc defgh", 4, "abc"},        // hyphen exactly at max
		{"abc-defgh", 8, "abc"},        // hyphen before max
		{"Thành phố", -1, "thanh-pho"}, // no limit
		{"a b c d e f g", 0, "a-b-c-d-e-f-g"},
	} {
		if got := SlugMax(tc.in, tc.max); got != tc.want {
			t.Errorf("SlugMax(%q, %d) = %q, want %q", tc.in, tc.max, got, tc.want)
		}
	}
	hard := Slug(strings.Repeat("x", 200) + " tail")
	if hard != strings.Repeat("x", DefaultSlugMax) {
		t.Errorf("Slug(200×x + tail) = %q, want %d×x", hard, DefaultSlugMax)
	}
}

// checkSlugInvariants checks the properties every slug must have.
func checkSlugInvariants(t *testing.T, in string) {
	t.Helper()
	got := Slug(in)
	if got != "" && !slugPattern.MatchString(got) {
		t.Errorf("Slug(%+q) = %q does not match %s", in, got, slugPattern)
	}
	if len(got) > DefaultSlugMax {
		t.Errorf("Slug(%+q) has %d bytes, more than %d", in, len(got), DefaultSlugMax)
	}
	if again := Slug(got); again != got {
		t.Errorf("Slug is not idempotent on %+q: %q then %q", in, got, again)
	}
	if utf8.ValidString(in) {
		if nfd, nfc := Slug(norm.NFD.String(in)), Slug(norm.NFC.String(in)); nfd != nfc || nfc != got {
			t.Errorf("Slug(%+q) = %q, of NFC = %q, of NFD = %q: want all equal", in, got, nfc, nfd)
		}
	}
}

func TestSlugInvariants(t *testing.T) {
	for _, s := range slugSeeds {
		checkSlugInvariants(t, s)
	}
}

var slugSeeds = []string{
	"", "Hà Tĩnh", "Nghị định 64/2007/NĐ-CP", "1/7/2025", "Thành phố Hồ Chí Minh",
	strings.Repeat("Ủy ban nhân dân ", 12), strings.Repeat("ư", 100),
	"Ǆemal ǅ ǉ ﬁ ＡＢＣ", "İstanbul ı", "x\u0301\u0301y", "\u0301abc", "a\xffb",
	"ẞ Straße", "क्षि ไทย", "한국어 Hà", "---", "Dak-Lak--", "ABC",
}

func FuzzSlug(f *testing.F) {
	for _, s := range slugSeeds {
		f.Add(s)
	}
	f.Fuzz(checkSlugInvariants)
}

func BenchmarkSlug(b *testing.B) {
	in := "Thành phố Hồ Chí Minh tổ chức hội nghị triển khai Nghị định 64/2007/NĐ-CP"
	b.SetBytes(int64(len(in)))
	for b.Loop() {
		Slug(in)
	}
}
