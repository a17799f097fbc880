// Package suggest finds the closest known name to a misspelt one, for
// "did you mean …?" hints in diagnostics (unknown province, unknown front
// matter key, unknown taxonomy term …).
package suggest

import (
	"strings"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Distance returns the edit distance between a and b counted in runes: insertions,
// deletions, substitutions and a swap of two neighbouring runes each cost 1 (the optimal
// string alignment distance; a swapped pair is not edited again). The swap is the typo
// people make most: "Titel" is one edit from "Title", two by Levenshtein's distance. It
// compares the strings as given; normalise them first (vietnamese.NFC) if they may mix
// NFC and NFD.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	if len(ra) < len(rb) {
		ra, rb = rb, ra // keep the rows as short as possible
	}
	prev2 := make([]int, len(rb)+1) // row i-2
	prev := make([]int, len(rb)+1)  // row i-1
	row := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		row[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			row[j] = min(prev[j]+1, row[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				row[j] = min(row[j], prev2[j-2]+1)
			}
		}
		prev2, prev, row = prev, row, prev2
	}
	return prev[len(rb)]
}

// MaxDistance returns the largest folded edit distance at which Closest
// still suggests a candidate for name: max(1, runes(name)/3), counting the
// runes of name in NFC.
func MaxDistance(name string) int {
	return max(1, utf8.RuneCountInString(vietnamese.NFC(name))/3)
}

// Closest returns the candidate closest to name, and false when none is
// close enough or name is empty.
//
// Candidates are ranked by, in order:
//  1. the edit distance (Distance: a swap of two neighbours is one edit)
//     between the folded, lowercased forms
//     (vietnamese.FoldLower), so "Ha Tinh" and "Lâm Đông" find "Hà Tĩnh" and
//     "Lâm Đồng"; only a candidate within MaxDistance(name) of name counts;
//  2. the distance between the lowercased NFC forms, so the candidate with
//     the same diacritics as name wins;
//  3. the distance between the NFC forms as written (case counts);
//  4. input order: among candidates that tie on all three, the first one in
//     candidates is returned, so the result is deterministic.
//
// Closest returns a candidate equal to name if there is one.
func Closest(name string, candidates []string) (string, bool) {
	name = vietnamese.NFC(name)
	if name == "" {
		return "", false
	}
	limit := MaxDistance(name)
	folded := vietnamese.FoldLower(name)
	lower := strings.ToLower(name)
	foldedLen := utf8.RuneCountInString(folded)

	best, found := "", false
	var bestScore [3]int
	for _, c := range candidates {
		cn := vietnamese.NFC(c)
		cf := vietnamese.FoldLower(cn)
		// The distance is at least the difference in length: skip early.
		if d := utf8.RuneCountInString(cf) - foldedLen; d > limit || -d > limit {
			continue
		}
		df := Distance(folded, cf)
		if df > limit {
			continue
		}
		score := [3]int{df, Distance(lower, strings.ToLower(cn)), Distance(name, cn)}
		if !found || less(score, bestScore) {
			best, bestScore, found = c, score, true
		}
	}
	return best, found
}

// less reports whether score a ranks strictly before score b.
func less(a, b [3]int) bool {
	for i := range a {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}
