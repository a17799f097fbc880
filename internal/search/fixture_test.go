package search

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

func vnDate(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 8, 30, 0, 0, vnZone)
}

var (
	pHaTinh  = Term{"Hà Tĩnh", "ha-tinh"}
	pHaNoi   = Term{"Hà Nội", "ha-noi"}
	pLamDong = Term{"Lâm Đồng", "lam-dong"}
	pDaNang  = Term{"Đà Nẵng", "da-nang"}
	pQNinh   = Term{"Quảng Ninh", "quang-ninh"}

	cThoiSu  = Term{"Thời sự", "thoi-su"}
	cVanHoa  = Term{"Văn hóa", "van-hoa"}
	cKinhTe  = Term{"Kinh tế", "kinh-te"}
	cVanBan  = Term{"Văn bản", "van-ban"}
	cCNTT    = Term{"Công nghệ", "cong-nghe"}
	cCaiCach = Term{"Cải cách hành chính", "cai-cach-hanh-chinh"}
)

// fixtureDocs returns a small set of Vietnamese articles written for the
// tests. Their text is chosen so that each assertion has a right answer and
// plausible wrong ones (a "hạ tình" article next to "Hà Tĩnh", a document
// number "64/KH-UBND" next to "64/2007/NĐ-CP", …).
func fixtureDocs() []Document {
	return []Document{
		{
			URL:     "/tin-tuc/hoi-nghi-trien-khai-nhiem-vu-tinh-ha-tinh-2024/",
			Title:   "Hội nghị triển khai nhiệm vụ phát triển kinh tế - xã hội tỉnh Hà Tĩnh năm 2024",
			Summary: "Sáng 5/1, UBND tỉnh Hà Tĩnh tổ chức hội nghị triển khai nhiệm vụ phát triển kinh tế - xã hội năm 2024.",
			Body: "Tại hội nghị, lãnh đạo tỉnh đánh giá năm 2023 kinh tế của Hà Tĩnh tăng trưởng khá, thu ngân sách vượt dự toán. " +
				"Chủ tịch UBND tỉnh yêu cầu các sở, ngành, địa phương bám sát mục tiêu, đẩy mạnh cải cách thủ tục, thu hút đầu tư vào khu kinh tế Vũng Áng. " +
				"Năm 2024, Hà Tĩnh phấn đấu tốc độ tăng trưởng đạt trên 8%.",
			Date: vnDate(2024, 1, 5), Provinces: []Term{pHaTinh}, Categories: []Term{cThoiSu}, Tags: []Term{{"Hội nghị", "hoi-nghi"}},
		},
		{
			URL:     "/tin-tuc/dem-nhac-ha-tinh-ca/",
			Title:   "Đêm nhạc Hạ tình ca tại Nhà văn hóa Thanh niên",
			Summary: "Chương trình Hạ tình ca mang đến những ca khúc về tình yêu và mùa hè.",
			Body: "Tối thứ Bảy, đêm nhạc Hạ tình ca thu hút hàng nghìn khán giả. Các ca sĩ trẻ thể hiện nhiều ca khúc quen thuộc về tình yêu, " +
				"tuổi học trò và những ngày hạ rực rỡ. Ban tổ chức dành toàn bộ tiền bán vé để ủng hộ quỹ khuyến học.",
			Date: vnDate(2023, 6, 10), Provinces: []Term{pHaNoi}, Categories: []Term{cVanHoa},
		},
		{
			URL:     "/tin-tuc/lam-dong-phat-trien-du-lich-nong-nghiep/",
			Title:   "Lâm Đồng phát triển du lịch nông nghiệp công nghệ cao",
			Summary: "Tỉnh Lâm Đồng xây dựng chuỗi sản phẩm du lịch gắn với nông nghiệp công nghệ cao.",
			Body: "Với lợi thế khí hậu mát mẻ quanh năm, Đà Lạt và các huyện của Lâm Đồng thu hút đông đảo du khách đến tham quan vườn hoa, " +
				"đồi chè và trang trại rau sạch. Nhiều hợp tác xã đã kết hợp sản xuất với đón khách trải nghiệm.",
			Date: vnDate(2022, 3, 15), Provinces: []Term{pLamDong}, Categories: []Term{cKinhTe},
		},
		{
			URL:     "/tin-tuc/da-nang-khai-mac-le-hoi-phao-hoa/",
			Title:   "Đà Nẵng khai mạc Lễ hội pháo hoa quốc tế",
			Summary: "Lễ hội pháo hoa quốc tế Đà Nẵng năm nay có sự tham gia của tám đội đến từ nhiều quốc gia.",
			Body: "Đêm khai mạc diễn ra bên bờ sông Hàn với hàng vạn khán giả. Thành phố bố trí nhiều điểm trông giữ xe " +
				"và tăng cường lực lượng bảo đảm trật tự giao thông.",
			Date: vnDate(2023, 6, 2), Provinces: []Term{pDaNang}, Categories: []Term{cVanHoa},
		},
		{
			URL:     "/van-ban/huong-dan-nghi-dinh-64-2007/",
			Title:   "Hướng dẫn thực hiện Nghị định số 64/2007/NĐ-CP về ứng dụng công nghệ thông tin",
			Summary: "Sở Thông tin và Truyền thông hướng dẫn các cơ quan nhà nước thực hiện Nghị định số 64/2007/NĐ-CP.",
			Body: "Nghị định số 64/2007/NĐ-CP ngày 10/4/2007 của Chính phủ quy định về ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước. " +
				"Các sở, ban, ngành cần xây dựng kế hoạch, bố trí kinh phí và báo cáo kết quả thực hiện trước ngày 15/12.",
			Date: vnDate(2008, 4, 1), Provinces: []Term{pHaTinh}, Categories: []Term{cVanBan},
		},
		{
			URL:     "/tin-tuc/kiem-tra-ung-dung-cntt/",
			Title:   "Kiểm tra việc ứng dụng công nghệ thông tin tại các sở, ngành",
			Summary: "Đoàn kiểm tra làm việc với 12 sở, ngành về tình hình ứng dụng công nghệ thông tin.",
			Body: "Theo Nghị định số 64/2007/NĐ-CP của Chính phủ, các cơ quan phải công khai thông tin trên cổng thông tin điện tử. " +
				"Đoàn kiểm tra đề nghị các đơn vị khắc phục những tồn tại trước cuối năm.",
			Date: vnDate(2007, 11, 20), Provinces: []Term{pLamDong}, Categories: []Term{cCNTT},
		},
		{
			URL:     "/tin-tuc/tong-ket-ke-hoach-64-kh-ubnd/",
			Title:   "Tổng kết Kế hoạch số 64/KH-UBND về cải cách hành chính",
			Summary: "Năm 2007, các cơ quan hoàn thành phần lớn mục tiêu cải cách hành chính.",
			Body: "Kế hoạch số 64/KH-UBND đặt mục tiêu rút ngắn thời gian giải quyết hồ sơ. Các cơ quan đã thực hiện theo nghị quyết của HĐND " +
				"và các văn bản NĐ-CP của Chính phủ; tỷ lệ hồ sơ đúng hạn đạt 98%.",
			Date: vnDate(2007, 12, 28), Provinces: []Term{pDaNang}, Categories: []Term{cCaiCach},
		},
		{
			URL:     "/van-ban/quyet-dinh-2599-qd-ubnd/",
			Title:   "Quyết định số 2599/QĐ-UBND phê duyệt quy hoạch vùng sản xuất rau an toàn",
			Summary: "UBND tỉnh ban hành Quyết định số 2599/QĐ-UBND ngày 30/9/2021.",
			Body:    "Quyết định phê duyệt quy hoạch vùng sản xuất rau an toàn đến năm 2030, tổng diện tích 5.000 ha tại các huyện Đơn Dương, Đức Trọng.",
			Date:    vnDate(2021, 9, 30), Provinces: []Term{pLamDong}, Categories: []Term{cVanBan},
		},
		{
			URL:     "/tin-tuc/tang-cuong-an-ninh-mang/",
			Title:   "Tăng cường bảo đảm an ninh mạng trong cơ quan nhà nước",
			Summary: "Thành phố yêu cầu các đơn vị rà soát, bảo đảm an ninh mạng cho hệ thống thông tin.",
			Body: "Các cơ quan phải phân công cán bộ phụ trách, cập nhật bản vá và sao lưu dữ liệu định kỳ. " +
				"Mọi sự cố an ninh mạng phải được báo cáo ngay cho cơ quan chuyên trách.",
			Date: vnDate(2024, 3, 1), Provinces: []Term{pDaNang}, Categories: []Term{cCNTT},
		},
		{
			URL:     "/tin-tuc/dien-tap-an-toan-thong-tin-2023/",
			Title:   "Diễn tập an toàn thông tin năm 2023",
			Summary: "Hơn 50 cán bộ tham gia diễn tập ứng cứu sự cố an toàn thông tin mạng.",
			Body:    "Buổi diễn tập mô phỏng một cuộc tấn công mã hóa dữ liệu. Các đội đã phát hiện, ngăn chặn và khôi phục hệ thống đúng thời gian.",
			Date:    vnDate(2023, 10, 12), Provinces: []Term{pHaTinh}, Categories: []Term{cCNTT},
		},
		{
			URL:     "/tin-tuc/to-cong-tac-lam-viec-tai-quang-ninh/",
			Title:   "Tổ công tác của Thủ tướng làm việc tại Quảng Ninh",
			Summary: "Tổ công tác kiểm tra tiến độ giải ngân vốn đầu tư công.",
			Body:    "Tổ trưởng tổ công tác đề nghị tỉnh tháo gỡ vướng mắc về giải phóng mặt bằng, đẩy nhanh các dự án giao thông.",
			Date:    vnDate(2024, 5, 20), Provinces: []Term{pQNinh}, Categories: []Term{cThoiSu},
		},
		{
			URL:     "/tin-tuc/canh-bao-ma-doc-gia-mao/",
			Title:   "Cảnh báo mã độc giả mạo cổng dịch vụ công",
			Summary: "Người dân cần cảnh giác với các trang web giả mạo cổng dịch vụ công.",
			Body: "Đoạn mã <script>alert('x')</script> được chèn vào trang giả mạo để đánh cắp mật khẩu & thông tin cá nhân. " +
				"Người dân chỉ nên truy cập địa chỉ chính thức.",
			Date: vnDate(2024, 2, 14), Provinces: []Term{pHaNoi}, Categories: []Term{cCNTT},
		},
	}
}

// buildFixture builds the fixture index in a temp folder and opens it.
func buildFixture(t testing.TB, docs []Document) (*Index, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "index")
	if _, err := Build(context.Background(), dir, "", docs); err != nil {
		t.Fatalf("Build: %v", err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix, dir
}

func urls(r Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.URL
	}
	return out
}
