package themecheck

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/server"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// fixedNow keeps the fixture's future/expiry decisions stable.
var fixedNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// missingTool skips the test outside CI and fails it in CI.
func missingTool(t testing.TB, format string, args ...any) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf(format+" (CI must run the theme checks: .ci/run installs them)", args...)
	}
	t.Skipf(format+"; skipping outside CI", args...)
}

// npmFile returns a file installed by `npm ci` at the repository root, or skips/fails.
func npmFile(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(sitetest.RepoRoot(t), filepath.FromSlash(rel))
	if _, err := os.Stat(p); err != nil {
		missingTool(t, "%s is missing: run `npm ci` at the repository root", rel)
	}
	return p
}

// javaPath returns the java binary, or skips/fails.
func javaPath(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("java")
	if err != nil {
		missingTool(t, "java is not installed (apt-get install default-jre-headless)")
	}
	return p
}

// target is one page to check: a name for messages and a path on the served site.
type target struct {
	Name, Path string
}

// servedSite is a site built into a temporary folder and served like `portal serve`.
type servedSite struct {
	Name    string
	Dest    string
	URL     string
	Targets []target
}

// serveSite builds the site in dir and serves it with the real search index and the
// theme's search page, as `portal serve` does.
func serveSite(t *testing.T, name, dir string) *servedSite {
	t.Helper()
	dest := filepath.Join(t.TempDir(), "public")
	// A stop for a hung build, not a speed target: on a loaded 2-core machine the sample
	// site's photos and PDF texts alone took 50 s.
	ctx, cancel := context.WithTimeout(context.Background(), 240*time.Second)
	defer cancel()
	rep, err := build.Run(ctx, build.Options{SiteDir: dir, Dest: dest, Minify: true, Now: fixedNow, Cache: build.NewMemoryCache()})
	if err != nil {
		t.Fatalf("building the %s site (%s): %v", name, dir, err)
	}
	for _, d := range rep.Diagnostics {
		t.Logf("%s site: %v", name, d)
	}
	page, err := server.PageRenderer(rep.Renderer, rep.Graph)
	if err != nil {
		t.Fatalf("%s site: %v", name, err)
	}
	h, err := server.New(server.Options{Root: dest, IndexPath: rep.IndexDir, SearchPage: page})
	if err != nil {
		t.Fatalf("%s site: %v", name, err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() { srv.Close(); _ = h.Close() })
	s := &servedSite{Name: name, Dest: dest, URL: srv.URL, Targets: pickTargets(rep.Graph)}
	return s
}

// serveBoth builds and serves the repository's sample site and the theme fixture.
func serveBoth(t *testing.T) []*servedSite {
	t.Helper()
	return []*servedSite{
		serveSite(t, "sample", sitetest.RepoRoot(t)),
		serveSite(t, "fixture", filepath.Join("testdata", "sites", "theme")),
	}
}

// pickTargets chooses the pages to check from the site graph: one page of every kind,
// plus the variants that use other markup (the province index, a merged-away province
// and its successor, a second page of a paginated list, the article with an image),
// plus the server-rendered search pages and a missing page (404).
func pickTargets(g *site.Graph) []target {
	var out []target
	seen := map[string]bool{}
	add := func(name, path string) {
		if path != "" && !seen[path] {
			seen[path] = true
			out = append(out, target{name, path})
		}
	}
	byKind := map[site.Kind]bool{}
	first := func(p *site.Page, name string) {
		if !byKind[p.Kind] {
			byKind[p.Kind] = true
			add(name, p.URL)
		}
	}
	var pageDone, imageDone, mergedDone, successorDone, secondDone, libFilterDone bool
	taxDone, termDone := map[string]bool{}, map[string]bool{}
	for _, p := range g.Pages {
		switch p.Kind {
		case site.KindHome, site.KindSection, site.KindYear:
			if p.Pager != nil && p.Pager.Number > 1 {
				if !secondDone && p.Pager.Number == 2 {
					secondDone = true
					add(string(p.Kind)+" page 2", p.URL)
				}
				continue
			}
			first(p, string(p.Kind))
		case site.KindArticle:
			first(p, "article")
			if !imageDone && p.Article != nil && p.Article.Image != "" {
				imageDone = true
				add("article with image, table, lists", p.URL)
			}
		case site.KindPage:
			if !pageDone && (p.URL == "/gioi-thieu/" || p.Article == nil) {
				pageDone = true
				add("standalone page", p.URL)
			}
			if p.Article != nil { // the contact pages made from data/to-chuc.toml (issue 20)
				switch p.Article.Params["layout"] {
				case "contact":
					add("contact page", p.URL)
				case "contact-en":
					add("English contact page", p.URL)
				}
			}
		case site.KindSchedule, site.KindScheduleIndex: // the leaders' weekly schedule (issue 20)
			first(p, string(p.Kind))
		case site.KindTaxonomy:
			if p.Taxonomy != nil && !taxDone[p.Taxonomy.Key] {
				taxDone[p.Taxonomy.Key] = true
				add("taxonomy "+p.Taxonomy.Key, p.URL)
			}
		case site.KindTerm:
			if p.Term == nil || p.Taxonomy == nil || (p.Pager != nil && p.Pager.Number > 1) {
				continue
			}
			switch {
			case !mergedDone && p.Term.Successor != nil:
				mergedDone = true
				add("merged-away province", p.URL)
			case !successorDone && len(p.Term.PredecessorNames) > 0:
				successorDone = true
				add("province formed by a merge", p.URL)
			case !termDone[p.Taxonomy.Key]:
				termDone[p.Taxonomy.Key] = true
				add("term "+p.Taxonomy.Key, p.URL)
			}
		case site.KindDocument:
			// a document with attachments and relations: every part of the page
			if d := p.Article.DocInfo; len(d.Attachments) > 0 && len(d.Replaces)+len(d.ReplacedBy)+len(d.Amends)+len(d.AmendedBy) > 0 {
				first(p, "legal document")
			}
		case site.KindLibrary:
			if p.Pager != nil && p.Pager.Number == 1 {
				if p.Facet == nil {
					add("document library", p.URL)
				} else if !libFilterDone {
					libFilterDone = true
					add("document library filter", p.URL)
				}
			}
		case site.KindArchive:
			first(p, "archive")
		case site.KindSearch:
			first(p, "search (static)")
		}
	}
	add("search results", "/tim-kiem/?q=ha+tinh")
	// Legal documents among the results: their meta line, status badge and facets.
	add("search with documents", "/tim-kiem/?q=ngh%E1%BB%8B+%C4%91%E1%BB%8Bnh")
	add("search with no results", "/tim-kiem/?q=khongcoketquanaoca")
	add("empty search", "/tim-kiem/?q=")
	add("404", "/trang-khong-ton-tai/")
	return out
}

// fetch gets a page from the served site and returns its status and body.
func fetch(t *testing.T, base, path string) (int, []byte) {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	return res.StatusCode, body
}
