package search

import (
	"context"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Did you mean.
//
// When a query finds little (fewer than suggestMaxTotal articles), suggest
// asks the index's own vocabulary for a corrected query: a word typed in
// Telex or VNI with the input method off ("hooij" → "hội", "ho6i5" →
// "hội"), a word one slip away from an indexed one (a letter missing,
// added, wrong or two swapped: "nhgi" → "nghị"), two words run together
// ("hoinghi" → "hội nghị"). The suggestion is searched before it is
// offered: it must find more than the query did.

// suggestMaxTotal: a query finding fewer articles than this gets a
// suggestion, when there is one.
const suggestMaxTotal = 3

// vocabulary is the index's words: the folded words with the number of
// articles holding them (all_f), and the spellings of each (title, topics,
// summary and body), most frequent first.
type vocabulary struct {
	df     map[string]uint64
	forms  map[string][]string // folded → exact spellings, most articles first
	formDF map[string]uint64   // exact spelling → articles (summed over fields)
}

// maxVocabRunes: longer tokens (codes, URLs) are not words to suggest.
const maxVocabRunes = 12

// loadVocabulary reads the vocabulary from the index's term dictionaries.
func loadVocabulary(ix *Index) (*vocabulary, error) {
	r, err := ix.reader()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	v := &vocabulary{df: map[string]uint64{}, forms: map[string][]string{}, formDF: map[string]uint64{}}
	word := func(t string) bool {
		if utf8.RuneCountInString(t) > maxVocabRunes {
			return false
		}
		for _, c := range t {
			if !unicode.IsLetter(c) {
				return false
			}
		}
		return true
	}
	d, err := r.FieldDict(fieldAllF)
	if err != nil {
		return nil, err
	}
	for e, err := d.Next(); e != nil && err == nil; e, err = d.Next() {
		if word(e.Term) {
			v.df[e.Term] = e.Count
		}
	}
	_ = d.Close()
	for _, f := range []string{fieldHead, fieldSummary, fieldBody} {
		d, err := r.FieldDict(f)
		if err != nil {
			return nil, err
		}
		for e, err := d.Next(); e != nil && err == nil; e, err = d.Next() {
			if word(e.Term) {
				v.formDF[e.Term] += e.Count
			}
		}
		_ = d.Close()
	}
	for form := range v.formDF {
		k := vietnamese.FoldLower(form)
		v.forms[k] = append(v.forms[k], form)
	}
	for k, fs := range v.forms {
		sortByDF(fs, v.formDF)
		v.forms[k] = fs
	}
	return v, nil
}

func sortByDF(fs []string, df map[string]uint64) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && (df[fs[j]] > df[fs[j-1]] || df[fs[j]] == df[fs[j-1]] && fs[j] < fs[j-1]); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// bestForm is the most frequent spelling of a folded word (the word
// itself when the index has none).
func (v *vocabulary) bestForm(folded string) string {
	if fs := v.forms[folded]; len(fs) > 0 {
		return fs[0]
	}
	return folded
}

// correct returns the correction of one query word (exact: lower case,
// NFC; folded), or "" when it needs none or none is found.
func (v *vocabulary) correct(exact, folded string) string {
	if v.df[folded] > 0 {
		return ""
	}
	if base, tone, ok := decodeTyped(exact); ok {
		for _, f := range v.forms[vietnamese.FoldLower(base)] {
			if fb, ft := splitTone(f); fb == base && ft == tone {
				return f
			}
		}
	}
	if !isASCII(folded) {
		return ""
	}
	best, score := "", uint64(0)
	for _, c := range edits1(folded) {
		s := v.df[c]
		if len(c) == len(folded) {
			s *= 2 // a swap or a wrong letter is likelier than one missing
		}
		if s > score || s == score && s > 0 && c < best {
			best, score = c, s
		}
	}
	if best != "" {
		return v.bestForm(best)
	}
	for i := 1; i < len(folded); i++ {
		a, b := folded[:i], folded[i:]
		if s := min(v.df[a], v.df[b]); s > score {
			best, score = v.bestForm(a)+" "+v.bestForm(b), s
		}
	}
	return best
}

// suggestion returns the corrected query for the plain words of groups in
// q, or "" when nothing was corrected. Words that were right but typed
// without diacritics get the index's most frequent spelling, so "hoi nhgi"
// becomes "hội nghị".
func (v *vocabulary) suggestion(q string, groups []group) string {
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	changed := false
	for _, g := range groups {
		if len(g) != 1 {
			continue // a document number is left as typed
		}
		w := g[0]
		if c := v.correct(w.exact, w.folded); c != "" {
			edits = append(edits, edit{w.start, w.end, c})
			changed = true
		} else if !w.hasMarks() && v.df[w.folded] > 0 {
			edits = append(edits, edit{w.start, w.end, v.bestForm(w.folded)})
		}
	}
	if !changed {
		return ""
	}
	var b strings.Builder
	last := 0
	for _, e := range edits {
		b.WriteString(q[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.WriteString(q[last:])
	return strings.TrimSpace(b.String())
}

// edits1 returns the ASCII words one letter edit away from w: a letter
// deleted, two adjacent letters swapped, a letter replaced or inserted.
func edits1(w string) []string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	var out []string
	for i := 0; i <= len(w); i++ {
		if i < len(w) {
			out = append(out, w[:i]+w[i+1:])
		}
		if i+1 < len(w) {
			out = append(out, w[:i]+string(w[i+1])+string(w[i])+w[i+2:])
		}
		for j := 0; j < len(letters); j++ {
			if i < len(w) && w[i] != letters[j] {
				out = append(out, w[:i]+string(letters[j])+w[i+1:])
			}
			out = append(out, w[:i]+string(letters[j])+w[i:])
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// Tones: 0 none, then sắc, huyền, hỏi, ngã, nặng (VNI's 1–5).
var toneMarks = [...]rune{0, '\u0301', '\u0300', '\u0309', '\u0303', '\u0323'}

// splitTone returns a lower-case NFC syllable without its tone mark (the
// vowel marks â ê ô ă ơ ư kept) and its tone.
func splitTone(s string) (string, int) {
	tone := 0
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		t := 0
		for i, m := range toneMarks {
			if i > 0 && r == m {
				t = i
			}
		}
		if t > 0 {
			tone = t
			continue
		}
		b.WriteRune(r)
	}
	return norm.NFC.String(b.String()), tone
}

// decodeTyped reads a syllable typed in Telex ("hooij", "chuyeenr",
// "dduowngf") or VNI ("ho6i5", "d9o6i3") with the input method off: its
// letters with their vowel marks, and its tone. ok is false when w has no
// such keys or is not ASCII.
func decodeTyped(w string) (base string, tone int, ok bool) {
	if w == "" || !isASCII(w) {
		return "", 0, false
	}
	isVowel := func(c byte) bool { return strings.IndexByte("aeiouy", c) >= 0 }
	s := []byte(w)
	// VNI: digits anywhere after the first letter.
	var digits []byte
	var letters []byte
	for _, c := range s {
		if c >= '1' && c <= '9' {
			digits = append(digits, c)
		} else {
			letters = append(letters, c)
		}
	}
	if len(digits) > 0 {
		if len(letters) == 0 || strings.IndexFunc(string(letters), func(r rune) bool { return r < 'a' || r > 'z' }) >= 0 {
			return "", 0, false
		}
		word := string(letters)
		for _, d := range digits {
			switch {
			case d >= '1' && d <= '5':
				tone = int(d - '0')
			case d == '6':
				i := strings.LastIndexAny(word, "aeo")
				if i < 0 {
					return "", 0, false
				}
				word = word[:i] + map[byte]string{'a': "â", 'e': "ê", 'o': "ô"}[word[i]] + word[i+1:]
			case d == '7':
				switch {
				case strings.Contains(word, "uo"):
					word = strings.Replace(word, "uo", "ươ", 1)
				case strings.LastIndexAny(word, "ou") >= 0:
					i := strings.LastIndexAny(word, "ou")
					word = word[:i] + map[byte]string{'o': "ơ", 'u': "ư"}[word[i]] + word[i+1:]
				default:
					return "", 0, false
				}
			case d == '8':
				if !strings.Contains(word, "a") {
					return "", 0, false
				}
				word = strings.Replace(word, "a", "ă", 1)
			case d == '9':
				if !strings.HasPrefix(word, "d") {
					return "", 0, false
				}
				word = "đ" + word[1:]
			}
		}
		return word, tone, true
	}
	// Telex: a tone key (s f r x j) after the first vowel; doubled vowels,
	// w and dd for the vowel marks and đ.
	first := -1
	for i, c := range s {
		if isVowel(c) {
			first = i
			break
		}
	}
	if first < 0 {
		return "", 0, false
	}
	var kept []byte
	changed := false
	for i, c := range s {
		if i > first {
			if t := strings.IndexByte(" sfrxj", c); t > 0 {
				tone, changed = t, true
				continue
			}
		}
		kept = append(kept, c)
	}
	word := string(kept)
	for _, r := range []struct{ from, to string }{
		{"dd", "đ"}, {"uow", "ươ"}, {"uwow", "ươ"}, {"aa", "â"}, {"ee", "ê"}, {"oo", "ô"},
		{"aw", "ă"}, {"ow", "ơ"}, {"uw", "ư"},
	} {
		if strings.Contains(word, r.from) {
			word = strings.Replace(word, r.from, r.to, 1)
			changed = true
		}
	}
	if !changed || strings.ContainsAny(word, "fjwz") {
		return "", 0, false
	}
	return word, tone, true
}

// suggest returns a corrected query for req that finds more than total
// articles, or "".
func (ix *Index) suggest(ctx context.Context, req Request, groups []group, total uint64) string {
	if total >= suggestMaxTotal || len(groups) == 0 {
		return ""
	}
	ix.vocabAsked.Store(true)
	v, err := ix.vocab()
	if err != nil {
		return ""
	}
	s := v.suggestion(req.Query, groups)
	if s == "" || s == req.Query {
		return ""
	}
	alt := req
	alt.Query = s
	p, _, empty := ix.planFor(alt)
	if empty {
		return ""
	}
	col, err := ix.collect(ctx, p, 0)
	if err != nil || col.total <= total {
		return ""
	}
	return s
}
