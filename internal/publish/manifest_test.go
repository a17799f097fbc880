package publish

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// ReadManifestArticles gives the count of the manifest Encode wrote, and the errors of
// ReadManifest for a missing file, one that is not a manifest, and another format; it
// stops at the count, so a file cut short in its file lists still gives it.
func TestReadManifestArticles(t *testing.T) {
	dest := t.TempDir()
	file := filepath.Join(dest, ManifestName)
	if _, err := ReadManifestArticles(dest); !errors.Is(err, ErrNoManifest) {
		t.Errorf("no file: %v; want ErrNoManifest", err)
	}
	m := Manifest{Articles: 3, Assets: Assets{"css/site.css": {URL: "/css/site.1.css"}},
		Sources: map[string]Published{"content/a.md": {Files: []string{"a/index.html"}}, "content/b.md": {Files: []string{"b/index.html"}, Page: true}}}
	b := m.Encode()
	write := func(b []byte) {
		t.Helper()
		if err := os.WriteFile(file, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(b)
	if n, err := ReadManifestArticles(dest); err != nil || n != 3 {
		t.Errorf("ReadManifestArticles = %d, %v; want 3", n, err)
	}
	if full, err := ReadManifest(dest); err != nil || full.Articles != 3 {
		t.Errorf("ReadManifest = %+v, %v", full, err)
	}
	write(b[:len(b)/2]) // cut in the file lists: the count is before them
	if n, err := ReadManifestArticles(dest); err != nil || n != 3 {
		t.Errorf("cut short: %d, %v; want 3", n, err)
	}
	for name, body := range map[string]string{
		"not JSON":        "<html>",
		"not an object":   "[1, 2]",
		"another format":  `{"format": 2, "articles": 3}`,
		"no format":       `{"articles": 3}`,
		"cut in the head": `{"format": 1, "artic`,
		"empty":           "",
	} {
		write([]byte(body))
		if n, err := ReadManifestArticles(dest); err == nil {
			t.Errorf("%s: %d, nil; want an error", name, n)
		}
	}
	// Fields in another order (a manifest written by hand) are read too.
	write([]byte(`{"assets": {}, "sources": {"content/a.md": {"files": ["a/index.html"]}}, "articles": 7, "format": 1}`))
	if n, err := ReadManifestArticles(dest); err != nil || n != 7 {
		t.Errorf("fields in another order: %d, %v; want 7", n, err)
	}
}
