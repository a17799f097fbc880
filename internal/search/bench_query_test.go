package search

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Per-query benchmarks: each query of the mixes alone, so that one query's
// CPU can be profiled (issue 18, item 6):
//
//	SEARCH_BENCH_100K=1 go test -run '^$' -bench 'SearchEach/q07' -benchtime 200x -cpuprofile cpu.out ./internal/search/
//	SEARCH_BENCH_INDEX=/tmp/k100/site/public/.search go test -run '^$' -bench 'SearchEach' -benchtime 50x ./internal/search/
//
// The index is the 100,000-article one with SEARCH_BENCH_100K=1 (or the one
// in SEARCH_BENCH_INDEX), the 10,000-article one otherwise.

// loadgenQueries are bench/loadgen's queries (bench/loadgen/queries.txt): what
// `portal serve` answers in the load test.
func loadgenQueries(b *testing.B) []string {
	data, err := os.ReadFile(filepath.Join("..", "..", "bench", "loadgen", "queries.txt"))
	if err != nil {
		b.Fatal(err)
	}
	var qs []string
	for _, l := range strings.Split(string(data), "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			qs = append(qs, l)
		}
	}
	return qs
}

// eachQueries is benchQueries, then loadgenQueries.
func eachQueries(b *testing.B) []Request {
	qs := append([]Request(nil), benchQueries...)
	for _, q := range loadgenQueries(b) {
		qs = append(qs, Request{Query: q})
	}
	return qs
}

func BenchmarkSearchEach(b *testing.B) {
	n := 10000
	if os.Getenv("SEARCH_BENCH_100K") != "" {
		n = 100000
	}
	ix := cachedBenchIndex(b, n, 1)
	defer ix.Close()
	for i, req := range eachQueries(b) {
		name := fmt.Sprintf("q%02d_%s", i, strings.ReplaceAll(strings.ReplaceAll(req.Query, " ", "_"), "/", "|"))
		b.Run(name, func(b *testing.B) {
			// Once before timing: the posting lists decoded, as in a
			// server that has answered for a while.
			res, err := ix.Search(context.Background(), req)
			if err != nil {
				b.Fatal(err)
			}
			c0 := cpuTime()
			for b.Loop() {
				if _, err := ix.Search(context.Background(), req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64((cpuTime()-c0).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(res.Total), "hits")
		})
	}
}
