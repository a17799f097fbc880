package content

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/corpus"
)

// BenchmarkParseProse parses the 500 articles of a generated prose site (front matter,
// checks, body) once per iteration: the content-loading share of a cold build without
// the file reads.
func BenchmarkParseProse(b *testing.B) {
	dir := b.TempDir()
	if _, err := corpus.GenerateContext(context.Background(), dir, corpus.Options{Articles: 500, Seed: 1, Mode: corpus.ModeProse}); err != nil {
		b.Fatal(err)
	}
	type file struct {
		rel string
		raw []byte
	}
	var files []file
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		raw, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files = append(files, file{filepath.ToSlash(rel), raw})
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	schema := Schema{Taxonomies: []string{"provinces", "categories", "tags"}}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if doc, ds := Parse(f.rel, f.raw, schema); doc == nil {
				b.Fatalf("%s: %v", f.rel, ds)
			}
		}
	}
}
