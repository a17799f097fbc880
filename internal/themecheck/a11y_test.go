package themecheck

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/vnportal/portal/internal/browsertest"
)

// awaitPromise makes chromedp.Evaluate wait for the promise the expression returns.
func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }

// runAxe evaluates axe-core in the loaded page unless it is there already (through
// DevTools, which the page's CSP does not restrict) and runs it with the WCAG A/AA tags.
func runAxe(ctx context.Context, axeSrc string) (AxeResults, error) {
	var res AxeResults
	var loaded bool
	if err := chromedp.Run(ctx, chromedp.Evaluate(`typeof window.axe === 'object'`, &loaded)); err != nil {
		return res, err
	}
	if !loaded {
		if err := chromedp.Run(ctx, chromedp.Evaluate(axeSrc+"\n;true", nil)); err != nil {
			return res, err
		}
	}
	err := chromedp.Run(ctx, chromedp.Evaluate(AxeRunScript(), &res, awaitPromise))
	return res, err
}

// reportAxe fails t with every violation.
func reportAxe(t *testing.T, where string, res AxeResults) {
	t.Helper()
	for _, v := range res.Violations {
		t.Errorf("%s: axe: %s", where, v)
	}
}

// TestAccessibility loads every page type of the sample site and the fixture in
// Chromium and checks it with axe-core (WCAG 2.2 A and AA), for reflow at 320 px and at
// 200 % text size, and for a skip link that the first Tab reaches and that moves focus
// to the main content.
func TestAccessibility(t *testing.T) {
	t.Parallel()
	axeSrc, err := os.ReadFile(npmFile(t, AxePath))
	if err != nil {
		t.Fatal(err)
	}
	sites := serveBoth(t)
	// One browser for every target: about 2 s each on a quiet machine; the ceiling leaves
	// room for a busy one (the library's three page types added three targets).
	ctx := browsertest.New(t, 360*time.Second)

	t.Run("canary", func(t *testing.T) {
		// The harness must see violations when there are some: a page without a
		// language, with an image without alt text and a field without a label.
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>x</title></head><body><main><h1>x</h1>` +
				`<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="10" height="10">` +
				`<input type="text" name="q"><div style="width:2000px">rộng</div></main></body></html>`))
		}))
		defer srv.Close()
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(320, 800), chromedp.Navigate(srv.URL)); err != nil {
			t.Fatal(err)
		}
		res, err := runAxe(ctx, string(axeSrc))
		if err != nil {
			t.Fatalf("running axe: %v", err)
		}
		got := map[string]bool{}
		for _, v := range res.Violations {
			got[v.ID] = true
		}
		for _, id := range []string{"html-has-lang", "image-alt", "label"} {
			if !got[id] {
				t.Errorf("axe did not report %q on the canary page; got %v", id, res.Violations)
			}
		}
		if problem, err := skipLinkProblem(ctx); err != nil || problem == "" {
			t.Errorf("the skip link check passed a page without a skip link (err %v)", err)
		}
		var o Overflow
		if err := chromedp.Run(ctx, chromedp.Evaluate(OverflowScript(), &o)); err != nil {
			t.Fatal(err)
		}
		if !o.Overflows() || len(o.Offenders) == 0 {
			t.Errorf("the overflow check missed a 2000 px wide element at 320 px: %+v", o)
		}
	})

	for _, s := range sites {
		for _, tg := range s.Targets {
			t.Run(s.Name+"/"+tg.Name, func(t *testing.T) {
				checkPage(t, ctx, string(axeSrc), s.URL, tg)
			})
		}
	}
}

// skipLinkProblem presses Tab on a freshly loaded page and checks that focus lands on
// a visible link to #noi-dung, that #noi-dung is the <main> element, and that Enter on
// the link moves focus there. It returns what is wrong, or "".
func skipLinkProblem(ctx context.Context) (string, error) {
	var f Focus
	var mainTag string
	if err := chromedp.Run(ctx,
		chromedp.KeyEvent(kb.Tab),
		chromedp.Evaluate(FocusScript(), &f),
		chromedp.Evaluate(`(document.getElementById('noi-dung') || {tagName: ''}).tagName.toLowerCase()`, &mainTag),
	); err != nil {
		return "", err
	}
	switch {
	case f.Tag != "a" || f.Href != "#noi-dung":
		return fmt.Sprintf("the first Tab focuses <%s class=%q href=%q> %q, want the skip link to #noi-dung", f.Tag, f.ClassName, f.Href, f.Text), nil
	case !f.Visible:
		return fmt.Sprintf("the focused skip link %q is not visible inside the viewport", f.Text), nil
	case mainTag != "main":
		return fmt.Sprintf("the skip link targets #noi-dung, but that is %q, want the <main> element", mainTag), nil
	}
	if err := chromedp.Run(ctx,
		chromedp.KeyEvent(kb.Enter),
		chromedp.Sleep(50*time.Millisecond),
		chromedp.Evaluate(FocusScript(), &f),
	); err != nil {
		return "", err
	}
	if f.ID != "noi-dung" {
		return fmt.Sprintf("after following the skip link focus is on <%s id=%q>, want main#noi-dung", f.Tag, f.ID), nil
	}
	return "", nil
}

// checkPage runs the browser checks on one page.
func checkPage(t *testing.T, ctx context.Context, axeSrc, base string, tg target) {
	where := tg.Path
	if err := chromedp.Run(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(base+tg.Path)); err != nil {
		t.Fatalf("%s: loading: %v", where, err)
	}

	// axe-core at desktop width, on the page as loaded.
	res, err := runAxe(ctx, axeSrc)
	if err != nil {
		t.Fatalf("%s: running axe: %v", where, err)
	}
	reportAxe(t, where, res)

	// Keyboard: the first Tab reaches the visible skip link to the main content.
	problem, err := skipLinkProblem(ctx)
	if err != nil {
		t.Fatalf("%s: keyboard: %v", where, err)
	}
	if problem != "" {
		t.Errorf("%s: %s", where, problem)
	}

	// Reflow: no sideways scrolling at 320 CSS px (WCAG 1.4.10), nor with text at 200 %
	// (WCAG 1.4.4), here at desktop width and at 640 px (a 1280 px window zoomed 200 %).
	for _, v := range []struct {
		name  string
		width int
		font  string
	}{
		{"320 px", 320, ""},
		{"200% text", 1200, "200%"},
		{"200% text at 640 px", 640, "200%"},
	} {
		var o Overflow
		if err := chromedp.Run(ctx,
			chromedp.EmulateViewport(int64(v.width), 900),
			chromedp.Evaluate(`document.documentElement.style.fontSize = '`+v.font+`'; true`, nil),
			chromedp.Evaluate(OverflowScript(), &o),
		); err != nil {
			t.Fatalf("%s: %s: %v", where, v.name, err)
		}
		if v.width == 320 {
			// The phone layout has its own target sizes and wrapping: axe again.
			res, err := runAxe(ctx, axeSrc)
			if err != nil {
				t.Fatalf("%s: running axe at %s: %v", where, v.name, err)
			}
			reportAxe(t, where+" at "+v.name, res)
		}
		if o.Overflows() {
			t.Errorf("%s: at %s the page scrolls sideways: %d px wide in a %d px viewport; sticking out: %s",
				where, v.name, o.ScrollWidth, o.InnerWidth, strings.Join(o.Offenders, ", "))
		}
	}
}
