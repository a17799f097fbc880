package relevance

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/corpus"
)

// MakeSite writes the judged site into dir (which must not exist or be empty): the
// internal/corpus articles, the sample site's articles (root/content/tin-tuc), the planted
// ones (root/testdata/relevance/planted) and the theme (root/themes).
func MakeSite(root, dir string) error {
	if err := corpus.Generate(dir, CorpusArticles, CorpusSeed); err != nil {
		return err
	}
	section := filepath.Join(dir, "content", Section)
	for _, src := range []string{filepath.Join(root, "content", Section), filepath.Join(root, "testdata", "relevance", "planted")} {
		ents, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range ents {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".md") || strings.HasPrefix(e.Name(), "_") {
				continue
			}
			if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(section, e.Name())); err != nil {
				return err
			}
		}
	}
	themes := filepath.Join(root, "themes")
	return filepath.WalkDir(themes, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(themes, p)
		dst := filepath.Join(dir, "themes", rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		return copyFile(p, dst)
	})
}

func copyFile(src, dst string) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("relevance: %s already exists (a planted article named like a generated one?)", dst)
	}
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// Build builds the site in dir into dir/public with its search index; it returns the
// index folder.
func Build(ctx context.Context, dir string) (string, error) {
	if _, err := build.Run(ctx, build.Options{SiteDir: dir, Cache: build.NoCache()}); err != nil {
		return "", err
	}
	return filepath.Join(dir, "public", ".search"), nil
}
