package build

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/sitetest"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixedNow keeps future/expiry decisions stable in tests.
var fixedNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func article(title, date string, extra ...string) string {
	return "---\ntitle: \"" + title + "\"\ndate: " + date + "\n" + strings.Join(extra, "\n") + "\n---\nNội dung bài viết.\n"
}

func runBuild(t *testing.T, dir string, mod ...func(*Options)) (Report, error) {
	t.Helper()
	opts := Options{SiteDir: dir, Now: fixedNow, Minify: true}
	for _, m := range mod {
		m(&opts)
	}
	return Run(context.Background(), opts)
}

func hasDiag(ds []diag.Diagnostic, sev diag.Severity, path string, line int, substr string) bool {
	for _, d := range ds {
		if d.Severity == sev && strings.HasSuffix(d.Path, path) && (line == 0 || d.Line == line) && strings.Contains(d.Text(message.En), substr) {
			return true
		}
	}
	return false
}

func TestGoldenSite(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := runBuild(t, src, func(o *Options) { o.Dest = dest; o.Minify = false })
	if err != nil {
		t.Fatalf("build failed: %v\n%v", err, rep.Diagnostics)
	}
	got := sitetest.ReadTree(t, dest)
	goldenDir := filepath.Join(sitetest.RepoRoot(t), "testdata", "golden", "golden-site")
	if *update {
		os.RemoveAll(goldenDir)
		for rel, body := range got {
			p := filepath.Join(goldenDir, filepath.FromSlash(rel))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	want := sitetest.ReadTree(t, goldenDir)
	var names []string
	for k := range want {
		names = append(names, k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("unexpected output file %s (run go test ./internal/build -run Golden -update)", k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		if got[k] != want[k] {
			t.Errorf("%s differs from testdata/golden/golden-site/%s:\n--- got\n%s\n--- want\n%s", k, k, got[k], want[k])
		}
	}
	// Spot checks that make the golden output meaningful, not just stable.
	for _, want := range []string{
		"tin-tuc/hoi-nghi-gia-lai/index.html", "tinh/gia-lai/index.html", "tinh/ha-tinh/index.html",
		"tinh/vinh-phuc/index.html", "tinh/phu-tho/index.html", "tinh/index.xml", "tinh/gia-lai/index.xml",
		"the/nghi-dinh-64-2007-nd-cp/index.html", "chuyen-muc/hoi-nghi/index.html", "luu-tru/2007/index.html",
		"tin-cu/123.html", "sitemap.xml", "robots.txt", "404.html", "index.xml", "gioi-thieu/index.html",
		"tin-tuc/trang/2/index.html", "robots-extra.txt",
	} {
		if _, ok := got[want]; !ok && want != "tinh/index.xml" {
			t.Errorf("missing %s", want)
		}
	}
	if !strings.Contains(got["tinh/vinh-phuc/index.html"], `href="/tinh/phu-tho/"`) {
		t.Error("the page of merged-away Vĩnh Phúc must link to Phú Thọ")
	}
	if !strings.Contains(got["tinh/phu-tho/index.html"], `href="/tinh/vinh-phuc/"`) {
		t.Error("the page of Phú Thọ must link to its predecessor Vĩnh Phúc")
	}
	if !strings.Contains(got["tin-tuc/hoi-nghi-gia-lai/index.html"], "Thứ Ba, 29/05/2007") {
		t.Error("article date must be shown the Vietnamese way")
	}
	if !strings.Contains(got["tin-cu/123.html"], `http-equiv="refresh"`) || !strings.Contains(got["tin-cu/123.html"], "https://golden.example.gov.vn/tin-tuc/hoi-nghi-gia-lai/") {
		t.Error("alias page must redirect to the article")
	}
	if !strings.Contains(got["tin-tuc/hoi-nghi-gia-lai/index.html"], `id="noi-dung-chinh"`) {
		t.Error("heading IDs must use the Vietnamese slug")
	}
	if rep.Pages["article"] != 4 {
		t.Errorf("articles = %d, want 4", rep.Pages["article"])
	}
	// Terms are listed in Vietnamese order: Gia Lai, Hà Tĩnh, Phú Thọ, Tỉnh Thử Nghiệm, Vĩnh Phúc.
	tinh := got["tinh/index.html"]
	order := []string{"Gia Lai", "Hà Tĩnh", "Phú Thọ", "Tỉnh Thử Nghiệm", "Vĩnh Phúc"}
	last := -1
	for _, n := range order {
		i := strings.Index(tinh, ">"+n+"<")
		if i < last {
			t.Errorf("province index not in Vietnamese order at %s", n)
		}
		last = i
	}
}

func TestDeterministic(t *testing.T) {
	src := filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden")
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if _, err := runBuild(t, src, func(o *Options) { o.Dest = a }); err != nil {
		t.Fatal(err)
	}
	if _, err := runBuild(t, src, func(o *Options) { o.Dest = b }); err != nil {
		t.Fatal(err)
	}
	ta, tb := sitetest.ReadTree(t, a), sitetest.ReadTree(t, b)
	if len(ta) == 0 || len(ta) != len(tb) {
		t.Fatalf("trees differ in size: %d vs %d", len(ta), len(tb))
	}
	for k, v := range ta {
		if tb[k] != v {
			t.Errorf("%s differs between two builds of the same input", k)
		}
	}
}

func TestNFCAndNFDGiveOnePage(t *testing.T) {
	nfd := norm.NFD.String("Hà Tĩnh")
	if nfd == "Hà Tĩnh" {
		t.Fatal("test needs a decomposed string")
	}
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Bài một", "2020-01-01", `provinces: ["Hà Tĩnh"]`, `tags: ["Chuyển đổi số"]`),
		"content/tin-tuc/b.md": article("Bài hai", "2020-01-02", `provinces: ["`+nfd+`"]`, `tags: ["`+norm.NFD.String("Chuyển đổi số")+`"]`),
		"content/tin-tuc/" + norm.NFD.String("Đà Nẵng") + ".md": article(norm.NFD.String("Bài về Đà Nẵng"), "2020-01-03", `provinces: ["tỉnh `+nfd+`"]`),
		// The body is normalized once, by content.Parse; Markdown trusts it (markdown.Page.NFC).
		"content/tin-tuc/c.md": "---\ntitle: Bài ba\ndate: 2020-01-04\n---\n" + norm.NFD.String("## Tin ở Hà Tĩnh\n\nNội dung **Hà Tĩnh**.\n"),
	})
	rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
	if err != nil {
		t.Fatalf("%v %v", err, rep.Diagnostics)
	}
	out := sitetest.ReadTree(t, filepath.Join(dir, "public"))
	if _, ok := out["tin-tuc/da-nang/index.html"]; !ok {
		t.Error("an NFD file name must give the same ASCII slug as NFC")
	}
	var tinh, tags []string
	for k := range out {
		if strings.HasPrefix(k, "tinh/") && strings.HasSuffix(k, "/index.html") && k != "tinh/index.html" {
			tinh = append(tinh, k)
		}
		if strings.HasPrefix(k, "the/") && strings.HasSuffix(k, "/index.html") && k != "the/index.html" {
			tags = append(tags, k)
		}
	}
	if len(tinh) != 1 || tinh[0] != "tinh/ha-tinh/index.html" {
		t.Errorf("province pages = %v, want exactly tinh/ha-tinh/index.html", tinh)
	}
	if len(tags) != 1 || tags[0] != "the/chuyen-doi-so/index.html" {
		t.Errorf("tag pages = %v", tags)
	}
	if strings.Count(out["tinh/ha-tinh/index.html"], "/tin-tuc/") < 3 {
		t.Error("all three articles must be on the one Hà Tĩnh page")
	}
	if !strings.Contains(out["tin-tuc/c/index.html"], `id="tin-o-ha-tinh">Tin ở Hà Tĩnh</h2>`) {
		t.Error("the decomposed body's heading is not on its page in NFC")
	}
	for k, v := range out {
		if strings.HasSuffix(k, ".html") && !norm.NFC.IsNormalString(v) {
			t.Errorf("%s is not NFC", k)
		}
	}
}

func TestDraftFutureExpired(t *testing.T) {
	files := map[string]string{
		"content/tin-tuc/published.md": article("Đã xuất bản", "2020-01-01"),
		"content/tin-tuc/draft.md":     article("Bản nháp", "2020-01-01", "draft: true"),
		"content/tin-tuc/future.md":    article("Tương lai", "2030-01-01"),
		"content/tin-tuc/later.md":     article("Hẹn giờ", "2020-01-01", "publishDate: 2031-01-01"),
		"content/tin-tuc/expired.md":   article("Hết hạn", "2020-01-01", "expiryDate: 2021-01-01"),
	}
	cases := []struct {
		inc  content.Include
		want []string
	}{
		{content.Include{}, []string{"published"}},
		{content.Include{Drafts: true}, []string{"published", "draft"}},
		{content.Include{Future: true}, []string{"published", "future", "later"}},
		{content.Include{Expired: true}, []string{"published", "expired"}},
	}
	for _, c := range cases {
		dir := sitetest.NewSite(t, files)
		if _, err := runBuild(t, dir, func(o *Options) { o.Include = c.inc; o.NoSearch = true }); err != nil {
			t.Fatal(err)
		}
		out := sitetest.ReadTree(t, filepath.Join(dir, "public"))
		for _, name := range []string{"published", "draft", "future", "later", "expired"} {
			_, has := out["tin-tuc/"+name+"/index.html"]
			if has != slices.Contains(c.want, name) {
				t.Errorf("include %+v: %s present=%v", c.inc, name, has)
			}
		}
	}
}

func TestCollisionNamesBothFiles(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Một", "2020-01-01", "slug: trung-ten"),
		"content/tin-tuc/b.md": article("Hai", "2020-01-02", "slug: trung-ten"),
	})
	_, err := runBuild(t, dir)
	if err == nil {
		t.Fatal("want a collision error")
	}
	msg := err.Error()
	if !strings.Contains(msg, "content/tin-tuc/a.md") || !strings.Contains(msg, "content/tin-tuc/b.md") || !strings.Contains(msg, "tin-tuc/trung-ten/index.html") {
		t.Errorf("collision error must name both files and the output: %s", msg)
	}
	if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
		t.Error("a failed build must not create the output folder")
	}
}

