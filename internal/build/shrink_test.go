package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/vnportal/portal/internal/config"
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

// The shrink guard of every `portal build` reads the count at the head of .portal.json,
// not the file lists after it (19 MB of JSON at 100,000 articles): its allocations do
// not grow with the sources. Decoding the whole manifest made at least one map entry
// and one slice per source (over 40,000 allocations here).
func TestShrinkGuardReadsOnlyTheCount(t *testing.T) {
	dest := t.TempDir()
	m := publish.Manifest{Articles: 20000, Sources: map[string]publish.Published{}}
	for i := range 20000 {
		src := fmt.Sprintf("content/tin-tuc/bai-%05d.md", i)
		m.Sources[src] = publish.Published{Files: []string{fmt.Sprintf("tin-tuc/bai-%05d/index.html", i)}}
	}
	if err := os.WriteFile(filepath.Join(dest, publish.ManifestName), m.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
	var n int
	var ok bool
	allocs := testing.AllocsPerRun(3, func() { n, ok = publishedArticles(dest, config.Config{}, diskManifest{}) })
	if !ok || n != 20000 {
		t.Fatalf("publishedArticles = %d, %v; want 20000, true", n, ok)
	}
	if allocs > 200 {
		t.Errorf("publishedArticles made %.0f allocations for a manifest of 20,000 sources; want at most 200 (the count only)", allocs)
	}
	// The guard still stops a build that would remove them all.
	var se *ShrinkError
	if err := checkShrink(dest, config.Config{}, 0, diskManifest{}); !errors.As(err, &se) || se.Before != 20000 {
		t.Errorf("checkShrink to 0 articles = %v; want a ShrinkError from 20000", err)
	}
}
