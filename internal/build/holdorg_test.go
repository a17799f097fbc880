package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestBrokenOrganizationFileFallsBackOnTheLastGoodData: with every cache strategy, a
// data/to-chuc.toml that became bad TOML does not stop the news: the build uses the
// organisation data of the output it replaces (its manifest), warns, reports the file
// held back (exit 3 in the CLI), and the contact page keeps the last good data. The next
// build still falls back (the new manifest carries the data again); fixing the file
// publishes it. With --strict, or with no previous output, the build fails with the
// error at its line.
func TestBrokenOrganizationFileFallsBackOnTheLastGoodData(t *testing.T) {
	for _, name := range []string{"memory", "disk", "none"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
			useDefaultTheme(t, dir)
			sitetest.WriteFiles(t, dir, map[string]string{
				"data/to-chuc.toml":  testOrg,
				"content/lien-he.md": "---\ntitle: \"Liên hệ\"\ndate: 2025-01-01\nlayout: contact\n---\n\nXin ghi rõ họ tên.\n",
			})
			os.RemoveAll(filepath.Join(dir, "layouts"))
			var cache Cache
			switch name {
			case "memory":
				cache = NewMemoryCache()
			case "disk":
				cache = DiskCache(t.TempDir(), os.Args[0])
			default:
				cache = NoCache()
			}
			dest := filepath.Join(t.TempDir(), "public")
			run := func(strict bool) (Report, error) {
				return Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: cache, NoSearch: true, Strict: strict})
			}
			read := func(rel string) string {
				t.Helper()
				b, err := os.ReadFile(filepath.Join(dest, rel))
				if err != nil {
					t.Fatal(err)
				}
				return string(b)
			}
			if _, err := run(false); err != nil {
				t.Fatal(err)
			}
			// A quote left open on line 3, and a new article.
			broken := strings.Replace(testOrg, `address = "Số 1 đường Thử"`, `address = "Số 2 đường Thử`, 1)
			sitetest.WriteFiles(t, dir, map[string]string{
				"data/to-chuc.toml":         broken,
				"content/tin-tuc/sau-do.md": "---\ntitle: Tin đăng khi tệp cơ quan hỏng\ndate: 2025-12-01\n---\nNội dung.\n",
			})
			for i := range 2 {
				rep, err := run(false)
				if err != nil {
					t.Fatalf("build %d: a bad organisation file failed the build although the last good data was there: %v", i, err)
				}
				var warned, errAt bool
				for _, d := range rep.Diagnostics {
					warned = warned || (d.Code == "organization-fallback" && d.Path == config.OrganizationFile && d.Severity == diag.Warning)
					errAt = errAt || (d.Code == "organization" && d.Path == config.OrganizationFile && d.Line == 3 && d.Severity == diag.Error)
				}
				if !warned || !errAt {
					t.Errorf("build %d: want the error at line 3 and a fallback warning: %v", i, rep.Diagnostics)
				}
				if len(rep.HeldBack) != 1 || rep.HeldBack[0].Path != config.OrganizationFile {
					t.Errorf("build %d: held back %+v; want %s", i, rep.HeldBack, config.OrganizationFile)
				}
				if p := read("lien-he/index.html"); !strings.Contains(p, "Số 1 đường Thử") || !strings.Contains(p, "Nguyễn Văn A") {
					t.Errorf("build %d: the contact page lost the last good organisation data", i)
				}
				if !strings.Contains(read("tin-tuc/sau-do/index.html"), "Tin đăng khi tệp cơ quan hỏng") {
					t.Errorf("build %d: the news was not published", i)
				}
			}
			if _, err := run(true); err == nil {
				t.Error("--strict published with a bad organisation file")
			}
			sitetest.WriteFiles(t, dir, map[string]string{"data/to-chuc.toml": strings.Replace(testOrg, "Số 1 đường Thử", "Số 3 đường Thử", 1)})
			if rep, err := run(false); err != nil || len(rep.HeldBack) != 0 {
				t.Fatalf("fixed file: %v, held back %+v", err, rep.HeldBack)
			}
			if !strings.Contains(read("lien-he/index.html"), "Số 3 đường Thử") {
				t.Error("the fixed organisation file was not published")
			}
			// Nothing to fall back on: a fresh output fails with the error.
			sitetest.WriteFiles(t, dir, map[string]string{"data/to-chuc.toml": broken})
			fresh := filepath.Join(t.TempDir(), "fresh")
			rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: fresh, Now: fixedNow, Cache: NoCache(), NoSearch: true})
			if err == nil {
				t.Fatal("a bad organisation file with no previous output published")
			}
			if _, serr := os.Stat(fresh); serr == nil {
				t.Error("the failed build wrote an output")
			}
			for _, d := range rep.Diagnostics {
				if d.Code == "organization-fallback" {
					t.Errorf("fallback reported without a previous output: %v", d)
				}
			}
		})
	}
}
