package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/docnumber"
	"github.com/vnportal/portal/internal/vietnamese"
)

// writeLibrary adds n legal documents to the site in dir (content/van-ban/): first the
// documents its articles cite (so that their citations link), then invented ones up to n.
// Each is a page bundle with one PDF, a hard link to pdfs[i%len(pdfs)]: with at least
// n files (bench/pdfgen bench -n N) every document has a PDF of its own, with fewer they
// share them (the build then copies each as its own file but reads only len(pdfs) texts:
// pdfNote says which).
func writeLibrary(dir string, n int, pdfs []string) (cited, total int, err error) {
	type doc struct{ number, typ string }
	var docs []doc
	seen := map[string]bool{}
	err = filepath.WalkDir(filepath.Join(dir, "content", "tin-tuc"), func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		text := string(b)
		for _, m := range docnumber.Find(text) {
			if seen[m.Key] || len(docs) >= n {
				continue
			}
			seen[m.Key] = true
			docs = append(docs, doc{m.Number, typeOf(text[m.Start:m.End], m.Number)})
		}
		return nil
	})
	if err != nil {
		return 0, 0, err
	}
	slices.SortFunc(docs, func(a, b doc) int { return strings.Compare(docnumber.Key(a.number), docnumber.Key(b.number)) })
	cited = len(docs)
	suffixes := []struct{ typ, suffix string }{{"Quyết định", "QĐ-UBND"}, {"Kế hoạch", "KH-UBND"}, {"Công văn", "UBND-VX"}, {"Chỉ thị", "CT-UBND"}, {"Thông báo", "TB-UBND"}}
	for i := 0; len(docs) < n; i++ {
		s := suffixes[i%len(suffixes)]
		num := fmt.Sprintf("%d/%s-BENCH", 10000+i, s.suffix)
		if !seen[docnumber.Key(num)] {
			seen[docnumber.Key(num)] = true
			docs = append(docs, doc{num, s.typ})
		}
	}
	issuers := []string{"Ủy ban nhân dân tỉnh", "Chính phủ", "Thủ tướng Chính phủ", "Hội đồng nhân dân tỉnh", "Sở Thông tin và Truyền thông"}
	fields := []string{"Công nghệ thông tin", "Cải cách hành chính", "Giáo dục", "Y tế", "Giao thông", "Tài chính"}
	for i, d := range docs {
		key := docnumber.Key(d.number)
		bundle := filepath.Join(dir, "content", "van-ban", key)
		if err := os.MkdirAll(bundle, 0o755); err != nil {
			return cited, i, err
		}
		pdf := fmt.Sprintf("van-ban-%d.pdf", i)
		y := 2005 + i%21
		fm := fmt.Sprintf("---\nnumber: %q\ntype: %q\ntitle: %q\nissuer: %q\nissued: %04d-%02d-%02d\nfields: [%q]\nfiles: [%q]\n",
			d.number, d.typ, "Văn bản mẫu số "+d.number+" về "+strings.ToLower(fields[i%len(fields)]), issuers[i%len(issuers)], y, i%12+1, i%28+1, fields[i%len(fields)], pdf)
		if i > 0 && i%50 == 0 {
			fm += fmt.Sprintf("amends: [%q]\n", docs[i-1].number)
		}
		body := fm + "---\n\nVăn bản sinh tự động cho phép đo (không phải văn bản thật).\n"
		if err := os.WriteFile(filepath.Join(bundle, "index.md"), []byte(body), 0o644); err != nil {
			return cited, i, err
		}
		if err := os.Link(pdfs[i%len(pdfs)], filepath.Join(bundle, pdf)); err != nil {
			return cited, i, err
		}
	}
	return cited, len(docs), nil
}

// pdfNote says how the library's documents got their PDFs, for gen's summary line.
func pdfNote(total, cited, files int) string {
	if files >= total {
		return fmt.Sprintf("%d legal documents (%d cited by the articles), each with a PDF of its own (hard links to %d distinct files)", total, cited, min(files, total))
	}
	return fmt.Sprintf("%d legal documents (%d cited by the articles) sharing %d PDFs by hard links: a build reads only %d distinct texts", total, cited, files, files)
}

// typeOf returns the built-in document type a citation names before its number, or
// "Công văn" when it names none.
func typeOf(cite, number string) string {
	words := strings.TrimSpace(strings.TrimSuffix(cite, number))
	words = strings.TrimSpace(strings.TrimSuffix(strings.TrimSuffix(words, "số"), "Số"))
	for _, t := range content.DocumentTypes {
		if vietnamese.Slug(t) == vietnamese.Slug(words) {
			return t
		}
	}
	return "Công văn"
}
