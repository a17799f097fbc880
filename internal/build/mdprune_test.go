package build

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The rendered Markdown a MemoryCache keeps (the preview's, serve --watch's) follows the
// site: an edit, a deletion and a rename leave one entry per published file, not the
// entries of every version of every file ever saved.
func TestMemoryCacheLetsGoOfOldMarkdown(t *testing.T) {
	dir := keysSite(t, 9, nil)
	cache := NewMemoryCache()
	dest := filepath.Join(t.TempDir(), "public")
	build := func(step string, changed ...string) {
		t.Helper()
		var hint []string
		for _, c := range changed {
			hint = append(hint, filepath.Join(dir, filepath.FromSlash(c)))
		}
		if _, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: cache.Changed(hint), NoSearch: true}); err != nil {
			t.Fatalf("%s: %v", step, err)
		}
	}
	build("first build")
	n := len(cache.md)
	if n != 10 { // 9 articles and the standalone page
		t.Fatalf("first build keeps %d rendered bodies, want 10", n)
	}
	check := func(step string, want int) {
		t.Helper()
		if len(cache.md) != want || len(cache.byDoc) != want {
			t.Errorf("%s: %d rendered bodies kept for %d documents, want %d", step, len(cache.md), len(cache.byDoc), want)
		}
	}
	rel := "content/tin-tuc/bai-00.md"
	for i := range 3 {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, rel), []byte(string(b)+"\nĐoạn thêm "+strings.Repeat("x", i+1)+".\n"), 0o644)
		build("edit", rel)
		check("edit", n)
	}
	os.Remove(filepath.Join(dir, "content/thong-bao/bai-01.md"))
	build("delete", "content/thong-bao/bai-01.md")
	check("delete", n-1)
	os.Rename(filepath.Join(dir, "content/su-kien/bai-02.md"), filepath.Join(dir, "content/su-kien/bai-hai.md"))
	build("rename", "content/su-kien/bai-02.md", "content/su-kien/bai-hai.md")
	check("rename", n-1)
}
