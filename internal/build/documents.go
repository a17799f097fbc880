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
func attachFiles(siteDir string, srcs map[*content.Document]*site.Source, ds *diag.List) {
	for d, src := range srcs {
		if d.Legal == nil || d.BundleDir == "" || len(d.Legal.Files) == 0 {
			continue
		}
		src.Attachments = nil
		for _, name := range d.Legal.Files {
			fi, err := os.Stat(filepath.Join(siteDir, filepath.FromSlash(d.BundleDir), name))
			if err != nil || !fi.Mode().IsRegular() {
				line, col := d.ItemPos("files", name)
				ds.Errorf(d.Path, line, col, "document-file", "không có tệp đính kèm %q trong thư mục %s: chép tệp vào đó (đúng tên, cả chữ hoa chữ thường), hoặc bỏ tên nó khỏi files", name, d.BundleDir)
				continue
			}
			src.Attachments = append(src.Attachments, site.NewAttachment(d.BundleDir, name, fi.Size()))
		}
	}
}

// AttachmentText returns, for a legal document's attachment given by its path in the
// site folder (Attachment.Source), a digest of its content and its text for the search
// index (read when the index asks for it); text is nil, and sum "", for an attachment
// whose text is not indexed. It is the one place the index takes attachments' text from:
// a build's attachments stage (readAttachments) makes it; an attachment it cannot read
// was a warning, never a failed build.
type AttachmentText func(source string) (sum string, text func() (string, error))

// NoAttachmentText indexes no attachment's text.
func NoAttachmentText(string) (string, func() (string, error)) { return "", nil }

// SearchDocuments converts the graph's articles and legal documents into search
// documents, without the attachments' text.
func SearchDocuments(g *site.Graph) []search.Document {
	return SearchDocumentsWith(g, NoAttachmentText)
}

// ownSearchDocuments is SearchDocumentsWith as a run's searchDocs: the documents are
// the build's own, nothing to release.
func ownSearchDocuments(g *site.Graph, text AttachmentText) ([]search.Document, func()) {
	return SearchDocumentsWith(g, text), func() {}
}

// SearchDocumentsWith is SearchDocuments with the attachments' text read by text. A
// document's input digest (search.Document.Hash) holds each attachment's content digest
// when text knows it, else its name and size.
func SearchDocumentsWith(g *site.Graph, text AttachmentText) []search.Document {
	return append(articleSearchDocuments(g), legalSearchDocuments(g, text)...)
}

// legalSearchDocuments are the search documents of the graph's legal documents.
func legalSearchDocuments(g *site.Graph, text AttachmentText) []search.Document {
	var out []search.Document
	for _, a := range g.Documents {
		l, info := a.Legal, a.DocInfo
		title := l.Type + " " + l.Number + ": " + a.Title
		summary := "Văn bản số " + l.Number + ", ban hành " + vietnamese.ShortDate(l.Issued)
		if l.Issuer != "" {
			summary += ", " + l.Issuer
		}
		summary += ". Tình trạng: " + info.Status + "."
		body := a.TextFunc()
		key := a.Hash + "|" + a.URL + "|" + info.Status
		var texts []func() (string, error)
		for _, f := range info.Attachments {
			sum, t := text(f.Source)
			if sum != "" {
				key += "|" + f.Name + "#" + sum
			} else {
				key += "|" + f.Name + ":" + strconv.FormatInt(f.Size, 10)
			}
			if t != nil {
				texts = append(texts, t)
			}
		}
		load := func() (string, error) {
			t, err := body()
			if err != nil {
				return "", err
			}
			parts := []string{t}
			for _, ft := range texts {
				s, err := ft()
				if err != nil {
					return "", err
				}
				if s != "" {
					parts = append(parts, s)
				}
			}
			return strings.Join(parts, "\n\n"), nil
		}
		out = append(out, search.Document{URL: a.URL, Title: title, Summary: summary, LoadBody: load, Date: l.Issued, Hash: key,
			Kind: search.KindDocument, Legal: search.Legal{Number: l.Number, Type: search.Term{Name: l.Type, Slug: vietnamese.Slug(l.Type)},
				Issuer: search.Term{Name: l.Issuer, Slug: vietnamese.Slug(l.Issuer)}, Status: search.Term{Name: info.Status, Slug: vietnamese.Slug(info.Status)}}})
	}
	return out
}
