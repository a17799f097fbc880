package build

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
	"github.com/vnportal/portal/internal/spool"
)

// TestServeCacheKeepsBodiesInItsSpool: `portal serve --watch` keeps no rendered body and
// no Markdown in memory (ServeCache's spooledBodies), and what it builds is still what a
// fresh build makes: after an edit, after a change that renders every body again from
// Markdown read back from the files (the Markdown options), and after the spool was
// compacted (every body moved to a new file), then read by every page (a layout change).
func TestServeCacheKeepsBodiesInItsSpool(t *testing.T) {
	cache := NewServeCache()
	defer cache.Close()
	cache.bodies.compactMin = 0 // compact as soon as dead bodies outweigh live ones
	g := newServedGolden(t, cache)
	dir, dest, run, compare := g.dir, g.dest, g.run, g.compare
	// kept checks that every body the cache keeps is in its current spool file and
	// readable, and that no kept document holds its Markdown.
	kept := func(step string) {
		t.Helper()
		mem := cache.mem
		if len(mem.md) == 0 {
			t.Fatalf("%s: the cache keeps no bodies", step)
		}
		for k, e := range mem.md {
			b, ok := e.src.Stored.(*spooledBody)
			if !ok {
				t.Fatalf("%s: body %x is kept as %T, not in the spool", step, k, e.src.Stored)
			}
			if f := b.at.Load().f; f != cache.bodies.f {
				t.Errorf("%s: body of %s is in another spool file than the cache's", step, e.src.Doc.Path)
			}
			if h, err := b.HTML(); err != nil || h == "" {
				t.Errorf("%s: body of %s reads back %q, %v", step, e.src.Doc.Path, h, err)
			}
			if e.src.Doc.Body != nil {
				t.Errorf("%s: %s keeps its Markdown (%d bytes) after its body was rendered", step, e.src.Doc.Path, len(e.src.Doc.Body))
			}
		}
	}
	compare("first build")
	kept("first build")

	art := filepath.Join(dir, "content", "tin-tuc", "ha-tinh.md")
	b, _ := os.ReadFile(art)
	os.WriteFile(art, []byte(strings.Replace(string(b), "gần 100 đại biểu", "gần 120 đại biểu", 1)), 0o644)
	compare("edit body", "content/tin-tuc/ha-tinh.md")
	kept("edit body")

	// Other Markdown options: every body is rendered again, from Markdown read back.
	cfg := filepath.Join(dir, "config.toml")
	c, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, append(c, "[markup]\nunsafe = true\n"...), 0o644)
	if rep := compare("markdown options", "config.toml"); rep.MarkdownRendered == 0 {
		t.Fatal("a change of the Markdown options rendered no body again")
	}
	kept("markdown options")

	// Each edit leaves a dead body in the spool; once they outweigh the live ones the
	// file is compacted.
	before := cache.bodies.f
	for i := 0; i < 40 && cache.bodies.f == before; i++ {
		b, _ := os.ReadFile(art)
		os.WriteFile(art, append(b, strings.Repeat("\n\nMột đoạn thêm vào để bài dài hơn hẳn.", 20+i)...), 0o644)
		run(dest, cache.Changed([]string{art}))
	}
	if cache.bodies.f == before {
		t.Fatal("40 edits of one article never compacted the spool")
	}
	if size, used := cache.bodies.f.Size(), cache.bodies.used.Load(); size != used {
		t.Errorf("after compaction the spool has %d bytes, %d of them live", size, used)
	}
	kept("compacted")
	if _, err := before.Read(spool.At(0, 0)); err == nil {
		t.Error("the spool file before the compaction is still open")
	}
	baseof := filepath.Join(dir, "layouts", "baseof.html")
	l, _ := os.ReadFile(baseof)
	if !strings.Contains(string(l), "</body>") {
		t.Fatalf("%s has no </body>", baseof)
	}
	os.WriteFile(baseof, []byte(strings.Replace(string(l), "</body>", "<p>sửa</p></body>", 1)), 0o644)
	if rep := compare("every page after the compaction", "layouts/baseof.html"); rep.Reused != 0 {
		t.Errorf("a change of baseof reused %d pages", rep.Reused)
	}
}

// TestServeBuildsPaceTheCollector: a build with a ServeCache runs under a soft memory
// limit over its live heap (memlimit.Follow), as a one-off build does, although it keeps
// its graph; the preview's MemoryCache leaves the collector alone.
func TestServeBuildsPaceTheCollector(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64)) // as without GOMEMLIMIT
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	dir := t.TempDir()
	sitetest.CopyTree(t, src, dir)
	serve := NewServeCache()
	defer serve.Close()
	for _, tc := range []struct {
		name  string
		cache Cache
		paced bool
	}{{"serve", serve, true}, {"preview", NewMemoryCache(), false}, {"disk", DiskCache(t.TempDir(), os.Args[0]), true}, {"none", NoCache(), true}} {
		dest := filepath.Join(t.TempDir(), "public")
		var limit int64
		_, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: tc.cache, NoSearch: true,
			Output: func(ctx context.Context) (publish.Sink, error) {
				limit = debug.SetMemoryLimit(-1) // during the build
				return publish.Begin(ctx, dest, publish.Options{})
			}})
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if paced := limit != math.MaxInt64; paced != tc.paced {
			t.Errorf("%s build: memory limit during the build %d; paced %v, want %v", tc.name, limit, paced, tc.paced)
		}
		if after := debug.SetMemoryLimit(-1); after != math.MaxInt64 {
			t.Errorf("%s build left a memory limit of %d", tc.name, after)
		}
	}
}
