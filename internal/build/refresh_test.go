package build

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/site"
	"github.com/vnportal/portal/internal/sitetest"
)

// TestRefreshEqualsAssemble edits an article in ways that do and do not change the site's
// structure, and checks that the graph the cache gives (refreshed in place, or assembled
// again) is deeply equal to a fresh assembly of the same files.
func TestRefreshEqualsAssemble(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	cache := NewMemoryCache()
	load := func(c Cache) *site.Graph {
		t.Helper()
		l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, Cache: c}, &diag.List{})
		if err != nil {
			t.Fatal(err)
		}
		return l.Graph
	}
	art := filepath.Join(dir, "content", "tin-tuc", "ha-tinh.md")
	edit := func(old, new string) {
		t.Helper()
		b, err := os.ReadFile(art)
		if err != nil || !strings.Contains(string(b), old) {
			t.Fatalf("%s has no %q (%v)", art, old, err)
		}
		if err := os.WriteFile(art, []byte(strings.Replace(string(b), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prev := load(cache)
	for _, step := range []struct {
		name, old, new string
		refreshed      bool
	}{
		{"body", "gần 100 đại biểu", "gần 120 đại biểu", true},
		{"summary", `summary = "`, `summary = "Cập nhật: `, true},
		{"title", `title = "Hội nghị hướng dẫn`, `title = "Hội nghị (sửa) hướng dẫn`, false},
		{"body again", "gần 120 đại biểu", "gần 130 đại biểu", true},
		{"province", `provinces = ["tỉnh Hà Tĩnh"]`, `provinces = ["Gia Lai"]`, false},
	} {
		edit(step.old, step.new)
		got := load(cache)
		if refreshed := got == prev; refreshed != step.refreshed {
			t.Errorf("%s edit: refreshed=%v, want %v", step.name, refreshed, step.refreshed)
		}
		if want := load(NewMemoryCache()); !reflect.DeepEqual(got, want) {
			t.Errorf("%s edit: the cached graph differs from a fresh assembly", step.name)
		}
		prev = got
	}
}
