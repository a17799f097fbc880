package build

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/vnportal/portal/internal/check"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/render"
)

// lint runs the rules of the rule book that look at the whole loaded site (check.Site)
// on what the build publishes: the pages kept for held-back articles exist for links.
// titles are the near-duplicate title findings (check.DuplicateTitles).
func lint(ctx context.Context, opts Options, l *Loaded, static []render.StaticFile, keep keepPlan, titles []diag.Diagnostic, ds *diag.List) {
	check.Site(ctx, check.Input{SiteDir: opts.SiteDir, Docs: l.Docs, Graph: l.Graph, Static: static,
		Resources: bundleResources(opts.SiteDir, l.Graph), Kept: keep.pages(), Now: opts.Now, Titles: titles}, ds)
}

// titleMemo keeps the near-duplicate title rule's findings between the preview's builds:
// the rule compares every pair of titles of similar length (seconds at 10,000 articles
// on a busy machine), and a save rarely changes a title.
type titleMemo struct {
	mu    sync.Mutex
	key   string
	found []diag.Diagnostic
}

func (m *titleMemo) duplicates(ctx context.Context, docs []*content.Document) []diag.Diagnostic {
	key := check.TitlesKey(docs)
	m.mu.Lock()
	defer m.mu.Unlock()
	if key == m.key {
		return m.found
	}
	found := check.DuplicateTitles(ctx, docs)
	if ctx.Err() == nil {
		m.key, m.found = key, found
	}
	return found
}

// Check runs every rule of the rule book over the site as Run would build it with opts,
// writing nothing (`portal check`): the same loading, the same held-back articles (with
// the output folder's manifest), the templates parsed, and the same site-wide rules, so
// that check and build report the same findings. It returns them sorted by path and
// line; the error is non-nil only when the check cannot run (cancelled, unreadable
// files).
func Check(ctx context.Context, opts Options) ([]diag.Diagnostic, error) {
	opts = opts.withDest()
	if opts.Now.IsZero() {
		opts.Now = time.Now()
	}
	if opts.Cache == nil {
		opts.Cache = NewMemoryCache()
	}
	ds := &diag.List{}
	l, _ := Load(ctx, opts, ds)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if l == nil { // config.toml could not be read: ds says why
		return ds.Items(), nil
	}
	static, err := render.StaticFiles(opts.SiteDir, l.Config.Theme)
	if _, ok := diag.AsErrors(err); err != nil && !ok {
		return nil, fmt.Errorf("reading static files: %w", err)
	}
	ds.Absorb(err) // a symbolic link out of the site, a FIFO: reported with the rest
	// The layouts as the build parses them: template errors, links out of the site.
	if _, err := render.New(render.Options{SiteDir: opts.SiteDir, Config: l.Config, Graph: l.Graph}); err != nil {
		if _, ok := diag.AsErrors(err); !ok {
			ds.Errorf("layouts", 0, 0, "theme", "%v", err)
		}
		ds.Absorb(err)
	}
	lint(ctx, opts, l, static, planKeep(opts.Dest, l.HeldBack), check.DuplicateTitles(ctx, l.Docs), ds)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return ds.Items(), nil
}
