package province

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vnportal/portal/internal/sitetest"
)

func TestFindIn(t *testing.T) {
	r := Default()
	tests := []struct {
		name string
		text string
		want []string
	}{
		// Sentences from shared/legacy-articles/*.txt beside the repository.
		{"Gia Lai", "Ngày 29/05/2007, Sở Bưu chính, viễn thông tỉnh Gia Lai tổ chức Hội nghị tập huấn quản lý nhà nước về lĩnh vực bưu chính, viễn thông và công nghệ thông tin (CNTT) đối với các phòng Hạ tầng Kinh tế, Quản lý Đô thị các huyện, thị xã, thành phố.", []string{"Gia Lai"}},
		{"Hà Tĩnh", "Sáng 17/8, Sở BCVT Hà Tĩnh tổ chức hội nghị hướng dẫn xây dựng kế hoạch ứng dụng công nghệ thông tin (ƯD CNTT) giai đoạn 2007 – 2010 và năm 2008 của các cơ quan quản lý nhà nước.", []string{"Hà Tĩnh"}},
		{"Lâm Đồng title", "Lâm Đồng: Kiểm tra và đôn đốc việc ứng dụng CNTT tại một số huyện, thị", []string{"Lâm Đồng"}},
		{"Lâm Đồng body", "Trong 2 ngày 10 và 11/06/2009, Sở Thông tin và Truyền thông (TT&TT) Lâm Đồng đã tổ chức 2 đoàn công tác đi kiểm tra và đôn đốc một số huyện, thị trên địa bàn tỉnh", []string{"Lâm Đồng"}},
		{"district names are not provinces", "Ông Nguyễn Trọng Hoàng, Tỉnh ủy viên – Giám đốc Sở TT&TT làm trưởng đoàn công tác tại các huyện Di Linh, Bảo Lâm và thị xã Bảo Lộc; ông Nguyễn Đình Đỉnh – Phó giám đốc Sở TT&TT làm trưởng đoàn công tác tại 2 huyện Lâm Hà và Đam Rông.", nil},
		{"Quảng Ngãi, province and city", "Thực hiện chủ trương của UBND tỉnh Quảng Ngãi, ngày 04/8/2007 tại thành phố Quảng Ngãi, Sở BCVT tỉnh Quảng Ngãi đã tổ chức buổi Hội thảo với chủ đề “Hành chính điện tử và giải pháp triển khai”.", []string{"Quảng Ngãi"}},
		{"Vĩnh Phúc", "Lãnh đạo UBND tỉnh Vĩnh Phúc làm việc với Sở Thông tin và Truyền thông", []string{"Vĩnh Phúc"}},
		{"Gia Long is not Gia Lai or Vĩnh Long", "Tại buổi làm việc, đồng chí Trần Gia Long – Giám đốc Sở TTTT báo cáo tóm tắt tình hình hoạt động của Sở", nil},
		{"old-style tone marks in text", "đ/c Hoàng Trường Kỳ - Uỷ viên Ban thường vụ Tỉnh uỷ, Phó Chủ tịch (PCT) UBND tỉnh, Trưởng ban chỉ đạo công nghệ thông tin tỉnh Vĩnh Phúc", []string{"Vĩnh Phúc"}},
		{"byline Huệ", "Trần Thị Huệ", nil},

		// Việt Nam and the many Nam.
		{"Việt Nam", "Chính phủ điện tử Việt Nam phát triển mạnh ở miền Nam.", nil},
		{"Hà Nam and Quảng Nam", "Đoàn công tác tỉnh Hà Nam thăm Quảng Nam và Việt Nam.", []string{"Hà Nam", "Quảng Nam"}},
		{"Nam Định", "Sở TT&TT Nam Định", []string{"Nam Định"}},
		{"Nam. Định across a sentence", "Công nghệ thông tin Việt Nam. Định hướng đến năm 2020.", nil},
		{"Việt Nam then Nam Định", "Việt Nam Nam Định", []string{"Nam Định"}},

		// Longest first, dashes, variants.
		{"Bà Rịa – Vũng Tàu", "Tỉnh Bà Rịa – Vũng Tàu và Đồng Nai", []string{"Bà Rịa – Vũng Tàu", "Đồng Nai"}},
		{"Bà Rịa - Vũng Tàu", "tỉnh Bà Rịa - Vũng Tàu", []string{"Bà Rịa – Vũng Tàu"}},
		{"Bà Rịa-Vũng Tàu", "tỉnh Bà Rịa-Vũng Tàu.", []string{"Bà Rịa – Vũng Tàu"}},
		{"Thừa Thiên Huế is one mention of Huế", "tỉnh Thừa Thiên Huế và Festival Huế", []string{"Huế"}},
		{"Thừa Thiên – Huế", "Thừa Thiên – Huế", []string{"Huế"}},
		{"tone placement", "Khánh Hoà, Thanh Hoá và Hoà Bình", []string{"Khánh Hòa", "Thanh Hóa", "Hòa Bình"}},
		{"NFD", "So\u031B\u0309 TT&TT Ha\u0300 Ti\u0303nh", []string{"Hà Tĩnh"}},
		{"capitals", "UBND TỈNH HÀ TĨNH", []string{"Hà Tĩnh"}},
		{"lowercase is not a name", "ở hà tĩnh và gia lai", nil},
		{"order of first mention, each once", "Hà Nội, Đà Nẵng, TP.HCM và Hà Nội", []string{"Hà Nội", "Đà Nẵng", "Hồ Chí Minh"}},
		{"TP. Hồ Chí Minh", "TP. Hồ Chí Minh, Thành phố Hồ Chí Minh", []string{"Hồ Chí Minh"}},
		{"word boundaries", "Hà Tĩnh2 HàTĩnh Gia Lain", nil},
		{"Gia Lai-Kon Tum", "tỉnh Gia Lai-Kon Tum cũ", []string{"Gia Lai", "Kon Tum"}},
		{"name split by a blank line", "Hà\n\nTĩnh", nil},
		{"name wrapped on one line break", "Hà\nTĩnh", []string{"Hà Tĩnh"}},
		{"person named Huế", "Phóng viên Nguyễn Thị Huế", nil},
		{"person then place", "Nguyễn Thị Huế về Huế", []string{"Huế"}},
		{"Kiên Giang is not An Giang", "Kiên Giang", []string{"Kiên Giang"}},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := names(r.FindIn(tt.text))
			if !slices.Equal(got, tt.want) {
				t.Errorf("FindIn(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestFindInReturnsMergedUnitsAsThemselves(t *testing.T) {
	got := Default().FindIn("tỉnh Vĩnh Phúc")
	if len(got) != 1 || got[0].Name != "Vĩnh Phúc" || got[0].MergedInto != "Phú Thọ" || got[0].Current {
		t.Errorf("FindIn(tỉnh Vĩnh Phúc) = %+v", got)
	}
}

func TestFindInUsesOverrides(t *testing.T) {
	r, err := Default().With([]Province{{Name: "Hải Phòng", Aliases: []string{"Thủy Nguyên"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(r.FindIn("huyện Thuỷ Nguyên")); !slices.Equal(got, []string{"Hải Phòng"}) {
		t.Errorf("FindIn with override alias = %v", got)
	}
	if got := names(Default().FindIn("huyện Thuỷ Nguyên")); len(got) != 0 {
		t.Errorf("Default().FindIn saw the override: %v", got)
	}
}

// TestFindInLegacyArticles runs FindIn over the old portal's articles when
// they are available: each article is about one province (named in its
// opening lines) and mentions no other; the many "tỉnh", "Tỉnh uỷ", "Việt
// Nam"-free sentences must not produce false units.
func TestFindInLegacyArticles(t *testing.T) {
	dir := sitetest.LegacyArticles(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]string{
		"000_6689b09cc11298d1.txt": "Gia Lai",
		"001_51f07bf4e7c94e8a.txt": "Hà Tĩnh",
		"002_95d7f297d7725e06.txt": "Lâm Đồng",
		"003_091f436f9e67f7d3.txt": "Quảng Ngãi",
		"004_682e289c2befc937.txt": "Vĩnh Phúc",
	}
	r := Default()
	seen := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		got := r.FindIn(string(b))
		want, ok := first[filepath.Base(f)]
		if !ok {
			continue
		}
		seen++
		if !slices.Equal(names(got), []string{want}) {
			t.Errorf("%s: FindIn = %v, want [%s]", filepath.Base(f), names(got), want)
		}
	}
	if seen != len(first) {
		t.Errorf("found %d of the %d known articles in %s", seen, len(first), dir)
	}
}
