package markdown

import (
	"fmt"
	"html/template"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func render(t *testing.T, r *Renderer, src string) Result {
	t.Helper()
	res, err := r.Render([]byte(src))
	if err != nil {
		t.Fatalf("Render(%q): %v", src, err)
	}
	return res
}

// TestHeadingIDs checks Result.Headings; the IDs in the HTML are in
// testdata/cases/headings.txt.
func TestHeadingIDs(t *testing.T) {
	r := New(Options{})
	nfd := norm.NFD.String("Kết quả đạt được")
	if nfd == "Kết quả đạt được" {
		t.Fatal("test setup: NFD string equals NFC")
	}
	tests := []struct {
		name string
		src  string
		want []Heading
	}{
		{"vietnamese", "## Kết quả đạt được", []Heading{{2, "ket-qua-dat-duoc", "Kết quả đạt được"}}},
		{"markup ignored", "# Kết quả **đạt** [được](https://x.vn)", []Heading{{1, "ket-qua-dat-duoc", "Kết quả đạt được"}}},
		{"duplicates", "# Tin tức\n\n## Tin tức\n\nTin tức\n---\n", []Heading{{1, "tin-tuc", "Tin tức"}, {2, "tin-tuc-1", "Tin tức"}, {2, "tin-tuc-2", "Tin tức"}}},
		{"NFD same as NFC", "# Kết quả đạt được\n\n# " + nfd, []Heading{{1, "ket-qua-dat-duoc", "Kết quả đạt được"}, {1, "ket-qua-dat-duoc-1", "Kết quả đạt được"}}},
		{"custom id", "## Giới thiệu {#gioi-thieu-chung}", []Heading{{2, "gioi-thieu-chung", "Giới thiệu"}}},
		{"auto avoids later custom id", "## Liên hệ\n\n## Địa chỉ {#lien-he}", []Heading{{2, "lien-he-1", "Liên hệ"}, {2, "lien-he", "Địa chỉ"}}},
		{"no letters", "## ???\n\n## —\n", []Heading{{2, "muc", "???"}, {2, "muc-1", "—"}}},
		{"digits only", "## 2025", []Heading{{2, "muc-2025", "2025"}}},
		{"đ and Đ", "### ĐƯỜNG Đi", []Heading{{3, "duong-di", "ĐƯỜNG Đi"}}},
		{"entities", "## Q&amp;A &copy;", []Heading{{2, "q-a", "Q&A ©"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := render(t, r, tt.src)
			if fmt.Sprint(res.Headings) != fmt.Sprint(tt.want) {
				t.Fatalf("Headings = %+v\nwant       %+v", res.Headings, tt.want)
			}
		})
	}
}

// TestUnsafeRawHTMLText checks the plain text of sanitized raw HTML; the HTML
// itself is case 2 of testdata/cases/rawhtml.txt.
func TestUnsafeRawHTMLText(t *testing.T) {
	src := "<figure class=\"anh\"><img src=\"/anh/cau.jpg\" alt=\"Cầu mới\" onerror=\"alert(1)\" width=\"800\" style=\"x\"><figcaption>Cầu <em>mới</em></figcaption></figure>\n\n" +
		"<table><tr><td colspan=\"2\" onclick=\"x\">Ô</td></tr></table>\n\n" +
		"Đoạn có <span class=\"hl\" style=\"color:red\">tô sáng</span> và <script>alert(1)</script> hết.\n\n" +
		"<iframe src=\"https://youtube.com/embed/x\"></iframe>\n\n<p>Sau</p>\n"
	res := render(t, New(Options{Unsafe: true}), src)
	if !strings.Contains(res.Text, "Cầu mới") || strings.Contains(res.Text, "<") {
		t.Errorf("Text = %q", res.Text)
	}
}

func TestLinks(t *testing.T) {
	src := strings.Join([]string{
		"# Tiêu đề [neo](#muc-1)", // 1
		"",                        // 2
		"Đoạn [văn bản](/van-ban/nghi-dinh-64.html \"NĐ\") và", // 3
		"![Ảnh *cầu*](/anh/cầu.jpg) www.tinh.gov.vn",           // 4
		"",                       // 5
		"- mục [tham chiếu][tc]", // 6
		"- <https://a.vn/x>",     // 7
		"",                       // 8
		"| a | b |",              // 9
		"|---|---|",              // 10
		"| [ô](ô.html) | x |",    // 11
		"",                       // 12
		"[nhiều",                 // 13
		"dòng](/nhieu-dong) [xấu](javascript:alert(1)) [thoát](/a\\_b&amp;c)", // 14
		"",                                     // 15
		"[tc]: https://tc.vn/ \"T\"",           // 16
		"",                                     // 17
		"Chú thích[^1]",                        // 18
		"",                                     // 19
		"[^1]: Xem [nguồn](https://nguon.vn).", // 20
	}, "\n")
	res := render(t, New(Options{}), src)
	want := []Link{
		{Dest: "#muc-1", Line: 1},
		{Dest: "/van-ban/nghi-dinh-64.html", Line: 3},
		{Dest: "/anh/cầu.jpg", Line: 4, Col: 1, Image: true, Alt: "Ảnh cầu"},
		{Dest: "http://www.tinh.gov.vn", Line: 4},
		{Dest: "https://tc.vn/", Line: 6},
		{Dest: "https://a.vn/x", Line: 7},
		{Dest: "ô.html", Line: 11},
		{Dest: "/nhieu-dong", Line: 13},
		{Dest: "javascript:alert(1)", Line: 14, Blocked: true},
		{Dest: "/a_b&c", Line: 14},
		{Dest: "https://nguon.vn", Line: 20},
	}
	if len(res.Links) != len(want) {
		t.Fatalf("got %d links, want %d:\n%+v", len(res.Links), len(want), res.Links)
	}
	for i := range want {
		if res.Links[i] != want[i] {
			t.Errorf("link %d = %+v, want %+v", i, res.Links[i], want[i])
		}
	}
}

func TestText(t *testing.T) {
	src := "# Thông báo\n\nNgày **1/7/2025**, tỉnh *sáp nhập*\n" +
		"[xã](/xa) Tân&nbsp;Phú &amp; `mã <b>` \\*không nghiêng\\*.\n\n" +
		"> Trích dẫn\n\n- một\n- hai\n\n![ảnh](/a.jpg)\n\n<div>thô</div>\n\n```\nfmt.Println(1)\n```\n"
	res := render(t, New(Options{}), src)
	want := "Thông báo\n\nNgày 1/7/2025, tỉnh sáp nhập xã Tân\u00a0Phú & mã <b> *không nghiêng*.\n\nTrích dẫn\n\nmột\n\nhai\n\nfmt.Println(1)"
	if res.Text != want {
		t.Errorf("Text = %q\nwant   %q", res.Text, want)
	}
	if res.WordCount != 19 {
		t.Errorf("WordCount = %d, want 19", res.WordCount)
	}
}

func TestRenderInline(t *testing.T) {
	tests := []struct {
		unsafe bool
		src    string
		want   string
	}{
		{false, "Tỉnh *Hà Tĩnh* công bố [kết quả](/ket-qua)", `Tỉnh <em>Hà Tĩnh</em> công bố <a href="/ket-qua">kết quả</a>`},
		{false, "# không phải tiêu đề", "# không phải tiêu đề"},
		{false, "- không phải danh sách", "- không phải danh sách"},
		{false, "a < b & [x](javascript:alert(1))", `a &lt; b &amp; <a href="#">x</a>`},
		{false, "chữ <b>đậm</b>", "chữ <!-- raw HTML omitted -->đậm<!-- raw HTML omitted -->"},
		{true, "chữ <b onclick=x>đậm</b> <i>mở", "chữ <b>đậm</b> <i>mở</i>"},
		{false, "hai\n\nđoạn", "hai đoạn"},
	}
	for _, tt := range tests {
		got := string(New(Options{Unsafe: tt.unsafe}).RenderInline(tt.src))
		if got != tt.want {
			t.Errorf("RenderInline(%q, unsafe=%v) = %q, want %q", tt.src, tt.unsafe, got, tt.want)
		}
	}
}

func TestConcurrentRender(t *testing.T) {
	docs := []string{benchArticle(), "# A\n\n## A\n\n[x](javascript:1)", "<div>x</div>\n\n|a|\n|-|\n|b|"}
	for _, unsafe := range []bool{false, true} {
		r := New(Options{Unsafe: unsafe})
		want := make([]template.HTML, len(docs))
		for i, d := range docs {
			want[i] = render(t, r, d).HTML
		}
		var wg sync.WaitGroup
		errs := make(chan string, 64)
		for g := 0; g < 8; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k := 0; k < 20; k++ {
					i := (g + k) % len(docs)
					res, err := r.Render([]byte(docs[i]))
					if err != nil || res.HTML != want[i] {
						errs <- fmt.Sprintf("doc %d differs when rendered concurrently (err %v)", i, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

func TestPictureCaptionIsText(t *testing.T) {
	res, err := New(Options{}).RenderPage([]byte("Trước.\n\n![Hội trường](anh.jpg \"Ảnh: Văn Dũng\")\n\nSau.\n"), Page{Images: casePictures{}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != "Trước.\n\nẢnh: Văn Dũng\n\nSau." {
		t.Errorf("Text = %q, want the caption as a paragraph", res.Text)
	}
	if !strings.Contains(string(res.HTML), `alt="Hội trường" loading="lazy"`) {
		t.Errorf("without EagerFirst every picture is lazy: %s", res.HTML)
	}
}
