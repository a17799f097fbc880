// Package relevance is the judged relevance set of portal's search (issue 18, item 1):
// queries a citizen would type, each with graded judgments of the articles that answer
// it (testdata/relevance/queries.tsv), the site they are judged on (the sample site's
// articles and the planted ones in testdata/relevance/planted, among internal/corpus
// articles), and the two measures: nDCG@10 and recall@10.
//
// The Go test of this package measures portal through the real index; bench/relevance
// measures Pagefind on the same built site and prints both side by side.
package relevance

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// The site the set is judged on: this many internal/corpus articles with this seed,
// plus the sample and planted articles. Changing them changes what is measured.
const (
	CorpusArticles = 1000
	CorpusSeed     = 1
	// Section is where every judged article lives: /tin-tuc/<slug>/.
	Section = "tin-tuc"
	// K is the cut-off of both measures.
	K = 10
)

// Query is one judged query.
type Query struct {
	Kind string // topic, place, oldprov, newprov, docnum, title, abbrev, nodiac, nfd, telex, slip
	Text string // as written in the file (NFC); Kind "nfd" is searched in NFD
	Rel  map[string]int
	Line int
}

// URL is the address of the article with slug s.
func URL(s string) string { return "/" + Section + "/" + s + "/" }

// Load reads a set from path (see testdata/relevance/queries.tsv for the format).
func Load(path string) ([]Query, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var qs []Query
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		parts := strings.Split(line, "\t")
		if len(parts) != 3 {
			return nil, fmt.Errorf("%s:%d: lỗi: cần 3 cột cách nhau bởi tab (loại, truy vấn, đánh giá), có %d", path, n, len(parts))
		}
		q := Query{Kind: parts[0], Text: parts[1], Rel: map[string]int{}, Line: n}
		for _, j := range strings.Fields(parts[2]) {
			slug, grade, ok := strings.Cut(j, "=")
			g, err := strconv.Atoi(grade)
			if !ok || err != nil || g < 0 || g > 3 || slug == "" {
				return nil, fmt.Errorf("%s:%d: lỗi: đánh giá %q phải có dạng slug=điểm, điểm từ 0 đến 3", path, n, j)
			}
			q.Rel[URL(slug)] = g
		}
		if len(q.Rel) == 0 {
			return nil, fmt.Errorf("%s:%d: lỗi: truy vấn %q chưa có bài nào được đánh giá", path, n, q.Text)
		}
		qs = append(qs, q)
	}
	return qs, sc.Err()
}

// NDCG is nDCG@K of ranked (URLs, best first) against the graded judgments rel, with
// gains 2^grade − 1 and log2 discounts.
func NDCG(ranked []string, rel map[string]int) float64 {
	dcg := 0.0
	for i, u := range ranked {
		if i == K {
			break
		}
		dcg += (math.Pow(2, float64(rel[u])) - 1) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(rel))
	for _, g := range rel {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	ideal := 0.0
	for i, g := range grades {
		if i == K {
			break
		}
		ideal += (math.Pow(2, float64(g)) - 1) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

// Recall is the share of the relevant articles (grade > 0) among the first K of ranked.
func Recall(ranked []string, rel map[string]int) float64 {
	relevant, found := 0, 0
	for _, g := range rel {
		if g > 0 {
			relevant++
		}
	}
	for i, u := range ranked {
		if i == K {
			break
		}
		if rel[u] > 0 {
			found++
		}
	}
	if relevant == 0 {
		return 0
	}
	return float64(found) / float64(relevant)
}

// Score is the mean of both measures over a set of queries.
type Score struct {
	NDCG, Recall float64
	Queries      int
}

// Add adds one query's ranking to s.
func (s *Score) Add(ranked []string, rel map[string]int) {
	// Running means, so a Score can be read at any time.
	n := float64(s.Queries)
	s.NDCG = (s.NDCG*n + NDCG(ranked, rel)) / (n + 1)
	s.Recall = (s.Recall*n + Recall(ranked, rel)) / (n + 1)
	s.Queries++
}

// Root returns the repository root found from dir upwards (the folder holding go.mod).
func Root(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("relevance: no go.mod above %s", dir)
		}
	}
}
