package build_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkDiskCacheBuild measures `portal build` with its cache folder (minified,
// precompressed, search index) on the site in $PORTAL_BENCH_SITE (make one with
// `go run ./bench/gen -n 10000 -out DIR`), into $PORTAL_BENCH_WORK/public with the
// cache $PORTAL_BENCH_WORK/cache (a temporary folder when unset). The cache names the
// program "bench", so that a work folder can be shared by two versions of the code
// whose cache formats agree. A first build, not timed, brings the output up to date;
// then each iteration of "unchanged" rebuilds with nothing changed, each of "edit"
// replaces one article by a copy with a sentence more first, each of "title" by a copy
// with another title, each of "add" writes a new article (dated in
// the middle of the site, in a province and with a tag), and each of "delete" removes one
// that "add" wrote. Reports the mean time of each stage in ms and the pages rendered.
// Profile it with -cpuprofile; the 10,000-article figures are in BENCHMARKS.md.
func BenchmarkDiskCacheBuild(b *testing.B) {
	site := os.Getenv("PORTAL_BENCH_SITE")
	if site == "" {
		b.Skip("set PORTAL_BENCH_SITE to a generated site (go run ./bench/gen)")
	}
	work := os.Getenv("PORTAL_BENCH_WORK")
	if work == "" {
		work = b.TempDir()
	}
	ctx := context.Background()
	opts := build.Options{SiteDir: site, Dest: filepath.Join(work, "public"), Minify: true, Precompress: true,
		Now: benchNow, Cache: build.DiskCache(filepath.Join(work, "cache"), "bench")}
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
	b.Cleanup(func() { _ = replaceFile(target, orig) })
	var added []string
	b.Cleanup(func() {
		for _, f := range added {
			_ = os.Remove(f)
		}
	})
	run := func(b *testing.B, change func(i int)) {
		stages := map[string]time.Duration{}
		var order []string
		rendered, keyed := 0, 0
		var cpu time.Duration
		for i := range b.N {
			if change != nil {
				b.StopTimer()
				change(i)
				b.StartTimer()
			}
			before := cpuTime()
			rep, err := build.Run(ctx, opts)
			if err != nil {
				b.Fatal(err)
			}
			cpu += cpuTime() - before
			rendered += rep.Rendered
			keyed += rep.Keyed
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
		b.ReportMetric(float64(keyed)/float64(b.N), "pages-keyed/op")
		b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
	}
	b.Run("unchanged", func(b *testing.B) { run(b, nil) })
	b.Run("edit", func(b *testing.B) {
		run(b, func(i int) {
			body := append(append([]byte{}, orig...), fmt.Sprintf("\nĐoạn sửa thứ %d lúc %d.\n", i, time.Now().UnixNano())...)
			if err := replaceFile(target, body); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("title", func(b *testing.B) {
		run(b, func(i int) {
			body, ok := bytes.CutPrefix(orig, []byte("---\ntitle: \""))
			if !ok {
				b.Fatalf("%s does not begin with its title", target)
			}
			body = append([]byte(fmt.Sprintf("---\ntitle: \"Sửa tiêu đề lần %d lúc %d: ", i, time.Now().UnixNano())), body...)
			if err := replaceFile(target, body); err != nil {
				b.Fatal(err)
			}
		})
	})
	b.Run("add", func(b *testing.B) {
		run(b, func(i int) {
			f := filepath.Join(site, "content", "tin-tuc", fmt.Sprintf("zz-bai-moi-%d-%d.md", i, time.Now().UnixNano()))
			body := fmt.Sprintf("---\ntitle: \"Bài mới số %d\"\ndate: 2024-06-15T09:00:00+07:00\nprovinces: [\"Hà Tĩnh\"]\ntags: [\"chuyển đổi số\"]\n---\nNội dung bài mới.\n", i)
			if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
				b.Fatal(err)
			}
			added = append(added, f)
		})
	})
	b.Run("delete", func(b *testing.B) {
		run(b, func(int) {
			if len(added) == 0 {
				b.Skip("no article added to delete: run with add")
			}
			f := added[len(added)-1]
			added = added[:len(added)-1]
			if err := os.Remove(f); err != nil {
				b.Fatal(err)
			}
		})
	})
}

// replaceFile gives path the bytes b through a new file renamed over it, as editors
// save: a site whose content is hard-linked from another (cp -al) keeps the other's
// file as it was.
func replaceFile(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}
