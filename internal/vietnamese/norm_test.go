package vietnamese

import (
	"testing"

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
