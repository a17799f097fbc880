// Command heaptrace runs a cold `portal build` (as `portal build --no-cache`: minified,
// precompressed) in-process and writes a heap profile every -every, to see what is live
// in each stage of the build and where its memory peaks (issue 22): /usr/bin/time gives
// the peak resident set, not what holds it. Each profile's name says when it was taken
// (seconds since the start); the stage durations are printed at the end, so a profile
// can be placed in a stage.
//
//	go run -tags nodynamic ./bench/heaptrace -site /tmp/p10k -dest /tmp/p10k-out -out /tmp/heap
//	go tool pprof -sample_index=inuse_space -top /tmp/heap/heap-031.0s.pprof
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/vnportal/portal/internal/build"
)

func main() {
	site := flag.String("site", "", "site folder (with config.toml and content/)")
	dest := flag.String("dest", "", "output folder (must not be a site's published folder you need)")
	out := flag.String("out", "", "folder for the heap profiles")
	every := flag.Duration("every", 2*time.Second, "time between heap profiles")
	flag.Parse()
	if *site == "" || *dest == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: heaptrace -site DIR -dest DIR -out DIR [-every 2s]")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	start := time.Now()
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(*every)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				at := time.Since(start).Seconds()
				fmt.Printf("%6.1f s: heap in use %d MB, heap from the OS %d MB, goal %d MB\n",
					at, ms.HeapInuse>>20, (ms.HeapSys-ms.HeapReleased)>>20, ms.NextGC>>20)
				f, err := os.Create(filepath.Join(*out, fmt.Sprintf("heap-%05.1fs.pprof", at)))
				if err != nil {
					fmt.Fprintln(os.Stderr, err)
					continue
				}
				_ = pprof.WriteHeapProfile(f)
				_ = f.Close()
			}
		}
	}()
	rep, err := build.Run(context.Background(), build.Options{
		SiteDir: *site, Dest: *dest, Minify: true, Precompress: true, Cache: build.NoCache(),
	})
	close(done)
	<-stopped
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	at := 0.0
	for _, s := range rep.Stages {
		fmt.Printf("stage %-22s %6.1f s → %6.1f s\n", s.Name, at, at+s.Took.Seconds())
		at += s.Took.Seconds()
	}
}
