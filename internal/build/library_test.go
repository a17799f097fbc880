package build

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/publish"
	"github.com/vnportal/portal/internal/search"
	"github.com/vnportal/portal/internal/sitetest"
)

// librarySite is a small site with the default theme: a news article citing two
// documents, and a library holding one of them (with a PDF) and another that amends it.
func librarySite(t *testing.T) string {
	return sitetest.NewSite(t, map[string]string{
		"config.toml": "baseURL = \"https://vb.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n[search]\ndisabled = true\n",
		"content/tin-tuc/hoi-nghi.md": "---\ntitle: \"Hội nghị triển khai\"\ndate: 2025-03-01\nsummary: \"Triển khai Quyết định 2599/QĐ-UBND của tỉnh.\"\n---\n" +
			"Hội nghị quán triệt Nghị định số 64/2007/NĐ-CP và `2599/QĐ-UBND` trong mã, [Quyết định 2599/QĐ-UBND](/khac/).\n",
		"content/van-ban/2599-qd-ubnd/index.md": "---\nnumber: \"2599/QĐ-UBND\"\ntype: \"Quyết định\"\ntitle: \"Ban hành kế hoạch ứng dụng CNTT\"\nissuer: \"Ủy ban nhân dân tỉnh\"\nissued: 2008-10-03\nfields: [\"Công nghệ thông tin\"]\nfiles: [\"qd.pdf\"]\n---\nKế hoạch mẫu.\n",
		"content/van-ban/2599-qd-ubnd/qd.pdf":   "%PDF-1.4 mẫu\n",
		"content/van-ban/_index.md":             "---\ntitle: \"Thư viện văn bản của tỉnh\"\nsummary: \"Văn bản chỉ đạo, điều hành.\"\n---\n",
		"content/van-ban/3125-qd-ubnd.md":       "---\nnumber: \"3125/QĐ-UBND\"\ntype: \"Quyết định\"\ntitle: \"Sửa đổi kế hoạch\"\nissuer: \"Ủy ban nhân dân tỉnh\"\nissued: 2009-12-15\namends: [\"2599/QĐ-UBND\"]\n---\n",
	})
}

