package hardening

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/sitetest"
)

// Crash test bounds: up to crashIterations kills, stopping early (after at least
// crashMinIterations) once crashBudget has passed.
const (
	crashArticles      = 300
	crashIterations    = 15
	crashMinIterations = 3
	crashBudget        = 20 * time.Second
)

// TestCrashSafety runs a real `portal build` on a 300-article site and SIGKILLs it at
// random moments. After every kill, and the recovery that the next build and `portal
// serve` at start perform (publish.Recover rolls a journal forward), public/ must be
// exactly the previous complete build
// or exactly the new complete one (compared by a manifest of file hashes), its search
// index must open with the matching number of articles, and a normal build afterwards
// must succeed and leave no temporary folders next to public/.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real builds for ~20 s; skipped with -short")
	}
	t.Parallel()
	dir := t.TempDir()
	siteDir := filepath.Join(dir, "site")
	if _, err := corpus.GenerateContext(context.Background(), siteDir, corpus.Options{Articles: crashArticles, Seed: 7}); err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(siteDir, "public")
	seed := uint64(time.Now().UnixNano())
	if s, err := strconv.ParseUint(os.Getenv("PORTAL_CRASH_SEED"), 10, 64); err == nil {
		seed = s
	}
	t.Logf("kill timing seed %d (PORTAL_CRASH_SEED=%d repeats it)", seed, seed)
	rng := rand.New(rand.NewPCG(seed, seed>>7))

	normalBuild := func(articles int) (manifest, time.Duration) {
		t.Helper()
		start := time.Now()
		if out, err := runPortal(t, 3*time.Minute, "build", "--source", siteDir); err != nil {
			t.Fatalf("normal build failed: %v\n%s", err, out)
		}
		took := time.Since(start)
		checkNoLeftovers(t, public)
		checkIndex(t, public, articles)
		return hashTree(t, public, ".search"), took
	}

	onDisk := crashArticles // articles in content/
	cur, buildTime := normalBuild(onDisk)
	curDocs := onDisk // articles in the build that is in public/
	t.Logf("first build: %d files in %s", len(cur), buildTime.Round(time.Millisecond))

	outcomes := map[string]int{}
	deadline := time.Now().Add(crashBudget)
	for i := 0; i < crashIterations && (i < crashMinIterations || time.Now().Before(deadline)); i++ {
		// Every iteration adds an article, so a new build differs from the old one in
		// many files (lists, feeds, sitemap, index) and in its document count.
		sitetest.WriteFiles(t, siteDir, map[string]string{
			fmt.Sprintf("content/tin-tuc/thu-nghiem-sap-%02d.md", i): fmt.Sprintf("---\ntitle: \"Bài thử nghiệm sập số %d\"\ndate: 2024-02-%02dT09:00:00\nprovinces: [\"Hà Tĩnh\"]\n---\nNội dung thử nghiệm khi tiến trình bị dừng đột ngột, lần %d.\n", i, i+1, i),
		})
		onDisk++

		// Uniform over the whole build, but often close to its end, where the index is
		// finished and the swap happens.
		frac := rng.Float64() * 1.2
		if rng.IntN(5) < 2 {
			frac = 0.85 + rng.Float64()*0.3
		}
		delay := time.Duration(frac * float64(buildTime))
		cmd := portalCmd(context.Background(), t, "build", "--source", siteDir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			outcomes["finished before the kill"]++
			if err != nil {
				t.Fatalf("iteration %d: the build failed on its own: %v", i, err)
			}
		case <-time.After(delay):
			_ = cmd.Process.Kill() // SIGKILL: no deferred cleanup runs
			<-done
		}
		// The Writer updates public/ in place under a journal: a build killed after
		// writing its journal has renamed only some files, and whoever comes next (the
		// next build, or `portal serve` at start) rolls the journal forward. Look at
		// public/ as that reader does. A kill before the journal must leave it as it was.
		journaled := journalLeft(t, siteDir)
		if err := publish.Recover(public); err != nil {
			t.Fatalf("iteration %d: recovery after the kill: %v", i, err)
		}
		if journaled {
			outcomes["journal rolled forward"]++
		}

		got := hashTree(t, public, ".search")
		if got.equal(cur) {
			outcomes["previous build"]++
			checkIndex(t, public, curDocs)
			continue
		}
		// Not the old build: it must be exactly what a complete build of the new
		// content gives, with an index of all articles.
		outcomes["new build"]++
		checkIndex(t, public, onDisk)
		ref, took := normalBuild(onDisk)
		if !got.equal(ref) {
			t.Fatalf("iteration %d (killed after %s): public/ is neither the previous build nor the new one: vs previous: %s; vs new: %s",
				i, delay, got.diff(cur), got.diff(ref))
		}
		cur, curDocs, buildTime = ref, onDisk, took
	}
	t.Logf("outcomes: %v", outcomes)
	// A normal build after the last kill succeeds, tidies up and gives the new build.
	if ref, _ := normalBuild(onDisk); curDocs != onDisk && ref.equal(cur) {
		t.Errorf("the build after the last kill left public/ unchanged")
	}
}

// checkIndex opens public/.search and checks its document count.
func checkIndex(t *testing.T, public string, want int) {
	t.Helper()
	ix, err := search.Open(filepath.Join(public, ".search"))
	if err != nil {
		t.Fatalf("search index does not open: %v", err)
	}
	defer ix.Close()
	n, err := ix.DocCount()
	if err != nil {
		t.Fatal(err)
	}
	if n != uint64(want) {
		t.Fatalf("search index has %d documents, want %d (the index does not belong to the pages in public/)", n, want)
	}
}

// checkNoLeftovers fails if temporary or old generations remain next to public.
func checkNoLeftovers(t *testing.T, public string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(public))
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(public)
	for _, e := range entries {
		if n := e.Name(); n != base && strings.Contains(n, base) {
			t.Errorf("leftover next to %s after a normal build: %s", base, n)
		}
	}
}

// journalLeft reports whether a killed build left a journal in its staging folder beside
// public/ (".public.tmp-*/.portal-journal"): it had reached its commit point.
func journalLeft(t *testing.T, siteDir string) bool {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(siteDir, ".public.tmp-*", ".portal-journal"))
	if err != nil {
		t.Fatal(err)
	}
	return len(m) > 0
}
