package check_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/build"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/corpus"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/sitetest"
)

// now is the time the checks run at in these tests.
var now = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func article(title, extra, body string) string {
	return "---\ntitle: \"" + title + "\"\ndate: 2024-05-01\n" + extra + "---\n" + body
}

// tinyJPEG and tinyPNG are real images: the build reads every photo an article uses.
func tinyJPEG(t *testing.T) string {
	b, err := corpus.PhotoJPEG(1, 0, 64, 48)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func tinyPNG(t *testing.T) string {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 40, 30))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func runAt(t *testing.T, dir string) []diag.Diagnostic {
	t.Helper()
	// Drafts, future and expired articles are built too, so that all of them are
	// checked (and links to them are links to unpublished pages).
	ds, err := build.Check(context.Background(), build.Options{SiteDir: dir, Now: now, Include: content.Include{Drafts: true, Future: true, Expired: true}})
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func TestCleanSite(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml":               "title = \"Mẫu\"\n",
		"static/images/a.jpg":       tinyJPEG(t),
		"content/gioi-thieu.md":     "---\ntitle: \"Giới thiệu\"\n---\nXem [tin](/tin-tuc/hoi-nghi/) và [liên hệ](mailto:a@b.vn), a@b.vn, [gọi](tel:0123).\n",
		"content/tin-tuc/_index.md": "---\ntitle: \"Tin tức\"\n---\n",
		"content/tin-tuc/hoi-nghi.md": article("Hội nghị tập huấn chuyển đổi số", "provinces: [\"tỉnh Hà Tĩnh\"]\nimage: \"/images/a.jpg\"\nimage_alt: \"Ảnh hội nghị\"\n",
			"Xem [bài kia](../hoi-thao/), [mục](#muc), [trang 2](?trang=2), [ngoài](https://example.vn/x), [chuyên mục](/chuyen-muc/), [tỉnh](/tinh/ha-tinh/), [trang chủ](/), [RSS](/tin-tuc/index.xml), [CSS](/images/a.jpg).\n\n![Ảnh](/images/a.jpg)\n"),
		"content/tin-tuc/hoi-thao/index.md":  article("Hội thảo chính phủ số cấp tỉnh", "", "![Sơ đồ](so-do.png) và [về trước](/tin-tuc/hoi-nghi) [đủ](/tin-tuc/hoi-nghi/index.html) [tin tức](../)\n"),
		"content/tin-tuc/hoi-thao/so-do.png": tinyPNG(t),
		"content/tin-tuc/ban-tin-tuan-12.md": article("Bản tin chuyển đổi số tuần 12", "", "Nội dung.\n"),
		"content/tin-tuc/ban-tin-tuan-13.md": article("Bản tin chuyển đổi số tuần 13", "", "Nội dung.\n"),
		"content/tin-tuc/ha-noi.md":          article("Hà Nội", "", "Nội dung.\n"),
		"content/tin-tuc/ha-tinh.md":         article("Hà Tĩnh", "", "Nội dung.\n"),
	})
	for _, d := range runAt(t, dir) {
		t.Errorf("unexpected: %s", d)
	}
}

// want is one expected finding.
type want struct {
	path     string
	line     int
	severity diag.Severity
	code     string
	contains string
}

