// Command gen writes a deterministic Vietnamese news corpus for benchmarks:
//
//	go run ./bench/gen -n 10000 -seed 1 -out /tmp/site
//
// The folder must not exist or be empty. See internal/corpus for what is generated.
package main

import (
	"context"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/corpus"
)

func main() {
	n := flag.Int("n", 1000, "number of articles")
	seed := flag.Int64("seed", 1, "seed; the same seed and -n give byte-identical files")
	out := flag.String("out", "", "site folder to create (must not exist or be empty)")
	photos := flag.Int("photos", 0, "plant a 4000×3000 camera-like photo in every N-th article (a page bundle; 0: none)")
	pw := flag.Int("photo-width", 4000, "width of the planted photos")
	ph := flag.Int("photo-height", 3000, "height of the planted photos")
	documents := flag.Int("documents", 0, "add a legal-document library of N documents (content/van-ban/), first the ones the articles cite, each with a PDF hard-linked from -document-pdfs (its own when that folder holds at least N)")
	pdfDir := flag.String("document-pdfs", "content/van-ban", "folder whose PDFs (in subfolders too) the documents' attachments link to")
	mode := flag.String("mode", "template", "text generator: template (the default corpus) or prose (Markov text trained on the sample articles; see internal/corpus)")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/gen -n 10000 [-seed 1] [-photos 10] [-mode prose] -out DIR")
		os.Exit(2)
	}
	m, err := corpus.ParseMode(*mode)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	start := time.Now()
	st, err := corpus.GenerateContext(ctx, *out, corpus.Options{Articles: *n, Seed: *seed, PhotoEvery: *photos, PhotoWidth: *pw, PhotoHeight: *ph, Mode: m})
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if *documents > 0 {
		var pdfs []string
		filepath.WalkDir(*pdfDir, func(p string, e fs.DirEntry, err error) error {
			if err == nil && !e.IsDir() && strings.HasSuffix(p, ".pdf") {
				abs, _ := filepath.Abs(p)
				pdfs = append(pdfs, abs)
			}
			return nil
		})
		if len(pdfs) == 0 {
			fmt.Fprintln(os.Stderr, "gen: no PDF under", *pdfDir)
			os.Exit(1)
		}
		cited, total, err := writeLibrary(*out, *documents, pdfs)
		if err != nil {
			fmt.Fprintln(os.Stderr, "gen:", err)
			os.Exit(1)
		}
		fmt.Println("gen:", pdfNote(total, cited, len(pdfs)))
	}
	fmt.Printf("gen: %d articles, %d words, %.1f MB, %d photos (%.1f MB) in %s → %s\n", st.Articles, st.Words,
		float64(st.Bytes)/1e6, st.Photos, float64(st.PhotoBytes)/1e6, time.Since(start).Round(time.Millisecond), *out)
}