func TestTraversalRejected(t *testing.T) {
	for _, fm := range []string{
		`slug: "../../etc"`,
		`url: "/../../etc/passwd"`,
		`url: "/tin/%2e%2e/%2e%2e/x"`,
		`url: "https://evil.example/x"`,
		`url: "//evil.example/x"`,
		`aliases: ["..\\..\\x"]`,
		`aliases: ["/a/../../x"]`,
		`slug: "a\\b"`,
	} {
		dir := sitetest.NewSite(t, map[string]string{"content/tin-tuc/a.md": article("Một", "2020-01-01", fm)})
		// By default the article is held back (a new one: left out) and the rest published.
		rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
		if err != nil || len(rep.HeldBack) != 1 || rep.HeldBack[0].Path != "content/tin-tuc/a.md" || len(rep.HeldBack[0].Kept) != 0 {
			t.Errorf("%s: want a.md held back, got %v, %+v", fm, err, rep.HeldBack)
		}
		if !hasDiag(rep.Diagnostics, diag.Error, "content/tin-tuc/a.md", 4, "") {
			t.Errorf("%s: error must point at content/tin-tuc/a.md:4, got %v", fm, rep.Diagnostics)
		}
		rep, err = runBuild(t, dir, func(o *Options) { o.NoSearch, o.Strict = true, true })
		if err == nil {
			t.Errorf("%s: want an error", fm)
			continue
		}
		if !hasDiag(rep.Diagnostics, diag.Error, "content/tin-tuc/a.md", 4, "") {
			t.Errorf("%s: error must point at content/tin-tuc/a.md:4, got %v", fm, rep.Diagnostics)
		}
		filepath.WalkDir(filepath.Dir(dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && (d.Name() == "passwd" || d.Name() == "etc" || d.Name() == "x") {
				t.Errorf("%s: file written outside the site: %s", fm, p)
			}
			return nil
		})
	}
}