func TestFindings(t *testing.T) {
	nfd := norm.NFD.String(article("Bài gõ trên máy Mac", "", "Nội dung tiếng Việt.\n"))
	dir := sitetest.NewSite(t, map[string]string{
		"static/images/co.jpg": tinyJPEG(t),
		// 1 ---, 2 title, 3 date, 4 ---, 5 body
		"content/tin-tuc/thieu-tieu-de.md": "---\ndate: 2024-01-01\n---\nx\n",
		"content/tin-tuc/tinh-sai.md":      article("Tỉnh sai", "provinces: [\"Lâm Đông\"]\n", "x\n"),
		"content/tin-tuc/lien-ket.md": article("Liên kết hỏng", "", strings.Join([]string{
			"[không có](/tin-tuc/khong-co/)", // line 5
			"",
			"[tương đối](../khong-co-nua/)", // line 7
			"",
			"[tệp md](tinh-sai.md)", // line 9
			"",
			"[an toàn](https://example.vn/) [thư](mailto:a@b.vn) [#](#x)", // line 11
			"",
			"[nguy hiểm](javascript:alert(1))", // line 13
			"",
			"[bản nháp](/tin-tuc/nhap/)", // line 15
		}, "\n")+"\n"),
		"content/tin-tuc/anh.md": article("Ảnh thiếu", "image: \"bia.jpg\"\n", strings.Join([]string{
			"![Không có](/images/khong-co.jpg)", // line 6
			"",
			"![](/images/co.jpg)", // line 8
		}, "\n")+"\n"),
		"content/tin-tuc/nhap.md":      article("Bản nháp", "draft: true\n", "x\n"),
		"content/tin-tuc/mac.md":       nfd,
		"content/tin-tuc/tuong-lai.md": "---\ntitle: \"Tương lai\"\ndate: 2999-01-01\n---\nx\n",
		"content/tin-tuc/trung-a.md":   article("Trùng", "slug: trung-b\n", "x\n"),
		"content/tin-tuc/trung-b.md":   article("Trùng đường dẫn", "", "x\n"),
		"content/tin-tuc/sai-khoa.md":  article("Sai khóa", "tittle: \"x\"\n", "x\n"),
		"content/tin-tuc/hn-1.md":      article("Hội nghị tập huấn chuyển đổi số cho cán bộ", "", "x\n"),
		"content/tin-tuc/hn-2.md":      article("Hội nghị tập huấn chuyển đổi số cho cán bộ xã", "", "x\n"),
		"content/tin-tuc/hn-3.md":      article("HOI NGHI TAP HUAN CHUYEN DOI SO CHO CAN BO", "", "x\n"),
	})
	got := runAt(t, dir)
	wants := []want{
		{"content/tin-tuc/thieu-tieu-de.md", 1, diag.Error, "front-matter", "the article has no title"},
		{"content/tin-tuc/tinh-sai.md", 4, diag.Warning, "unknown-province", `"Lâm Đồng"`},
		{"content/tin-tuc/lien-ket.md", 5, diag.Warning, "broken-link", "/tin-tuc/khong-co/"},
		{"content/tin-tuc/lien-ket.md", 7, diag.Warning, "broken-link", "/tin-tuc/khong-co-nua/"},
		{"content/tin-tuc/lien-ket.md", 9, diag.Warning, "broken-link", "link to the page /tin-tuc/tinh-sai/ instead"},
		{"content/tin-tuc/lien-ket.md", 13, diag.Warning, "unsafe-link", "javascript:"},
		{"content/tin-tuc/lien-ket.md", 15, diag.Warning, "unpublished-link", "content/tin-tuc/nhap.md"},
		{"content/tin-tuc/anh.md", 4, diag.Error, "missing-photo", `ảnh đại diện (image) "bia.jpg"`},
		{"content/tin-tuc/anh.md", 6, diag.Error, "missing-photo", "/images/khong-co.jpg"},
		{"content/tin-tuc/mac.md", 1, diag.Warning, "nfc", "NFC"},
		{"content/tin-tuc/tuong-lai.md", 3, diag.Warning, "future-date", "2999"},
		{"content/tin-tuc/trung-b.md", 0, diag.Error, "collision", "content/tin-tuc/trung-a.md"},
		{"content/tin-tuc/sai-khoa.md", 4, diag.Warning, "front-matter-key", `"title"`},
		{"content/tin-tuc/hn-2.md", 2, diag.Warning, "duplicate-title", "nearly the same as the title of content/tin-tuc/hn-1.md"},
		// hn-3 matches hn-1 and hn-2: one warning names the first and counts the other.
		{"content/tin-tuc/hn-3.md", 2, diag.Warning, "duplicate-title", "the same (ignoring case and diacritics) as the title of content/tin-tuc/hn-1.md (\"Hội nghị tập huấn chuyển đổi số cho cán bộ\") and of 1 other article(s)"},
	}
	used := make([]bool, len(got))
	for _, w := range wants {
		found := false
		for i, d := range got {
			if !used[i] && d.Path == w.path && d.Line == w.line && d.Severity == w.severity && d.Code == w.code && strings.Contains(d.Text(message.En), w.contains) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing %s:%d %s [%s] containing %q", w.path, w.line, w.severity, w.code, w.contains)
		}
	}
	for i, d := range got {
		if !used[i] {
			t.Errorf("unexpected: %s [%s]", d, d.Code)
		}
	}
	if t.Failed() {
		for _, d := range got {
			t.Logf("got: %s [%s]", d, d.Code)
		}
	}
}

