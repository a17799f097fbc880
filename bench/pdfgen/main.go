// Command pdfgen makes PDF files with known Vietnamese text: the test files of
// internal/pdftext, many distinct documents for benchmarks, and attachments for the
// sample site printed by Chromium from Markdown or HTML.
//
//	go run ./bench/pdfgen fixtures -out internal/pdftext/testdata
//	go run ./bench/pdfgen bench -n 20000 -out /tmp/pdfs        # 0000001.pdf … (+ .txt with the text)
//	go run ./bench/pdfgen chromium -out DIR a.md b.html …      # DIR/a.pdf, DIR/b.pdf
//
// fixtures and bench use codeberg.org/go-pdf/fpdf (pure Go; a UTF-8 TrueType font
// embedded as a subset with a ToUnicode map, the way office suites write PDFs) with
// DejaVu Serif from Debian's fonts-dejavu-core; their output is the same bytes on every
// run (fixed dates). chromium runs `chromium --headless --print-to-pdf`, as CI has it.
// It never overwrites a file.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/yuin/goldmark"
	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/vnportal/portal/internal/corpus"
)

const fontPath = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

// fixedTime is written as every document's creation and modification date.
var fixedTime = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "fixtures":
		fs := flag.NewFlagSet("fixtures", flag.ExitOnError)
		out := fs.String("out", "", "folder to write the test files into")
		_ = fs.Parse(os.Args[2:])
		err = fixtures(*out)
	case "bench":
		fs := flag.NewFlagSet("bench", flag.ExitOnError)
		out := fs.String("out", "", "folder to write the documents into")
		n := fs.Int("n", 1000, "number of documents")
		seed := fs.Int64("seed", 1, "seed of the text (internal/corpus prose)")
		_ = fs.Parse(os.Args[2:])
		err = benchDocs(*out, *n, *seed)
	case "chromium":
		fs := flag.NewFlagSet("chromium", flag.ExitOnError)
		out := fs.String("out", "", "folder to write the PDF files into")
		_ = fs.Parse(os.Args[2:])
		err = printAll(*out, fs.Args())
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "pdfgen:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: pdfgen fixtures -out DIR | bench -n N -out DIR | chromium -out DIR FILE.md|FILE.html ...")
	os.Exit(2)
}

// Decision is the text of the fixtures: a short decision of a provincial people's
// committee, made up for the tests. Paragraphs are separated by blank lines.
const Decision = `ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ

Số: 2599/QĐ-UBND

QUYẾT ĐỊNH về việc phê duyệt kế hoạch chuyển đổi số năm 2026

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; căn cứ Nghị định số 64/2007/NĐ-CP của Chính phủ về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước;

Theo đề nghị của Giám đốc Sở Thông tin và Truyền thông, Ủy ban nhân dân tỉnh quyết định:

Điều 1. Phê duyệt kế hoạch chuyển đổi số của tỉnh, bảo đảm người dân được hưởng dịch vụ công trực tuyến thuận tiện, nhanh chóng và an toàn.

Điều 2. Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng, thủ trưởng các sở, ban, ngành chịu trách nhiệm thi hành.`

// writer makes fpdf documents with the embedded font.
type writer struct{ ttf []byte }

func newWriter() (*writer, error) {
	ttf, err := os.ReadFile(fontPath)
	if err != nil {
		return nil, fmt.Errorf("%w (install Debian's fonts-dejavu-core)", err)
	}
	return &writer{ttf: ttf}, nil
}

func (w *writer) doc() *fpdf.Fpdf {
	p := fpdf.New("P", "mm", "A4", "")
	p.SetCreationDate(fixedTime)
	p.SetModificationDate(fixedTime)
	p.SetCatalogSort(true)
	p.AddUTF8FontFromBytes("DejaVu", "", w.ttf)
	p.SetFont("DejaVu", "", 12)
	p.SetAutoPageBreak(true, 20)
	return p
}

// text writes paragraphs (separated by blank lines) from the current position.
func text(p *fpdf.Fpdf, s string) {
	for _, para := range strings.Split(s, "\n\n") {
		p.MultiCell(0, 6, strings.ReplaceAll(para, "\n", " "), "", "L", false)
		p.Ln(3)
	}
}

func save(p *fpdf.Fpdf, path string) error {
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return err
	}
	return create(path, buf.Bytes())
}

