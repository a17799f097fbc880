package check

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
)

// bruteNearDuplicateTitles is the rule as it was before titleIndex: every title against
// every title of about its length. The reference the index must agree with.
func bruteNearDuplicateTitles(docs []*content.Document) []diag.Diagnostic {
	ts := make([]*title, 0, len(docs))
	for _, d := range docs {
		if t := newTitle(d); t != nil {
			ts = append(ts, t)
		}
	}
	slices.SortStableFunc(ts, func(a, b *title) int { return a.n - b.n })
	var pairs []titlePair
	for i, a := range ts {
		for j := i + 1; j < len(ts); j++ {
			if ts[j].n-a.n > maxTitleDistance {
				break
			}
			if nearTitles(a, ts[j]) {
				pairs = append(pairs, titlePair{i, j})
			}
		}
	}
	ds := &diag.List{}
	ds.FormatLate() // as DuplicateTitles hands them out
	reportPairs(ts, pairs, ds)
	return ds.Sorted()
}

// mutatedTitles returns n article documents whose titles are a few bases, each edited by
// 0–5 random edits (insertions, deletions, substitutions, swaps of diacritics, spaces),
// so that many pairs are near the distance limit on both sides of it.
func mutatedTitles(rng *rand.Rand, n int) []*content.Document {
	bases := []string{
		"Hội nghị triển khai chuyển đổi số năm 2026",
		"Tỉnh Hà Tĩnh đẩy mạnh cải cách hành chính",
		"Khánh thành trung tâm dữ liệu của tỉnh",
		"UBND tỉnh Phú Thọ làm việc với Sở Thông tin và Truyền thông",
		"Bản tin tuần 12", "Hà Nội", "Đắk Lắk: hội thảo về an toàn thông tin mạng",
		"An Giang đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình",
	}
	letters := []rune("aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạ 0123456789")
	docs := make([]*content.Document, n)
	for i := range docs {
		r := []rune(bases[rng.IntN(len(bases))])
		for range rng.IntN(6) {
			at := rng.IntN(len(r) + 1)
			switch rng.IntN(4) {
			case 0:
				r = slices.Insert(r, at, letters[rng.IntN(len(letters))])
			case 1:
				if at < len(r) {
					r = slices.Delete(r, at, at+1)
				}
			case 2:
				if at < len(r) {
					r[at] = letters[rng.IntN(len(letters))]
				}
			default:
				if at < len(r) {
					r[at] = []rune(strings.ToUpper(string(r[at])))[0]
				}
			}
		}
		docs[i] = &content.Document{Path: fmt.Sprintf("content/tin-tuc/bai-%05d-%04d.md", rng.IntN(100000), i), Title: string(r),
			Kind: content.Article, KeyLines: content.NewKeyLines(map[string]int{"title": 2})}
	}
	return docs
}

// TestTitleIndexFindsWhatEveryPairFinds: the index-driven rule reports exactly the pairs,
// in the same order, that comparing every pair of titles of about the same length does.
func TestTitleIndexFindsWhatEveryPairFinds(t *testing.T) {
	for seed := range uint64(3) {
		rng := rand.New(rand.NewPCG(seed, 7))
		docs := mutatedTitles(rng, 1000)
		want := bruteNearDuplicateTitles(docs)
		got := DuplicateTitles(context.Background(), docs)
		if len(want) < 100 {
			t.Fatalf("seed %d: only %d findings: the test compares too little", seed, len(want))
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: the index found %d findings, every pair %d; first difference:\n%s", seed, len(got), len(want), firstDifference(got, want))
		}
		// The first Update of a process compares every title as fresh, through the index.
		var s TitleState
		if got := s.Update(context.Background(), docs); !reflect.DeepEqual(got, want) {
			t.Fatalf("seed %d: TitleState's first update found %d findings, every pair %d:\n%s", seed, len(got), len(want), firstDifference(got, want))
		}
	}
}

