package pdftext_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/tetratelabs/wazero"

	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/pdftext"
)

// A build makes one Extractor (with a compilation cache in its cache folder), keys each
// attachment's result by its content, and turns a failure into a warning.
func Example() {
	cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(os.TempDir(), "portal-test-pdftext-wazero"))
	if err != nil {
		panic(err)
	}
	ex, err := pdftext.New(context.Background(), pdftext.Options{CompilationCache: cache})
	if err != nil {
		panic(err)
	}
	defer ex.Close()
	lim := pdftext.DefaultLimits()
	for _, name := range []string{"testdata/decision.pdf", "testdata/scan.pdf"} {
		data, err := os.ReadFile(name)
		if err != nil {
			panic(err)
		}
		key := pdftext.Key(sha256.Sum256(data), lim) // look the result up here first
		f, err := os.Open(name)
		if err != nil {
			panic(err)
		}
		t, err := ex.Extract(context.Background(), f, int64(len(data)), lim)
		f.Close()
		switch {
		case err == nil:
			fmt.Printf("%s: %d page(s): %s…\n", name, t.Pages, strings.SplitN(t.Text, "\n", 2)[0])
		case pdftext.KindOf(err).Lasting():
			fmt.Printf("%s: cảnh báo: %v\n%s: warning: %s\n", name, err, name, message.En.Error(err))
		default:
			fmt.Printf("%s: cảnh báo: %v (not kept under %.8s…)\n", name, err, key)
		}
	}
	// Output:
	// testdata/decision.pdf: 1 page(s): ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ…
	// testdata/scan.pdf: cảnh báo: tệp PDF 2 trang là ảnh quét, không có lớp chữ nên nội dung không tìm kiếm được: hãy đính kèm bản xuất từ văn bản gốc (Word), hoặc nhận dạng chữ (OCR) cho tệp quét rồi đính kèm lại
	// testdata/scan.pdf: warning: the 2-page PDF file is a scanned image with no text layer, so its content cannot be searched: attach a copy exported from the original document (Word), or run text recognition (OCR) on the scan and attach that
}
