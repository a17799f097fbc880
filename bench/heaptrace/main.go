// Command heaptrace runs a cold `portal build` (as `portal build --no-cache`: minified,
// precompressed) in-process and writes a heap profile every -every, to see what is live
// in each stage of the build and where its memory peaks (issue 22): /usr/bin/time gives
// the peak resident set, not what holds it. Each profile's name says when it was taken
// (seconds since the start); the stage durations are printed at the end, so a profile
// can be placed in a stage.
//
// It also samples the process's CPU time (user+sys) every second and prints, per stage,
// the CPU seconds spent in it (interpolated at the stage's ends), and with -cpuevery
// writes CPU profiles of consecutive windows (cpu-START.pprof), so that the profiles of
// one stage can be merged: `go tool pprof -top cpu-1{2,3,4}*.pprof`.
//
//	go run -tags nodynamic ./bench/heaptrace -site /tmp/p10k -dest /tmp/p10k-out -out /tmp/heap
//	go tool pprof -sample_index=inuse_space -top /tmp/heap/heap-031.0s.pprof
//	go run -tags nodynamic ./bench/heaptrace -site S -dest D -out P -every 0 -cpuevery 10s
//	go run -tags nodynamic ./bench/heaptrace -site S -dest D -out P -every 10s -cache-dir NEWCACHE
//
// With -cache-dir it builds as `portal build --cache-dir DIR` does (build.DiskCache), the
// command issue 22's 100,000-article figures come from: a new folder makes a cold build
// that also saves what the next build reuses.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/vnportal/portal/internal/build"
)

func main() {
	site := flag.String("site", "", "site folder (with config.toml and content/)")
	dest := flag.String("dest", "", "output folder (must not be a site's published folder you need)")
	out := flag.String("out", "", "folder for the profiles")
	every := flag.Duration("every", 2*time.Second, "time between heap profiles (0: none)")
	cpuEvery := flag.Duration("cpuevery", 0, "length of each CPU profile window (0: no CPU profiles)")
	cacheDir := flag.String("cache-dir", "", "build as `portal build --cache-dir DIR` does (a DiskCache; default: --no-cache)")
	flag.Parse()
	if *site == "" || *dest == "" || *out == "" {
		fmt.Fprintln(os.Stderr, "usage: heaptrace -site DIR -dest DIR -out DIR [-every 2s] [-cpuevery 10s]")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	if *every > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			heapProfiles(start, *every, *out, done)
		}()
	}
	if *cpuEvery > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cpuProfiles(start, *cpuEvery, *out, done)
		}()
	}
	var samples []sample // CPU time every second
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		samples = append(samples, sample{0, cpu()})
		for {
			select {
			case <-done:
				samples = append(samples, sample{time.Since(start).Seconds(), cpu()})
				return
			case <-tick.C:
				samples = append(samples, sample{time.Since(start).Seconds(), cpu()})
			}
		}
	}()
	cache := build.NoCache()
	if *cacheDir != "" {
		cache = build.DiskCache(*cacheDir, "")
	}
	rep, err := build.Run(context.Background(), build.Options{
		SiteDir: *site, Dest: *dest, Minify: true, Precompress: true, Cache: cache,
	})
	close(done)
	wg.Wait()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	at := 0.0
	for _, s := range rep.Stages {
		end := at + s.Took.Seconds()
		fmt.Printf("stage %-22s %6.1f s → %6.1f s, CPU %6.1f s\n", s.Name, at, end, cpuAt(samples, end)-cpuAt(samples, at))
		at = end
	}
	fmt.Printf("whole build: CPU %.1f s, peak RSS %d MB\n", cpuAt(samples, at), peakRSS()>>20)
}

type sample struct{ at, cpu float64 }

// cpuAt is the process's CPU seconds at time t (seconds since the start), interpolated
// between the samples around it.
func cpuAt(s []sample, t float64) float64 {
	for i := 1; i < len(s); i++ {
		if s[i].at >= t {
			a, b := s[i-1], s[i]
			if b.at == a.at {
				return b.cpu
			}
			return a.cpu + (b.cpu-a.cpu)*(t-a.at)/(b.at-a.at)
		}
	}
	return s[len(s)-1].cpu
}

func heapProfiles(start time.Time, every time.Duration, out string, done <-chan struct{}) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			at := time.Since(start).Seconds()
			fmt.Printf("%6.1f s: heap in use %d MB, heap from the OS %d MB, goal %d MB, resident %d MB, live at the last GC %d MB\n",
				at, ms.HeapInuse>>20, (ms.HeapSys-ms.HeapReleased)>>20, ms.NextGC>>20, residentMB(), liveMB())
			f, err := os.Create(filepath.Join(out, fmt.Sprintf("heap-%05.1fs.pprof", at)))
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				continue
			}
			_ = pprof.WriteHeapProfile(f)
			_ = f.Close()
		}
	}
}

// cpuProfiles writes one CPU profile per window of length every, named by the second
// the window started at, until done.
func cpuProfiles(start time.Time, every time.Duration, out string, done <-chan struct{}) {
	for {
		name := filepath.Join(out, fmt.Sprintf("cpu-%06.1fs.pprof", time.Since(start).Seconds()))
		f, err := os.Create(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			_ = f.Close()
			return
		}
		stopped := false
		select {
		case <-done:
			stopped = true
		case <-time.After(every):
		}
		pprof.StopCPUProfile()
		_ = f.Close()
		if stopped {
			return
		}
	}
}

func cpu() float64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

func peakRSS() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss << 10
}

// residentMB is the process's resident set now (VmRSS; 0 where /proc is not).
func residentMB() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && f[0] == "VmRSS:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb >> 10
		}
	}
	return 0
}

// liveMB is the heap the last collection found live.
func liveMB() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() >> 20
}
