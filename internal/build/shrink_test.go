package build

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/sitetest"
)

// An output made before the manifest existed is still protected: its search index
// counts the published articles.
func TestShrinkCountsFromTheSearchIndex(t *testing.T) {
	site := sitetest.NewSite(t, map[string]string{
		"config.toml":          "title = \"Cổng thử\"\n",
		"content/tin-tuc/a.md": "---\ntitle: \"Bài A\"\ndate: 2024-01-01\n---\nNội dung.\n",
		"content/tin-tuc/b.md": "---\ntitle: \"Bài B\"\ndate: 2024-01-02\n---\nNội dung.\n",
	})
	if _, err := runBuild(t, site); err != nil {
		t.Fatal(err)
	}
	public := filepath.Join(site, "public")
	if m, err := publish.ReadManifest(public); err != nil || m.Articles != 2 {
		t.Fatalf("manifest: %+v, %v; want 2 articles", m, err)
	}
	if err := os.Remove(filepath.Join(public, publish.ManifestName)); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(site, "content", "tin-tuc")); err != nil {
		t.Fatal(err)
	}
	_, err := runBuild(t, site)
	var se *ShrinkError
	if !errors.As(err, &se) || se.Before != 2 || se.After != 0 {
		t.Fatalf("err = %v; want a ShrinkError from 2 to 0", err)
	}
	if _, err := os.Stat(filepath.Join(public, "tin-tuc", "a", "index.html")); err != nil {
		t.Errorf("the refused build changed the output: %v", err)
	}
	if _, err := runBuild(t, site, func(o *Options) { o.AllowShrink = true }); err != nil {
		t.Errorf("AllowShrink: %v", err)
	}
}