func TestNearDuplicateTitlesScale(t *testing.T) {
	files := map[string]string{}
	for i := range 3000 {
		files[fmt.Sprintf("content/tin-tuc/bai-%d.md", i)] = article(fmt.Sprintf("Bài số %d về hoạt động chuyển đổi số tại địa phương thứ %d", i, i*7), "", "x\n")
	}
	dir := sitetest.NewSite(t, files)
	start := time.Now()
	ds := runAt(t, dir)
	for _, d := range ds {
		if d.Code == "duplicate-title" {
			t.Errorf("numbered titles are a series, not duplicates: %s", d)
			break
		}
	}
	if took := time.Since(start); took > 60*time.Second {
		t.Errorf("checking 3000 articles took %s", took)
	}
}

func TestCancelled(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{"content/tin-tuc/a.md": article("A", "", "x\n")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := build.Check(ctx, build.Options{SiteDir: dir}); err == nil {
		t.Error("Run with a cancelled context returned no error")
	}
}

func TestBundleFilesNothingUsesAndFalseImages(t *testing.T) {
	dir := sitetest.NewSite(t, map[string]string{
		"config.toml": "title = \"Mẫu\"\n",
		"content/tin-tuc/hoi-nghi/index.md": article("Hội nghị", "image: anh.jpg\nimage_alt: \"Hội trường\"\n",
			"![Sơ đồ](so-do.png)\n\n[Giấy mời](giay-moi.pdf)\n\n[Ảnh gốc](goc.jpg)\n"),
		"content/tin-tuc/hoi-nghi/goc.jpg":      tinyJPEG(t),
		"content/tin-tuc/hoi-nghi/anh.jpg":      tinyJPEG(t),
		"content/tin-tuc/hoi-nghi/so-do.png":    tinyPNG(t),
		"content/tin-tuc/hoi-nghi/giay-moi.pdf": "%PDF-1.4",
		"content/tin-tuc/hoi-nghi/thua.jpg":     tinyJPEG(t),
		"content/tin-tuc/hoi-nghi/ghi-chu.txt":  "ghi chú",
		"content/tin-tuc/hoi-nghi/van-ban.jpg":  "Không phải ảnh",
		"content/tin-tuc/hoi-nghi/that-ra.png":  tinyJPEG(t),
	})
	got := map[string]string{}
	for _, d := range runAt(t, dir) {
		got[d.Path+" "+d.Code] = d.Severity.String() + ": " + d.Message
	}
	for key, want := range map[string]string{
		"content/tin-tuc/hoi-nghi/thua.jpg unused-file":     "không được xuất bản",
		"content/tin-tuc/hoi-nghi/goc.jpg unused-file":      "chỉ liên kết tới ảnh này",
		"content/tin-tuc/hoi-nghi/ghi-chu.txt unused-file":  "không có liên kết nào",
		"content/tin-tuc/hoi-nghi/van-ban.jpg not-an-image": "không phải là ảnh",
		"content/tin-tuc/hoi-nghi/that-ra.png not-an-image": "đổi đuôi tên tệp thành .jpg",
	} {
		if !strings.Contains(got[key], want) || !strings.HasPrefix(got[key], "cảnh báo") {
			t.Errorf("%s: got %q, want a warning saying %q", key, got[key], want)
		}
		delete(got, key)
	}
	for _, k := range []string{"van-ban.jpg unused-file", "that-ra.png unused-file"} {
		delete(got, "content/tin-tuc/hoi-nghi/"+k)
	}
	for k, v := range got {
		t.Errorf("unexpected: %s %s", k, v)
	}
}