func readOut(t *testing.T, dest, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestLibraryPages(t *testing.T) {
	dir := librarySite(t)
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	art := readOut(t, dest, "tin-tuc/hoi-nghi/index.html")
	for _, want := range []string{
		// the lead's citation and the body's, linked when the library has the document
		`<a class="trich-dan" href="/van-ban/2599-qd-ubnd/">Quyết định 2599/QĐ-UBND</a> của tỉnh`,
		"Nghị định số 64/2007/NĐ-CP và <code>2599/QĐ-UBND</code>",
		`<a href="/khac/">Quyết định 2599/QĐ-UBND</a>`,
	} {
		if !strings.Contains(art, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if strings.Contains(art, `href="/van-ban/64-2007-nd-cp/"`) {
		t.Error("a number the library does not hold is linked")
	}
	doc := readOut(t, dest, "van-ban/2599-qd-ubnd/index.html")
	for _, want := range []string{
		`<th scope="row">Số ký hiệu</th><td>2599/QĐ-UBND</td>`,
		`<a href="/van-ban/loai/quyet-dinh/">Quyết định</a>`,
		`<a href="/van-ban/2599-qd-ubnd/qd.pdf" download>Tải về qd.pdf</a> <span class="meta">(PDF, 15 byte)</span>`,
		`<dt>Được sửa đổi, bổ sung bởi</dt><dd><a href="/van-ban/3125-qd-ubnd/">Quyết định 3125/QĐ-UBND</a>`,
		`<a href="/tin-tuc/hoi-nghi/">Hội nghị triển khai</a>`, // cited by
		`"@type":"Legislation"`, `"legislationIdentifier":"2599/QĐ-UBND"`, `"legislationLegalForce":"https://schema.org/InForce"`,
		`✓</span> còn hiệu lực`,
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("document page lacks %q", want)
		}
	}
	if !strings.Contains(readOut(t, dest, "van-ban/3125-qd-ubnd/index.html"), `<dt>Sửa đổi, bổ sung văn bản</dt><dd><a href="/van-ban/2599-qd-ubnd/">`) {
		t.Error("the amending document does not link the amended one")
	}
	if readOut(t, dest, "van-ban/2599-qd-ubnd/qd.pdf") != "%PDF-1.4 mẫu\n" {
		t.Error("attachment not published beside the page")
	}
	list := readOut(t, dest, "van-ban/index.html")
	if !strings.Contains(list, "<h1>Thư viện văn bản của tỉnh</h1>") || !strings.Contains(list, "Văn bản chỉ đạo, điều hành.") {
		t.Error("/van-ban/ does not take its title and lead from content/van-ban/_index.md")
	}
	if i, j := strings.Index(list, "3125/QĐ-UBND"), strings.Index(list, "2599/QĐ-UBND"); i < 0 || j < 0 || i > j {
		t.Error("/van-ban/ does not list the library newest first")
	}
	for _, p := range []string{"van-ban/loai/quyet-dinh/index.html", "van-ban/co-quan/uy-ban-nhan-dan-tinh/index.html",
		"van-ban/linh-vuc/cong-nghe-thong-tin/index.html", "van-ban/nam/2008/index.html", "van-ban/index.xml"} {
		readOut(t, dest, p)
	}
	if y := readOut(t, dest, "van-ban/nam/2008/index.html"); !strings.Contains(y, "2599/QĐ-UBND") || strings.Contains(y, "3125/QĐ-UBND") {
		t.Error("the year filter page lists the wrong documents")
	}
	if sm := readOut(t, dest, "sitemap.xml"); !strings.Contains(sm, "https://vb.example.gov.vn/van-ban/2599-qd-ubnd/") || !strings.Contains(sm, "/van-ban/loai/quyet-dinh/") {
		t.Error("sitemap lacks the library's pages")
	}
	// The cited number the library lacks is a warning at its place in the article.
	found := false
	for _, d := range rep.Diagnostics {
		if d.Code == "citation-missing" {
			found = true
			if d.Path != "content/tin-tuc/hoi-nghi.md" || d.Line != 6 || d.Col != 21 || !strings.Contains(d.String(), "64/2007/NĐ-CP") {
				t.Errorf("citation-missing: %s", d)
			}
			if en := d.In(message.En); !strings.Contains(en, "the document library does not hold") {
				t.Errorf("English: %s", en)
			}
		}
	}
	if !found {
		t.Error("no citation-missing warning for 64/2007/NĐ-CP")
	}
}

// TestLibraryHoldsBackBadDocuments: a document with a missing attachment, and two with
// one number, are held back (exit 3), each reported where it is; the rest is published.
func TestLibraryHoldsBackBadDocuments(t *testing.T) {
	dir := librarySite(t)
	dest := filepath.Join(t.TempDir(), "public")
	if rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true}); err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	before := readOut(t, dest, "van-ban/3125-qd-ubnd/index.html")
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/van-ban/thieu-tep/index.md": "---\nnumber: \"1/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Thiếu tệp\"\nissued: 2020-01-02\nfiles:\n  - \"khong-co.pdf\"\n---\n",
		"content/van-ban/trung-so.md":        "---\ntitle: \"Trùng số\"\ntype: \"Quyết định\"\nissued: 2010-01-01\nnumber: \"3125/QĐ-UBND\"\n---\n",
		"content/van-ban/thay-the.md":        "---\nnumber: \"2/KH-UBND\"\ntype: \"Kế hoạch\"\ntitle: \"Thay thế\"\nissued: 2020-01-02\nreplaces: [\"2599/QĐ-UBND\", \"9/2000/NĐ-CP\"]\n---\n",
	})
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, NoSearch: true})
	if err != nil {
		t.Fatal(err)
	}
	// The published document that a duplicate now holds back keeps its page as it was.
	if readOut(t, dest, "van-ban/3125-qd-ubnd/index.html") != before {
		t.Error("the held-back document's page was not kept as it was")
	}
	got := map[string]string{}
	for _, d := range rep.Diagnostics {
		if d.Severity == diag.Error {
			got[d.Code+" "+d.Path] = d.String()
		}
	}
	for key, want := range map[string]string{
		"document-file content/van-ban/thieu-tep/index.md":   `content/van-ban/thieu-tep/index.md:7:5: lỗi: không có tệp đính kèm "khong-co.pdf"`,
		"document-duplicate content/van-ban/trung-so.md":     `content/van-ban/trung-so.md:5:9: lỗi: số ký hiệu "3125/QĐ-UBND" trùng với văn bản content/van-ban/3125-qd-ubnd.md (dòng 2)`,
		"document-duplicate content/van-ban/3125-qd-ubnd.md": `content/van-ban/3125-qd-ubnd.md:2:9: lỗi: số ký hiệu "3125/QĐ-UBND" trùng với văn bản content/van-ban/trung-so.md (dòng 5)`,
	} {
		if !strings.HasPrefix(got[key], want) {
			t.Errorf("%s:\n got %q\nwant %q…", key, got[key], want)
		}
	}
	// A warning about one number of a list points at that number.
	var link string
	for _, d := range rep.Diagnostics {
		if d.Code == "document-link" && d.Path == "content/van-ban/thay-the.md" {
			link = d.String()
		}
	}
	if want := `content/van-ban/thay-the.md:6:28: cảnh báo: replaces: thư viện không có văn bản số "9/2000/NĐ-CP"`; !strings.HasPrefix(link, want) {
		t.Errorf("document-link:\n got %q\nwant %q…", link, want)
	}
	if len(rep.HeldBack) != 3 {
		t.Errorf("held back %v, want the three bad documents", rep.HeldBack)
	}
	if _, err := os.Stat(filepath.Join(dest, "van-ban", "2599-qd-ubnd", "index.html")); err != nil {
		t.Error("the good document is not published")
	}
	// The amending document is held back: 2599's page no longer shows it.
	if strings.Contains(readOut(t, dest, "van-ban/2599-qd-ubnd/index.html"), "3125") {
		t.Error("a held-back document is still linked")
	}
}

