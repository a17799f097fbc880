package search

import (
	"context"
	"fmt"
	"os"
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

// loadgenQueries are bench/loadgen's queries (its package main cannot be
// imported): what `portal serve` answers in the load test.
var loadgenQueries = []string{
	"hội nghị", "hoi nghi", "giáo dục", "giao duc", "chuyển đổi số", "chuyen doi so",
	"an toàn thông tin", "an toan thong tin", "cải cách hành chính", "cai cach hanh chinh",
	"Hà Tĩnh", "ha tinh", "dịch vụ công trực tuyến", "dich vu cong truc tuyen",
	"ủy ban nhân dân", "uy ban nhan dan", "nghị định", "nghi dinh", "tập huấn", "tap huan",
	"bưu chính viễn thông", "buu chinh vien thong", "khai giảng", "y tế", "y te", "đường",
	"duong", "Đà Nẵng", "da nang", "Thừa Thiên Huế", "thua thien hue", "an ninh mạng",
	"UBND", "ubnd tỉnh", "CNTT", "TP.HCM", "phu tho", "Vĩnh Phúc", "binh dinh",
	"hooij nghij", "hoi nhgi", "chuyeenr ddooir soos", "64/2007/NĐ-CP", "nghị định 43/2011/NĐ-CP",
}

// eachQueries is benchQueries, then loadgenQueries.
func eachQueries() []Request {
	qs := append([]Request(nil), benchQueries...)
	for _, q := range loadgenQueries {
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
	for i, req := range eachQueries() {
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
