package build

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkRenderTemplates times the template stage alone (issue 22): every page of a prose
// corpus rendered by a fresh Renderer per iteration (so that partialCached's fragments are
// rendered as in a cold build), each page into the last one's memory, without minifying or
// writing. PORTAL_BENCH_SITE names a site made by `go run ./bench/gen -mode prose -n N
// -out DIR`; without it a prose corpus of PORTAL_BENCH_N articles (default 2,000) is
// generated. The pages are rendered in the build's order (renderOrder). It logs a digest
// of every page's bytes (each page's path, length and SHA-256 in the graph's order; before
// the sixteenth session it hashed the pages' bytes in the graph's order, other values), to
// compare a change's output with the base's (the same digest means the same pages).
func BenchmarkRenderTemplates(b *testing.B) {
	siteDir := os.Getenv("PORTAL_BENCH_SITE")
	if siteDir == "" {
		n := 2000
		if s := os.Getenv("PORTAL_BENCH_N"); s != "" {
			var err error
			if n, err = strconv.Atoi(s); err != nil {
				b.Fatal(err)
			}
		}
		siteDir = filepath.Join(b.TempDir(), "site")
		if _, err := corpus.GenerateContext(context.Background(), siteDir, corpus.Options{Articles: n, Seed: 1, Mode: corpus.ModeProse}); err != nil {
			b.Fatal(err)
		}
	}
	opts := Options{SiteDir: siteDir, Minify: true, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, vietnamese.Location()), NoSearch: true, Cache: NewMemoryCache()}
	var ds diag.List
	l, err := Load(context.Background(), opts, &ds)
	if err != nil {
		b.Fatalf("load: %v", err)
	}
	static, err := render.StaticFiles(siteDir, l.Config.Theme)
	if err != nil {
		b.Fatal(err)
	}
	as, _, err := assets(static, true)
	if err != nil {
		b.Fatal(err)
	}
	pages := l.Graph.Pages
	b.ReportAllocs()
	cpu0 := cpuTime()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r, err := render.New(render.Options{SiteDir: siteDir, Config: l.Config, Graph: l.Graph, Assets: as})
		if err != nil {
			b.Fatal(err)
		}
		var total int
		var out []byte // each page rendered into the last one's memory, as renderPages does
		sums := make([][sha256.Size]byte, len(pages))
		sizes := make([]int, len(pages))
		order, lists := renderOrder(l.Graph)
		for k, j := range order { // as renderPages, for the fragment cache
			if k == lists {
				r.KeepFragments(listFragmentBytes)
			}
			p := pages[j]
			out, err = r.RenderTo(out, p)
			if err != nil {
				b.Fatalf("%s: %v", p.URL, err)
			}
			sums[j], sizes[j] = sha256.Sum256(out), len(out)
			total += len(out)
		}
		h := sha256.New()
		for j, p := range pages { // the graph's order: the digest does not depend on the rendering's
			fmt.Fprintf(h, "%s\x00%d\x00%x\x00", p.Path, sizes[j], sums[j])
		}
		if i == 0 {
			b.Logf("%d pages, %d bytes, digest %x", len(pages), total, h.Sum(nil))
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pages)), "ns/page")
	b.ReportMetric(float64((cpuTime()-cpu0).Milliseconds())/float64(b.N), "cpu-ms/op")
}

// cpuTime is the CPU time (user and system, every thread) the process has used: on a machine
// shared with other work it is steadier than the wall clock.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
