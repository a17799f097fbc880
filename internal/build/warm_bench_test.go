package build_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"syscall"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkWarmRebuild is the preview's rebuild (a MemoryCache, the watcher's changed
// paths, a target that keeps nothing) after one article is edited, added or deleted, on
// a generated site of $PORTAL_BENCH_N articles (default 1,000; the site is generated
// once and shared by the sub-benchmarks, so run them together: -bench 'WarmRebuild'
// -benchtime 5x). "add" writes a new article dated in the middle of the site, in a
// province and with a tag; "delete" removes the ones "add" wrote. Reports the mean time
// of each stage in ms, the pages rendered and the CPU time per build;
// $PORTAL_BENCH_PROFILE=DIR writes a CPU profile of each sub-benchmark's rebuilds there
// (DIR/cpu-edit.prof …), without the first build.
func BenchmarkWarmRebuild(b *testing.B) {
	n := 1000
	if s := os.Getenv("PORTAL_BENCH_N"); s != "" {
		fmt.Sscan(s, &n)
	}
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
	var added []string
	run := func(b *testing.B, change func(i int) string) {
		if dir := os.Getenv("PORTAL_BENCH_PROFILE"); dir != "" { // the rebuilds alone, not the first build
			f, err := os.Create(filepath.Join(dir, "cpu-"+filepath.Base(b.Name())+".prof"))
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
		rendered := 0
		var cpu time.Duration
		for i := range b.N {
			b.StopTimer()
			path := change(i)
			b.StartTimer()
			opts.Cache = cache.Changed([]string{path}) // as the preview's watcher reports it
			before := cpuTime()
			rep, err := build.Run(ctx, opts)
			if err != nil {
				b.Fatal(err)
			}
			cpu += cpuTime() - before
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
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
	b.Run("edit", func(b *testing.B) {
		run(b, func(i int) string {
			body := append(append([]byte{}, orig...), fmt.Sprintf("\nĐoạn sửa thứ %d.\n", i)...)
			if err := os.WriteFile(target, body, 0o644); err != nil {
				b.Fatal(err)
			}
			return target
		})
	})
	b.Run("add", func(b *testing.B) {
		run(b, func(i int) string {
			f := filepath.Join(site, "content", "tin-tuc", fmt.Sprintf("zz-bai-moi-%d-%d.md", i, time.Now().UnixNano()))
			body := fmt.Sprintf("---\ntitle: \"Bài mới số %d\"\ndate: 2024-06-15T09:00:00+07:00\nprovinces: [\"Hà Tĩnh\"]\ntags: [\"chuyển đổi số\"]\n---\nNội dung bài mới.\n", i)
			if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
			added = append(added, f)
			return f
		})
	})
	b.Run("delete", func(b *testing.B) {
		run(b, func(int) string {
			if len(added) == 0 {
				b.Skip("no article added to delete: run with add")
			}
			f := added[len(added)-1]
			added = added[:len(added)-1]
			if err := os.Remove(f); err != nil {
				b.Fatal(err)
			}
			return f
		})
	})
}

// cpuTime is the CPU time (user and system) the process has used so far: on a machine
// shared with other work, a build's CPU time moves less than its wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
