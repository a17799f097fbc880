package build

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
)

// BenchmarkTitlesRetitle measures the near-duplicate title rule of a DiskCache build (the
// cache folder's titles file read, the rule brought up to date, the file written) after
// one article's title changed, on the titles of the articles in
// $PORTAL_BENCH_SITE/content/tin-tuc (a generated site: go run ./bench/gen); the rule's
// first run, which writes the file, is not timed. "same" is a build in which no title
// changed. At 100,000 articles of the generated corpus the titles file holds 846,719
// similar pairs; figures in BENCHMARKS.md.
func BenchmarkTitlesRetitle(b *testing.B) {
	site := os.Getenv("PORTAL_BENCH_SITE")
	if site == "" {
		b.Skip("set PORTAL_BENCH_SITE to a generated site (go run ./bench/gen)")
	}
	docs := benchTitleDocs(b, filepath.Join(site, "content", "tin-tuc"))
	dir := b.TempDir()
	ctx := context.Background()
	rule := writtenRule(diskTitles(dir, "bench"))
	first := rule(ctx, docs)
	target := docs[len(docs)/2]
	orig := target.Title
	b.Run("retitle", func(b *testing.B) {
		defer reportCPU(b, cpuTime())
		for i := range b.N {
			edited := *target
			edited.Title = fmt.Sprintf("Sửa tiêu đề lần %d: %s", i, orig)
			docs[len(docs)/2] = &edited
			if got := rule(ctx, docs); len(got) < len(first)-2 {
				b.Fatalf("%d findings after one retitle, %d before", len(got), len(first))
			}
		}
	})
	b.Run("same", func(b *testing.B) {
		defer reportCPU(b, cpuTime())
		for range b.N {
			rule(ctx, docs)
		}
	})
}

// benchTitleDocs reads the title of each article in dir (its front matter's title line).
func benchTitleDocs(b *testing.B, dir string) []*content.Document {
	entries, err := os.ReadDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	var docs []*content.Document
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".md") || e.Name() == "_index.md" {
			continue
		}
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			b.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		for line := 1; sc.Scan() && line < 20; line++ {
			if t, ok := strings.CutPrefix(sc.Text(), "title: "); ok {
				if u, err := strconv.Unquote(t); err == nil {
					t = u
				}
				docs = append(docs, &content.Document{Path: "content/tin-tuc/" + e.Name(), Kind: content.Article, Title: t, KeyLines: content.NewKeyLines(map[string]int{"title": line})})
				break
			}
		}
		f.Close()
	}
	if len(docs) == 0 {
		b.Fatalf("no articles in %s", dir)
	}
	return docs
}

// reportCPU reports the process's CPU time since before per iteration.
func reportCPU(b *testing.B, before time.Duration) {
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}
