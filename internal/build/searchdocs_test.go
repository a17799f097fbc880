package build

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/sitetest"
)

// The search documents a MemoryCache carries from one build to the next (made again only
// for the articles a refresh changed) are those SearchDocumentsWith makes from the graph,
// after edits that refresh the graph and edits that assemble it again.
func TestCarriedSearchDocumentsAreTheGraphs(t *testing.T) {
	dir := t.TempDir()
	sitetest.CopyTree(t, filepath.Join(sitetest.RepoRoot(t), "testdata", "sites", "golden"), dir)
	cache := NewMemoryCache()
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
	plain := func(docs []search.Document) []search.Document {
		t.Helper()
		out := make([]search.Document, len(docs))
		for i, d := range docs {
			if d.LoadBody != nil {
				body, err := d.LoadBody()
				if err != nil {
					t.Fatal(err)
				}
				d.Body, d.LoadBody = body, nil
			}
			out[i] = d
		}
		return out
	}
	for _, step := range []struct{ name, old, new string }{
		{"first build", "", ""},
		{"body", "gần 100 đại biểu", "gần 120 đại biểu"},
		{"summary", `summary = "`, `summary = "Cập nhật: `},
		{"title", `title = "Hội nghị hướng dẫn`, `title = "Hội nghị (sửa) hướng dẫn`},
		{"body again", "gần 120 đại biểu", "gần 130 đại biểu"},
		{"nothing", "", ""},
	} {
		if step.old != "" {
			edit(step.old, step.new)
		}
		l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, Cache: cache.Changed([]string{art})}, &diag.List{})
		if err != nil {
			t.Fatal(err)
		}
		got, want := plain(cache.SearchDocumentsWith(l.Graph, NoAttachmentText)), plain(SearchDocumentsWith(l.Graph, NoAttachmentText))
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: the carried search documents differ from the graph's", step.name)
		}
		if step.name == "summary" && !strings.Contains(got[slicesIndex(got, "ha-tinh")].Summary, "Cập nhật: ") {
			t.Errorf("summary: the edited article's document has the old summary")
		}
	}
}

// slicesIndex is the index of the document whose URL contains part.
func slicesIndex(docs []search.Document, part string) int {
	for i, d := range docs {
		if strings.Contains(d.URL, part) {
			return i
		}
	}
	return 0
}
