//go:build linux || darwin

package build

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/sitetest"
)

// The key of the site folder's tree changes with every change a build could read, and
// not with the output and cache folders inside it; a tree that its stamps cannot vouch
// for (a symbolic link, an entry changed within the racy margin) has none.
func TestInputsKeySeesEveryChangeOfTheSiteFolder(t *testing.T) {
	site := sitetest.NewSite(t, map[string]string{
		"config.toml":                   "title = \"Cổng\"\n",
		"content/tin-tuc/a.md":          "---\ntitle: \"A\"\n---\nMột.\n",
		"layouts/_default/single.html":  "{{ .Title }}",
		"static/css/site.css":           "body{}",
		"data/organization.toml":        "name = \"Sở\"\n",
		"lich-cong-tac/2026-w45.toml":   "",
		"public/index.html":             "đầu ra",
		".cache/pages.manifest":         "bộ nhớ đệm",
		"content/tin-tuc/anh/index.md":  "---\ntitle: \"B\"\n---\n",
		"content/tin-tuc/anh/photo.jpg": "jpeg",
	})
	dest, cache := filepath.Join(site, "public"), filepath.Join(site, ".cache")
	later := func() time.Time { return time.Now().Add(time.Hour) } // every entry old enough
	key := func() string { k, _ := inputsKey(site, dest, cache, later()); return k }
	last := key()
	if last == "" {
		t.Fatal("no key for a plain site folder")
	}
	if k, _ := inputsKey(site, dest, cache, time.Now()); k != "" {
		t.Error("a key for a tree whose entries changed within the racy margin")
	}
	step := func(name string, change func(p string) error, rel string) {
		t.Helper()
		if err := change(filepath.Join(site, filepath.FromSlash(rel))); err != nil {
			t.Fatal(err)
		}
		k := key()
		if k == last {
			t.Errorf("%s (%s): the key did not change", name, rel)
		}
		last = k
	}
	write := func(s string) func(string) error {
		return func(p string) error {
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return err
			}
			return os.WriteFile(p, []byte(s), 0o644)
		}
	}
	// The same size and the modification time put back: the change time still moves.
	sameSize := func(p string) error {
		fi, err := os.Stat(p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		b[0] ^= 1
		if err := os.WriteFile(p, b, 0o644); err != nil {
			return err
		}
		return os.Chtimes(p, fi.ModTime(), fi.ModTime())
	}
	step("an article edited in place, its times put back", sameSize, "content/tin-tuc/a.md")
	step("config.toml edited", write("title = \"Cổng 2\"\n"), "config.toml")
	step("a layout edited", write("{{ .Title }}!"), "layouts/_default/single.html")
	step("a layout added", write("x"), "layouts/_default/list.html")
	step("a static file edited", write("body{color:red}"), "static/css/site.css")
	step("a data file edited", write("name = \"Sở 2\"\n"), "data/organization.toml")
	step("a week added", write(""), "lich-cong-tac/2026-w46.toml")
	step("a photo replaced", write("jpeg2"), "content/tin-tuc/anh/photo.jpg")
	step("a theme added", write("{{ .Title }}"), "themes/moi/layouts/_default/single.html")
	step("an article removed", os.Remove, "content/tin-tuc/a.md")
	step("an empty folder added", func(p string) error { return os.Mkdir(p, 0o755) }, "content/rong")
	step("an article renamed", func(p string) error {
		return os.Rename(filepath.Join(site, "content/tin-tuc/anh"), p)
	}, "content/tin-tuc/anh-2")

	// The output and cache folders are the build's own: what changes there is not an input.
	for _, p := range []string{filepath.Join(dest, "tin-tuc", "moi.html"), filepath.Join(cache, "output.listing")} {
		if err := write("khác")(p); err != nil {
			t.Fatal(err)
		}
	}
	if k := key(); k != last {
		t.Error("the key changed with the output or cache folder")
	}
	if err := os.Symlink(filepath.Join(site, "config.toml"), filepath.Join(site, "content", "lien-ket.md")); err != nil {
		t.Fatal(err)
	}
	if k := key(); k != "" {
		t.Error("a key for a tree with a symbolic link")
	}
}

// BenchmarkInputsKey walks the site folder in $PORTAL_BENCH_SITE as every build with a
// DiskCache does before it reads anything (at 100,000 articles, 100,000 files).
func BenchmarkInputsKey(b *testing.B) {
	site := os.Getenv("PORTAL_BENCH_SITE")
	if site == "" {
		b.Skip("set PORTAL_BENCH_SITE to a generated site (go run ./bench/gen)")
	}
	for b.Loop() {
		if k, _ := inputsKey(site, filepath.Join(site, "public"), "", time.Now().Add(time.Hour)); k == "" {
			b.Fatal("no key")
		}
	}
}
