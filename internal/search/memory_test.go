package search

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Environment variables of the opt-in memory test.
const (
	// memTestEnv turns TestBuildMemory on: a comma-separated list of
	// document counts, e.g. "10000" or "10000,100000".
	memTestEnv = "PORTAL_SEARCH_MEMTEST"
	// memChildEnv tells the test binary it is the measured child process
	// and how many documents to build.
	memChildEnv = "PORTAL_SEARCH_MEMCHILD"
	// memLimitEnv overrides the budget (MB) for the build's own peak RSS
	// overhead; the default is memOverheadBudgetMB.
	memLimitEnv = "PORTAL_SEARCH_MEMLIMIT_MB"
	// memProfEnv, when set in the child, names a file that receives a heap
	// profile taken near the Go heap's peak during Build.
	memProfEnv = "PORTAL_SEARCH_MEMPROF"
)

// memOverheadBudgetMB is the most resident memory a full Build may add on
// top of its input (issue #7: "well under 1 GB" at 100,000 articles).
const memOverheadBudgetMB = 1024

// memReport is what the child process measures, sent to the parent as one
// JSON line after memReportPrefix.
type memReport struct {
	Docs            int     `json:"docs"`
	InputMB         float64 `json:"input_mb"`          // live Go heap holding the input documents
	RSSBeforeMB     float64 `json:"rss_before_mb"`     // resident set just before Build
	PeakRSSMB       float64 `json:"peak_rss_mb"`       // VmHWM during Build (HWM reset before it)
	PeakHeapMB      float64 `json:"peak_heap_mb"`      // highest live+unswept heap objects sampled during Build
	PeakAnonMB      float64 `json:"peak_anon_mb"`      // highest RssAnon sampled during Build
	PeakFileMB      float64 `json:"peak_file_mb"`      // highest RssFile (mapped index files) sampled during Build
	HeapAfterMB     float64 `json:"heap_after_mb"`     // live heap after Build and a GC
	BuildSeconds    float64 `json:"build_seconds"`     // wall time of Build
	BuildCPUSeconds float64 `json:"build_cpu_seconds"` // user+system CPU time of Build
	IndexMB         float64 `json:"index_mb"`          // size of the finished index
	HWMResetWorks   bool    `json:"hwm_reset_works"`   // false: PeakRSSMB includes input generation
}

const memReportPrefix = "PORTAL_SEARCH_MEMREPORT "

// TestBuildMemory measures the resident memory of a full Build of generated
// articles, each size in a fresh child process (this test binary re-run
// with memChildEnv), so that neither other tests nor earlier sizes skew the
// peak. It is opt-in because it is slow:
//
//	PORTAL_SEARCH_MEMTEST=10000 go test -run '^TestBuildMemory$' -v -timeout 30m ./internal/search/
//	PORTAL_SEARCH_MEMTEST=100000 go test -run '^TestBuildMemory$' -v -timeout 30m ./internal/search/
//
// It fails when the build's own overhead (peak RSS during Build minus RSS
// before it, which holds the input) exceeds memOverheadBudgetMB.
func TestBuildMemory(t *testing.T) {
	spec := os.Getenv(memTestEnv)
	if spec == "" {
		t.Skipf("set %s=10000 (or 10000,100000) to measure Build's memory", memTestEnv)
	}
	budget := float64(memOverheadBudgetMB)
	if v := os.Getenv(memLimitEnv); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			t.Fatalf("%s=%q: not a number of megabytes", memLimitEnv, v)
		}
		budget = f
	}
	for _, s := range strings.Split(spec, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			t.Fatalf("%s=%q: want comma-separated positive document counts", memTestEnv, spec)
		}
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			cmd := exec.Command(os.Args[0], "-test.run=^TestBuildMemoryChild$", "-test.v")
			cmd.Env = append(os.Environ(), memChildEnv+"="+strconv.Itoa(n), memTestEnv+"=")
			var out bytes.Buffer
			cmd.Stdout = &out
			cmd.Stderr = &out
			if err := cmd.Run(); err != nil {
				t.Fatalf("child build of %d documents failed: %v\n%s", n, err, out.String())
			}
			var rep memReport
			found := false
			sc := bufio.NewScanner(&out)
			for sc.Scan() {
				if rest, ok := strings.CutPrefix(sc.Text(), memReportPrefix); ok {
					if err := json.Unmarshal([]byte(rest), &rep); err != nil {
						t.Fatalf("child report %q: %v", rest, err)
					}
					found = true
				}
			}
			if !found {
				t.Fatalf("child printed no report:\n%s", out.String())
			}
			maxRSS := 0.0
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				maxRSS = float64(ru.Maxrss) / 1024 // KiB on Linux
			}
			cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			overhead := rep.PeakRSSMB - rep.RSSBeforeMB
			t.Logf("docs=%d input=%.0fMB rss-before=%.0fMB peak-rss-during-build=%.0fMB build-overhead=%.0fMB peak-go-heap=%.0fMB peak-anon=%.0fMB peak-file=%.0fMB heap-after=%.0fMB process-maxrss=%.0fMB build=%.1fs child-cpu=%.1fs build-cpu=%.1fs index=%.0fMB",
				rep.Docs, rep.InputMB, rep.RSSBeforeMB, rep.PeakRSSMB, overhead, rep.PeakHeapMB, rep.PeakAnonMB, rep.PeakFileMB, rep.HeapAfterMB, maxRSS, rep.BuildSeconds, cpu.Seconds(), rep.BuildCPUSeconds, rep.IndexMB)
			if !rep.HWMResetWorks {
				t.Logf("note: peak RSS could not be reset after generating the input; it is the process maximum")
			}
			if rep.Docs != n {
				t.Errorf("child built %d documents, want %d", rep.Docs, n)
			}
			if overhead > budget {
				t.Errorf("Build of %d documents added %.0f MB of resident memory on top of its input; budget %.0f MB", n, overhead, budget)
			}
		})
	}
}