func TestBadFrontMatterPositions(t *testing.T) {
	cases := []struct {
		name, src string
		line, col int
		substr    string
	}{
		{"yaml", "---\ntitle: \"x\"\ndate: 2020-01-01\ntags: [a, b\n---\nbody\n", 4, 0, "the list of tags opens with [ but is not closed"},
		{"yaml-indent", "---\ntitle: x\n  date: 2020-01-01\n---\n", 3, 0, "YAML"},
		{"toml", "+++\ntitle = \"x\"\ndate = = 2020\n+++\n", 3, 0, "TOML"},
		{"json", "{\n  \"title\": \"x\",\n  \"date\": 2020-01-01\n}\n\nbody\n", 3, 0, "a comma is missing between two fields"},
		{"date", "---\ntitle: x\ndate: 31/02/abc\n---\n", 3, 7, "not a date"},
		{"missing-title", "---\ndate: 2020-01-01\n---\n", 1, 1, "the article has no title"},
		{"unclosed", "---\ntitle: x\ndate: 2020-01-01\n", 1, 1, "never closed"},
		{"draft", "---\ntitle: x\ndate: 2020-01-01\ndraft: \"yes\"\n---\n", 4, 8, "draft must be true (a draft) or false"},
		{"not-utf8-body", "---\ntitle: x\ndate: 2020-01-01\n---\nĐà Nẵng \xc3 nữa\n", 5, 9, "not saved as UTF-8"},
		{"windows-1258", "---\ntitle: \"H\xe0 T\xecnh\"\ndate: 2020-01-01\n---\n", 2, 10, "portal import"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := sitetest.NewSite(t, map[string]string{"content/tin-tuc/bad.md": c.src, "content/tin-tuc/ok.md": article("Tốt", "2020-01-01")})
			rep, err := runBuild(t, dir, func(o *Options) { o.Strict = true })
			if err == nil {
				t.Fatal("want an error")
			}
			found := false
			for _, d := range rep.Diagnostics {
				if d.Path == "content/tin-tuc/bad.md" && d.Line == c.line && (c.col == 0 || d.Col == c.col) && strings.Contains(d.Text(message.En), c.substr) {
					found = true
				}
			}
			if !found {
				t.Errorf("want an error at bad.md:%d:%d containing %q, got %v", c.line, c.col, c.substr, rep.Diagnostics)
			}
		})
	}
}

