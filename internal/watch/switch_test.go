package watch

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

var versionRe = regexp.MustCompile(`Phiên bản (\d+)`)

// version returns the one version a body shows; a body showing two versions, or none,
// fails the test.
func version(t *testing.T, what, body string) int {
	seen := map[string]bool{}
	for _, m := range versionRe.FindAllStringSubmatch(body, -1) {
		seen[m[1]] = true
	}
	if len(seen) != 1 {
		t.Errorf("%s shows versions %v", what, seen)
		return -1
	}
	for v := range seen {
		n, _ := strconv.Atoi(v)
		return n
	}
	return -1
}

// Readers that fetch an article, then its list, then search for it, then the article
// again, while the article is rebuilt again and again, never see a state older than
// one they saw before (the page, its list and the search index switch together), never a
// page showing two versions, and never a missing page while the output is swapped.
func TestReadersNeverSeeAMixedState(t *testing.T) {
	const versions = 12
	dir := newSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Phiên bản 0", "2024-01-05", "", "Bài đồngthời, phiên bản đầu."),
	})
	r := start(t, dir, nil, false)
	var stop atomic.Bool
	var checks atomic.Int64
	var mu sync.Mutex
	seen := map[int]bool{}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() && !t.Failed() {
				c1, page := r.get(t, "/tin-tuc/a/")
				c2, list := r.get(t, "/tin-tuc/")
				titles := r.searchTitles(t, "đồngthời")
				c3, again := r.get(t, "/tin-tuc/a/")
				if c1 != http.StatusOK || c2 != http.StatusOK || c3 != http.StatusOK || len(titles) != 1 {
					t.Errorf("statuses %d %d %d, search %q", c1, c2, c3, titles)
					return
				}
				p, l, s, p2 := version(t, "the page", page), version(t, "the list", list), version(t, "the search answer", titles[0]), version(t, "the page", again)
				if !(p <= l && l <= s && s <= p2) {
					t.Errorf("page %d, then list %d, then search %d, then page %d: an older state after a newer one", p, l, s, p2)
					return
				}
				mu.Lock()
				seen[p], seen[p2] = true, true
				mu.Unlock()
				checks.Add(1)
			}
		})
	}
	a := filepath.Join(dir, "content", "tin-tuc", "a.md")
	for v := 1; v <= versions; v++ {
		write(t, dir, "content/tin-tuc/a.md", article("Phiên bản "+strconv.Itoa(v), "2024-01-05", "", "Bài đồngthời, bản "+strconv.Itoa(v)+"."))
		if _, err := r.s.Rebuild(context.Background(), []string{a}); err != nil {
			t.Fatalf("rebuild %d: %v", v, err)
		}
	}
	stop.Store(true)
	wg.Wait()
	if checks.Load() < versions {
		t.Errorf("only %d checks during %d rebuilds", checks.Load(), versions)
	}
	if len(seen) < 3 {
		t.Errorf("the readers saw versions %v only: they did not read across the rebuilds", seen)
	}
	t.Logf("%d checks, versions seen %v", checks.Load(), seen)
}

// A rebuild that fails keeps the last good site served and on disk, says why in the log,
// and the next save that fixes it publishes everything changed meanwhile. An article whose
// own file is broken is held back: it keeps its published page while the rest updates.
func TestBrokenEditKeepsTheLastGoodState(t *testing.T) {
	dir := newSite(t, nil)
	r := start(t, dir, nil, true)
	index := filepath.Join(dir, "public", "index.html")
	before, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	write(t, dir, "config.toml", cfgTOML+"[markup\n")
	eventually(t, "the failed rebuild is logged", func() bool { _, failed := r.s.Builds(); return failed == 1 })
	if log := r.log.String(); !strings.Contains(log, "config.toml:") || !strings.Contains(log, "Dựng lại thất bại: máy chủ tiếp tục phục vụ") {
		t.Errorf("the log does not say what failed:\n%s", log)
	}
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "2024-01-01", "", "Sửa trong lúc config hỏng lụcbảo."))
	eventually(t, "the second failed rebuild", func() bool { _, failed := r.s.Builds(); return failed >= 2 })
	if c, b := r.get(t, "/tin-tuc/a/"); !contains(c, b, "Nội dung ban đầu") {
		t.Errorf("the last good page is not served: %d", c)
	}
	if after, err := os.ReadFile(index); err != nil || string(after) != string(before) {
		t.Errorf("a failed rebuild changed the output: %v", err)
	}
	write(t, dir, "config.toml", cfgTOML)
	eventually(t, "the fix publishes the edit made meanwhile", func() bool { c, b := r.get(t, "/tin-tuc/a/"); return contains(c, b, "lụcbảo") })

	// One broken article: held back with its last page, the others published.
	write(t, dir, "content/tin-tuc/a.md", "---\ntitle: [Bài A\ndate: 2024-01-01\n---\nHỏng rồi.\n")
	write(t, dir, "content/tin-tuc/b.md", article("Bài B", "2024-01-02", "", "Bài B sửa ngọcbích."))
	eventually(t, "the other article is published", func() bool { c, b := r.get(t, "/tin-tuc/b/"); return contains(c, b, "ngọcbích") })
	if c, b := r.get(t, "/tin-tuc/a/"); !contains(c, b, "lụcbảo") {
		t.Errorf("the held-back article lost its page: %d", c)
	}
	eventually(t, "the log names the held-back article's error", func() bool {
		log := r.log.String()
		return strings.Contains(log, "content/tin-tuc/a.md:2:") && strings.Contains(log, "1 bài có lỗi chưa được cập nhật")
	})
	write(t, dir, "content/tin-tuc/a.md", article("Bài A", "2024-01-01", "", "Đã sửa xong ngọctrai."))
	eventually(t, "the fixed article is published", func() bool { c, b := r.get(t, "/tin-tuc/a/"); return contains(c, b, "ngọctrai") })
}

