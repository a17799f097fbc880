// Package sitetest holds the file-tree helpers that tests of several packages share:
// writing a small site from a map, reading an output folder back, finding the
// repository root. It is imported by _test.go files only.
package sitetest

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// WriteFiles creates files (slash path relative to dir → content) under dir.
func WriteFiles(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for rel, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// NewSite writes files into a new temporary folder and returns it.
func NewSite(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	WriteFiles(t, dir, files)
	return dir
}

// ReadTree returns every regular file under dir as slash path → content. Anything
// else than folders and regular files (a symlink, a device) fails the test.
func ReadTree(t testing.TB, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() {
			return nil
		}
		if !e.Type().IsRegular() {
			return fmt.Errorf("unexpected non-regular file %s", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		tree[filepath.ToSlash(rel)] = string(data)
		return nil
	})
	if err != nil {
		t.Fatalf("reading %s: %v", dir, err)
	}
	return tree
}

// CompareTrees reports, prefixed with step, every file of want (ReadTree) that got lacks
// or holds with other bytes, and every file of got that want lacks; names skip accepts are
// left out of both (nil: none).
func CompareTrees(t testing.TB, step string, got, want map[string]string, skip func(name string) bool) {
	t.Helper()
	for name, b := range want {
		if skip != nil && skip(name) {
			continue
		}
		if g, ok := got[name]; !ok || g != b {
			t.Errorf("%s: %s is stale or missing (a fresh build's differs)", step, name)
		}
	}
	for name := range got {
		if skip != nil && skip(name) {
			continue
		}
		if _, ok := want[name]; !ok {
			t.Errorf("%s: %s should be gone", step, name)
		}
	}
}

// CopyTree copies the folder src to dst (created as needed).
func CopyTree(t testing.TB, src, dst string) {
	t.Helper()
	WriteFiles(t, dst, ReadTree(t, src))
}

// RepoRoot finds the module root (the folder with go.mod) above the working directory.
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
}

// LegacyArticles returns the read-only folder of the old portal's articles,
// shared/legacy-articles beside the repository (RepoRoot/../shared/legacy-articles).
// When the folder is missing it fails the test if the environment variable CI is
// set (CI must clone shared/ beside the repository) and skips it otherwise.
func LegacyArticles(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(RepoRoot(t), "..", "shared", "legacy-articles")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set but %s is missing: CI must clone shared/ beside the repository", dir)
		}
		t.Skipf("%s is missing (and CI is unset)", dir)
	}
	return dir
}

// MistakesSite copies the mistakes fixture (testdata/sites/mistakes: the typical mistakes
// of communications staff, one a file, beside valid articles; see its README.md) into a
// temporary folder and adds the 2 MB article content/tin-tuc/rat-dai.md, kept out of the
// repository for its size. It returns the site folder.
func MistakesSite(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	CopyTree(t, filepath.Join(RepoRoot(t), "testdata", "sites", "mistakes"), dir)
	var b strings.Builder
	b.WriteString("---\ntitle: \"Toàn văn báo cáo tổng kết năm 2025\"\ndate: 2026-01-12\n---\n")
	for b.Len() < 2<<20 {
		b.WriteString("Báo cáo nêu rõ các kết quả đạt được trong năm về chuyển đổi số, cải cách hành chính và phát triển kinh tế xã hội của tỉnh.\n\n")
	}
	WriteFiles(t, dir, map[string]string{"content/tin-tuc/rat-dai.md": b.String()})
	return dir
}