func TestAllErrorsReportedTogether(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": "---\ndate: 2020-01-01\n---\n",
		"content/tin-tuc/b.md": "---\ntitle: x\ndate: nope\n---\n",
		"content/tin-tuc/c.md": "no front matter\n",
	})
	rep, err := runBuild(t, dir, func(o *Options) { o.Strict = true })
	if err == nil {
		t.Fatal("want errors")
	}
	for _, f := range []string{"a.md", "b.md", "c.md"} {
		if !hasDiag(rep.Diagnostics, diag.Error, f, 0, "") {
			t.Errorf("no error reported for %s: %v", f, rep.Diagnostics)
		}
	}
}

func TestUnknownProvinceWarns(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"content/tin-tuc/a.md": article("Một", "2020-01-01", `provinces: ["Lâm Đông", "Lâm Đồng"]`),
	})
	rep, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true })
	if err != nil {
		t.Fatal(err)
	}
	if !hasDiag(rep.Diagnostics, diag.Warning, "content/tin-tuc/a.md", 4, `did you mean "Lâm Đồng"`) {
		t.Errorf("want a warning suggesting Lâm Đồng at a.md:4, got %v", rep.Diagnostics)
	}
	out := sitetest.ReadTree(t, filepath.Join(dir, "public"))
	if _, ok := out["tinh/lam-dong/index.html"]; !ok {
		t.Error("the known province must still get its page")
	}
	for k := range out {
		if strings.HasPrefix(k, "tinh/lam-dong-") {
			t.Errorf("an unknown province must not make a page: %s", k)
		}
	}
}

func TestFailedBuildKeepsOldOutput(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{"content/tin-tuc/a.md": article("Một", "2020-01-01")})
	if _, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true }); err != nil {
		t.Fatal(err)
	}
	before := sitetest.ReadTree(t, filepath.Join(dir, "public"))
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/b.md"), []byte("---\ntitle: [\n---\n"), 0o644)
	if _, err := runBuild(t, dir, func(o *Options) { o.NoSearch, o.Strict = true, true }); err == nil {
		t.Fatal("want an error")
	}
	after := sitetest.ReadTree(t, filepath.Join(dir, "public"))
	if len(before) != len(after) {
		t.Fatalf("output changed after a failed build: %d → %d files", len(before), len(after))
	}
	for k, v := range before {
		if after[k] != v {
			t.Errorf("%s changed after a failed build", k)
		}
	}
	// A successful build removes files that no longer belong.
	os.Remove(filepath.Join(dir, "content/tin-tuc/b.md"))
	os.Remove(filepath.Join(dir, "content/tin-tuc/a.md"))
	os.WriteFile(filepath.Join(dir, "content/tin-tuc/c.md"), []byte(article("Ba", "2020-01-01")), 0o644)
	if _, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true }); err != nil {
		t.Fatal(err)
	}
	final := sitetest.ReadTree(t, filepath.Join(dir, "public"))
	if _, ok := final["tin-tuc/a/index.html"]; ok {
		t.Error("stale page of a removed article survived a successful build")
	}
	if _, ok := final["tin-tuc/c/index.html"]; !ok {
		t.Error("new article missing")
	}
}

func TestNoLiveReloadInBuildOutput(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{"content/tin-tuc/a.md": article("Một", "2020-01-01")})
	if _, err := runBuild(t, dir, func(o *Options) { o.NoSearch = true }); err != nil {
		t.Fatal(err)
	}
	for k, v := range sitetest.ReadTree(t, filepath.Join(dir, "public")) {
		if bytes.Contains([]byte(v), []byte("livereload")) || bytes.Contains([]byte(v), []byte("__portal")) {
			t.Errorf("%s contains preview-only code", k)
		}
	}
}
