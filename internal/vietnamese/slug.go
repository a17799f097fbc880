package vietnamese

import (
	"bytes"
	"unicode"
)

// DefaultSlugMax is the maximum length in bytes of a slug made by Slug.
const DefaultSlugMax = 80

// Slug returns the URL slug of s. It is the one slug function used for
// articles, terms and heading IDs, so equal titles always give equal slugs.
// It is SlugMax(s, DefaultSlugMax); see SlugMax for the rules.
//
//	Slug("Nghị định 64/2007/NĐ-CP") == "nghi-dinh-64-2007-nd-cp"
//	Slug("Thành phố Hồ Chí Minh")   == "thanh-pho-ho-chi-minh"
func Slug(s string) string {
	return SlugMax(s, DefaultSlugMax)
}

// SlugMax returns the slug of s cut to at most max bytes; max <= 0 means no
// limit. The rules are:
//
//   - s is normalised to NFC first, so NFD and NFC input give the same slug;
//   - letters are lowercased and every diacritic is removed (Vietnamese tone
//     marks, ă â ê ô ơ ư, and accented Latin letters such as é, ü, ñ);
//     đ/Đ become d, and ß→ss, æ→ae, œ→oe, ø→o, ł→l, ð→d, þ→th;
//   - every run of characters other than [a-z0-9] becomes one hyphen, so
//     "1/7/2025" becomes "1-7-2025"; combining marks left after NFC are
//     dropped without splitting the word;
//   - there is no leading or trailing hyphen;
//   - a slug longer than max is cut at the last hyphen that keeps it within
//     max bytes; if the first word alone is longer than max, it is cut hard.
//
// The result matches ^[a-z0-9]+(-[a-z0-9]+)*$, or is "" when s has no
// letters or digits that fold to ASCII; callers decide what to do then.
// SlugMax is idempotent: SlugMax(SlugMax(s, n), n) == SlugMax(s, n).
func SlugMax(s string, max int) string {
	s = NFC(s)
	b := make([]byte, 0, len(s))
	hyphen := false // a separator is pending before the next letter or digit
	emit := func(c byte) {
		if hyphen && len(b) > 0 {
			b = append(b, '-')
		}
		hyphen = false
		b = append(b, c)
	}
	for _, r := range s {
		if r < 0x80 {
			switch {
			case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
				emit(byte(r))
			case r >= 'A' && r <= 'Z':
				emit(byte(r) + 'a' - 'A')
			default:
				hyphen = true
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a mark that did not compose: part of the previous letter
		}
		r = foldRune(unicode.ToLower(r))
		if r < 0x80 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			emit(byte(r))
			continue
		}
		if t := slugLigature(r); t != "" {
			for i := 0; i < len(t); i++ {
				emit(t[i])
			}
			continue
		}
		hyphen = true
	}
	if max > 0 && len(b) > max {
		cut := bytes.LastIndexByte(b[:max+1], '-')
		if cut <= 0 {
			cut = max // the first word alone is too long: cut it hard
		}
		b = b[:cut]
	}
	return string(b)
}

// slugLigature spells Latin letters that have no canonical decomposition
// with ASCII letters; it expects a lowercased rune and returns "" for others.
func slugLigature(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'æ':
		return "ae"
	case 'œ':
		return "oe"
	case 'ø':
		return "o"
	case 'ł':
		return "l"
	case 'ð':
		return "d"
	case 'þ':
		return "th"
	case 'ı':
		return "i"
	}
	return ""
}
