package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/sitetest"
)

// Every rebuild of `portal serve --watch` leaves the output a fresh `portal build` of the
// same files would (pages, lists, feeds, sitemap, .gz siblings, manifest; the search
// index is compared by what it answers elsewhere): after an edit, a new title, a new
// article, a rename, a deletion, a configuration change and a layout change, with the
// kept pages kept unread while nothing else touches the output. Then, after another
// build's staging folder came and went beside the output and a kept page was
// overwritten by hand, the next rebuild checks the kept pages again and writes that one
// anew.
func TestRebuildsEqualAFreshBuild(t *testing.T) {
	more := map[string]string{}
	for i, name := range []string{"c", "d", "e", "f", "g", "h"} {
		more["content/tin-tuc/"+name+".md"] = article("Bài "+strings.ToUpper(name), "2024-02-0"+string(rune('1'+i)), "", "Nội dung bài "+name+".")
	}
	dir := newSite(t, more)
	clock := &fakeClock{now: time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)}
	r := start(t, dir, clock, false)
	public := filepath.Join(dir, "public")
	compare := func(step string) {
		t.Helper()
		fresh := filepath.Join(t.TempDir(), "public")
		if _, err := build.Run(context.Background(), build.Options{SiteDir: dir, Dest: fresh, Now: clock.Now(), Include: content.Include{},
			Minify: true, Precompress: true, Cache: build.NoCache()}); err != nil {
			t.Fatalf("%s: fresh build: %v", step, err)
		}
		got, want := sitetest.ReadTree(t, public), sitetest.ReadTree(t, fresh)
		for name, b := range want {
			if strings.HasPrefix(name, ".search/") {
				continue
			}
			if g, ok := got[name]; !ok {
				t.Errorf("%s: %s is missing from the served output", step, name)
			} else if g != b {
				t.Errorf("%s: %s differs from a fresh build's", step, name)
			}
		}
		for name := range got {
			if _, ok := want[name]; !ok && !strings.HasPrefix(name, ".search/") {
				t.Errorf("%s: %s should be gone", step, name)
			}
		}
	}
	rebuild := func(step string, rels ...string) build.Report {
		t.Helper()
		var paths []string
		for _, rel := range rels {
			paths = append(paths, filepath.Join(dir, filepath.FromSlash(rel)))
		}
		rep, err := r.s.Rebuild(context.Background(), paths)
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		compare(step)
		return rep
	}
	compare("first build")

	write(t, dir, "content/tin-tuc/c.md", article("Bài C", "2024-02-01", "", "Nội dung đã sửa của bài c."))
	if rep := rebuild("edit", "content/tin-tuc/c.md"); rep.Reused == 0 {
		t.Errorf("edit: rendered %d pages, kept none", rep.Rendered)
	}
	write(t, dir, "content/tin-tuc/d.md", article("Bài D có tên mới", "2024-02-02", "", "Nội dung bài d."))
	rebuild("new title", "content/tin-tuc/d.md")
	write(t, dir, "content/tin-tuc/moi.md", article("Bài mới", "2024-03-01", "", "Bài mới tinh."))
	rebuild("new article", "content/tin-tuc/moi.md")
	if err := os.Rename(filepath.Join(dir, "content/tin-tuc/moi.md"), filepath.Join(dir, "content/tin-tuc/moi-doi-ten.md")); err != nil {
		t.Fatal(err)
	}
	rebuild("rename", "content/tin-tuc/moi.md", "content/tin-tuc/moi-doi-ten.md")
	if err := os.Remove(filepath.Join(dir, "content/tin-tuc/e.md")); err != nil {
		t.Fatal(err)
	}
	rebuild("delete", "content/tin-tuc/e.md")
	write(t, dir, "config.toml", strings.Replace(cfgTOML, "Cổng thông tin", "Cổng thông tin điện tử", 1))
	rebuild("configuration", "config.toml")
	if err := os.MkdirAll(filepath.Join(dir, "layouts"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, dir, "layouts/article.html", `{{ template "baseof" . }}{{ define "main" }}<h1 class="bai">{{ .Page.Title }}</h1>{{ end }}`)
	rebuild("layout", "layouts/article.html")
	write(t, dir, "content/tin-tuc/c.md", article("Bài C", "2024-02-01", "", "Lần sửa thứ hai."))
	if rep := rebuild("edit after the layout", "content/tin-tuc/c.md"); !rep.Publish.Listed {
		t.Error("a rebuild with nothing else touching the output did not plan from the last listing")
	}

	// Something else touched the output: another build's staging folder beside it, and a
	// kept page overwritten by hand.
	other := filepath.Join(filepath.Dir(public), ".public.tmp-other")
	if err := os.Mkdir(other, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(other); err != nil {
		t.Fatal(err)
	}
	write(t, public, "tin-tuc/f/index.html", "<p>sửa tay</p>")
	write(t, dir, "content/tin-tuc/g.md", article("Bài G", "2024-02-05", "", "Nội dung mới của g."))
	if rep := rebuild("after a change beside the output", "content/tin-tuc/g.md"); rep.Publish.Listed {
		t.Error("the rebuild after a change beside the output planned from a stale listing")
	}
	write(t, dir, "content/tin-tuc/g.md", article("Bài G", "2024-02-05", "", "Lần sửa thứ hai của g."))
	rebuild("the next edit", "content/tin-tuc/g.md")
}
