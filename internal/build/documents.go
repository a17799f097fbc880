package build

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/vietnamese"

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
			src.Attachments = append(src.Attachments, site.NewAttachment(d.BundleDir, name, fi.Size()))
		}
		srcs[d] = src
	}
}

// AttachmentText returns the text of a legal document's attachment for the search index,
// given the file's path in the site folder (Attachment.Source). It is the one place the
// index takes attachments' text from: NoAttachmentText until a PDF text extractor is
// wired in (SearchDocumentsWith). An attachment it cannot read is left out (the error is
// for a warning), never a failed build.
type AttachmentText func(source string) (string, error)

// NoAttachmentText indexes no attachment's text.
func NoAttachmentText(string) (string, error) { return "", nil }

// SearchDocuments converts the graph's articles and legal documents into search documents.
func SearchDocuments(g *site.Graph) []search.Document {
	return SearchDocumentsWith(g, NoAttachmentText)
}

// SearchDocumentsWith is SearchDocuments with the attachments' text read by text.
func SearchDocumentsWith(g *site.Graph, text AttachmentText) []search.Document {
	out := articleSearchDocuments(g)
	for _, a := range g.Documents {
		l, info := a.Legal, a.DocInfo
		title := l.Type + " " + l.Number + ": " + a.Title
		summary := "Văn bản số " + l.Number + ", ban hành " + vietnamese.ShortDate(l.Issued)
		if l.Issuer != "" {
			summary += ", " + l.Issuer
		}
		summary += ". Tình trạng: " + info.Status + "."
		body, files := a.TextFunc(), info.Attachments
		load := func() (string, error) {
			t, err := body()
			if err != nil {
				return "", err
			}
			parts := []string{t}
			for _, f := range files {
				if ft, err := text(f.Source); err == nil && ft != "" {
					parts = append(parts, ft)
				}
			}
			return strings.Join(parts, "\n\n"), nil
		}
		key := a.Hash + "|" + a.URL + "|" + info.Status
		for _, f := range files {
			key += "|" + f.Name + ":" + strconv.FormatInt(f.Size, 10)
		}
		out = append(out, search.Document{URL: a.URL, Title: title, Summary: summary, LoadBody: load, Date: l.Issued, Hash: key,
			Kind: search.KindDocument, Legal: search.Legal{Number: l.Number, Type: search.Term{Name: l.Type, Slug: vietnamese.Slug(l.Type)},
				Issuer: search.Term{Name: l.Issuer, Slug: vietnamese.Slug(l.Issuer)}, Status: search.Term{Name: info.Status, Slug: vietnamese.Slug(info.Status)}}})
	}
	return out
}
