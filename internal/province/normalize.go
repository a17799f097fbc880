package province

import (
	"strings"
	"unicode"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Tone-marked vowels, one string per base letter, in the order
// grave, acute, hook above, tilde, dot below.
const (
	tonesA     = "àáảãạ"
	tonesE     = "èéẻẽẹ"
	tonesO     = "òóỏõọ"
	tonesU     = "ùúủũụ"
	tonesY     = "ỳýỷỹỵ"
	tonesUpA   = "ÀÁẢÃẠ"
	tonesUpE   = "ÈÉẺẼẸ"
	tonesUpO   = "ÒÓỎÕỌ"
	tonesUpU   = "ÙÚỦŨỤ"
	tonesUpY   = "ỲÝỶỸỴ"
	dashRunes  = "-‐‑‒–—―−"
	noToneMark = -1
)

// toneOf reports the base letter and tone index (0–4) of a tone-marked
// a/e/y (either case), or noToneMark.
func toneOf(r rune) (base rune, tone int) {
	for _, row := range [...]struct {
		base  rune
		tones string
	}{{'a', tonesA}, {'e', tonesE}, {'y', tonesY}, {'A', tonesUpA}, {'E', tonesUpE}, {'Y', tonesUpY}} {
		i := 0
		for _, t := range row.tones {
			if t == r {
				return row.base, i
			}
			i++
		}
	}
	return 0, noToneMark
}

// withTone returns o/O/u/U carrying the given tone.
func withTone(r rune, tone int) rune {
	var tones string
	switch r {
	case 'o':
		tones = tonesO
	case 'O':
		tones = tonesUpO
	case 'u':
		tones = tonesU
	case 'U':
		tones = tonesUpU
	default:
		return r
	}
	return []rune(tones)[tone]
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// normalizeTones rewrites the "new style" tone placement of the open
// syllable-final clusters oa, oe and uy into the traditional style used by
// the canonical names: "Hoà"→"Hòa", "Thuỷ"→"Thủy", "khoẻ"→"khỏe". Case is
// preserved. Clusters followed by another letter ("Hoàng", "Tuyến") are left
// alone: both styles agree there. The input must be NFC.
func normalizeTones(s string) string {
	runes := []rune(s)
	changed := false
	for i := 0; i+1 < len(runes); i++ {
		if i+2 < len(runes) && isWordRune(runes[i+2]) {
			continue
		}
		base, tone := toneOf(runes[i+1])
		if tone == noToneMark {
			continue
		}
		first := unicode.ToLower(runes[i])
		second := unicode.ToLower(base)
		if (first == 'o' && (second == 'a' || second == 'e')) || (first == 'u' && second == 'y') {
			runes[i] = withTone(runes[i], tone)
			runes[i+1] = base
			changed = true
		}
	}
	if !changed {
		return s
	}
	return string(runes)
}

// normalizeSurface puts text into the form FindIn matches against: NFC and
// traditional tone placement, case preserved.
func normalizeSurface(s string) string {
	return normalizeTones(vietnamese.NFC(s))
}

// cleanName returns name in NFC with tone placement normalised, every dash
// turned into a space, runs of whitespace collapsed and surrounding
// punctuation removed. Case and prefixes are kept.
func cleanName(name string) string {
	s := normalizeSurface(name)
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(dashRunes, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " .,;:")
}

// adminPrefixes are stripped from the front of a lowercased, cleaned name.
// Longer forms come first; "tp" without a separator covers "TPHCM". The
// unaccented "tinh"/"thanh pho" only ever occur in folded text (Suggest): no
// unit's name starts with them.
func adminPrefixes() []string {
	return []string{"thành phố ", "tỉnh ", "thanh pho ", "tinh ", "tp. ", "tp.", "tp ", "tp"}
}

// stripPrefix removes one administrative prefix ("tỉnh", "thành phố", "TP.",
// "TP") from a lowercased cleaned name, unless nothing would remain.
func stripPrefix(s string) string {
	for _, p := range adminPrefixes() {
		if rest, ok := strings.CutPrefix(s, p); ok {
			rest = strings.TrimSpace(rest)
			if rest != "" {
				return rest
			}
		}
	}
	return s
}

// lookupKey is the key two spellings share when Lookup must treat them as the
// same name: NFC, tone placement, case, dashes, spacing and an administrative
// prefix do not matter. Diacritics do.
func lookupKey(name string) string {
	return stripPrefix(strings.ToLower(cleanName(name)))
}
