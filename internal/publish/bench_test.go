package publish

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkWriterPages measures the writer alone on the pages of a cold build: each
// iteration publishes every page into a fresh generation, minified and precompressed as
// `portal build` does. PORTAL_BENCH_PAGES names an output folder built with `portal build
// --no-minify --no-precompress` (for issue 22: the prose corpus at 10,000 articles); without
// it the benchmark writes 2,000 generated pages of about 30 KB.
func BenchmarkWriterPages(b *testing.B) {
	benchWriter(b, Options{Minify: true, Precompress: true})
}

// BenchmarkWriterFiles is BenchmarkWriterPages without minifying or gzipping: the
// folders and files alone (their system calls), as `portal build --no-minify
// --no-precompress` writes them.
func BenchmarkWriterFiles(b *testing.B) {
	benchWriter(b, Options{})
}

func benchWriter(b *testing.B, opts Options) {
	files := benchPages(b)
	var size int64
	for _, f := range files {
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	tmp := b.TempDir()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		dest := filepath.Join(tmp, fmt.Sprintf("public-%d", i))
		w, err := Begin(context.Background(), dest, opts)
		if err != nil {
			b.Fatal(err)
		}
		bufs := NewBuffers(4)
		for _, f := range files {
			// The Writer owns what it is given, and gives it back as a build's renderer
			// lets it (with room for the minifier's NUL, as a rendered page has).
			f.Data = append(make([]byte, 0, len(f.Data)+1), f.Data...)
			f.Buffers = bufs
			if err := w.Add(f); err != nil {
				b.Fatal(err)
			}
		}
		st, err := w.Commit()
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if st.Files != len(files) || opts.Precompress && st.Precompressed == 0 {
			b.Fatalf("wrote %d files (%d siblings), want %d", st.Files, st.Precompressed, len(files))
		}
		if err := os.RemoveAll(dest); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}

// benchPages reads the pages under PORTAL_BENCH_PAGES, or makes some.
func benchPages(b *testing.B) []File {
	var files []File
	if dir := os.Getenv("PORTAL_BENCH_PAGES"); dir != "" {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") && !strings.HasSuffix(p, ".xml") {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files = append(files, File{Rel: filepath.ToSlash(rel), Data: data, Source: rel})
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		return files
	}
	para := strings.Repeat("<p>Ủy ban nhân dân tỉnh   đã tổ chức hội nghị triển khai <strong>chuyển đổi số</strong> năm 2025.</p>\n", 250)
	for i := range 2000 {
		page := fmt.Sprintf("<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<title>Bài %d</title>\n</head>\n<body>\n<main>\n%s<p>%d</p>\n</main>\n</body>\n</html>\n", i, para, i)
		files = append(files, File{Rel: fmt.Sprintf("tin-tuc/bai-%d/index.html", i), Data: []byte(page), Source: fmt.Sprintf("content/bai-%d.md", i)})
	}
	return files
}

// benchSitemap is a sitemap of 50,000 article addresses (the most one file holds), about
// 8 MB, as render writes it (two-space indentation, dates at +07:00).
func benchSitemap() []byte {
	var sb strings.Builder
	sb.WriteString("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
	for i := range 50000 {
		fmt.Fprintf(&sb, "\n  <url>\n    <loc>https://tinh.gov.vn/tin-tuc/ubnd-tinh-trien-khai-ke-hoach-chuyen-doi-so-nam-%d/</loc>\n    <lastmod>20%02d-%02d-%02dT08:30:00+07:00</lastmod>\n  </url>", i, 7+i%19, 1+i%12, 1+i%28)
	}
	sb.WriteString("\n</urlset>\n")
	return []byte(sb.String())
}

// BenchmarkWriteSitemap writes one sitemap of 50,000 addresses and its sibling, minified
// and gzipped, with a worker's buffers as they are after a large file (let go), the way a
// 100,000-article build writes its four sitemaps: the bytes it allocates are the
// sitemaps' share of that build's peak (BENCHMARKS.md, eighteenth session, write22).
func BenchmarkWriteSitemap(b *testing.B) {
	data := benchSitemap()
	w, err := Begin(context.Background(), filepath.Join(b.TempDir(), "public"), Options{Minify: true, Precompress: true, Workers: 1})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Abort()
	bufs := NewBuffers(1)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		b.StopTimer() // the render's buffer is not the writer's
		var db dataBuffers
		f := File{Rel: fmt.Sprintf("sitemap-%d.xml", i), Data: append(make([]byte, 0, len(data)+1), data...), Source: "trang /sitemap.xml", Buffers: bufs}
		b.StartTimer()
		if _, _, err := w.writeData(f, &db); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