func firstDifference(got, want []diag.Diagnostic) string {
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			return "missing: " + want[i].String()
		case i >= len(want):
			return "extra: " + got[i].String()
		case !reflect.DeepEqual(got[i], want[i]):
			return "got:  " + got[i].String() + "\nwant: " + want[i].String()
		}
	}
	return "none"
}

// TestSegmentsCoverTheTitle: the pieces of a title of any length are contiguous, cover it
// and differ in length by at most one.
func TestSegmentsCoverTheTitle(t *testing.T) {
	for n := minNearTitle; n < 300; n++ {
		next := 0
		for s := range titleSegments {
			start, size := segment(n, s)
			if start != next || size < n/titleSegments || size > n/titleSegments+1 {
				t.Fatalf("n=%d piece %d: start %d size %d, want start %d", n, s, start, size, next)
			}
			next = start + size
		}
		if next != n {
			t.Fatalf("n=%d: pieces end at %d", n, next)
		}
	}
}

// corpusTitles returns the articles of the generated benchmark corpus (bench/gen, seed 1)
// with their titles: many titles share a template, so near pairs are common, as at
// 100,000 articles where the rule found 846,719 pairs.
func corpusTitles(tb testing.TB, n int) []*content.Document {
	docs := make([]*content.Document, n)
	for i := range docs {
		name, data := corpus.Article(1, i)
		line, _, _ := strings.Cut(strings.TrimPrefix(string(data), "---\n"), "\n")
		title, err := strconv.Unquote(strings.TrimPrefix(line, "title: "))
		if err != nil {
			tb.Fatalf("%s: no title line in %q", name, line)
		}
		docs[i] = &content.Document{Path: "content/tin-tuc/" + name, Title: title, Kind: content.Article, KeyLines: content.NewKeyLines(map[string]int{"title": 2})}
	}
	return docs
}

// BenchmarkNearDuplicateTitles: the titles of 20,000 generated articles, through the index
// and, for comparison, every pair of about the same length.
func BenchmarkNearDuplicateTitles(b *testing.B) {
	docs := corpusTitles(b, 20000)
	b.Run("index", func(b *testing.B) {
		for b.Loop() {
			DuplicateTitles(context.Background(), docs)
		}
	})
	b.Run("every-pair", func(b *testing.B) {
		for b.Loop() {
			bruteNearDuplicateTitles(docs)
		}
	})
}

// TestWithinDistanceAgreesWithDistance: the banded check says yes exactly when the full
// edit distance is at most k.
func TestWithinDistanceAgreesWithDistance(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []rune("abcđ ê")
	word := func() []rune {
		r := make([]rune, rng.IntN(12))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return r
	}
	yes := 0
	for range 20000 {
		a, b := word(), word()
		if rng.IntN(2) == 0 { // b a few edits from a
			b = slices.Clone(a)
			for range rng.IntN(5) {
				at := rng.IntN(len(b) + 1)
				if rng.IntN(2) == 0 || at == len(b) {
					b = slices.Insert(b, at, alphabet[rng.IntN(len(alphabet))])
				} else {
					b = slices.Delete(b, at, at+1)
				}
			}
		}
		for k := range 5 {
			want := levenshtein(a, b) <= k
			if got := withinDistance(a, b, k); got != want {
				t.Fatalf("withinDistance(%q, %q, %d) = %v, distance %d", string(a), string(b), k, got, levenshtein(a, b))
			}
			if want {
				yes++
			}
		}
	}
	if yes < 1000 {
		t.Fatalf("only %d pairs within the distance: the test compares too little", yes)
	}
}

// levenshtein is the edit distance withinDistance bounds: insertions, deletions and
// substitutions of runes each cost 1.
func levenshtein(a, b []rune) int {
	row := make([]int, len(b)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(a); i++ {
		diag := row[0]
		row[0] = i
		for j := 1; j <= len(b); j++ {
			up := row[j]
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			row[j] = min(up+1, row[j-1]+1, diag+cost)
			diag = up
		}
	}
	return row[len(b)]
}
