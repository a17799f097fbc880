package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/vietnamese"
)

// benchNow lies after every date the corpus generator writes, so no article is "future".
var benchNow = time.Date(2026, 11, 1, 0, 0, 0, 0, vietnamese.Location())

// BenchmarkBuild1000 builds a generated site of 1,000 articles, search index included.
func BenchmarkBuild1000(b *testing.B) { benchBuild(b, 1000, false) }

// BenchmarkBuild10000 builds a generated site of 10,000 articles, search index included.
// One iteration takes minutes: run it with -benchtime=1x.
func BenchmarkBuild10000(b *testing.B) { benchBuild(b, 10000, false) }

// BenchmarkBuildNoSearch10000 is BenchmarkBuild10000 without the search index.
func BenchmarkBuildNoSearch10000(b *testing.B) { benchBuild(b, 10000, true) }

// benchBuild generates the corpus once, outside the timer, then runs a cold build per
// iteration: each one writes into a fresh output folder, so the search index is built from
// scratch rather than updated. It reports articles/s and the mean time of each stage.
func benchBuild(b *testing.B, n int, noSearch bool) {
	tmp := b.TempDir()
	site := filepath.Join(tmp, "site")
	if err := corpus.Generate(site, n, 1); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	stages := map[string]time.Duration{}
	var order []string
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(tmp, fmt.Sprintf("public-%d", i))
		rep, err := build.Run(ctx, build.Options{SiteDir: site, Dest: dest, Minify: true, Now: benchNow, NoSearch: noSearch})
		b.StopTimer()
		if err != nil {
			for _, d := range rep.Diagnostics {
				b.Log(d.String())
			}
			b.Fatalf("build of %d generated articles failed: %v", n, err)
		}
		if rep.Articles != n {
			b.Fatalf("built %d articles, want %d (are some dated after %s?)", rep.Articles, n, benchNow.Format(time.DateOnly))
		}
		if noSearch == (rep.IndexDir != "") {
			b.Fatalf("NoSearch=%v but IndexDir=%q", noSearch, rep.IndexDir)
		}
		for _, s := range rep.Stages {
			if _, ok := stages[s.Name]; !ok {
				order = append(order, s.Name)
			}
			stages[s.Name] += s.Took
		}
		if err := os.RemoveAll(dest); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
	b.StopTimer()
	if sec := b.Elapsed().Seconds(); sec > 0 {
		b.ReportMetric(float64(n)*float64(b.N)/sec, "articles/s")
	}
	for _, name := range order {
		// Stage names are Vietnamese ("kết xuất"); metric units must be one ASCII word.
		b.ReportMetric(stages[name].Seconds()/float64(b.N), vietnamese.Slug(name)+"-s/op")
	}
}
