package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/publish"
	sitepkg "github.com/vnportal/portal/internal/site"
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

// BenchmarkRebuildOneEdit1000 and BenchmarkRebuildOneEdit10000 measure the build half of
// what `portal preview` does after a save: one article's text changes, and build.Run with
// the cache of the previous build rebuilds the site into a target that keeps nothing (the
// preview's folder target writes only changed files; it is measured end to end by
// internal/preview's BenchmarkEditToReload*). It reports the mean time of each stage in ms.
func BenchmarkRebuildOneEdit1000(b *testing.B)  { benchRebuild(b, 1000) }
func BenchmarkRebuildOneEdit10000(b *testing.B) { benchRebuild(b, 10000) }

func benchRebuild(b *testing.B, n int) {
	site := filepath.Join(b.TempDir(), "site")
	if err := corpus.Generate(site, n, 1); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	cache := build.NewMemoryCache()
	opts := build.Options{SiteDir: site, Now: benchNow, NoSearch: true, Cache: cache, Preview: true,
		Output: func(context.Context) (publish.Sink, error) { return discard{}, nil }}
	if _, err := build.Run(ctx, opts); err != nil {
		b.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(site, "content", "tin-tuc", "*.md"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no articles in %s: %v", site, err)
	}
	target := files[len(files)/2]
	orig, err := os.ReadFile(target)
	if err != nil {
		b.Fatal(err)
	}
	stages := map[string]time.Duration{}
	var order []string
	rendered := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		body := append(append([]byte{}, orig...), fmt.Sprintf("\nĐoạn sửa thứ %d.\n", i)...)
		if err := os.WriteFile(target, body, 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		opts.Cache = cache.Changed([]string{target}) // as the preview's watcher reports it
		rep, err := build.Run(ctx, opts)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Rendered == 0 || rep.Rendered > 50 {
			b.Fatalf("one edit re-rendered %d pages (reused %d)", rep.Rendered, rep.Reused)
		}
		rendered += rep.Rendered
		for _, s := range rep.Stages {
			if _, ok := stages[s.Name]; !ok {
				order = append(order, s.Name)
			}
			stages[s.Name] += s.Took
		}
	}
	b.StopTimer()
	for _, name := range order {
		b.ReportMetric(float64(stages[name].Microseconds())/1000/float64(b.N), vietnamese.Slug(name)+"-ms/op")
	}
	b.ReportMetric(float64(rendered)/float64(b.N), "pages-rendered/op")
}

// discard is a build target that keeps nothing.
type discard struct{}

func (discard) Add(publish.File) error         { return nil }
func (discard) Commit() (publish.Stats, error) { return publish.Stats{}, nil }
func (discard) Abort()                         {}

// BenchmarkAssemble10000 times site.Assemble alone on 10,000 parsed and rendered
// articles: it runs on every preview rebuild.
func BenchmarkAssemble10000(b *testing.B) {
	site := filepath.Join(b.TempDir(), "site")
	if err := corpus.Generate(site, 10000, 1); err != nil {
		b.Fatal(err)
	}
	cfg, ds := config.Load(os.DirFS(site), site)
	if ds.HasErrors() {
		b.Fatal(ds.Err())
	}
	reg, err := province.ForConfig(cfg)
	if err != nil {
		b.Fatal(err)
	}
	docs, ds := content.Load(context.Background(), os.DirFS(site), content.SchemaOf(cfg))
	if ds.HasErrors() {
		b.Fatal(ds.Err())
	}
	md := markdown.New(markdown.Options{})
	var srcs []sitepkg.Source
	for _, d := range docs {
		if d.Kind == content.SectionIndex {
			continue
		}
		res, err := md.Render(d.Body)
		if err != nil {
			b.Fatal(err)
		}
		summary := md.RenderInline(d.Summary)
		srcs = append(srcs, sitepkg.NewSource(d, res, summary, sitepkg.PlainLead(summary, res.Text), nil))
	}
	b.ResetTimer()
	for b.Loop() {
		g, ds := sitepkg.Assemble(sitepkg.Input{Config: cfg, Registry: reg, Sources: srcs})
		if ds.HasErrors() || len(g.Articles) < 10000 {
			b.Fatalf("%d articles: %v", len(g.Articles), ds.Err())
		}
	}
}
