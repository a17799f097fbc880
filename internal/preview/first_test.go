package preview

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// quiet fails the test if st gets an event within d.
func (st *stream) quiet(t *testing.T, d time.Duration) {
	t.Helper()
	timeout := time.After(d)
	for {
		select {
		case m, ok := <-st.msgs:
			if ok && m.name != "" {
				t.Errorf("unexpected event %+v", m)
				return
			}
		case <-timeout:
			return
		}
	}
}

// A tab showing the edited article is told to reload as soon as its page is written,
// before the rest of the site is rebuilt ("first" in the event's data), and only once; a
// tab whose page is unknown is told at the end of the build, as before; a tab showing a
// page the edit does not change is told at the end too.
func TestViewedPageReloadsFirst(t *testing.T) {
	dir, s, base, viewer := viewingArticleA(t)
	other := openStream(t, base, "", "")
	if e := other.next(t, 5*time.Second); e.name != "connected" {
		t.Fatalf("first event %+v, want connected", e)
	}
	if got := s.hub.viewed(); len(got) != 1 || got[0] != "tin-tuc/a/index.html" {
		t.Fatalf("viewed pages %q, want [tin-tuc/a/index.html]", got)
	}

	n := s.Builds()
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Nội dung sửa nhanh."))
	e := viewer.next(t, 20*time.Second)
	if e.name != "reload" || !strings.Contains(e.data, `"first":true`) {
		t.Fatalf("the viewing tab got %+v, want a reload before the end of the build", e)
	}
	if !strings.Contains(openPage(t, base+"/tin-tuc/a/"), "Nội dung sửa nhanh.") {
		t.Error("the page a tab was told to reload is not the edited one yet")
	}
	if e := other.next(t, 20*time.Second); e.name != "reload" || strings.Contains(e.data, "first") {
		t.Errorf("the other tab got %+v, want the build's reload", e)
	}
	waitBuilds(t, s, n)
	viewer.quiet(t, 300*time.Millisecond) // its page is final: not told again

	// An edit of another article: the viewed page is the same, its tab is told at the end.
	n = s.Builds()
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "Bài thứ hai, đã sửa."))
	if e := viewer.next(t, 20*time.Second); e.name != "reload" || strings.Contains(e.data, "first") {
		t.Errorf("a tab whose page the edit does not change got %+v, want the build's reload", e)
	}
	waitBuilds(t, s, n)
}

// openPage returns the body of the page at u.
func openPage(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %v", u, resp.StatusCode, err)
	}
	return string(b)
}

// A save with a mistake shows the overlay and no page reloads before it; once fixed
// (the overlay cleared at the end of the build), the next save reloads its tab first again.
func TestMistakeIsNotReloadedFirst(t *testing.T) {
	dir, _, _, viewer := viewingArticleA(t)

	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: \"Bài A\"\ndate: [\n---\nx\n")
	if e := viewer.next(t, 20*time.Second); e.name != "held-back" {
		t.Fatalf("a save with a mistake: %+v, want the overlay first", e)
	}
	if e := viewer.next(t, 20*time.Second); e.name != "reload" || strings.Contains(e.data, "first") {
		t.Fatalf("a save with a mistake: then %+v, want the build's reload", e)
	}
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Đã sửa lỗi."))
	for _, want := range []string{"build-ok", "reload"} {
		if e := viewer.next(t, 20*time.Second); e.name != want || strings.Contains(e.data, "first") {
			t.Fatalf("the fix: %+v, want %s at the end of the build", e, want)
		}
	}
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Sửa tiếp."))
	if e := viewer.next(t, 20*time.Second); e.name != "reload" || !strings.Contains(e.data, `"first":true`) {
		t.Errorf("the next save: %+v, want its page first", e)
	}
}

// Saves in quick succession, the second while the first is still being built after its
// viewed page was reloaded, leave the preview's output equal to a fresh build's.
func TestRapidSavesEndAsAFreshBuild(t *testing.T) {
	dir, s, base, viewer := viewingArticleA(t)

	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: \"Bài A\"\ndate: 2020-01-01\nprovinces: [\"Hà Tĩnh\"]\nsummary: \"Tóm tắt một\"\n---\nLần một.\n")
	if e := viewer.next(t, 20*time.Second); e.name != "reload" {
		t.Fatalf("first save: %+v, want reload", e)
	}
	// At once: the first save's build may still be rendering the rest of the site.
	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: \"Bài A\"\ndate: 2020-01-01\nprovinces: [\"Hà Tĩnh\"]\nsummary: \"Tóm tắt hai\"\n---\nLần hai.\n")
	write(t, dir, "content/tin-tuc/b.md", article("Bài B mới", "Đổi cả tiêu đề."))
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.mu.Lock() // no build running
		page := openPage(t, base+"/tin-tuc/b/")
		done := strings.Contains(page, "Bài B mới") && strings.Contains(openPage(t, base+"/tin-tuc/"), "Tóm tắt hai")
		if done {
			got := sitetest.ReadTree(t, s.out.Dir())
			s.mu.Unlock()
			sitetest.CompareTrees(t, "after two saves", got, freshBuild(t, dir), func(name string) bool {
				return strings.HasPrefix(name, ".search")
			})
			return
		}
		s.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatal("the saves were not built within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// freshBuild builds dir as a new preview session's first build does and returns its files.
func freshBuild(t *testing.T, dir string) map[string]string {
	t.Helper()
	out, err := publish.TempFolder("fresh-")
	if err != nil {
		t.Fatal(err)
	}
	defer out.Remove()
	_, err = build.Run(context.Background(), build.Options{
		SiteDir: dir, Include: content.Include{Drafts: true, Future: true}, Preview: true, LiveReloadURL: scriptURL,
		Cache: build.NewMemoryCache(), NoSearch: true,
		Output: func(ctx context.Context) (publish.Sink, error) { return out, out.Begin(ctx) },
	})
	if err != nil {
		t.Fatal(err)
	}
	return sitetest.ReadTree(t, out.Dir())
}

// viewingArticleA starts a preview of a new site and a tab's event stream that shows
// /tin-tuc/a/, past its "connected" event.
func viewingArticleA(t *testing.T) (dir string, s *Session, base string, viewer *stream) {
	t.Helper()
	dir = newSite(t)
	s = newSession(t, dir)
	base = serveReal(t, s, 0)
	viewer = openStream(t, base, "?path=/tin-tuc/a/", "")
	if e := viewer.next(t, 5*time.Second); e.name != "connected" {
		t.Fatalf("first event %+v, want connected", e)
	}
	return dir, s, base, viewer
}
