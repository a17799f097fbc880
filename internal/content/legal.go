package content

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/docnumber"
	"github.com/vnportal/portal/internal/suggest"
	"github.com/vnportal/portal/internal/vietnamese"
)

// LibrarySection is the folder of the legal-document library: every file under
// content/van-ban/ (but its _index.md) is a legal document.
const LibrarySection = "van-ban"

// DocumentTypes are the built-in types (loại) of legal and administrative documents;
// config.toml's [documents] types adds to them.
var DocumentTypes = []string{
	"Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh", "Lệnh", "Nghị quyết", "Nghị quyết liên tịch",
	"Nghị định", "Quyết định", "Thông tư", "Thông tư liên tịch", "Chỉ thị", "Kế hoạch",
	"Công văn", "Công điện", "Thông báo", "Hướng dẫn", "Báo cáo", "Quy định", "Quy chế",
	"Chương trình", "Đề án", "Tờ trình",
}

// Statuses are the values a document's status may be written with; a document that
// gives none gets one worked out from its dates and the documents replacing it.
var Statuses = []string{"còn hiệu lực", "chưa có hiệu lực", "hết hiệu lực", "hết hiệu lực một phần", "bị thay thế", "ngưng hiệu lực"}

// AttachmentFormats are the file types an attachment may be.
var AttachmentFormats = []string{".pdf", ".doc", ".docx", ".odt", ".ods", ".xls", ".xlsx"}

// legalKeys are the front matter keys of a legal document.
var legalKeys = []string{"number", "issuer", "signer", "issued", "effective", "expires", "status", "fields", "replaces", "amends", "files"}

// Legal is what a legal document's front matter says about it (Decree 42/2022/NĐ-CP,
// Article 4): number, type, issuing authority, dates, status and attachments.
type Legal struct {
	Number string // số ký hiệu, "64/2007/NĐ-CP"
	Key    string // docnumber.Key(Number): the library's key and URL slug
	Type   string // loại, one of the schema's types
	Issuer string // cơ quan ban hành
	Signer string // người ký
	Issued time.Time
	// Effective and Expires may be zero.
	Effective, Expires time.Time
	// Status is the status as written ("" when the front matter gives none).
	Status string
	Fields []string // lĩnh vực
	// Replaces and Amends are numbers of other documents, as written.
	Replaces, Amends []string
	// Files are the attachments' names in the document's bundle folder.
	Files []string
}

