package preview

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

const cfgTOML = `baseURL = "http://127.0.0.1/"
title = "Xem trước"
`

func article(title, body string) string {
	return "---\ntitle: \"" + title + "\"\ndate: 2020-01-01\nprovinces: [\"Hà Tĩnh\"]\n---\n" + body + "\n"
}

// newSite writes a small site using the embedded default theme.
func newSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.toml":             cfgTOML,
		"content/tin-tuc/a.md":    article("Bài A", "Nội dung ban đầu."),
		"content/tin-tuc/b.md":    article("Bài B", "Bài thứ hai."),
		"content/tin-tuc/nhap.md": "---\ntitle: \"Bản nháp\"\ndate: 2020-01-02\ndraft: true\n---\nNháp.\n",
		"static/css/extra.css":    "body{}\n",
	}
	sitetest.WriteFiles(t, dir, files)
	return dir
}

type running struct {
	s      *Session
	srv    *httptest.Server
	cancel context.CancelFunc
}

func start(t *testing.T, dir string) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s, err := New(ctx, Options{SiteDir: dir, Drafts: true, Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	go s.Watch(ctx)
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.Handler = s.Handler(srv.Listener)
	srv.Start()
	t.Cleanup(func() { cancel(); s.Close(); srv.Close() })
	time.Sleep(50 * time.Millisecond) // let the watcher register
	return &running{s, srv, cancel}
}

func (r *running) get(t *testing.T, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", r.srv.URL+path, nil)
	req.Header.Set("Accept", "text/html")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// waitBuilds waits until the session has finished more than n builds.
func (r *running) waitBuilds(t *testing.T, n int64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for r.s.Builds() <= n {
		if time.Now().After(deadline) {
			t.Fatalf("no rebuild after %d builds", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func write(t *testing.T, dir, rel, body string) {
	t.Helper()
	sitetest.WriteFiles(t, dir, map[string]string{rel: body})
}

func TestPreviewRebuildsOnSave(t *testing.T) {
	dir := newSite(t)
	r := start(t, dir)
	code, body := r.get(t, "/tin-tuc/a/")
	if code != 200 || !strings.Contains(body, "Nội dung ban đầu.") {
		t.Fatalf("first page: %d", code)
	}
	if !strings.Contains(body, scriptURL) {
		t.Error("preview pages must load the live reload script")
	}
	if _, body := r.get(t, "/tin-tuc/nhap/"); !strings.Contains(body, "Bản nháp") {
		t.Error("drafts are shown in preview")
	}
	public := filepath.Join(dir, "public")
	if _, err := os.Stat(public); !os.IsNotExist(err) {
		t.Error("preview must never write the site's public/")
	}

	n := r.s.Builds()
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Nội dung đã sửa."))
	r.waitBuilds(t, n)
	if _, body := r.get(t, "/tin-tuc/a/"); !strings.Contains(body, "Nội dung đã sửa.") {
		t.Error("edited text not served after the rebuild")
	}

	// Editor temp files do not trigger builds.
	n = r.s.Builds()
	for _, name := range []string{"4913", ".a.md.swp", "a.md~", ".#a.md", "a.md___jb_tmp___", ".goutputstream-XYZ"} {
		write(t, dir, "content/tin-tuc/"+name, "rác")
	}
	time.Sleep(300 * time.Millisecond)
	if r.s.Builds() != n {
		t.Errorf("editor temp files caused %d rebuilds", r.s.Builds()-n)
	}

	// An atomic save (temp file + rename) is one change.
	n = r.s.Builds()
	write(t, dir, "content/tin-tuc/.b.md.tmp", article("Bài B", "Lưu kiểu nguyên tử."))
	os.Rename(filepath.Join(dir, "content/tin-tuc/.b.md.tmp"), filepath.Join(dir, "content/tin-tuc/b.md"))
	r.waitBuilds(t, n)
	time.Sleep(150 * time.Millisecond)
	if got := r.s.Builds() - n; got != 1 {
		t.Errorf("atomic save caused %d rebuilds, want 1", got)
	}
	if _, body := r.get(t, "/tin-tuc/b/"); !strings.Contains(body, "Lưu kiểu nguyên tử.") {
		t.Error("atomic save not picked up")
	}

	// A folder created later is watched.
	n = r.s.Builds()
	write(t, dir, "content/thong-bao/moi.md", article("Thông báo mới", "Mới."))
	r.waitBuilds(t, n)
	if code, _ := r.get(t, "/thong-bao/moi/"); code != 200 {
		t.Errorf("article in a new folder: %d", code)
	}
	n = r.s.Builds()
	write(t, dir, "content/thong-bao/sau.md", article("Thông báo sau", "Sau."))
	r.waitBuilds(t, n)
	if code, _ := r.get(t, "/thong-bao/sau/"); code != 200 {
		t.Errorf("second article in the new folder: %d", code)
	}

	// A deleted article disappears and leaves every list.
	n = r.s.Builds()
	os.Remove(filepath.Join(dir, "content/tin-tuc/b.md"))
	r.waitBuilds(t, n)
	if code, _ := r.get(t, "/tin-tuc/b/"); code != 404 {
		t.Errorf("deleted article: %d, want 404", code)
	}
	for _, list := range []string{"/", "/tin-tuc/", "/tinh/ha-tinh/"} {
		if _, body := r.get(t, list); strings.Contains(body, "/tin-tuc/b/") {
			t.Errorf("%s still links the deleted article", list)
		}
	}
}

func TestPreviewErrorOverlayState(t *testing.T) {
	dir := newSite(t)
	r := start(t, dir)
	n := r.s.Builds()
	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: \"Bài A\"\ndate: [\n---\nx\n")
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "Bài thứ hai, sửa cùng lúc."))
	r.waitBuilds(t, n)
	// The article is held back (the build did not fail): the overlay names file:line.
	e := r.s.hub.heldBack()
	if r.s.hub.failure() != nil || e == nil || !strings.Contains(e.data, "content/tin-tuc/a.md:3") {
		t.Fatalf("held-back event must carry file:line, got %+v (failure %+v)", e, r.s.hub.failure())
	}
	// Its last version is still served, the lists do not link it, the rest updated.
	if code, body := r.get(t, "/tin-tuc/a/"); code != 200 || !strings.Contains(body, "Nội dung ban đầu.") {
		t.Errorf("the held-back article's last version is not served: %d", code)
	}
	if _, body := r.get(t, "/tin-tuc/"); strings.Contains(body, "/tin-tuc/a/") {
		t.Error("the section lists the held-back article")
	}
	if _, body := r.get(t, "/tin-tuc/b/"); !strings.Contains(body, "sửa cùng lúc") {
		t.Error("the rest of the site did not update while an article is held back")
	}
	n = r.s.Builds()
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Đã sửa lỗi."))
	r.waitBuilds(t, n)
	if r.s.hub.failure() != nil || r.s.hub.heldBack() != nil {
		t.Error("fixing the file must clear the overlay")
	}
	if _, body := r.get(t, "/tin-tuc/a/"); !strings.Contains(body, "Đã sửa lỗi.") {
		t.Error("the fixed article is not published")
	}
}

// A site-level error (config.toml) fails the build: the last good site stays.
func TestPreviewSiteErrorFailsBuild(t *testing.T) {
	dir := newSite(t)
	r := start(t, dir)
	n := r.s.Builds()
	write(t, dir, "config.toml", "title = [\n")
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "Không được xuất bản khi cấu hình hỏng."))
	r.waitBuilds(t, n)
	if e := r.s.hub.failure(); e == nil || !strings.Contains(e.data, "config.toml:1") {
		t.Fatalf("failure event must carry file:line, got %+v", e)
	}
	if _, body := r.get(t, "/tin-tuc/b/"); strings.Contains(body, "Không được xuất bản") || !strings.Contains(body, "Bài thứ hai.") {
		t.Error("a failed build changed the served site")
	}
}

func TestPreviewFirstBuildFailsShowsErrorPage(t *testing.T) {
	dir := newSite(t)
	write(t, dir, "config.toml", "title = [\n")
	r := start(t, dir)
	code, body := r.get(t, "/")
	if code != 500 || !strings.Contains(body, "config.toml:1") || !strings.Contains(body, scriptURL) {
		t.Errorf("want an error page with file:line and the reload script, got %d %s", code, body)
	}
}

// TestPreviewSearchFollowsEdits: the preview's search answers from an index updated after
// each save (once the builds pause), for new words, edits and deletions.
func TestPreviewSearchFollowsEdits(t *testing.T) {
	dir := newSite(t)
	r := start(t, dir)
	hits := func(q string) int {
		t.Helper()
		resp, err := http.Get(r.srv.URL + "/api/search?q=" + url.QueryEscape(q))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res struct{ Total int }
		if resp.StatusCode == http.StatusServiceUnavailable {
			return -1 // the first index is not there yet
		}
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil || resp.StatusCode != 200 {
			t.Fatalf("search %q: %d %v", q, resp.StatusCode, err)
		}
		return res.Total
	}
	eventually := func(q string, want int) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for hits(q) != want {
			if time.Now().After(deadline) {
				t.Fatalf("search %q: %d hits, want %d", q, hits(q), want)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	eventually("thứ hai", 1)
	eventually("xoài cát Hòa Lộc", 0)

	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Hội chợ xoài cát Hòa Lộc."))
	eventually("xoai cat hoa loc", 1)
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "Nội dung khác."))
	eventually("xoài cát Hòa Lộc", 0)
	os.Remove(filepath.Join(dir, "content/tin-tuc/b.md"))
	eventually("thứ hai", 0)
}
