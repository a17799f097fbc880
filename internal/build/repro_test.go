package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// sampleSite copies the repository's sample site (config.toml, content/, themes/) into a
// new folder: a clean checkout of it.
func sampleSite(t *testing.T) string {
	t.Helper()
	root := sitetest.RepoRoot(t)
	dir := t.TempDir()
	for _, sub := range []string{"content", "themes"} {
		sitetest.CopyTree(t, filepath.Join(root, sub), filepath.Join(dir, sub))
	}
	b, err := os.ReadFile(filepath.Join(root, "config.toml"))
	if err != nil {
		t.Fatal(err)
	}
	sitetest.WriteFiles(t, dir, map[string]string{"config.toml": string(b)})
	return dir
}

// reproBuild builds site into dest with the cache folder cache, as `portal build` does.
func reproBuild(t *testing.T, site, dest, cache string) Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{SiteDir: site, Dest: dest, Now: fixedNow, Minify: true,
		Precompress: true, Changes: true, Cache: DiskCache(cache, "test-binary")})
	if err != nil {
		t.Fatalf("build: %v\n%v", err, rep.Diagnostics)
	}
	return rep
}

// treeDiff lists the paths whose bytes differ between two trees (added, modified and
// deleted alike), sorted.
func treeDiff(a, b map[string]string) []string {
	var out []string
	for p, x := range a {
		if y, ok := b[p]; !ok || x != y {
			out = append(out, p)
		}
	}
	for p := range b {
		if _, ok := a[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

func TestUnchangedRebuildIsByteIdentical(t *testing.T) {
	site := sampleSite(t)
	dest, cache := filepath.Join(t.TempDir(), "public"), t.TempDir()
	reproBuild(t, site, dest, cache)
	before := sitetest.ReadTree(t, dest)
	if _, ok := before[".search/manifest.json"]; !ok {
		t.Fatal("the sample site has no search index")
	}
	rep := reproBuild(t, site, dest, cache)
	after := sitetest.ReadTree(t, dest)
	if d := treeDiff(before, after); len(d) > 0 {
		t.Errorf("an unchanged rebuild changed %q", d)
	}
	if !rep.Search.Reused {
		t.Errorf("the search index was not carried over: %+v", rep.Search)
	}
	if len(rep.Publish.Changes) != 0 {
		t.Errorf("an unchanged rebuild lists changes: %v", rep.Publish.Changes)
	}
}

func TestChangesListWhatAnEditChanged(t *testing.T) {
	site := sampleSite(t)
	dest, cache := filepath.Join(t.TempDir(), "public"), t.TempDir()
	reproBuild(t, site, dest, cache)
	before := sitetest.ReadTree(t, dest)

	const file = "content/tin-tuc/lam-dong-kiem-tra-va-don-doc-viec-ung-dung-cntt-tai-mot-so-huyen-thi.md"
	p := filepath.Join(site, filepath.FromSlash(file))
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "title: \"", "title: \"Tin sửa: ", 1)
	if edited == string(b) {
		t.Fatal("no title to edit")
	}
	if err := os.WriteFile(p, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := reproBuild(t, site, dest, cache)
	after := sitetest.ReadTree(t, dest)

	var listed []string
	for _, c := range rep.Publish.Changes {
		// The index's incremental update writes new segment files.
		if c.Op != publish.Modified && !strings.HasPrefix(c.Path, ".search/") {
			t.Errorf("editing a title added or deleted a file: %v", c)
		}
		listed = append(listed, c.Path)
	}
	if want := treeDiff(before, after); !slices.Equal(listed, want) {
		t.Errorf("changes list %q,\nthe files that changed are %q", listed, want)
	}
	for _, want := range []string{
		"tin-tuc/lam-dong-kiem-tra-va-don-doc-viec-ung-dung-cntt-tai-mot-so-huyen-thi/index.html",
		"index.html", "tin-tuc/index.html", "index.xml", ".search/manifest.json",
	} {
		if !slices.Contains(listed, want) {
			t.Errorf("%s is not listed as changed: %q", want, listed)
		}
	}
	if len(listed) > len(before)/2 {
		t.Errorf("one edit lists %d of %d files", len(listed), len(before))
	}
}

// TestCleanBuildsOnTwoCheckoutsAreIdentical builds two copies of the sample site, each
// with its own cache folder, into two output folders: every file has the same bytes,
// the search index included.
func TestCleanBuildsOnTwoCheckoutsAreIdentical(t *testing.T) {
	var trees []map[string]string
	for range 2 {
		site := sampleSite(t)
		dest := filepath.Join(t.TempDir(), "public")
		reproBuild(t, site, dest, t.TempDir())
		trees = append(trees, sitetest.ReadTree(t, dest))
	}
	if d := treeDiff(trees[0], trees[1]); len(d) > 0 {
		t.Errorf("two clean builds of the same sources differ in %q", d)
	}
	if _, ok := trees[0][".search/store/root.bolt"]; !ok {
		t.Error("no search index was compared")
	}
}

func TestNextScheduled(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC) // 17:00 in Hà Nội
	parse := func(name, fm string) *content.Document {
		t.Helper()
		d, ds := content.Parse("content/tin-tuc/"+name+".md", []byte("---\ntitle: \""+name+"\"\n"+fm+"\n---\nNội dung.\n"), content.Schema{})
		if d == nil {
			t.Fatalf("%s: %v", name, ds)
		}
		return d
	}
	vn := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, time.FixedZone("+07", 7*3600))
	}
	published := parse("da-dang", "date: 2026-12-01")
	embargo := parse("hen-gio", "date: 2026-12-01\npublishDate: 2026-12-07 08:00") // no zone: Hà Nội time
	later := parse("sau-nua", "date: 2026-12-20 09:30")
	expiring := parse("het-han", "date: 2026-11-01\nexpiryDate: 2026-12-09T00:00:00+07:00")
	soonExpiring := parse("het-han-som", "date: 2026-11-01\nexpiryDate: 2026-12-06 20:00")
	draft := parse("nhap", "date: 2026-12-06 18:00\ndraft: true")
	never := parse("khong-bao-gio", "date: 2026-12-10\nexpiryDate: 2026-12-08") // expires before it appears
	gone := parse("da-het", "date: 2026-11-01\nexpiryDate: 2026-12-01")

	cases := []struct {
		name string
		docs []*content.Document
		inc  content.Include
		want Scheduled
	}{
		{"nothing", []*content.Document{published, gone}, content.Include{}, Scheduled{}},
		{"embargo", []*content.Document{published, later, embargo, never, gone}, content.Include{},
			Scheduled{At: vn(2026, 12, 7, 8, 0), Path: embargo.Path}},
		{"expiry first", []*content.Document{embargo, expiring, soonExpiring}, content.Include{},
			Scheduled{At: vn(2026, 12, 6, 20, 0), Path: soonExpiring.Path, Expires: true}},
		{"a draft is not scheduled", []*content.Document{draft, later}, content.Include{},
			Scheduled{At: vn(2026, 12, 20, 9, 30), Path: later.Path}},
		{"drafts built", []*content.Document{draft, later}, content.Include{Drafts: true},
			Scheduled{At: vn(2026, 12, 6, 18, 0), Path: draft.Path}},
		{"--future: only expiries", []*content.Document{embargo, later, never, expiring}, content.Include{Future: true},
			Scheduled{At: vn(2026, 12, 8, 0, 0), Path: never.Path, Expires: true}},
		{"--expired: only publications", []*content.Document{expiring, later}, content.Include{Expired: true},
			Scheduled{At: vn(2026, 12, 20, 9, 30), Path: later.Path}},
	}
	for _, c := range cases {
		got := NextScheduled(c.docs, now, c.inc)
		if !got.At.Equal(c.want.At) || got.Path != c.want.Path || got.Expires != c.want.Expires {
			t.Errorf("%s: %v %s %v, want %v %s %v", c.name, got.At, got.Path, got.Expires, c.want.At, c.want.Path, c.want.Expires)
		}
	}
}

