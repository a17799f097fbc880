package preview

import (
	"bufio"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkEditToReload1000 and BenchmarkEditToReload10000 measure what an editor
// waits for: from writing an article file to the "reload" event arriving at a client of
// the live-reload stream over loopback HTTP (the same stream the browser reads), with
// real fsnotify, the debounce, the incremental rebuild and the search index update.
// The client is a tab showing the edited article (its stream says so, as the browser's
// script does): the preview renders that page first and tells it before the rest of the
// site is rebuilt (build.FirstPages). A second client, a tab whose page is not known,
// is told at the end of the rebuild: "all-" metrics. Timing starts once the session's
// first search index is built. Saves follow each other at once; the Paced variants leave
// a second between saves, so that the search index is updated between them as it is when
// an editor works (the update is cancelled by the next save if it is still running). Run
// with -benchtime=20x; it reports p50, p90 and max in ms.
func BenchmarkEditToReload1000(b *testing.B)       { benchEdit(b, 1000, 0) }
func BenchmarkEditToReload10000(b *testing.B)      { benchEdit(b, 10000, 0) }
func BenchmarkEditToReload1000Paced(b *testing.B)  { benchEdit(b, 1000, time.Second) }
func BenchmarkEditToReload10000Paced(b *testing.B) { benchEdit(b, 10000, time.Second) }

func benchEdit(b *testing.B, n int, gap time.Duration) {
	bs := startBench(b, n)
	matches, _ := filepath.Glob(filepath.Join(bs.dir, "content", "tin-tuc", "*.md"))
	slices.Sort(matches)
	target := matches[len(matches)/2]
	orig, err := os.ReadFile(target)
	if err != nil {
		b.Fatal(err)
	}
	viewer := bs.viewing(b, "/tin-tuc/"+strings.TrimSuffix(filepath.Base(target), ".md")+"/")
	var took, all, cpus []time.Duration
	stopProfile := startProfile(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		time.Sleep(gap)
		bs.drain(20 * time.Millisecond) // the events of the last save: none comes later
		drain(viewer, 20*time.Millisecond)
		b.StartTimer()
		body := append(append([]byte{}, orig...), fmt.Sprintf("\nĐoạn sửa thứ %d.\n", i)...)
		start, cpu := time.Now(), cpuTime()
		if err := os.WriteFile(target, body, 0o644); err != nil {
			b.Fatal(err)
		}
		waitReload(b, viewer)
		took = append(took, time.Since(start))
		cpus = append(cpus, cpuTime()-cpu)
		bs.waitReload(b)
		all = append(all, time.Since(start))
	}
	b.StopTimer()
	stopProfile()
	reportLatency(b, "", took)
	reportLatency(b, "all-", all)
	reportLatency(b, "cpu-", cpus)
	bs.reportBuilds(b)
}

// benchSession is a preview of a generated site, watching it, with a client of its
// live-reload stream.
type benchSession struct {
	s      *Session
	dir    string // the site
	url    string // the preview's
	events chan string
	log    *syncBuffer // the session's progress lines
}

// startBench starts a preview of a generated n-article site (the default debounce, as
// editors get it) and waits for the session's first search index.
func startBench(b *testing.B, n int) *benchSession {
	b.Helper()
	dir := filepath.Join(b.TempDir(), "site")
	if err := corpus.Generate(dir, n, 1); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	log := &syncBuffer{}
	s, err := New(ctx, Options{SiteDir: dir, Drafts: true, Stdout: log,
		Now: time.Date(2026, 11, 1, 0, 0, 0, 0, vietnamese.Location())})
	if err != nil {
		cancel()
		b.Fatal(err)
	}
	b.Cleanup(func() { cancel(); s.Close() })
	if s.hub.failure() != nil {
		b.Fatalf("first build failed: %s", s.hub.failure().data)
	}
	go s.Watch(ctx)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = s.Handler(srv.Listener)
	srv.Start()
	b.Cleanup(srv.Close)
	events := listen(b, srv.URL+eventsURL)
	for deadline := time.Now().Add(10 * time.Minute); s.indexed.Load() == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.Fatal("the first search index was not built within 10 minutes")
		}
	}
	return &benchSession{s: s, dir: dir, url: srv.URL, events: events, log: log}
}

// listen opens a live-reload stream at url and returns the names of its events.
func listen(b *testing.B, url string) chan string {
	b.Helper()
	resp, err := http.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { resp.Body.Close() })
	events := make(chan string, 64)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if name, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				select {
				case events <- name:
				default: // nobody is waiting: a reload the benchmark drains anyway
				}
			}
		}
	}()
	return events
}

// viewing opens a stream as the script of a tab showing the page at URL path p does,
// after checking that the page exists.
func (bs *benchSession) viewing(b *testing.B, p string) chan string {
	b.Helper()
	if _, err := os.Stat(filepath.Join(bs.s.out.Dir(), filepath.FromSlash(p), "index.html")); err != nil {
		b.Fatalf("no page at %s: %v", p, err)
	}
	events := listen(b, bs.url+eventsURL+"?path="+url.QueryEscape(p))
	if e := <-events; e != "connected" {
		b.Fatalf("first event %q, want connected", e)
	}
	return events
}

// waitReload waits for the next "reload" event; a failed build fails the benchmark.
func (bs *benchSession) waitReload(b *testing.B) { waitReload(b, bs.events) }

// waitReload waits for the next "reload" event of events; a failed build fails the
// benchmark.
func waitReload(b *testing.B, events chan string) {
	b.Helper()
	for {
		select {
		case e := <-events:
			switch e {
			case "reload":
				return
			case "build-error", "held-back":
				b.Fatalf("rebuild failed: %s", e)
			}
		case <-time.After(60 * time.Second):
			b.Fatal("no reload event within 60 s")
		}
	}
}

// drain discards the events until none came for quiet.
func (bs *benchSession) drain(quiet time.Duration) { drain(bs.events, quiet) }

// drain discards the events of events until none came for quiet.
func drain(events chan string, quiet time.Duration) {
	for {
		select {
		case <-events:
		case <-time.After(quiet):
			return
		}
	}
}

// reportLatency reports the p50, p90 and max of took in ms, as "<prefix>p50-ms",
// "<prefix>p90-ms" and "<prefix>max-ms".
func reportLatency(b *testing.B, prefix string, took []time.Duration) {
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, prefix+"p50-ms")
	b.ReportMetric(float64(took[len(took)*9/10].Microseconds())/1000, prefix+"p90-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, prefix+"max-ms")
}

// startProfile writes a CPU profile to $PORTAL_BENCH_PROFILE (when set) until the
// returned function is called: the saves alone, not the session's first build.
func startProfile(b *testing.B) func() {
	p := os.Getenv("PORTAL_BENCH_PROFILE")
	if p == "" {
		return func() {}
	}
	f, err := os.Create(p)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }
}

// reportBuilds reports the p50 of the rebuilds' own durations (the session's progress
// lines, "… dựng lại: …, 93ms") as "build-p50-ms": the part of a save's latency spent
// in build.Run.
func (bs *benchSession) reportBuilds(b *testing.B) {
	var took []time.Duration
	for _, line := range strings.Split(bs.log.String(), "\n") {
		i := strings.LastIndex(line, ", ")
		if !strings.Contains(line, "dựng lại") || i < 0 {
			continue
		}
		if d, err := time.ParseDuration(strings.TrimSpace(line[i+2:])); err == nil {
			took = append(took, d)
		}
	}
	if len(took) > 1 {
		reportLatency(b, "build-", took[1:]) // not the first build
	}
}
