// Command indexstage times the search index stage of `portal build` alone: it loads a
// site as the build does (build.Load), then runs search.Build on its articles -n times
// into fresh folders, and prints, per run, the wall time, the CPU time of the process
// during the run, the index size and the process's peak RSS so far (which includes the
// loaded site). Used for BENCHMARKS.md (issues 18 and 22):
//
//	go run -tags nodynamic ./bench/indexstage -site /tmp/c10k
//
// With -spool the bodies' text is moved into a spool file beside the index (as a cold
// `portal build` keeps them) and the loaded site is let go, so that the live heap during
// the runs is about what a cold build holds in its index stage. Each run also prints the
// major page faults and the bytes the process read from the disk during it.
package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/spool"
)

func main() {
	site := flag.String("site", "", "site folder (with config.toml and content/)")
	n := flag.Int("n", 1, "runs")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	memprof := flag.String("memprofile", "", "write an allocation profile of the runs to this file (the whole process: focus on search.Build)")
	spooled := flag.Bool("spool", false, "keep the bodies' text in a spool file, not in memory, as a cold build does")
	oneOff := flag.Bool("oneoff", false, "build through search.NewOneOffMemo, as portal build does (else search.Build)")
	flag.Parse()
	if *site == "" {
		fmt.Fprintln(os.Stderr, "usage: indexstage -site DIR [-n RUNS]")
		os.Exit(2)
	}
	ctx := context.Background()
	ds := &diag.List{}
	l, err := build.Load(ctx, build.Options{SiteDir: *site, Cache: build.NewMemoryCache()}, ds) // keeps the bodies
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	docs := build.SearchDocuments(l.Graph)
	l = nil
	tmp, err := os.MkdirTemp(filepath.Dir(filepath.Clean(*site)), ".indexstage-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)
	if *spooled {
		sp, err := spoolBodies(tmp, docs)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer sp.Close()
	}
	runtime.GC()
	fmt.Printf("%d articles, GOMAXPROCS %d\n", len(docs), runtime.GOMAXPROCS(0))
	if *prof != "" {
		f, err := os.Create(*prof)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if *memprof != "" {
		defer func() {
			f, err := os.Create(*memprof)
			if err == nil {
				err = pprof.Lookup("allocs").WriteTo(f, 0)
				_ = f.Close()
			}
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
			}
		}()
	}
	for i := 0; i < *n; i++ {
		dir := filepath.Join(tmp, fmt.Sprint(i), "index")
		c0, t0, f0, r0 := cpu(), time.Now(), majorFaults(), readBytes()
		g0 := gcFigures()
		stop, maxLive := sampleLive()
		var st search.BuildStats
		if *oneOff {
			st, err = search.NewOneOffMemo().Build(ctx, dir, "", docs)
		} else {
			st, err = search.Build(ctx, dir, "", docs)
		}
		stop()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		wall, c, faults, read := time.Since(t0), cpu()-c0, majorFaults()-f0, readBytes()-r0
		g := gcFigures().minus(g0)
		sum, err := digest(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		fmt.Printf("run %d: wall %.1f s, CPU %.1f s, index %.1f MB, peak RSS %d MB, largest live heap %d MB, major faults %d, read %.1f MB, sha256 %s\n",
			i+1, wall.Seconds(), c.Seconds(), float64(st.Bytes)/1e6, peakRSS()>>20, *maxLive>>20, faults, float64(read)/1e6, sum)
		fmt.Printf("run %d: allocated %.2f GB, %d collections, GC CPU %.1f s (of which assists %.1f s)\n",
			i+1, float64(g.allocated)/1e9, g.cycles, g.gcCPU, g.assistCPU)
		_ = os.RemoveAll(filepath.Dir(dir))
	}
}

// digest is the SHA-256 of every file of the index folder dir, by path: two builds of
// the same documents must give the same digest (the index is reproducible).
func digest(dir string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %d\n", rel, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)[:12]), err
}

func cpu() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// spoolBodies writes each document's text into a spool file in dir and has the document
// read it from there, as a cold build's documents do (the file is returned to be closed).
func spoolBodies(dir string, docs []search.Document) (*spool.File, error) {
	f, err := spool.Create(dir)
	if err != nil {
		return nil, err
	}
	for i := range docs {
		d := &docs[i]
		text := d.Body
		if text == "" && d.LoadBody != nil {
			if text, err = d.LoadBody(); err != nil {
				f.Close()
				return nil, err
			}
		}
		sp, err := f.Put([]byte(text))
		if err != nil {
			f.Close()
			return nil, err
		}
		d.Body, d.LoadBody = "", func() (string, error) { return f.ReadString(sp) }
	}
	return f, nil
}

// sampleLive reads the live heap of the last collection every 100 ms until stop, and
// keeps the largest in *max.
func sampleLive() (stop func(), max *uint64) {
	max = new(uint64)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
		tick := time.NewTicker(100 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > *max {
				*max = v
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() { close(done); <-finished }, max
}

// gc is what the runtime reports of allocation and collection since the process began.
type gc struct {
	allocated, cycles uint64
	gcCPU, assistCPU  float64 // seconds
}

func gcFigures() gc {
	s := []metrics.Sample{
		{Name: "/gc/heap/allocs:bytes"},
		{Name: "/gc/cycles/total:gc-cycles"},
		{Name: "/cpu/classes/gc/total:cpu-seconds"},
		{Name: "/cpu/classes/gc/mark/assist:cpu-seconds"},
	}
	metrics.Read(s)
	return gc{s[0].Value.Uint64(), s[1].Value.Uint64(), s[2].Value.Float64(), s[3].Value.Float64()}
}

func (g gc) minus(o gc) gc {
	return gc{g.allocated - o.allocated, g.cycles - o.cycles, g.gcCPU - o.gcCPU, g.assistCPU - o.assistCPU}
}

func majorFaults() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Majflt
}

// readBytes is what the process has read from the storage layer (/proc/self/io's
// read_bytes): 0 where the file is not there.
func readBytes() int64 {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "read_bytes: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

func peakRSS() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss << 10
}
