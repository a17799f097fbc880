package search

// builtinSynonyms are the abbreviations of Vietnamese public administration
// and the words they stand for. Each line is a set of equivalent spellings:
// a query naming one of them also finds the others (folded, so "ubnd",
// "UBND", "uy ban nhan dan" and "Ủy ban nhân dân" are all the same).
//
// "…" in a spelling stands for any words in between: "Nghị định … Chính
// phủ" is "nghị định" and "Chính phủ" in the same article, as in "Nghị định
// số 64/2007/NĐ-CP của Chính phủ".
//
// A site adds its own sets in config.toml ([search.synonyms]).
func builtinSynonyms() [][]string {
	return [][]string{
		{"UBND", "Ủy ban nhân dân"},
		{"HĐND", "Hội đồng nhân dân"},
		{"CNTT", "công nghệ thông tin"},
		{"TT&TT", "TTTT", "Thông tin và Truyền thông"},
		{"BCVT", "bưu chính viễn thông"},
		{"QLNN", "quản lý nhà nước"},
		{"TTHC", "thủ tục hành chính"},
		{"CCHC", "cải cách hành chính"},
		{"NĐ-CP", "Nghị định … Chính phủ"},
		{"NQ-CP", "Nghị quyết … Chính phủ"},
		{"QĐ-UBND", "Quyết định … Ủy ban nhân dân"},
		{"QĐ-TTg", "Quyết định … Thủ tướng"},
		{"TP.HCM", "TPHCM", "TP HCM", "Thành phố Hồ Chí Minh"},
		{"MTTQ", "Mặt trận Tổ quốc"},
		{"BCH", "Ban chấp hành"},
		{"BTV", "Ban thường vụ"},
		{"KT-XH", "KTXH", "kinh tế xã hội"},
		{"ATTT", "an toàn thông tin"},
		{"ANTT", "an ninh trật tự"},
		{"CPĐT", "Chính phủ điện tử"},
		{"CQĐT", "chính quyền điện tử"},
		{"CĐS", "chuyển đổi số"},
		{"DVCTT", "dịch vụ công trực tuyến"},
		{"CSDL", "cơ sở dữ liệu"},
		{"ƯD", "ứng dụng"},
		{"CNH-HĐH", "CNH – HĐH", "công nghiệp hóa hiện đại hóa"},
		{"TW", "Trung ương"},
		{"PCT", "Phó Chủ tịch"},
		{"GD&ĐT", "GDĐT", "giáo dục và đào tạo"},
		{"TN&MT", "TNMT", "tài nguyên và môi trường"},
		{"NN&PTNT", "NNPTNT", "nông nghiệp và phát triển nông thôn"},
		{"LĐ-TB&XH", "LĐTBXH", "lao động thương binh và xã hội"},
		{"VH-TT&DL", "VHTTDL", "văn hóa thể thao và du lịch"},
		{"KH&CN", "KHCN", "khoa học và công nghệ"},
		{"KH&ĐT", "KHĐT", "kế hoạch và đầu tư"},
		{"GTVT", "giao thông vận tải"},
		{"BHXH", "bảo hiểm xã hội"},
		{"BHYT", "bảo hiểm y tế"},
		{"PCCC", "phòng cháy chữa cháy"},
		{"HTX", "hợp tác xã"},
		{"THPT", "trung học phổ thông"},
		{"THCS", "trung học cơ sở"},
		{"HCC", "hành chính công"},
	}
}
