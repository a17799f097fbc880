package build

import (
	"context"
	"github.com/vnportal/portal/internal/content"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkProseLoad is the "đọc nội dung và markdown" stage of a cold build alone (plus
// the assembly after it): every content file read, its front matter parsed, its body
// rendered from Markdown and spooled, on the prose corpus (corpus.ModeProse, seed 1) of
// 2,000 articles, or the site in PORTAL_BENCH_SITE (the 10,000-article one of issue 22:
// `go run ./bench/gen -mode prose -n 10000 -out DIR`). The stage to profile with
// -cpuprofile without the rendering and writing of pages around it.
func BenchmarkProseLoad(b *testing.B) {
	site := os.Getenv("PORTAL_BENCH_SITE")
	tmp := b.TempDir()
	if site == "" {
		site = filepath.Join(tmp, "site")
		if _, err := corpus.GenerateContext(context.Background(), site, corpus.Options{Articles: 2000, Seed: 1, Mode: corpus.ModeProse}); err != nil {
			b.Fatal(err)
		}
	}
	now := time.Date(2026, 11, 1, 0, 0, 0, 0, vietnamese.Location())
	opts := Options{SiteDir: site, Dest: filepath.Join(tmp, "public"), NoSearch: true, Cache: NoCache(), Now: now}
	b.ReportAllocs()
	for b.Loop() {
		ds := &diag.List{}
		r, err := opts.cache().open(opts, ds)
		if err != nil {
			b.Fatal(err)
		}
		t := &timer{last: time.Now()}
		l, mc, err := load(context.Background(), opts, ds, t, r, func([]*content.Document) {})
		r.bodies.close()
		if err != nil {
			b.Fatalf("load of the prose corpus failed: %v", err)
		}
		if mc.rendered < len(l.Docs)-10 {
			b.Fatalf("rendered %d bodies of %d documents", mc.rendered, len(l.Docs))
		}
		for _, s := range t.stages {
			b.Logf("%s: %v", s.Name, s.Took)
		}
	}
}
