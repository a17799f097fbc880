package watch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkServeRebuild is one save under `portal serve --watch`, in process: the
// session's rebuild into its output folder (pages kept or rendered, the search index
// updated, the commit and the index reload inside the gate) after one article's body is
// edited, on a generated site of $PORTAL_BENCH_N articles (default 1,000). The first
// build (the whole site) is not timed. Reports the mean time of each stage in ms, and
// the CPU time and the memory allocated (alloc-MB, allocs: steady under load, unlike the
// times) per rebuild; $PORTAL_BENCH_PROFILE=FILE writes a CPU profile of the rebuilds.
// Each op is $PORTAL_BENCH_SAVES saves (default 1): with -benchtime 1x and, say, 8 saves
// the site is generated and built once (a larger count runs the setup twice).
// $PORTAL_BENCH_HEAP=FILE writes a heap profile taken after the first build (after a
// collection: what the session retains between saves), and the benchmark reports the
// live heap then (heap-MB) and the process's peak RSS (peak-rss-MB).
// $PORTAL_BENCH_GAP (a duration, default 0) is the pause between two saves, as an editor
// leaves it (not timed): what the session does between saves then runs there, and
// cpu-all-ms/save is the process's CPU per save with the pauses included.
func BenchmarkServeRebuild(b *testing.B) {
	n, saves := 1000, 1
	var gap time.Duration
	if s := os.Getenv("PORTAL_BENCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
	if s := os.Getenv("PORTAL_BENCH_SAVES"); s != "" {
		fmt.Sscan(s, &saves)
	}
	if s := os.Getenv("PORTAL_BENCH_GAP"); s != "" {
		var err error
		if gap, err = time.ParseDuration(s); err != nil {
			b.Fatalf("PORTAL_BENCH_GAP: %v", err)
		}
	}
	site := filepath.Join(b.TempDir(), "site")
	if err := corpus.Generate(site, n, 1); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var log strings.Builder
	if os.Getenv("PORTAL_BENCH_RSS") != "" {
		// The first build's resident memory, sampled every 500 ms, with the server's log
		// (its stages' times), to tell which stage the peak is in.
		done := make(chan struct{})
		defer close(done)
		go func() {
			start := time.Now()
			for {
				select {
				case <-done:
					return
				case <-time.After(500 * time.Millisecond):
					fmt.Fprintf(os.Stderr, "%6.1f s: %5d MB resident\n", time.Since(start).Seconds(), residentMB())
				}
			}
		}()
	}
	s, err := New(ctx, Options{SiteDir: site, Stderr: &log, Clock: &fakeClock{now: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)}})
	if os.Getenv("PORTAL_BENCH_RSS") != "" {
		fmt.Fprint(os.Stderr, log.String())
	}
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if all, failed := s.Builds(); all != 1 || failed != 0 {
		b.Fatalf("first build: %d builds, %d failed", all, failed)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	if p := os.Getenv("PORTAL_BENCH_HEAP"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	files, err := filepath.Glob(filepath.Join(site, "content", "tin-tuc", "*.md"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no articles in %s: %v", site, err)
	}
	slices.Sort(files)
	target := files[len(files)/2]
	orig, err := os.ReadFile(target)
	if err != nil {
		b.Fatal(err)
	}
	if p := os.Getenv("PORTAL_BENCH_PROFILE"); p != "" {
		f, err := os.Create(p)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		defer pprof.StopCPUProfile()
	}
	stages := map[string]time.Duration{}
	var order []string
	var cpu time.Duration
	var took []time.Duration
	var allocBytes, allocs uint64
	all := cpuTime()
	b.ResetTimer()
	for i := range b.N * saves {
		b.StopTimer()
		time.Sleep(gap)
		if err := os.WriteFile(target, append(slices.Clone(orig), fmt.Sprintf("\nĐoạn sửa thứ %d.\n", i)...), 0o644); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		before, start := cpuTime(), time.Now()
		rep, err := s.Rebuild(ctx, []string{target})
		if err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
		cpu += cpuTime() - before
		runtime.ReadMemStats(&m1)
		allocBytes += m1.TotalAlloc - m0.TotalAlloc
		allocs += m1.Mallocs - m0.Mallocs
		for _, st := range rep.Stages {
			if _, ok := stages[st.Name]; !ok {
				order = append(order, st.Name)
			}
			stages[st.Name] += st.Took
		}
	}
	b.StopTimer()
	time.Sleep(gap) // what follows the last save, as after the others
	all = cpuTime() - all
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	for _, name := range order {
		b.ReportMetric(float64(stages[name].Microseconds())/1000/float64(b.N*saves), vietnamese.Slug(name)+"-ms/save")
	}
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N*saves), "cpu-ms/save")
	b.ReportMetric(float64(allocBytes)/(1<<20)/float64(b.N*saves), "alloc-MB/save")
	b.ReportMetric(float64(allocs)/float64(b.N*saves), "allocs/save")
	b.ReportMetric(float64(all.Microseconds())/1000/float64(b.N*saves), "cpu-all-ms/save")
	b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "heap-MB")
	b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MB")
}

// residentMB is the process's resident memory now, in MB.
func residentMB() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, rss int64
	fmt.Sscan(string(b), &size, &rss)
	return rss * int64(os.Getpagesize()) >> 20
}

// peakRSS is the most memory the process has had resident, in bytes.
func peakRSS() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10 // kilobytes on Linux
}

// cpuTime is the CPU time (user and system) the process has used so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
