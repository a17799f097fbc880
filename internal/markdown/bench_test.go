package markdown

import (
	"fmt"
	"strings"
	"testing"
)

// benchArticle returns a Vietnamese news article of about 1,500 words with
// headings, a table, a list, links and emphasis.
func benchArticle() string {
	sentences := []string{
		"Sáng ngày 1/7/2025, Ủy ban nhân dân tỉnh tổ chức hội nghị tổng kết công tác cải cách hành chính năm 2024.",
		"Đồng chí Chủ tịch **Ủy ban nhân dân tỉnh** nhấn mạnh việc nâng cao chất lượng phục vụ người dân và doanh nghiệp.",
		"Các sở, ban, ngành đã đẩy mạnh ứng dụng công nghệ thông tin trong giải quyết thủ tục hành chính.",
		"Tỷ lệ hồ sơ được giải quyết đúng hạn đạt trên 98%, tăng so với cùng kỳ năm trước.",
		"Người dân có thể tra cứu thông tin tại [Cổng dịch vụ công](https://dichvucong.gov.vn) hoặc liên hệ đường dây nóng.",
		"Hội nghị cũng chỉ ra một số *hạn chế* cần khắc phục trong thời gian tới.",
	}
	var b strings.Builder
	b.WriteString("# Tổng kết công tác cải cách hành chính năm 2024\n\n")
	for s := 0; s < 4; s++ {
		fmt.Fprintf(&b, "## Phần %d: Kết quả đạt được\n\n", s+1)
		for p := 0; p < 3; p++ {
			for _, sen := range sentences {
				b.WriteString(sen)
				b.WriteByte(' ')
			}
			b.WriteString("\n\n")
		}
		if s == 1 {
			b.WriteString("| Đơn vị | Hồ sơ tiếp nhận | Đúng hạn |\n|:---|---:|---:|\n")
			for i := 0; i < 8; i++ {
				fmt.Fprintf(&b, "| Huyện số %d | %d | %d%% |\n", i+1, 1000+i*37, 95+i%5)
			}
			b.WriteString("\n")
		}
		if s == 3 {
			b.WriteString("Nhiệm vụ trọng tâm năm 2025:\n\n")
			for i := 0; i < 6; i++ {
				fmt.Fprintf(&b, "- Tiếp tục rà soát, đơn giản hóa thủ tục hành chính nhóm %d.\n", i+1)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}

func BenchmarkRender(b *testing.B) {
	src := []byte(benchArticle())
	r := New(Options{})
	res, err := r.Render(src)
	if err != nil {
		b.Fatal(err)
	}
	if res.WordCount < 1300 || res.WordCount > 1800 {
		b.Fatalf("benchmark article has %d words, want about 1,500", res.WordCount)
	}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(src); err != nil {
			b.Fatal(err)
		}
	}
}