// TestLibraryIncremental: adding a document turns existing citations into links, and an
// edited article updates the pages of the documents it cites, with the preview's
// MemoryCache and with portal build's DiskCache, each equal to a fresh build.
func TestLibraryIncremental(t *testing.T) {
	for _, name := range []string{"memory", "disk"} {
		t.Run(name, func(t *testing.T) {
			dir := librarySite(t)
			var cache Cache = NewMemoryCache()
			if name == "disk" {
				cache = DiskCache(t.TempDir(), "test-binary")
			}
			dest := filepath.Join(t.TempDir(), "public")
			step := func(what string) {
				t.Helper()
				if rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow, Cache: cache, NoSearch: true}); err != nil {
					t.Fatalf("%s: %v %v", what, err, rep.Diagnostics)
				}
				full := filepath.Join(t.TempDir(), "full")
				if rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: full, Now: fixedNow, Cache: NoCache(), NoSearch: true}); err != nil {
					t.Fatalf("%s: %v %v", what, err, rep.Diagnostics)
				}
				a, b := sitetest.ReadTree(t, dest), sitetest.ReadTree(t, full)
				for k, v := range b {
					if k != publish.ManifestName && a[k] != v {
						t.Errorf("%s: %s is stale", what, k)
					}
				}
				if len(a) != len(b) {
					t.Errorf("%s: %d files, a fresh build has %d", what, len(a), len(b))
				}
			}
			step("first")
			sitetest.WriteFiles(t, dir, map[string]string{
				"content/van-ban/64-2007-nd-cp.md": "---\nnumber: \"64/2007/NĐ-CP\"\ntype: \"Nghị định\"\ntitle: \"Về ứng dụng CNTT\"\nissuer: \"Chính phủ\"\nissued: 2007-04-10\n---\n",
			})
			step("document added")
			if !strings.Contains(readOut(t, dest, "tin-tuc/hoi-nghi/index.html"), `<a class="trich-dan" href="/van-ban/64-2007-nd-cp/">Nghị định số 64/2007/NĐ-CP</a>`) {
				t.Error("adding the document did not link the existing citation")
			}
			if !strings.Contains(readOut(t, dest, "van-ban/64-2007-nd-cp/index.html"), `href="/tin-tuc/hoi-nghi/"`) {
				t.Error("the new document does not list the article citing it")
			}
			// An edit of the article's text only (same citations, moved): the links follow.
			p := filepath.Join(dir, "content", "tin-tuc", "hoi-nghi.md")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "Hội nghị quán triệt", "Hôm nay, hội nghị đã quán triệt", 1)), 0o644)
			step("body edit")
			if !strings.Contains(readOut(t, dest, "tin-tuc/hoi-nghi/index.html"), `đã quán triệt <a class="trich-dan" href="/van-ban/64-2007-nd-cp/">`) {
				t.Error("the link did not follow the edited text")
			}
			// The article's title changes, then it stops citing 64/2007.
			b, _ = os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "Hội nghị triển khai", "Hội nghị sơ kết", 1)), 0o644)
			step("title edit")
			if !strings.Contains(readOut(t, dest, "van-ban/64-2007-nd-cp/index.html"), "Hội nghị sơ kết") {
				t.Error("the document page shows the citing article's old title")
			}
			b, _ = os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(b), "Nghị định số 64/2007/NĐ-CP", "nghị định về CNTT", 1)), 0o644)
			step("citation removed")
			if strings.Contains(readOut(t, dest, "van-ban/64-2007-nd-cp/index.html"), `href="/tin-tuc/hoi-nghi/"`) {
				t.Error("the document page still lists an article that no longer cites it")
			}
		})
	}
}