// TestRunReportsNextScheduled runs a build with a fixed clock.
func TestRunReportsNextScheduled(t *testing.T) {
	site := sitetest.NewSite(t, map[string]string{
		"config.toml":               "title = \"Cổng thử\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/a.md":      article("Bài đã đăng", "2025-12-01"),
		"content/tin-tuc/b.md":      article("Thông cáo hẹn giờ", "2025-12-01", "publishDate: 2026-01-05 08:00"),
		"content/tin-tuc/c.md":      article("Bài hẹn sau", "2026-02-01"),
		"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\ndate: 2026-01-02\n---\n",
	})
	rep, err := runBuild(t, site, func(o *Options) { o.Dest = filepath.Join(t.TempDir(), "public") })
	if err != nil {
		t.Fatalf("%v\n%v", err, rep.Diagnostics)
	}
	want := time.Date(2026, 1, 5, 1, 0, 0, 0, time.UTC)
	if n := rep.NextScheduled; !n.At.Equal(want) || n.Path != "content/tin-tuc/b.md" || n.Expires {
		t.Errorf("next scheduled = %+v, want %v content/tin-tuc/b.md", n, want)
	}
	if rep.Articles != 1 {
		t.Errorf("%d articles published at the fixed clock, want 1", rep.Articles)
	}
}
