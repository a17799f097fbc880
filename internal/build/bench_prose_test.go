package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
)

// BenchmarkProsePages10000 is the cold build of issue 22's pages side: the prose corpus
// (corpus.ModeProse, seed 1) at 10,000 articles, minified and precompressed like `portal
// build --no-cache`, without the search index. It is the benchmark to profile the page
// stage with (-cpuprofile, -memprofile); set PORTAL_BENCH_SITE to a site made by
// `go run ./bench/gen -mode prose -n 10000 -out DIR` to skip generating it.
// One iteration takes tens of seconds: run it with -benchtime=1x.
func BenchmarkProsePages10000(b *testing.B) {
	site := os.Getenv("PORTAL_BENCH_SITE")
	tmp := b.TempDir()
	if site == "" {
		site = filepath.Join(tmp, "site")
		if _, err := corpus.GenerateContext(context.Background(), site, corpus.Options{Articles: 10000, Seed: 1, Mode: corpus.ModeProse}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(tmp, fmt.Sprintf("public-%d", i))
		rep, err := build.Run(context.Background(), build.Options{SiteDir: site, Dest: dest, Minify: true, Precompress: true,
			Now: benchNow, NoSearch: true, Cache: build.NoCache()})
		b.StopTimer()
		if err != nil {
			b.Fatalf("build of the prose corpus failed: %v", err)
		}
		if rep.Articles != 10000 {
			b.Fatalf("built %d articles, want 10000", rep.Articles)
		}
		for _, s := range rep.Stages {
			b.Logf("%s: %v", s.Name, s.Took)
		}
		if err := os.RemoveAll(dest); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