// TestLibraryStatusFollowsTheClock: a document's worked-out status changes with the
// build's time alone (no file changes), and a cached build must not keep the old page.
func TestLibraryStatusFollowsTheClock(t *testing.T) {
	dir := librarySite(t)
	sitetest.WriteFiles(t, dir, map[string]string{
		"content/van-ban/tam-thoi.md": "---\nnumber: \"7/CT-UBND\"\ntype: \"Chỉ thị\"\ntitle: \"Chỉ thị tạm thời\"\nissued: 2025-05-01\nexpires: 2026-06-01\n---\n",
	})
	cache, dest := DiskCache(t.TempDir(), "test-binary"), filepath.Join(t.TempDir(), "public")
	for _, c := range []struct {
		now  time.Time
		want string
	}{{fixedNow, "✓</span> còn hiệu lực"}, {fixedNow.AddDate(0, 7, 0), "✕</span> hết hiệu lực"}} {
		if rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: c.now, Cache: cache, NoSearch: true}); err != nil {
			t.Fatal(err, rep.Diagnostics)
		}
		if page := readOut(t, dest, "van-ban/7-ct-ubnd/index.html"); !strings.Contains(page, c.want) {
			t.Errorf("at %s the page does not say %q", c.now.Format(time.DateOnly), c.want)
		}
	}
}