// create writes a new file, never over an existing one.
func create(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// fixtures writes the test files of internal/pdftext.
func fixtures(out string) error {
	if out == "" {
		return errors.New("-out is required")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	w, err := newWriter()
	if err != nil {
		return err
	}
	// text.pdf: the decision, one page.
	p := w.doc()
	p.AddPage()
	text(p, Decision)
	if err := save(p, filepath.Join(out, "text.pdf")); err != nil {
		return err
	}
	// owner.pdf: encrypted (RC4) with an owner password only, as offices often publish:
	// it opens without a password, so its text must be read.
	p = w.doc()
	p.SetProtection(fpdf.CnProtectPrint, "", "chu-so-huu")
	p.AddPage()
	text(p, Decision)
	if err := save(p, filepath.Join(out, "owner.pdf")); err != nil {
		return err
	}
	// password.pdf: needs a password to open.
	p = w.doc()
	p.SetProtection(fpdf.CnProtectPrint, "mat-khau", "chu-so-huu")
	p.AddPage()
	text(p, Decision)
	if err := save(p, filepath.Join(out, "password.pdf")); err != nil {
		return err
	}
	// scan.pdf: two pages that are pictures of the decision, no text layer.
	scan, err := w.picture(Decision)
	if err != nil {
		return err
	}
	p = w.doc()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(scan))
	for range 2 {
		p.AddPage()
		p.ImageOptions("scan", 10, 10, 190, 0, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	}
	if err := save(p, filepath.Join(out, "scan.pdf")); err != nil {
		return err
	}
	// mixed.pdf: a text page, then a scanned annex.
	p = w.doc()
	p.RegisterImageOptionsReader("scan", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(scan))
	p.AddPage()
	text(p, Decision)
	p.AddPage()
	p.ImageOptions("scan", 10, 10, 190, 0, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	if err := save(p, filepath.Join(out, "mixed.pdf")); err != nil {
		return err
	}
	// blank.pdf: a page with a line drawn and nothing else.
	p = w.doc()
	p.AddPage()
	p.Line(20, 20, 190, 20)
	if err := save(p, filepath.Join(out, "blank.pdf")); err != nil {
		return err
	}
	// pages.pdf: 40 pages, "Trang N" on each, for the page limit.
	p = w.doc()
	for i := 1; i <= 40; i++ {
		p.AddPage()
		text(p, fmt.Sprintf("Trang %d: Điều %d của quy chế.", i, i))
	}
	return save(p, filepath.Join(out, "pages.pdf"))
}

// picture renders s as black text on a white page, the way a scanner sees it.
func (w *writer) picture(s string) ([]byte, error) {
	f, err := opentype.Parse(w.ttf)
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: 14, DPI: 72})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	img := image.NewGray(image.Rect(0, 0, 800, 900))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: face}
	y := 40
	for _, para := range strings.Split(s, "\n\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := strings.TrimSpace(line + " " + word)
			if font.MeasureString(face, try).Ceil() > 740 && line != "" {
				d.Dot = fixed.P(30, y)
				d.DrawString(line)
				y += 20
				try = word
			}
			line = try
		}
		d.Dot = fixed.P(30, y)
		d.DrawString(line)
		y += 32
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// benchDocs writes n distinct documents, each a decision numbered i with the body of
// prose article i (2–3 pages), and beside each the text it holds (.txt).
func benchDocs(out string, n int, seed int64) error {
	if out == "" || n <= 0 {
		return errors.New("-out and -n > 0 are required")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	w, err := newWriter()
	if err != nil {
		return err
	}
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	next := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := w.benchDoc(out, seed, i); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
				}
			}
		}()
	}
	for i := 1; i <= n; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// BenchText is the text of benchmark document i.
func BenchText(seed int64, i int) string {
	_, md := corpus.ProseArticle(seed, i-1)
	body := string(md)
	if strings.HasPrefix(body, "---") {
		if end := strings.Index(body[3:], "\n---"); end >= 0 {
			body = body[3+end+4:]
		}
	}
	var paras []string
	for _, para := range strings.Split(body, "\n\n") {
		para = strings.TrimSpace(strings.Trim(strings.TrimSpace(para), "#*>-"))
		if para != "" && !strings.HasPrefix(para, "!") && !strings.HasPrefix(para, "|") {
			paras = append(paras, para)
		}
	}
	head := fmt.Sprintf("ỦY BAN NHÂN DÂN TỈNH\n\nSố: %d/QĐ-UBND\n\nQUYẾT ĐỊNH số %d", i, i)
	return head + "\n\n" + strings.Join(paras, "\n\n")
}

func (w *writer) benchDoc(out string, seed int64, i int) error {
	s := BenchText(seed, i)
	p := w.doc()
	p.AddPage()
	text(p, s)
	name := filepath.Join(out, fmt.Sprintf("%07d", i))
	if err := save(p, name+".pdf"); err != nil {
		return err
	}
	return create(name+".txt", []byte(s))
}

// printAll prints each Markdown or HTML file to out/<name>.pdf with headless Chromium.
func printAll(out string, files []string) error {
	if out == "" || len(files) == 0 {
		return errors.New("-out and at least one file are required")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "pdfgen-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		stem := strings.TrimSuffix(filepath.Base(f), filepath.Ext(f))
		html := src
		if ext := strings.ToLower(filepath.Ext(f)); ext == ".md" || ext == ".markdown" {
			if html, err = page(stem, src); err != nil {
				return err
			}
		}
		in := filepath.Join(tmp, stem+".html")
		if err := os.WriteFile(in, html, 0o644); err != nil {
			return err
		}
		dst := filepath.Join(out, stem+".pdf")
		if _, err := os.Lstat(dst); err == nil {
			return fmt.Errorf("%s exists: remove it first (pdfgen never overwrites a file)", dst)
		}
		if err := printPDF(in, dst); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		fmt.Println(dst)
	}
	return nil
}

// page wraps Markdown as a printable A4 HTML page in Vietnamese.
func page(title string, md []byte) ([]byte, error) {
	var body bytes.Buffer
	if err := goldmark.Convert(md, &body); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `<!doctype html><html lang="vi"><meta charset="utf-8"><title>%s</title>
<style>@page{size:A4;margin:2cm 2cm 2cm 3cm}body{font-family:"DejaVu Serif",serif;font-size:13pt;line-height:1.4}h1{font-size:14pt;text-align:center}</style>
`, strings.NewReplacer("<", "&lt;", "&", "&amp;").Replace(title))
	b.Write(body.Bytes())
	b.WriteString("</html>\n")
	return b.Bytes(), nil
}

func printPDF(in, out string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	chrome := "chromium"
	if p := os.Getenv("CHROMIUM"); p != "" {
		chrome = p
	}
	abs, err := filepath.Abs(in)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, chrome, "--headless", "--no-sandbox", "--disable-gpu",
		"--no-pdf-header-footer", "--print-to-pdf="+out, "file://"+abs)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w: %s", err, msg)
	}
	if _, err := os.Stat(out); err != nil {
		return fmt.Errorf("chromium wrote no PDF: %w", err)
	}
	return nil
}
