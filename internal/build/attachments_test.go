package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/buildcache"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/pdftext"
	"github.com/vnportal/portal/internal/search"
)

// pdfFixture returns a committed test PDF of internal/pdftext, padded after its end with
// spaces to size bytes (PDF readers ignore bytes after %%EOF), so two different files
// can have the same size.
func pdfFixture(t *testing.T, name string, size int) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "pdftext", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if size > 0 {
		if len(b) > size {
			t.Fatalf("%s has %d bytes, more than %d", name, len(b), size)
		}
		b = append(b, strings.Repeat(" ", size-len(b))...)
	}
	return b
}

// attachmentSite is librarySite with search on, the decision's PDF (text.pdf: words
// found nowhere else in the site) as 2599/QĐ-UBND's attachment, and a document whose
// only attachment is a scan.
func attachmentSite(t *testing.T) string {
	dir := librarySite(t)
	write := func(rel string, b []byte) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, rel)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("config.toml", []byte("baseURL = \"https://vb.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n"))
	write("content/van-ban/2599-qd-ubnd/qd.pdf", pdfFixture(t, "text.pdf", 30000))
	write("content/van-ban/15-ct-ubnd/index.md", []byte("---\nnumber: \"15/CT-UBND\"\ntype: \"Chỉ thị\"\ntitle: \"Về công tác văn thư\"\nissued: 2020-05-04\n\nfiles:\n  - \"quet.pdf\"\n---\n"))
	write("content/van-ban/15-ct-ubnd/quet.pdf", pdfFixture(t, "scan.pdf", 0))
	return dir
}

// sharedCompilation points the cache folder's engine code at one folder for every test
// run (as pdftext's Example does), so that the tests compile the engine once per machine.
func sharedCompilation(t *testing.T, cacheDir string) {
	t.Helper()
	shared := filepath.Join(os.TempDir(), "portal-test-pdftext-wazero")
	if err := os.MkdirAll(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(cacheDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(shared, filepath.Join(cacheDir, buildcache.WazeroDir)); err != nil {
		t.Fatal(err)
	}
}

// searchURLs returns the URLs the index at dir finds for q.
func searchURLs(t *testing.T, dir, q string) []string {
	t.Helper()
	ix, err := search.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Search(context.Background(), search.Request{Query: q})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, h := range res.Hits {
		urls = append(urls, h.URL)
	}
	return urls
}

// attachmentWarnings returns the attachment-text diagnostics of ds, printed in Vietnamese
// and English.
func attachmentWarnings(ds []diag.Diagnostic) (vi, en []string) {
	for _, d := range ds {
		if d.Code == "attachment-text" {
			vi, en = append(vi, d.In(message.Vi)), append(en, d.In(message.En))
		}
	}
	return vi, en
}

// TestAttachmentTextIsSearched: a word found only in a document's PDF finds the document;
// a scanned PDF is a warning at the document's files line, repeated by a warm build
// that reads no PDF; a PDF replaced by another of the same size is read and indexed again.
func TestAttachmentTextIsSearched(t *testing.T) {
	dir := attachmentSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	cacheDir := filepath.Join(t.TempDir(), "cache")
	sharedCompilation(t, cacheDir)
	build := func(name string) Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: DiskCache(cacheDir, "test")})
		if err != nil {
			t.Fatal(name, err, rep.Diagnostics)
		}
		vi, en := attachmentWarnings(rep.Diagnostics)
		wantVi := "content/van-ban/15-ct-ubnd/index.md:8:5: cảnh báo: tệp đính kèm \"quet.pdf\" không được đưa vào tìm kiếm: tệp PDF 2 trang là ảnh quét"
		if len(vi) != 1 || !strings.HasPrefix(vi[0], wantVi) {
			t.Errorf("%s: warnings %q, want one starting %q", name, vi, wantVi)
		}
		if len(en) != 1 || !strings.Contains(en[0], "the text of attachment \"quet.pdf\" is not in the search index: the 2-page PDF file is a scanned image") {
			t.Errorf("%s: English warnings %q", name, en)
		}
		return rep
	}

	rep := build("cold")
	if rep.Attachments != (AttachmentStats{Read: 2, Hashed: 2}) {
		t.Errorf("cold build: %+v, want both PDFs read", rep.Attachments)
	}
	if urls := searchURLs(t, rep.IndexDir, "Chánh Văn phòng thủ trưởng"); !slices.Contains(urls, "/van-ban/2599-qd-ubnd/") {
		t.Errorf("a word of the PDF finds %v, not the document", urls)
	}
	if urls := searchURLs(t, rep.IndexDir, "quy chế"); slices.Contains(urls, "/van-ban/2599-qd-ubnd/") {
		t.Errorf("a word of no PDF finds the document: %v", urls)
	}

	rep = build("warm")
	if rep.Attachments != (AttachmentStats{Reused: 2}) {
		t.Errorf("warm build: %+v, want no PDF read (not even hashed) and both found in the cache", rep.Attachments)
	}
	if !rep.Search.Reused {
		t.Errorf("warm build's index: %+v, want the previous one carried over", rep.Search)
	}

	// The same size, other bytes: the index must see the change.
	pdf := filepath.Join(dir, "content/van-ban/2599-qd-ubnd/qd.pdf")
	if err := os.WriteFile(pdf, pdfFixture(t, "pages.pdf", 30000), 0o644); err != nil {
		t.Fatal(err)
	}
	rep = build("replaced")
	if rep.Attachments != (AttachmentStats{Read: 1, Reused: 1, Hashed: 1}) {
		t.Errorf("after replacing a PDF: %+v, want it read and the scan found", rep.Attachments)
	}
	if rep.Search.Reused || rep.Search.Updated != 1 {
		t.Errorf("index after replacing a PDF of the same size: %+v, want the document updated", rep.Search)
	}
	if urls := searchURLs(t, rep.IndexDir, "quy chế"); !slices.Contains(urls, "/van-ban/2599-qd-ubnd/") {
		t.Errorf("a word of the new PDF finds %v, not the document", urls)
	}
	if urls := searchURLs(t, rep.IndexDir, "Chánh Văn phòng thủ trưởng"); slices.Contains(urls, "/van-ban/2599-qd-ubnd/") {
		t.Errorf("a word of the replaced PDF still finds the document: %v", urls)
	}
}

