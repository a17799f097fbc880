package build

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/site"
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

// TestLentSearchDocumentsAreNotCopied: a build of a MemoryCache (`portal serve --watch`'s
// saves) reads the articles' search documents the cache keeps, not a copy of them made at
// every save (≈ 30 MB a save at 100,000 articles), and a borrower still reading them when
// an edit changes one of them keeps the documents it was lent. Base a85cb4a copied them
// for every build (searchDocsMemo.articles): 590,232 bytes to lend 1,885 documents at
// 2,000 articles (a copy: 588,120).
func TestLentSearchDocumentsAreNotCopied(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "site")
	if err := corpus.Generate(dir, 2000, 1); err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob(filepath.Join(dir, "content", "tin-tuc", "*.md"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no articles: %v", err)
	}
	art := files[len(files)/2]
	cache := NewMemoryCache()
	load := func(changed ...string) *Loaded {
		t.Helper()
		opts := Options{SiteDir: dir, Now: fixedNow, Cache: cache}
		if changed != nil {
			opts.Cache = cache.Changed(changed)
		}
		l, err := Load(context.Background(), opts, &diag.List{})
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	edit := func(i int) {
		t.Helper()
		b, err := os.ReadFile(art)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(art, fmt.Appendf(b, "\nĐoạn sửa thứ %d.\n", i), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	lentBytes := func(g *site.Graph) (docs []search.Document, release func(), bytes uint64) {
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		docs, release = cache.lendSearchDocuments(g, NoAttachmentText)
		runtime.ReadMemStats(&m1)
		return docs, release, m1.TotalAlloc - m0.TotalAlloc
	}
	l := load()
	_, release, _ := lentBytes(l.Graph) // made
	release()
	edit(1)
	l = load(art)
	docs, release, bytes := lentBytes(l.Graph) // one made again
	release()
	one := uint64(unsafe.Sizeof(search.Document{})) * uint64(len(docs))
	t.Logf("%d bytes to lend %d documents after an edit (a copy: %d)", bytes, len(docs), one)
	if bytes > one/4 {
		t.Errorf("lending %d documents after an edit allocated %d bytes (a copy is %d): copied?", len(docs), bytes, one)
	}
	// A borrower still reading while an edit changes a document keeps the documents it
	// was lent; the next borrower sees the change.
	borrowed, release, _ := lentBytes(l.Graph)
	before := slices.Clone(borrowed)
	edit(2)
	l = load(art)
	after, releaseAfter, _ := lentBytes(l.Graph)
	defer releaseAfter()
	if !reflect.DeepEqual(plainDocs(t, borrowed), plainDocs(t, before)) {
		t.Errorf("a borrower's documents changed under it")
	}
	release()
	if got, want := plainDocs(t, after), plainDocs(t, SearchDocumentsWith(l.Graph, NoAttachmentText)); !reflect.DeepEqual(got, want) {
		t.Errorf("the documents lent after the edit are not the graph's")
	}
}

// plainDocs is docs with their bodies read (LoadBody called), for comparing.
func plainDocs(t *testing.T, docs []search.Document) []search.Document {
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

// TestLentSearchDocumentsWithLibrary: with legal documents, a MemoryCache build is lent
// the articles' documents followed by the library's, as SearchDocumentsWith makes them,
// and the cache's kept slice is not appended to.
func TestLentSearchDocumentsWithLibrary(t *testing.T) {
	dir := librarySite(t)
	cache := NewMemoryCache()
	l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, Cache: cache}, &diag.List{})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Graph.Documents) == 0 {
		t.Fatal("no legal documents in the library site")
	}
	for range 2 {
		docs, release := cache.lendSearchDocuments(l.Graph, NoAttachmentText)
		if got, want := plainDocs(t, docs), plainDocs(t, SearchDocumentsWith(l.Graph, NoAttachmentText)); !reflect.DeepEqual(got, want) {
			t.Errorf("lent with a library:\n got %+v\nwant %+v", got, want)
		}
		release()
		if kept := cache.searchDocs.docs.docs; len(kept) != len(l.Graph.Articles) || len(kept) == 0 || &kept[0] == &docs[0] {
			t.Errorf("the cache's kept documents (%d for %d articles) were lent with the library appended", len(kept), len(l.Graph.Articles))
		}
	}
}
