package preview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
)

// TestPreviewInBrowser drives headless Chromium: an edit shows the new text, a CSS edit
// restyles the page without reloading it, broken front matter shows an overlay with
// file:line, and fixing it removes the overlay.
func TestPreviewInBrowser(t *testing.T) {
	ctx := browsertest.New(t, 60*time.Second)
	dir := newSite(t)
	r := start(t, dir)
	poll := func(js string) chromedp.Action { return pollJS(js, 30*time.Second) }
	must := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	must("open", chromedp.Navigate(r.srv.URL+"/tin-tuc/a/"), poll(`document.body.innerText.includes("Nội dung ban đầu.")`),
		// Wait until the event stream is connected.
		poll(`window.__portalConnected === true`))
	time.Sleep(200 * time.Millisecond)
	// The script names the tab's page, so that a save renders it first (build.FirstPages).
	if v := r.s.hub.viewed(); !slices.Contains(v, "tin-tuc/a/index.html") {
		t.Errorf("the preview does not know the page the tab shows: %q", v)
	}

	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Nội dung đã sửa trong trình duyệt."))
	must("edit shows up", poll(`document.body.innerText.includes("Nội dung đã sửa trong trình duyệt.")`))

	must("mark page", chromedp.Evaluate(`window.__marker = 42`, nil), poll(`window.__portalConnected === true`))
	time.Sleep(200 * time.Millisecond)
	write(t, dir, "static/css/site.css", "body{background-color:rgb(1, 2, 3)}\n")
	must("css swapped", poll(`getComputedStyle(document.body).backgroundColor === "rgb(1, 2, 3)"`))
	var marker int
	must("no reload", chromedp.Evaluate(`window.__marker || 0`, &marker))
	if marker != 42 {
		t.Error("a CSS-only change reloaded the page; it must swap the stylesheet in place")
	}

	// Broken front matter holds the article back: its page keeps the last version, the
	// overlay (in Vietnamese) names file:line, and the rest of the site keeps updating.
	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: \"Bài A\"\ndate: [\n---\nx\n")
	must("overlay", poll(`!!document.getElementById("portal-overlay")`))
	var overlay, body string
	must("overlay text", chromedp.Text("#portal-overlay", &overlay, chromedp.ByQuery), chromedp.Evaluate(`document.body.innerText`, &body))
	if !strings.Contains(overlay, "content/tin-tuc/a.md:3") || !strings.Contains(overlay, "Bài có lỗi chưa được cập nhật") {
		t.Errorf("overlay must say in Vietnamese that the article is held back, with file:line, got %q", overlay)
	}
	// Issue 17, item 1: the overlay's body is in Vietnamese, in plain words.
	if !strings.Contains(overlay, "danh sách của date mở bằng [ nhưng không đóng") || strings.Contains(overlay, "did not find") {
		t.Errorf("overlay must explain the mistake in Vietnamese, got %q", overlay)
	}
	if !strings.Contains(body, "Nội dung đã sửa trong trình duyệt.") {
		t.Errorf("the held-back article's page must keep its last version, got %q", body)
	}
	must("on b", chromedp.Navigate(r.srv.URL+"/tin-tuc/b/"), poll(`document.body.innerText.includes("Bài thứ hai.")`),
		poll(`!!document.getElementById("portal-overlay")`), poll(`window.__portalConnected === true`))
	time.Sleep(200 * time.Millisecond)
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "Bài thứ hai, sửa khi bài A còn lỗi."))
	must("the rest updates", poll(`document.body.innerText.includes("sửa khi bài A còn lỗi") && !!document.getElementById("portal-overlay")`))
	must("back on a", chromedp.Navigate(r.srv.URL+"/tin-tuc/a/"), poll(`window.__portalConnected === true`))
	time.Sleep(200 * time.Millisecond)
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Đã sửa xong."))
	must("overlay gone", poll(`!document.getElementById("portal-overlay") && document.body.innerText.includes("Đã sửa xong.")`))
	os.Remove(filepath.Join(dir, "static/css/site.css"))
}

// TestPreviewBrowserCatchesUp: a tab whose event stream was refused (503: too many tabs)
// opens a new one after a while and, having missed a save meanwhile, reloads at once.
func TestPreviewBrowserCatchesUp(t *testing.T) {
	ctx := browsertest.New(t, 60*time.Second)
	dir := newSite(t)
	r := start(t, dir)
	poll := func(js string) chromedp.Action { return pollJS(js, 20*time.Second) }
	if err := chromedp.Run(ctx, chromedp.Navigate(r.srv.URL+"/tin-tuc/a/"), poll(`window.__portalConnected === true`)); err != nil {
		t.Fatal(err)
	}
	// Refuse every stream and end the open one: the browser reconnects, gets 503, and
	// stops; the script tries again later.
	setMax := func(n int) {
		r.s.hub.mu.Lock()
		defer r.s.hub.mu.Unlock()
		r.s.hub.max = n
		for c := range r.s.hub.clients {
			close(c.gone)
			delete(r.s.hub.clients, c)
		}
	}
	setMax(0)
	refused := func() bool {
		r.s.hub.mu.Lock()
		defer r.s.hub.mu.Unlock()
		return r.s.hub.full
	}
	for deadline := time.Now().Add(10 * time.Second); !refused(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the browser did not try to reconnect")
		}
	}
	n := r.s.Builds()
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Sửa khi thẻ chưa kết nối lại."))
	r.waitBuilds(t, n)
	setMax(maxStreams)
	if err := chromedp.Run(ctx, poll(`document.body.innerText.includes("Sửa khi thẻ chưa kết nối lại.")`)); err != nil {
		t.Fatalf("the tab did not catch up with the save it missed: %v", err)
	}
}

// TestPreviewErrorPageInBrowser: the page shown when no build has succeeded yet works
// under the site's Content-Security-Policy (its stylesheet applies, its script connects)
// and turns into the site once the file is fixed.
func TestPreviewErrorPageInBrowser(t *testing.T) {
	ctx := browsertest.New(t, 60*time.Second)
	dir := newSite(t)
	write(t, dir, "config.toml", "title = [\n") // the site cannot be built at all
	r := start(t, dir)
	poll := func(js string) chromedp.Action { return pollJS(js, 20*time.Second) }
	var text string
	if err := chromedp.Run(ctx, chromedp.Navigate(r.srv.URL+"/"),
		poll(`document.querySelector("h1") && document.querySelector("h1").textContent.includes("Lỗi khi dựng trang")`),
		poll(`getComputedStyle(document.querySelector("main")).maxWidth === "800px"`),
		poll(`window.__portalConnected === true`),
		chromedp.Evaluate(`document.body.innerText`, &text)); err != nil {
		t.Fatalf("error page: %v", err)
	}
	if !strings.Contains(text, "config.toml:1") {
		t.Errorf("the error page must name file:line, got %q", text)
	}
	write(t, dir, "config.toml", cfgTOML)
	if err := chromedp.Run(ctx, poll(`document.body.innerText.includes("Tin mới nhất")`)); err != nil {
		t.Fatalf("the fixed site did not replace the error page: %v", err)
	}
}

// pollJS evaluates js until it is true, for at most d; evaluation errors while the page
// reloads are retried.
func pollJS(js string, d time.Duration) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(d)
		for {
			var ok bool
			err := chromedp.Evaluate(js, &ok).Do(ctx)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("timed out waiting for %s (last error %v)", js, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
