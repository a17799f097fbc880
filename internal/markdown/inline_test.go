package markdown

import (
	"bytes"
	"strings"
	"testing"
	"unicode"
)

var inlineCases = []string{
	"Hội nghị tổng kết năm 2024 của UBND tỉnh Hà Tĩnh.",
	`Theo "Quyết định số 64/2007/QĐ-UBND" (ngày 29/05/2007): triển khai – “đúng hạn” … 100% + 5 = #1 | a-b`,
	"  Khoảng trắng ở hai đầu  ",
	"\u00a0Khoảng trắng không ngắt\u00a0",
	"",
	"   ",
	"Ha\u0300 Ti\u0303nh",
	"Xem www.hatinh.gov.vn hoặc https://hatinh.gov.vn (cổng) hay HTTP://X.VN",
	"Liên hệ vanthu@hatinh.gov.vn",
	"In **đậm** và _nghiêng_ và ~~gạch~~ và `mã` và [liên kết](https://x.vn) và ![ảnh](a.jpg)",
	"Ký tự &amp; &#65; \\* <b>thẻ</b> > <",
	"Hai dòng\nnối nhau",
	"Dòng có tab\tở giữa",
	"# Không phải tiêu đề",
	"- Không phải danh sách",
	"1. Không phải danh sách",
	"    bốn khoảng trắng",
	"a\x00b",
	"Dấu ' và \" và =",
	"---",
	"===",
	"| a | b |",
	"\xff\xfe không hợp lệ",
}

// TestPlainInlineMatchesGoldmark: RenderInline's own rendering of plain lines is what
// goldmark renders, and lines with syntax go to goldmark.
func TestPlainInlineMatchesGoldmark(t *testing.T) {
	r := New(Options{})
	plain := 0
	for _, s := range inlineCases {
		b := toNFC([]byte(s))
		if plainInline(b) {
			plain++
		}
		if got, want := r.RenderInline(s), r.renderInline(s, b, false); got != want {
			t.Errorf("RenderInline(%q) = %q, goldmark gives %q", s, got, want)
		}
	}
	if plain < 8 || plain == len(inlineCases) {
		t.Errorf("%d of %d cases are plain: the fast path is not exercised, or everything takes it", plain, len(inlineCases))
	}
	for _, s := range []string{"a*b", "www.x.vn", "HTTPS://x", "a@b.vn", "a\nb", "a\\b", "a&b", "a<b"} {
		if plainInline([]byte(s)) {
			t.Errorf("plainInline(%q) = true", s)
		}
	}
}

// FuzzRenderInline compares RenderInline with goldmark's rendering on arbitrary lines.
func FuzzRenderInline(f *testing.F) {
	for _, s := range inlineCases {
		f.Add(s)
	}
	r := New(Options{})
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 2000 || strings.Count(s, "[") > 50 {
			return
		}
		b := toNFC([]byte(s))
		if got, want := r.RenderInline(s), r.renderInline(s, b, false); got != want {
			t.Errorf("RenderInline(%q) = %q, goldmark gives %q", s, got, want)
		}
	})
}

// TestContainsASCIIFold: the search plainInline makes for "www" and "http" finds what
// bytes.Contains of the lowered line finds, for every rune that lowers to an ASCII letter
// (İ, K) and for each case mix.
func TestContainsASCIIFold(t *testing.T) {
	for _, s := range []string{"", "w", "ww", "www", "WwW.x", "xHtTp", "htt", "http", "h ttp", "\u0130http", "\u212aWWW", "wẂw", "Ｗww", "ŵww",
		"hṫtp", "\xffhttp", "ht\xfftp", "@www", "WWV", "hTTP://", "chỉ đạo Hà Tĩnh", "HTTPS://x"} {
		for _, word := range []string{"www", "http"} {
			if got, want := containsASCIIFold([]byte(s), word), bytes.Contains(bytes.ToLower([]byte(s)), []byte(word)); got != want {
				t.Errorf("containsASCIIFold(%q, %q) = %v, want %v", s, word, got, want)
			}
		}
	}
	for r := rune(0x80); r < 0x10000; r++ { // no rune lowers to an ASCII letter the words hold
		if l := unicode.ToLower(r); strings.ContainsRune("whtp", l) {
			t.Errorf("%U lowers to %q", r, l)
		}
	}
}

// toNFC is src in NFC, as the renderer makes a line before rendering it.
func toNFC(src []byte) []byte {
	out, _ := nfcValid(src)
	return out
}