// With --lang en the log is in English.
func TestLogInEnglish(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{"config.toml": cfgTOML, "content/tin-tuc/a.md": article("Bài A", "2024-01-01", "", "A.")})
	r := startWith(t, Options{SiteDir: dir, Lang: message.En}, false)
	write(t, dir, "config.toml", cfgTOML+"[markup\n")
	if _, err := r.s.Rebuild(context.Background(), nil); err == nil {
		t.Fatal("a broken config.toml built")
	}
	if log := r.log.String(); !strings.Contains(log, "published: ") || !strings.Contains(log, "Rebuild failed: the server keeps serving the last successful build") {
		t.Errorf("log:\n%s", log)
	}
}

// The server's gate holds readers off for the renames and the search index's reload
// only: by the time the Writer has fsynced the output folder (its step "applied", before
// the journal and the staging folder are removed), readers are let in again and get the
// new page and the new search answer. Before, the fsyncs and the removal of the staging
// folder ran inside the gate, on the path from a save to its first response; a request
// made at "applied" then waited for the step itself, and this test timed out.
func TestReadersAreLetInBeforeTheOutputIsSynced(t *testing.T) {
	dir := newSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Phiên bản 0", "2024-01-05", "", "Bài đồngthời, phiên bản đầu."),
	})
	r := start(t, dir, nil, false)
	write(t, dir, "content/tin-tuc/a.md", article("Phiên bản 1", "2024-01-05", "", "Bài đồngthời, bản 1."))
	client := &http.Client{Timeout: 20 * time.Second} // far more than a request takes: a request held by the gate never comes back
	type answer struct {
		page, search string
		err          error
	}
	var got []answer
	ctx := publish.WithStep(context.Background(), func(name string) {
		if name != "applied" {
			return
		}
		var a answer
		get := func(path string) string {
			resp, err := client.Get(r.base + path)
			if err != nil {
				a.err = err
				return ""
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			if err != nil {
				a.err = err
			}
			return string(b)
		}
		a.page = get("/tin-tuc/a/")
		a.search = get("/api/search?q=" + url.QueryEscape("đồngthời"))
		got = append(got, a)
	})
	if _, err := r.s.Rebuild(ctx, []string{filepath.Join(dir, "content", "tin-tuc", "a.md")}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("the step \"applied\" came %d times, want once", len(got))
	}
	if a := got[0]; a.err != nil {
		t.Fatalf("a request made once the output was synced did not come back: %v", a.err)
	}
	if v := version(t, "the page", got[0].page); v != 1 {
		t.Errorf("the page read at \"applied\" shows version %d, want 1", v)
	}
	if !strings.Contains(got[0].search, "Phiên bản 1") {
		t.Errorf("the search answer at \"applied\" is not the new one: %s", got[0].search)
	}
}

// The new search index generation is opened and verified before the journal, from the
// Writer's staging folder, so that the switch only swaps it in: readers are not held
// while its doc table is read. Shown by damaging the staging copy of the index's
// manifest once the journal is written: the generation opened before is served all the
// same. (Before, the switch reloaded the index from the output, found the damaged
// manifest and kept serving the old generation: the search answered "Phiên bản 0".)
func TestTheNewIndexIsOpenedBeforeTheSwitch(t *testing.T) {
	dir := newSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Phiên bản 0", "2024-01-05", "", "Bài đồngthời, phiên bản đầu."),
	})
	r := start(t, dir, nil, false)
	if got := r.searchTitles(t, "đồngthời"); len(got) != 1 || got[0] != "Phiên bản 0" {
		t.Fatalf("first search: %q", got)
	}
	write(t, dir, "content/tin-tuc/a.md", article("Phiên bản 1", "2024-01-05", "", "Bài đồngthời, bản 1."))
	damaged := 0
	ctx := publish.WithStep(context.Background(), func(name string) {
		if name != "journaled" {
			return
		}
		staged, _ := filepath.Glob(filepath.Join(dir, ".public.tmp-*", ".search", "manifest.json"))
		for _, m := range staged {
			if err := os.WriteFile(m, []byte("hỏng"), 0o644); err != nil {
				t.Error(err)
			}
			damaged++
		}
	})
	if _, err := r.s.Rebuild(ctx, []string{filepath.Join(dir, "content", "tin-tuc", "a.md")}); err != nil {
		t.Fatal(err)
	}
	if damaged != 1 {
		t.Fatalf("damaged %d staged index manifests, want 1", damaged)
	}
	if got := r.searchTitles(t, "đồngthời"); len(got) != 1 || got[0] != "Phiên bản 1" {
		t.Errorf("search after the switch: %q, want the new generation, opened before the journal", got)
	}
	if c, b := r.get(t, "/tin-tuc/a/"); c != http.StatusOK || version(t, "the page", b) != 1 {
		t.Errorf("page after the switch: %d", c)
	}
}