// decodeLegal reads a legal document's own fields; its date is its issued date.
func decodeLegal(doc *Document, fm map[string]any, schema Schema, str func(string) string, date func(string) time.Time, ds *diag.List) {
	l := &Legal{Number: str("number"), Type: str("type"), Issuer: str("issuer"), Signer: str("signer"), Status: str("status")}
	doc.Legal = l
	// Messages point at the value they are about (valuepos.go).
	numberLine, numberCol := doc.Pos("number")
	typeLine, typeCol := doc.Pos("type")
	effectiveLine, effectiveCol := doc.Pos("effective")
	expiresLine, expiresCol := doc.Pos("expires")
	statusLine, statusCol := doc.Pos("status")
	if l.Number == "" {
		ds.Errorf(doc.Path, 1, 1, "document", "văn bản chưa có số ký hiệu: thêm vào phần đầu một dòng như 'number: \"64/2007/NĐ-CP\"'")
	} else if l.Key = docnumber.Key(l.Number); l.Key == "" {
		ds.Errorf(doc.Path, numberLine, numberCol, "document", "số ký hiệu %q không có chữ hay số nào: viết như \"64/2007/NĐ-CP\"", l.Number)
	}
	types := schema.documentTypes()
	switch {
	case l.Type == "":
		ds.Errorf(doc.Path, 1, 1, "document-type", "văn bản chưa có loại: thêm vào phần đầu một dòng như 'type: \"Nghị định\"' (các loại: %s)", strings.Join(types, ", "))
	case !slices.Contains(types, l.Type):
		if s, ok := closestType(l.Type, types); ok {
			ds.Errorf(doc.Path, typeLine, typeCol, "document-type", "loại văn bản %q không có trong danh sách: có phải định viết %q? (các loại: %s; thêm loại mới vào [documents] types trong config.toml)", l.Type, s, strings.Join(types, ", "))
		} else {
			ds.Errorf(doc.Path, typeLine, typeCol, "document-type", "loại văn bản %q không có trong danh sách (các loại: %s): sửa lại, hoặc thêm loại mới vào [documents] types trong config.toml", l.Type, strings.Join(types, ", "))
		}
	}
	if _, ok := fm["issued"]; !ok {
		ds.Errorf(doc.Path, 1, 1, "document", "văn bản chưa có ngày ban hành: thêm vào phần đầu một dòng như 'issued: 2007-04-17'")
	}
	l.Issued, l.Effective, l.Expires = date("issued"), date("effective"), date("expires")
	if doc.Date.IsZero() {
		doc.Date = l.Issued
	}
	if !l.Effective.IsZero() && l.Effective.Before(l.Issued) {
		ds.Errorf(doc.Path, effectiveLine, effectiveCol, "document-dates", "ngày hiệu lực (effective) %s trước ngày ban hành (issued) %s: kiểm tra lại hai ngày", vietnamese.ShortDate(l.Effective), vietnamese.ShortDate(l.Issued))
	}
	if from := cmpOr(l.Effective, l.Issued); !l.Expires.IsZero() && !from.IsZero() && !l.Expires.After(from) {
		ds.Errorf(doc.Path, expiresLine, expiresCol, "document-dates", "ngày hết hiệu lực (expires) %s không sau ngày có hiệu lực %s: kiểm tra lại các ngày", vietnamese.ShortDate(l.Expires), vietnamese.ShortDate(from))
	}
	if l.Status != "" {
		if st := strings.ToLower(l.Status); slices.Contains(Statuses, st) {
			l.Status = st
		} else if s, ok := suggest.Closest(st, Statuses); ok {
			ds.Errorf(doc.Path, statusLine, statusCol, "document", "tình trạng %q không dùng được: có phải định viết %q? (các tình trạng: %s; bỏ trống để portal tự tính theo ngày)", l.Status, s, strings.Join(Statuses, ", "))
		} else {
			ds.Errorf(doc.Path, statusLine, statusCol, "document", "tình trạng %q không dùng được (các tình trạng: %s; bỏ trống để portal tự tính theo ngày)", l.Status, strings.Join(Statuses, ", "))
		}
	}
	l.Fields = stringList(doc, fm, "fields", doc.Pos, ds)
	l.Replaces = stringList(doc, fm, "replaces", doc.Pos, ds)
	l.Amends = stringList(doc, fm, "amends", doc.Pos, ds)
	l.Files = stringList(doc, fm, "files", doc.Pos, ds)
	for _, f := range l.Files {
		ext := strings.ToLower(path.Ext(f))
		fLine, fCol := doc.ItemPos("files", f)
		switch {
		case strings.ContainsAny(f, "/\\") || f == "." || f == "..":
			ds.Errorf(doc.Path, fLine, fCol, "document-file", "tệp đính kèm %q phải là tên một tệp nằm cạnh index.md trong thư mục của văn bản, không có dấu /", f)
		case !slices.Contains(AttachmentFormats, ext):
			ds.Errorf(doc.Path, fLine, fCol, "document-file", "tệp đính kèm %q có loại không được phép: chỉ đính kèm %s", f, strings.Join(AttachmentFormats, ", "))
		case doc.BundleDir == "":
			ds.Errorf(doc.Path, fLine, fCol, "document-file", "văn bản có tệp đính kèm phải là một thư mục: chuyển %s thành %s/index.md và đặt %q cạnh nó", doc.Path, strings.TrimSuffix(doc.Path, path.Ext(doc.Path)), f)
		}
	}
}

// closestType suggests a type for a mistyped one, comparing without diacritics and
// case too ("nghi dinh" → "Nghị định").
func closestType(t string, types []string) (string, bool) {
	folded := vietnamese.Slug(t)
	for _, c := range types {
		if vietnamese.Slug(c) == folded {
			return c, true
		}
	}
	return suggest.Closest(t, types)
}

func cmpOr(a, b time.Time) time.Time {
	if !a.IsZero() {
		return a
	}
	return b
}

// documentTypes is the built-in list plus the site's own types.
func (s Schema) documentTypes() []string {
	out := slices.Clone(DocumentTypes)
	for _, t := range s.DocumentTypes {
		if t = vietnamese.NFC(strings.TrimSpace(t)); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
