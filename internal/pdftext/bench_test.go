package pdftext

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/vnportal/portal/internal/vietnamese"
)

// BenchmarkExtract reads test PDFs one at a time: ns/op per document, MB/s of PDF,
// pages/s. With PORTAL_PDF_BENCH_DIR set to a folder made by
// `go run ./bench/pdfgen bench -n N -out DIR`, it reads that folder's PDFs instead
// (PORTAL_PDF_BENCH_MAX of them, default 1000).
func BenchmarkExtract(b *testing.B) {
	b.Run("interrupt", func(b *testing.B) { benchExtract(b, extractor(b)) })
	b.Run("between-pages", func(b *testing.B) { benchExtract(b, pageStopper(b)) })
}

func benchExtract(b *testing.B, ex *Extractor) {
	docs := benchDocs(b)
	var size int64
	for _, d := range docs {
		size += int64(len(d))
	}
	b.SetBytes(size / int64(len(docs)))
	b.ReportAllocs()
	pages := 0
	b.ResetTimer()
	for i := range b.N {
		d := docs[i%len(docs)]
		t, err := ex.Extract(context.Background(), bytes.NewReader(d), int64(len(d)), DefaultLimits())
		if err != nil {
			b.Fatal(err)
		}
		pages += t.Read
	}
	b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(pages), "ms/page")
	b.StopTimer()
	// The documents whose words come back exactly as bench/pdfgen wrote them (NFC).
	same, known := 0, 0
	for i, want := range benchFiles.texts[:min(len(docs), b.N)] {
		if want == "" {
			continue
		}
		known++
		t, err := ex.Extract(context.Background(), bytes.NewReader(docs[i]), int64(len(docs[i])), DefaultLimits())
		if err == nil && strings.Join(strings.Fields(t.Text), " ") == strings.Join(strings.Fields(vietnamese.NFC(want)), " ") {
			same++
		}
	}
	if known > 0 {
		b.ReportMetric(float64(same)/float64(known), "exact-docs")
	}
}

// BenchmarkExtractParallel reads with one document per GOMAXPROCS at once, the way a
// build would.
func BenchmarkExtractParallel(b *testing.B) {
	b.Run("interrupt", func(b *testing.B) { benchParallel(b, extractor(b)) })
	b.Run("between-pages", func(b *testing.B) { benchParallel(b, pageStopper(b)) })
}

func benchParallel(b *testing.B, ex *Extractor) {
	docs := benchDocs(b)
	var next, pages atomic.Int64
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			d := docs[int(next.Add(1))%len(docs)]
			t, err := ex.Extract(context.Background(), bytes.NewReader(d), int64(len(d)), DefaultLimits())
			if err != nil {
				b.Error(err)
				return
			}
			pages.Add(int64(t.Read))
		}
	})
	b.ReportMetric(float64(pages.Load())/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkNew compiles the engine without a compilation cache: what the first build
// on a machine pays (and every build that passes no cache).
func BenchmarkNew(b *testing.B) {
	for range b.N {
		ex, err := New(context.Background(), Options{Workers: 1})
		if err != nil {
			b.Fatal(err)
		}
		ex.Close()
	}
}

var benchFiles struct {
	once  sync.Once
	docs  [][]byte
	texts []string // the text beside each PDF (bench/pdfgen's .txt), if any
	err   error
}

func benchDocs(b *testing.B) [][]byte {
	benchFiles.once.Do(func() {
		dir, max := "testdata", 1000
		names := []string{"decision.pdf", "text.pdf", "pages.pdf", "mixed.pdf", "owner.pdf"}
		if d := os.Getenv("PORTAL_PDF_BENCH_DIR"); d != "" {
			dir, names = d, nil
			if m, err := strconv.Atoi(os.Getenv("PORTAL_PDF_BENCH_MAX")); err == nil && m > 0 {
				max = m
			}
			all, err := filepath.Glob(filepath.Join(d, "*.pdf"))
			if err != nil || len(all) == 0 {
				benchFiles.err = os.ErrNotExist
				return
			}
			sort.Strings(all)
			for _, p := range all[:min(max, len(all))] {
				names = append(names, filepath.Base(p))
			}
		}
		for _, n := range names {
			data, err := os.ReadFile(filepath.Join(dir, n))
			if err != nil {
				benchFiles.err = err
				return
			}
			benchFiles.docs = append(benchFiles.docs, data)
			txt, _ := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(n, ".pdf")+".txt"))
			benchFiles.texts = append(benchFiles.texts, string(txt))
		}
	})
	if benchFiles.err != nil {
		b.Fatal(benchFiles.err)
	}
	runtime.GC()
	return benchFiles.docs
}