// TestBuildMemoryChild is the measured side of TestBuildMemory; it does
// nothing unless memChildEnv is set.
func TestBuildMemoryChild(t *testing.T) {
	v := os.Getenv(memChildEnv)
	if v == "" {
		t.Skip("run by TestBuildMemory")
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatal(err)
	}
	docs := genDocs(n, 1)
	debug.FreeOSMemory() // RSS before Build: the input, not its garbage
	rep := memReport{Docs: n, InputMB: mb(heapObjects())}
	rep.HWMResetWorks = resetPeakRSS()
	rep.RSSBeforeMB = mb(procStatus("VmRSS"))

	// Sample the Go heap while Build runs; optionally profile near its peak.
	var (
		wg                           sync.WaitGroup
		peakHeap, peakAnon, peakFile uint64
	)
	done := make(chan struct{})
	prof := os.Getenv(memProfEnv)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		var profiled uint64
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			h := heapObjects()
			peakHeap = max(peakHeap, h)
			peakAnon = max(peakAnon, procStatus("RssAnon"))
			peakFile = max(peakFile, procStatus("RssFile"))
			// A new profile whenever the heap grew 10% past the last one.
			if prof != "" && h > profiled+profiled/10 {
				profiled = h
				if f, err := os.Create(prof); err == nil {
					_ = pprof.Lookup("heap").WriteTo(f, 0)
					_ = f.Close()
				}
			}
		}
	}()

	dir := filepath.Join(t.TempDir(), "index")
	t0, c0 := time.Now(), cpuTime()
	st, err := Build(context.Background(), dir, "", docs)
	rep.BuildSeconds = time.Since(t0).Seconds()
	rep.BuildCPUSeconds = (cpuTime() - c0).Seconds()
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	rep.PeakRSSMB = mb(procStatus("VmHWM"))
	rep.PeakHeapMB = mb(peakHeap)
	rep.PeakAnonMB = mb(peakAnon)
	rep.PeakFileMB = mb(peakFile)
	rep.IndexMB = float64(st.Bytes) / (1 << 20)
	runtime.KeepAlive(docs)
	runtime.GC()
	rep.HeapAfterMB = mb(heapObjects())

	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	cnt, err := ix.DocCount()
	_ = ix.Close()
	if err != nil {
		t.Fatal(err)
	}
	rep.Docs = int(cnt)
	b, _ := json.Marshal(rep)
	fmt.Println(memReportPrefix + string(b))
}

func mb(b uint64) float64 { return float64(b) / (1 << 20) }

// heapObjects is the Go heap's bytes in objects (live and not yet swept).
func heapObjects() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// procStatus reads a "kB" line of /proc/self/status (VmRSS, VmHWM) in
// bytes; 0 where there is no /proc.
func procStatus(key string) uint64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// resetPeakRSS resets the kernel's peak-RSS mark (VmHWM) to the current
// RSS (Linux: "5" to clear_refs), so that it measures only what follows.
func resetPeakRSS() bool {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		return false
	}
	return procStatus("VmHWM") <= procStatus("VmRSS")+(8<<20)
}
