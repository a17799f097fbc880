package build

import (
	"os"
	"path/filepath"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/site"
)

// attachFiles reads the size of each legal document's attachments (files beside its
// index.md) into its source, and reports the ones that are missing: an error that holds
// the document back.
func attachFiles(siteDir string, srcs map[*content.Document]site.Source, ds *diag.List) {
	for d, src := range srcs {
		if d.Legal == nil || d.BundleDir == "" || len(d.Legal.Files) == 0 {
			continue
		}
		src.Attachments = nil
		for _, name := range d.Legal.Files {
			fi, err := os.Stat(filepath.Join(siteDir, filepath.FromSlash(d.BundleDir), name))
			if err != nil || !fi.Mode().IsRegular() {
				ds.Errorf(d.Path, d.Line("files"), 1, "document-file", "không có tệp đính kèm %q trong thư mục %s: chép tệp vào đó (đúng tên, cả chữ hoa chữ thường), hoặc bỏ tên nó khỏi files", name, d.BundleDir)
				continue
			}
			src.Attachments = append(src.Attachments, site.NewAttachment(name, fi.Size()))
		}
		srcs[d] = src
	}
}