// TestAttachmentTextServeCache: `portal serve --watch` keeps the PDFs' outcomes in memory:
// a rebuild reads none and warns again about the scan; a replaced PDF is read again.
func TestAttachmentTextServeCache(t *testing.T) {
	dir := attachmentSite(t)
	dest := filepath.Join(t.TempDir(), "public")
	cache := NewServeCache()
	build := func() Report {
		t.Helper()
		rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: cache})
		if err != nil {
			t.Fatal(err, rep.Diagnostics)
		}
		if vi, _ := attachmentWarnings(rep.Diagnostics); len(vi) != 1 || !strings.Contains(vi[0], "quet.pdf") {
			t.Errorf("warnings %q, want the scan's", vi)
		}
		return rep
	}
	if rep := build(); rep.Attachments != (AttachmentStats{Read: 2, Hashed: 2}) {
		t.Errorf("first build: %+v", rep.Attachments)
	}
	if rep := build(); rep.Attachments != (AttachmentStats{Reused: 2}) {
		t.Errorf("rebuild: %+v, want nothing read", rep.Attachments)
	}
	if err := os.WriteFile(filepath.Join(dir, "content/van-ban/2599-qd-ubnd/qd.pdf"), pdfFixture(t, "pages.pdf", 30000), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := build()
	if rep.Attachments != (AttachmentStats{Read: 1, Reused: 1, Hashed: 1}) {
		t.Errorf("after replacing a PDF: %+v", rep.Attachments)
	}
	if urls := searchURLs(t, rep.IndexDir, "quy chế"); !slices.Contains(urls, "/van-ban/2599-qd-ubnd/") {
		t.Errorf("a word of the new PDF finds %v, not the document", urls)
	}
}

// TestEngineOnlyWhenAPDFNeedsReading: the engine is made when some PDF is not in the
// store, not for a build whose PDFs are all known, nor for a site without PDFs.
func TestEngineOnlyWhenAPDFNeedsReading(t *testing.T) {
	dir := attachmentSite(t)
	cacheDir := filepath.Join(t.TempDir(), "cache")
	sharedCompilation(t, cacheDir)
	texts, err := buildcache.OpenTexts(cacheDir)
	if err != nil {
		t.Fatal(err)
	}
	store := &countingStore{textStore: newDiskTexts(texts, cacheDir)}
	read := func() AttachmentStats {
		t.Helper()
		l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow}, &diag.List{})
		if err != nil {
			t.Fatal(err)
		}
		var ds diag.List
		_, used, st, err := readAttachments(context.Background(), dir, PDFsOf(l.Graph), store, &ds)
		if err != nil {
			t.Fatal(err)
		}
		store.commit(used, &ds)
		return st
	}
	if st := read(); st.Read != 2 || store.engines != 1 {
		t.Errorf("first read: %+v, %d engines", st, store.engines)
	}
	if st := read(); st.Read != 0 || store.engines != 1 {
		t.Errorf("second read: %+v, %d engines, want no new one", st, store.engines)
	}
	for _, rel := range []string{"content/van-ban/2599-qd-ubnd/index.md", "content/van-ban/15-ct-ubnd/index.md"} {
		b, _ := os.ReadFile(filepath.Join(dir, rel))
		b = []byte(strings.NewReplacer("qd.pdf", "qd.docx", "quet.pdf", "quet.docx").Replace(string(b)))
		os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "content/van-ban/2599-qd-ubnd/qd.docx"), []byte("PK"), 0o644)
	os.WriteFile(filepath.Join(dir, "content/van-ban/15-ct-ubnd/quet.docx"), []byte("PK"), 0o644)
	store.engines = 0
	store.textStore = newDiskTexts(texts, t.TempDir()) // nothing known
	if st := read(); st != (AttachmentStats{}) || store.engines != 0 {
		t.Errorf("site without PDFs: %+v, %d engines", st, store.engines)
	}
}

// countingStore counts the engines a build asks for.
type countingStore struct {
	textStore
	engines int
}

func (c *countingStore) engine() (pdftext.Options, func()) {
	c.engines++
	return c.textStore.engine()
}
