package build

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// rulesHook is NoCache with the link rules' memo replaced by memo.
type rulesHook struct{ memo check.Memo }

func (c rulesHook) open(opts Options, ds *diag.List) (*run, error) {
	r, err := NoCache().open(opts, ds)
	if err != nil {
		return nil, err
	}
	r.rules = c.memo
	return r, nil
}

// waitingMemo is check.Fresh that calls wait before the link rules' targets are made and
// adds hookFinding to the first article's link findings.
type waitingMemo struct {
	check.Fresh
	wait func()
	once *sync.Once
}

func (m waitingMemo) Targets(g *site.Graph, key string, make func() *check.Targets) *check.Targets {
	m.wait()
	return m.Fresh.Targets(g, key, make)
}

func (m waitingMemo) Links(a *site.Article, find func(*site.Article) []diag.Diagnostic) []diag.Diagnostic {
	found := m.Fresh.Links(a, find)
	m.once.Do(func() { found = append(found, hookFinding) })
	return found
}

// hookFinding is what waitingMemo finds.
var hookFinding = diag.Diagnostic{Path: "content/hook.md", Line: 1, Col: 1, Severity: diag.Warning, Code: "broken-link", Message: "phát hiện của bài kiểm tra"}

// The site-wide checks but the near-duplicate title rule (which runs before the
// assembly: TestTitleRuleRunsBeforeTheAssembly) run beside the output's start.
func TestChecksRunBesideTheOutputStart(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	started := make(chan struct{})
	saw := false
	wait := func() {
		// The checks wait for the output to start: run before it, they would wait
		// here for the whole timeout.
		select {
		case <-started:
			saw = true
		case <-time.After(5 * time.Second):
		}
	}
	rep, err := runBuild(t, src, func(o *Options) {
		o.Dest = filepath.Join(t.TempDir(), "out")
		o.Cache = rulesHook{waitingMemo{wait: wait, once: new(sync.Once)}}
		o.Output = func(ctx context.Context) (publish.Sink, error) {
			close(started)
			return publish.Begin(ctx, o.Dest, publish.Options{Minify: o.Minify})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !saw {
		t.Error("the site-wide checks ran before the output started, not beside it")
	}
	if !hasDiag(rep.Diagnostics, diag.Warning, "content/hook.md", 1, "phát hiện của bài kiểm tra") {
		t.Error("the checks' findings are not in the report")
	}
}

func TestFailedBuildReportsTheChecks(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	slow := func() { time.Sleep(300 * time.Millisecond) } // slower than the output's start
	refused := errors.New("no output")
	rep, err := runBuild(t, src, func(o *Options) {
		o.Dest = filepath.Join(t.TempDir(), "out")
		o.Cache = rulesHook{waitingMemo{wait: slow, once: new(sync.Once)}}
		o.Output = func(context.Context) (publish.Sink, error) { return nil, refused }
	})
	if !errors.Is(err, refused) {
		t.Fatalf("err = %v, want %v", err, refused)
	}
	if !hasDiag(rep.Diagnostics, diag.Warning, "content/hook.md", 1, "phát hiện của bài kiểm tra") {
		t.Error("a build that failed after the checks started does not report their findings")
	}
}

// frameHook is NoCache with a frame and an assembly of its own.
type frameHook struct {
	frame    func(site.Input) func(*site.Graph) string
	assemble func(site.Input, *diag.List) *site.Graph
}

func (c frameHook) open(opts Options, ds *diag.List) (*run, error) {
	r, err := NoCache().open(opts, ds)
	if err != nil {
		return nil, err
	}
	r.frame, r.assemble = c.frame, c.assemble
	return r, nil
}

func TestInputFrameIsHashedBesideTheAssembly(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	hashing := make(chan struct{})
	saw := false
	var want string
	c := frameHook{
		frame: func(in site.Input) func(*site.Graph) string {
			close(hashing)
			return func(g *site.Graph) string {
				want = site.InputFrame(in).Key(g)
				return frameKey(in)(g)
			}
		},
		assemble: func(in site.Input, ds *diag.List) *site.Graph {
			// Hashed after the assembly, as it was, the input would not start before
			// the timeout.
			select {
			case <-hashing:
				saw = true
			case <-time.After(5 * time.Second):
			}
			return assembleFresh(in, ds)
		},
	}
	opts := Options{SiteDir: src, Dest: filepath.Join(t.TempDir(), "out"), Now: fixedNow, Cache: c}
	r, err := c.open(opts, &diag.List{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.bodies.close()
	l, _, err := load(context.Background(), opts, &diag.List{}, &timer{last: time.Now()}, r, func([]*content.Document) {})
	if err != nil {
		t.Fatal(err)
	}
	if !saw {
		t.Error("the input's frame was not hashed beside the assembly")
	}
	if want == "" || l.frame != want {
		t.Errorf("frame %x, want the frame key's %x", l.frame, want)
	}
}
