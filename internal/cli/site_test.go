package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// siteDir returns a new site folder holding only a config.toml.
func siteDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	sitetest.WriteFiles(t, dir, map[string]string{"config.toml": "title = \"Cổng thử\"\n"})
	return dir
}

// Issue 21, item 1: a folder that is not a site is a usage error for every command that
// reads one, and says which folder it looked at.
func TestCommandsOutsideASite(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	empty := t.TempDir()
	noContent := siteDir(t)
	for _, c := range []struct {
		dir  string
		args []string
	}{
		{empty, []string{"build"}},
		{noContent, []string{"build"}},
		{empty, []string{"check"}},
		{noContent, []string{"check"}},
		{empty, []string{"preview", "--addr", "127.0.0.1:0"}},
		{empty, []string{"serve", "--addr", "127.0.0.1:0"}},
		{empty, []string{"new", "Tin A"}},
	} {
		args := append(append([]string{}, c.args...), "--source", c.dir)
		code, _, errOut := authorRun(t, args...)
		if code != ExitUsage || !strings.Contains(errOut, "không phải thư mục của một trang") || !strings.Contains(errOut, c.dir) {
			t.Errorf("%v: exit %d, stderr %q; want %d and the folder named", args, code, errOut, ExitUsage)
		}
	}
	for _, dir := range []string{empty, noContent} {
		if _, err := os.Stat(filepath.Join(dir, "public")); !os.IsNotExist(err) {
			t.Errorf("%s: a build outside a site wrote public/", dir)
		}
		if _, err := os.Stat(filepath.Join(dir, "content")); !os.IsNotExist(err) {
			t.Errorf("%s: portal new outside a site created content/", dir)
		}
	}
}

// Issue 21, item 1: an empty, moved or shrunken content folder never unpublishes the
// portal unless the build is told so.
func TestBuildRefusesToUnpublish(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	site := siteDir(t)
	art := func(i int) string {
		return "---\ntitle: \"Bài " + string(rune('A'+i)) + "\"\ndate: 2024-01-0" + string(rune('1'+i)) + "\n---\nNội dung.\n"
	}
	files := map[string]string{}
	for i := range 6 {
		files["content/tin-tuc/"+string(rune('a'+i))+".md"] = art(i)
	}
	sitetest.WriteFiles(t, site, files)
	public := filepath.Join(site, "public")
	if code, _, errOut := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Fatalf("first build: exit %d\n%s", code, errOut)
	}
	published := sitetest.ReadTree(t, public)

	refused := func(what string, wantGone string) {
		t.Helper()
		code, out, errOut := authorRun(t, "build", "--source", site)
		if code != ExitError || !strings.Contains(errOut, "sẽ gỡ "+wantGone+" trong số 6 bài") || !strings.Contains(errOut, "--allow-shrink") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 1 naming %s of 6 and --allow-shrink", what, code, out, errOut, wantGone)
		}
		if got := sitetest.ReadTree(t, public); len(got) != len(published) || got["index.html"] != published["index.html"] {
			t.Errorf("%s: the published site changed (%d files, was %d)", what, len(got), len(published))
		}
	}

	// Every article gone (an empty folder, or one whose files were moved away).
	tin := filepath.Join(site, "content", "tin-tuc")
	if err := os.Rename(tin, filepath.Join(site, "tin-tuc-cat")); err != nil {
		t.Fatal(err)
	}
	refused("empty content/", "6")

	// Four of six gone: more than the default half.
	if err := os.Rename(filepath.Join(site, "tin-tuc-cat"), tin); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"a", "b", "c", "d"} {
		if err := os.Remove(filepath.Join(tin, n+".md")); err != nil {
			t.Fatal(err)
		}
	}
	refused("four of six removed", "4")

	// The limit comes from config.toml.
	sitetest.WriteFiles(t, site, map[string]string{"config.toml": "title = \"Cổng thử\"\n[build]\nmaxShrink = 0.9\n"})
	if code, _, errOut := authorRun(t, "build", "--source", site); code != ExitOK {
		t.Errorf("maxShrink = 0.9: exit %d\n%s", code, errOut)
	}

	// Removing everything needs --allow-shrink whatever the limit.
	for _, n := range []string{"e", "f"} {
		os.Remove(filepath.Join(tin, n+".md"))
	}
	code, _, errOut := authorRun(t, "build", "--source", site)
	if code != ExitError || !strings.Contains(errOut, "không còn bài nào") {
		t.Errorf("all removed with maxShrink = 0.9: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := authorRun(t, "build", "--source", site, "--allow-shrink"); code != ExitOK {
		t.Errorf("--allow-shrink: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(public, "tin-tuc", "e", "index.html")); !os.IsNotExist(err) {
		t.Error("--allow-shrink: the removed article is still published")
	}
}
