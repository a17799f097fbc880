package build

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// orderCache is NoCache's run with the title rule and the assembly recorded in the
// order they ran.
type orderCache struct {
	mu     *sync.Mutex
	events *[]string
}

func (c orderCache) open(opts Options, ds *diag.List) (*run, error) {
	r, err := noCache{}.open(opts, ds)
	if err != nil {
		return nil, err
	}
	note := func(e string) {
		c.mu.Lock()
		*c.events = append(*c.events, e)
		c.mu.Unlock()
	}
	titles, assemble := r.titles, r.assemble
	r.titles = func(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
		note("titles")
		return titles(ctx, docs)
	}
	r.assemble = func(in site.Input, ds *diag.List) *site.Graph {
		note("assemble")
		return assemble(in, ds)
	}
	return r, nil
}

// A build whose checks come before the pages runs the near-duplicate title rule on the
// documents before the site is assembled, so that the rule's state and the graph are
// not on the heap together (issue 22: the checks stage was the 100,000 cold build's
// peak); its findings are reported as before and its time counts in the checks' stage.
func TestTitleRuleRunsBeforeTheAssembly(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	var (
		mu     sync.Mutex
		events []string
	)
	rep, err := runBuild(t, src, func(o *Options) {
		o.Dest = filepath.Join(t.TempDir(), "public")
		o.Cache = orderCache{&mu, &events}
	})
	if err != nil {
		t.Fatalf("build failed: %v\n%v", err, rep.Diagnostics)
	}
	if !slices.Equal(events, []string{"titles", "assemble"}) {
		t.Fatalf("the title rule and the assembly ran in the order %q, want titles first", events)
	}
	var names []string
	for _, s := range rep.Stages {
		names = append(names, s.Name)
	}
	if !slices.Contains(names, "giao diện và kiểm tra") || !slices.Contains(names, "lắp ráp") {
		t.Fatalf("stages %q", names)
	}
}

// The time of work done ahead for a later stage counts in that stage, not in the one
// it was done in.
func TestTimerCountsWorkAheadInItsStage(t *testing.T) {
	const d = 200 * time.Millisecond
	tm := &timer{last: time.Now()}
	tm.ahead("c", func() { time.Sleep(d) })
	tm.mark("a")
	tm.mark("b")
	tm.mark("c")
	if got := tm.stages[2].Took; got < d {
		t.Fatalf("stage c took %v, want at least the %v done ahead", got, d)
	}
	if got := tm.stages[0].Took + tm.stages[1].Took; got >= d {
		t.Fatalf("stages a and b took %v: the work ahead counted there", got)
	}
}

// pagesSink counts the HTML pages added before and after PagesAdded.
type pagesSink struct {
	mu            sync.Mutex
	told          int // PagesAdded calls
	before, after int // pages added
}

func (s *pagesSink) Add(f publish.File) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f.Kind == publish.Page {
		if s.told > 0 {
			s.after++
		} else {
			s.before++
		}
	}
	return nil
}

func (s *pagesSink) Commit() (publish.Stats, error) { return publish.Stats{}, nil }
func (s *pagesSink) Abort()                         {}

func (s *pagesSink) PagesAdded() {
	s.mu.Lock()
	s.told++
	s.mu.Unlock()
}

// A build tells its output once the pages are all added (publish.Writer then lets its
// minified fragments go before the index stage).
func TestBuildTellsTheOutputThePagesAreAdded(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	s := &pagesSink{}
	rep, err := runBuild(t, src, func(o *Options) {
		o.Dest = filepath.Join(t.TempDir(), "public")
		o.Output = func(context.Context) (publish.Sink, error) { return s, nil }
	})
	if err != nil {
		t.Fatalf("build failed: %v\n%v", err, rep.Diagnostics)
	}
	if s.told != 1 || s.before == 0 || s.after != 0 {
		t.Fatalf("PagesAdded called %d times, %d pages added before, %d after; want once, after every page", s.told, s.before, s.after)
	}
}
