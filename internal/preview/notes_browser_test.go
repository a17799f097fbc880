package preview

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/vnportal/portal/internal/browsertest"
)

// TestPreviewNotesPanelInBrowser: in headless Chromium, an article citing a number the
// library lacks shows a notes panel naming it at file:line:col; once the citation is
// fixed, the reloaded page shows none.
func TestPreviewNotesPanelInBrowser(t *testing.T) {
	ctx := browsertest.New(t, 60*time.Second)
	dir := newSite(t)
	write(t, dir, "content/van-ban/a.md", "---\nnumber: \"1/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Kế hoạch\"\nissued: 2020-01-02\n---\n")
	write(t, dir, "content/tin-tuc/c.md", article("Bài C", "Thực hiện Nghị định số 99/2099/NĐ-CP của Chính phủ."))
	r := start(t, dir)
	poll := func(js string) chromedp.Action { return pollJS(js, 30*time.Second) }
	if err := chromedp.Run(ctx, chromedp.Navigate(r.srv.URL+"/tin-tuc/c/"),
		poll(`(function(){var n=document.getElementById("portal-notes");return !!n && n.getAttribute("role")==="status" && n.innerText.includes("99/2099/NĐ-CP") && n.innerText.includes("content/tin-tuc/c.md:")})()`),
		poll(`window.__portalConnected === true`)); err != nil {
		t.Fatalf("notes panel: %v", err)
	}
	time.Sleep(200 * time.Millisecond)
	write(t, dir, "content/tin-tuc/c.md", article("Bài C", "Thực hiện Kế hoạch số 1/KH-UBND của tỉnh."))
	if err := chromedp.Run(ctx, poll(`document.body.innerText.includes("Kế hoạch số") && window.__portalNotes === 0 && !document.getElementById("portal-notes")`)); err != nil {
		t.Fatalf("fixed citation: %v", err)
	}
}
