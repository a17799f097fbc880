package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// withSummary is an article with a summary (the lists show it) and a body.
func withSummary(title, date, summary, body string) string {
	return "---\ntitle: \"" + title + "\"\ndate: " + date + "\nsummary: \"" + summary + "\"\n---\n" + body + "\n"
}

// A build's first pages (the pages the preview's tabs show) are in the output, with their
// final bytes, when FirstPages.Ready is called, before any other page is rendered: the
// section's list, which shows the edited summary too, is still the previous build's then,
// and is updated by the end of the build.
func TestFirstPagesAreWrittenBeforeTheRest(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": withSummary("Bài A", "2020-01-01", "Tóm tắt cũ", "Thân bài cũ."),
		"content/tin-tuc/b.md": withSummary("Bài B", "2020-01-02", "Tóm tắt B", "Thân bài B, xem [trang cũ](/khong-co/)."),
	})
	out, err := publish.TempFolder("first-pages-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { out.Remove() })
	c := NewMemoryCache()
	build := func(changed []string, first FirstPages) Report {
		t.Helper()
		rep, err := runBuild(t, dir, func(o *Options) {
			o.Cache, o.NoSearch, o.Preview, o.First = c.Changed(changed), true, true, first
			o.Output = func(ctx context.Context) (publish.Sink, error) { return out, out.Begin(ctx) }
		})
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	read := func(rel string) string {
		t.Helper()
		b, err := os.ReadFile(filepath.Join(out.Dir(), filepath.FromSlash(rel)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	const page, list = "tin-tuc/a/index.html", "tin-tuc/index.html"
	build(nil, FirstPages{})
	if !strings.Contains(read(list), "Tóm tắt cũ") {
		t.Fatalf("the section's list does not show the summary: the test needs a page the edit changes besides the article's")
	}

	edited := filepath.Join(dir, "content/tin-tuc/a.md")
	if err := os.WriteFile(edited, []byte(withSummary("Bài A", "2020-01-01", "Tóm tắt mới", "Thân bài mới.")), 0o644); err != nil {
		t.Fatal(err)
	}
	var ready [][]string
	rep := build([]string{edited}, FirstPages{
		Paths: []string{page, "khong-co/index.html", "tin-tuc/b/index.html"},
		Ready: func(changed []string) {
			ready = append(ready, changed)
			if p := read(page); !strings.Contains(p, "Thân bài mới.") || !strings.Contains(p, "Tóm tắt mới") {
				t.Errorf("when Ready is called, %s is not the edited article's page", page)
			}
			if l := read(list); !strings.Contains(l, "Tóm tắt cũ") || strings.Contains(l, "Tóm tắt mới") {
				t.Errorf("when Ready is called, %s is rendered already: the first pages were not first", list)
			}
		},
	})
	// b's page is among the first too, but the edit does not change it.
	if want := [][]string{{page}}; !slices.EqualFunc(ready, want, slices.Equal) {
		t.Errorf("Ready was called with %q, want %q (once, with the first pages that changed)", ready, want)
	}
	if l := read(list); !strings.Contains(l, "Tóm tắt mới") {
		t.Errorf("after the build, %s does not show the new summary", list)
	}
	// The checks run after the first pages: their findings are still reported.
	if !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/b.md", 0, "/khong-co/") {
		t.Errorf("the broken link of b.md is not reported: %v", rep.Diagnostics)
	}

	// A file with an error is held back: no page first (its overlay comes at the end).
	ready = nil
	if err := os.WriteFile(edited, []byte("---\ntitle: \"Bài A\"\ndate: [\n---\nx\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = build([]string{edited}, FirstPages{Paths: []string{page, list}, Ready: func(changed []string) { ready = append(ready, changed) }})
	if len(rep.HeldBack) != 1 || ready != nil {
		t.Errorf("a held-back article: %d held back, Ready called with %q; want 1 and not called", len(rep.HeldBack), ready)
	}
}
