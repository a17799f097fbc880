// Command loadheap loads a site as a cold build does (build.Load with NoCache: content,
// Markdown, assembly) and writes a heap profile of what the loaded site keeps live, to
// size the page stages' memory per article without rendering (issue 22).
//
//	go run -tags nodynamic ./bench/loadheap -site /tmp/k100/site -out load.pprof
//	go tool pprof -sample_index=inuse_space -top load.pprof
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/diag"
)

func main() {
	siteDir := flag.String("site", "", "site folder (with config.toml and content/)")
	out := flag.String("out", "load.pprof", "heap profile to write")
	flag.Parse()
	if *siteDir == "" {
		fmt.Fprintln(os.Stderr, "usage: loadheap -site DIR [-out FILE]")
		os.Exit(2)
	}
	start := time.Now()
	ds := &diag.List{}
	l, err := build.Load(context.Background(), build.Options{SiteDir: *siteDir, Cache: build.NoCache()}, ds)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("%d articles loaded in %.1f s; live heap %d MB (%d B per article), %d diagnostics\n",
		len(l.Graph.Articles), time.Since(start).Seconds(), ms.HeapAlloc>>20, ms.HeapAlloc/uint64(max(1, len(l.Graph.Articles))), len(ds.Items()))
	f, err := os.Create(*out)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if err := pprof.WriteHeapProfile(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	runtime.KeepAlive(l)
	runtime.KeepAlive(ds)
}
