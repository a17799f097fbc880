package vietnamese

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// TestPlainTextIsNFC: every rune plainNFC accepts is NFC by itself and composes with no
// rune before it, and every pair of them is NFC, so a text of them is NFC without the
// normalizer's check; a combining mark or a rune of another block sends the text to it.
func TestPlainTextIsNFC(t *testing.T) {
	var plain []rune
	for r := rune(0); r < 0x300; r++ {
		plain = append(plain, r)
	}
	for r := rune(foldLo2); r < foldHi2; r++ {
		plain = append(plain, r)
	}
	for r := rune(punctLo); r < punctHi; r++ {
		plain = append(plain, r)
	}
	for _, r := range plain {
		s := string(r)
		if !plainNFC(s) {
			t.Fatalf("plainNFC(%q) = false", s)
		}
		if !norm.NFC.IsNormalString(s) || !norm.NFC.PropertiesString(s).BoundaryBefore() {
			t.Fatalf("U+%04X is not NFC, or combines with what precedes it", r)
		}
	}
	for _, a := range plain {
		for _, b := range plain {
			if s := string(a) + string(b); !norm.NFC.IsNormalString(s) {
				t.Fatalf("%q is not NFC", s)
			}
		}
	}
	for _, s := range []string{"Ha\u0300", "\u0301", "Hà Tĩnh 東", "\xff", "\u2000", "“Hà”\u0301", "\u2028"} {
		if plainNFC(s) {
			t.Errorf("plainNFC(%q) = true", s)
		}
	}
	if got := NFC("Ha\u0300 Ti\u0303nh"); got != "Hà Tĩnh" {
		t.Errorf("NFC of decomposed text = %q", got)
	}
	if !IsNFC("Hà Tĩnh, 64/2007/NĐ-CP") || IsNFC("Ha\u0300") {
		t.Error("IsNFC")
	}
}

// TestCheckUTF8NFC: the byte check agrees with utf8.Valid and the normalizer, through
// its fast path (plain text) and without it.
func TestCheckUTF8NFC(t *testing.T) {
	for _, c := range []struct {
		s          string
		valid, nfc bool
	}{
		{"", true, true},
		{"Hà Tĩnh – “Quyết định” …", true, true},
		{"Ha\u0300 Ti\u0303nh", true, false},
		{"Hà Tĩnh 東京", true, true},
		{"\u2000", true, false},
		{"Hà\xff", false, false},
		{"\xe1\xbb", false, false},
		{"\uFFFD", true, true},
	} {
		valid, nfc := CheckUTF8NFC([]byte(c.s))
		if valid != c.valid || nfc != c.nfc {
			t.Errorf("CheckUTF8NFC(%q) = %v, %v, want %v, %v", c.s, valid, nfc, c.valid, c.nfc)
		}
		if plainNFCBytes([]byte(c.s)) != plainNFC(c.s) {
			t.Errorf("plainNFCBytes(%q) != plainNFC", c.s)
		}
	}
}

// plainNFCByRune is plainNFC as it was before plainSeq: every non-ASCII rune decoded.
func plainNFCByRune(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r >= 0x300 && (r < foldLo2 || r >= foldHi2) && (r < punctLo || r >= punctHi) {
			return false
		}
	}
	return true
}

func samePlain(t *testing.T, s string) {
	t.Helper()
	want := plainNFCByRune(s) // U+FFFD, valid or not, is outside the plain runes
	if got, gotB := plainNFC(s), plainNFCBytes([]byte(s)); got != want || gotB != want {
		t.Fatalf("plainNFC(%q) = %v, plainNFCBytes %v, want %v", s, got, gotB, want)
	}
}

// TestPlainSeqAsDecoded: plainNFC and plainNFCBytes, which take the common runes from
// their bytes (plainSeq), answer as the rune-wise loop for every rune below U+3100 alone
// and between letters, at the end of the text, and for cut and invalid sequences.
func TestPlainSeqAsDecoded(t *testing.T) {
	for r := rune(0x80); r < 0x3100; r++ {
		for _, s := range []string{string(r), "a" + string(r) + "b", "Hà" + string(r)} {
			samePlain(t, s)
		}
	}
	for _, s := range []string{"\xc2", "\xcb", "a\xcb", "\xc2a", "\xe1\xb8", "\xe1\xbb", "\xe1\xbbA", "\xe1\xbb\xc2\xa0", "\xe2\x80", "\xe2\x80\x90\x80",
		"\xe2\x80\xa8", "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xff", "\x80", "\uFFFD"} {
		samePlain(t, s)
	}
}

// FuzzPlainSeqAsDecoded is TestPlainSeqAsDecoded for any text.
func FuzzPlainSeqAsDecoded(f *testing.F) {
	for _, s := range []string{"Hà Tĩnh – “Đà Nẵng”…", "\xe1\xbb", "Ha\u0300", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { samePlain(t, s) })
}

// BenchmarkCheckUTF8NFC checks 8 KB of Vietnamese prose, as content.Parse checks each file.
func BenchmarkCheckUTF8NFC(b *testing.B) {
	text := []byte(strings.Repeat("Thực hiện chủ trương của Trung ương và địa phương – “Đề án 06”; ứng dụng CNTT trong công tác quản lý nhà nước, Ủy ban nhân dân tỉnh Hà Tĩnh… ", 55))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if valid, nfc := CheckUTF8NFC(text); !valid || !nfc {
			b.Fatal("prose is valid NFC")
		}
	}
}
