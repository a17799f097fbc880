package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

// TestEnglishContactLabelsComeFromI18n: the English page's labels are the theme's
// i18n/en.toml strings, which a site overrides key by key in its own i18n/en.toml; the
// Vietnamese pages are the same bytes with or without the override; a layout asking for
// an English string that does not exist fails the build with a message naming en.toml.
func TestEnglishContactLabelsComeFromI18n(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	useDefaultTheme(t, dir)
	os.RemoveAll(filepath.Join(dir, "layouts"))
	os.RemoveAll(filepath.Join(dir, "i18n"))
	sitetest.WriteFiles(t, dir, map[string]string{
		"data/to-chuc.toml":  testOrg,
		"content/lien-he.md": "---\ntitle: \"Liên hệ\"\ndate: 2025-01-01\nlayout: contact\n---\n\nXin ghi rõ họ tên.\n",
		"content/about.md":   "---\ntitle: \"About us\"\ndate: 2025-01-01\nlang: en\nlayout: contact-en\n---\n\nThe test portal.\n",
	})
	build := func() map[string]string {
		t.Helper()
		dest := filepath.Join(t.TempDir(), "public")
		if rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true}); err != nil {
			t.Fatal(err, rep.Diagnostics)
		}
		return sitetest.ReadTree(t, dest)
	}
	before := build()
	about := before["about/index.html"]
	for _, want := range []string{"<dt>Address</dt>", "<dt>Telephone</dt>", "<dt>Email</dt>", ">Leadership</h2>", ">Press spokesperson</h2>", ">Departments and units</h2>"} {
		if !strings.Contains(about, want) {
			t.Errorf("the English page lacks %s", want)
		}
	}
	sitetest.WriteFiles(t, dir, map[string]string{"i18n/en.toml": "contact_phone = \"Phone\"\ncontact_units = \"Offices\"\n"})
	after := build()
	if a := after["about/index.html"]; !strings.Contains(a, "<dt>Phone</dt>") || !strings.Contains(a, ">Offices</h2>") || !strings.Contains(a, "<dt>Address</dt>") {
		t.Errorf("the site's i18n/en.toml does not override the theme's key by key")
	}
	for rel, b := range before {
		if rel != "about/index.html" && strings.HasSuffix(rel, ".html") && after[rel] != b {
			t.Errorf("%s changed with the English strings", rel)
		}
	}
	sitetest.WriteFiles(t, dir, map[string]string{"layouts/page-contact-en.html": "{{ template \"baseof\" . }}{{ define \"main\" }}{{ T \"khong_co\" \"en\" }}{{ end }}"})
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: filepath.Join(t.TempDir(), "public"), Now: fixedNow, NoSearch: true})
	if err == nil || !strings.Contains(err.Error()+diagText(rep), "i18n/en.toml") {
		t.Errorf("a missing English string: %v %v", err, rep.Diagnostics)
	}
}

func diagText(rep Report) string {
	var b strings.Builder
	for _, d := range rep.Diagnostics {
		b.WriteString(d.String())
	}
	return b.String()
}