// TestLibrarySearch: the library's documents are in the search index, found by their
// number as typed and folded, and by the text of their attachments when an extractor
// is given (SearchDocumentsWith: the one place the index takes attachment text from).
func TestLibrarySearch(t *testing.T) {
	dir := librarySite(t)
	os.WriteFile(filepath.Join(dir, "config.toml"), []byte("baseURL = \"https://vb.example.gov.vn/\"\ntitle = \"Cổng thử\"\ntheme = \"default\"\n"), 0o644)
	dest := filepath.Join(t.TempDir(), "public")
	rep, err := Run(context.Background(), Options{SiteDir: dir, Dest: dest, Now: fixedNow})
	if err != nil {
		t.Fatal(err, rep.Diagnostics)
	}
	// Without a cache the PDF is read by each build; this one is not a PDF inside.
	if vi, _ := attachmentWarnings(rep.Diagnostics); rep.Attachments.Read != 1 || len(vi) != 1 || !strings.Contains(vi[0], "qd.pdf") {
		t.Errorf("attachments %+v, warnings %q: want qd.pdf read and warned about", rep.Attachments, vi)
	}
	ix, err := search.Open(rep.IndexDir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, q := range []string{"2599/QĐ-UBND", "2599/qd-ubnd", "Quyết định 2599"} {
		res, err := ix.Search(context.Background(), search.Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, h := range res.Hits {
			urls = append(urls, h.URL)
		}
		if !slices.Contains(urls, "/van-ban/2599-qd-ubnd/") {
			t.Errorf("%q finds %v, not the document", q, urls)
		}
	}
	l, err := Load(context.Background(), Options{SiteDir: dir, Now: fixedNow, Cache: NewMemoryCache()}, &diag.List{})
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	docs := SearchDocumentsWith(l.Graph, func(source string) (string, func() (string, error)) {
		read = append(read, source)
		return "abc", func() (string, error) { return "nội dung tệp đính kèm", nil }
	})
	for _, d := range docs {
		if d.URL == "/van-ban/2599-qd-ubnd/" {
			body, err := d.LoadBody()
			if err != nil || !strings.Contains(body, "Kế hoạch mẫu.") || !strings.Contains(body, "nội dung tệp đính kèm") {
				t.Errorf("indexed body %q, %v", body, err)
			}
			if !strings.HasPrefix(d.Title, "Quyết định 2599/QĐ-UBND") {
				t.Errorf("title %q", d.Title)
			}
		}
	}
	if !slices.Equal(read, []string{"content/van-ban/2599-qd-ubnd/qd.pdf"}) {
		t.Errorf("attachment text read from %v", read)
	}
}

// TestLibraryScheduled: a document whose status is worked out from its dates schedules
// the next build when it takes effect or expires; one with a written status does not.
func TestLibraryScheduled(t *testing.T) {
	parse := func(src string) *content.Document {
		d, ds := content.Parse("content/van-ban/x.md", []byte(src), content.Schema{})
		if len(ds) != 0 {
			t.Fatal(ds)
		}
		return d
	}
	worked := parse("---\nnumber: \"7/CT-UBND\"\ntype: \"Chỉ thị\"\ntitle: \"X\"\nissued: 2025-05-01\neffective: 2026-02-01\nexpires: 2026-06-01\n---\n")
	written := parse("---\nnumber: \"8/CT-UBND\"\ntype: \"Chỉ thị\"\ntitle: \"Y\"\nissued: 2025-05-01\neffective: 2026-02-01\nstatus: \"còn hiệu lực\"\n---\n")
	if s := NextScheduled([]*content.Document{worked}, fixedNow, content.Include{}); !s.At.Equal(worked.Legal.Effective) {
		t.Errorf("next %v, want the effective date %v", s.At, worked.Legal.Effective)
	}
	if s := NextScheduled([]*content.Document{worked}, worked.Legal.Effective, content.Include{}); !s.At.Equal(worked.Legal.Expires) {
		t.Errorf("next %v, want the expiry date %v", s.At, worked.Legal.Expires)
	}
	if s := NextScheduled([]*content.Document{written}, fixedNow, content.Include{}); !s.At.IsZero() {
		t.Errorf("a written status scheduled %v", s.At)
	}
}
