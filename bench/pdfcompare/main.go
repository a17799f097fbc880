// Command pdfcompare compares PDF text extractors on the same files: internal/pdftext
// (PDFium in WebAssembly, go-pdfium) and the pure-Go readers github.com/ledongthuc/pdf
// and rsc.io/pdf. It is its own module so that the readers it compares stay out of
// portal's go.mod. See samples.sh for the files and BENCHMARKS.md for the results.
//
//	go run . [-only NAME] FILE.pdf...
//
// For each file and extractor it prints the pages, the recall of the words of the
// decision the samples hold (share of its words found, as words, with diacritics), the
// time and the bytes allocated.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"
	"unicode"

	lpdf "github.com/ledongthuc/pdf"
	"golang.org/x/text/unicode/norm"
	rpdf "rsc.io/pdf"

	"github.com/vnportal/portal/internal/pdftext"
)

// want is the text of the sample decision (bench/pdfgen's Decision).
const want = `ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ Số: 2599/QĐ-UBND QUYẾT ĐỊNH về việc phê duyệt kế hoạch chuyển đổi số năm 2026 Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; căn cứ Nghị định số 64/2007/NĐ-CP của Chính phủ về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước; Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông, Ủy ban nhân dân tỉnh quyết định: Điều 1. Phê duyệt kế hoạch chuyển đổi số của tỉnh, bảo đảm người dân được hưởng dịch vụ công trực tuyến thuận tiện, nhanh chóng và an toàn. Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành.`

func words(s string) []string {
	return strings.FieldsFunc(norm.NFC.String(s), unicode.IsSpace)
}

func recall(got string) float64 {
	have := map[string]int{}
	for _, w := range words(got) {
		have[w]++
	}
	ws := words(want)
	n := 0
	for _, w := range ws {
		if have[w] > 0 {
			have[w]--
			n++
		}
	}
	return float64(n) / float64(len(ws))
}

type extractor struct {
	name string
	fn   func(data []byte) (string, int, error)
}

func safe(fn func([]byte) (string, int, error)) func([]byte) (string, int, error) {
	return func(data []byte) (s string, n int, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("PANIC: %v", r)
			}
		}()
		return fn(data)
	}
}

// ledongthuc/pdf's own plain-text walk, one page at a time with that page's fonts.
func ledong(data []byte) (string, int, error) {
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", 0, err
	}
	rd, err := r.GetPlainText()
	if err != nil {
		return "", r.NumPage(), err
	}
	s, err := io.ReadAll(rd)
	return string(s), r.NumPage(), err
}

// rsc.io/pdf gives positioned glyphs; words and lines are laid out by gaps.
func rsc(data []byte) (string, int, error) {
	r, err := rpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", 0, err
	}
	n := r.NumPage()
	var b strings.Builder
	for i := 1; i <= n; i++ {
		var lastY, lastEnd float64
		for j, t := range r.Page(i).Content().Text {
			if j > 0 {
				if d := t.Y - lastY; d > t.FontSize/2 || -d > t.FontSize/2 {
					b.WriteByte('\n')
				} else if t.X-lastEnd > t.FontSize*0.15 {
					b.WriteByte(' ')
				}
			}
			b.WriteString(t.S)
			lastY, lastEnd = t.Y, t.X+t.W
		}
		b.WriteByte('\n')
	}
	return b.String(), n, nil
}

func main() {
	only := flag.String("only", "", "run only the extractor whose name contains this")
	show := flag.Bool("show", false, "print the text read")
	flag.Parse()
	t0 := time.Now()
	ex, err := pdftext.New(context.Background(), pdftext.Options{Workers: 1})
	if err != nil {
		panic(err)
	}
	fmt.Printf("pdftext.New (compiling PDFium): %v\n", time.Since(t0).Round(time.Millisecond))
	fast, err := pdftext.New(context.Background(), pdftext.Options{Workers: 1, StopBetweenPages: true})
	if err != nil {
		panic(err)
	}
	withEngine := func(e *pdftext.Extractor) func([]byte) (string, int, error) {
		return func(data []byte) (string, int, error) {
			lim := pdftext.DefaultLimits()
			lim.MaxPages, lim.MaxText = 1<<30, 1<<30
			t, err := e.Extract(context.Background(), bytes.NewReader(data), int64(len(data)), lim)
			return t.Text, t.Pages, err
		}
	}
	all := []extractor{
		{"pdftext", withEngine(ex)},
		{"pdftext-between-pages", withEngine(fast)},
		{"ledongthuc/pdf", ledong},
		{"rsc.io/pdf", rsc},
	}
	for _, f := range flag.Args() {
		data, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		for _, e := range all {
			if *only != "" && !strings.Contains(e.name, *only) {
				continue
			}
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			before := ms.TotalAlloc
			start := time.Now()
			s, n, err := safe(e.fn)(data)
			d := time.Since(start)
			runtime.ReadMemStats(&ms)
			msg := ""
			if err != nil {
				msg = err.Error()
				if len(msg) > 60 {
					msg = msg[:60] + "…"
				}
			}
			fmt.Printf("%-28s %-22s pages=%-5d recall=%.2f %9.1f ms alloc=%7.1f MB %s\n",
				f, e.name, n, recall(s), float64(d.Microseconds())/1000, float64(ms.TotalAlloc-before)/1e6, msg)
			if *show {
				fmt.Println(s)
			}
		}
	}
}
