// Command indexstage times the search index stage of `portal build` alone: it loads a
// site as the build does (build.Load), then runs search.Build on its articles -n times
// into fresh folders, and prints, per run, the wall time, the CPU time of the process
// during the run, the index size and the process's peak RSS so far (which includes the
// loaded site). Used for BENCHMARKS.md (issues 18 and 22):
//
//	go run -tags nodynamic ./bench/indexstage -site /tmp/c10k
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
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/search"
)

func main() {
	site := flag.String("site", "", "site folder (with config.toml and content/)")
	n := flag.Int("n", 1, "runs")
	prof := flag.String("cpuprofile", "", "write a CPU profile of the runs to this file")
	memprof := flag.String("memprofile", "", "write an allocation profile of the runs to this file (the whole process: focus on search.Build)")
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
	runtime.GC()
	tmp, err := os.MkdirTemp("", "indexstage-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)
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
		c0, t0 := cpu(), time.Now()
		st, err := search.Build(ctx, dir, "", docs)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		wall, c := time.Since(t0), cpu()-c0
		sum, err := digest(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		fmt.Printf("run %d: wall %.1f s, CPU %.1f s, index %.1f MB, peak RSS %d MB, sha256 %s\n",
			i+1, wall.Seconds(), c.Seconds(), float64(st.Bytes)/1e6, peakRSS()>>20, sum)
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

func peakRSS() int64 {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss << 10
}
