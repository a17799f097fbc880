package corpus

// The vocabulary below is written for this generator: phrases of the kind found in the news
// columns of Vietnamese provincial e-government portals. Strings may hold placeholders in
// braces ({P}, {agency}, {topic} …) that fill expands; see fill for the list.

// categories are the news categories with their relative frequency.
var categories = []weighted{
	{"Hội nghị", 16}, {"Làm việc", 12}, {"Chuyển đổi số", 12}, {"Tập huấn", 9},
	{"Hội thảo", 8}, {"Kiểm tra", 8}, {"Cải cách hành chính", 8}, {"An toàn thông tin", 6},
	{"Văn bản mới", 6}, {"Chính quyền số", 6}, {"Hợp tác", 5}, {"Thông báo", 4},
}

// titleTemplates are the title patterns of each category.
var titleTemplates = map[string][]string{
	"Hội nghị": {
		"Hội nghị {confPurpose} công tác {topic} năm {Y}",
		"Hội nghị {confPurpose} {topic} tại {P}",
		"{P} tổ chức hội nghị {confPurpose} {topic}",
		"Hội nghị trực tuyến {confPurpose} {topic} với các địa phương",
		"Hội nghị giao ban công tác {topic} quý {q} năm {Y}",
	},
	"Hội thảo": {
		"Hội thảo {seminar} {topic}",
		"Hội thảo khoa học về {topic} tại {P}",
		"Hội thảo chia sẻ kinh nghiệm {topic} giữa các tỉnh {region}",
		"{P} tổ chức hội thảo về {topic}",
	},
	"Kiểm tra": {
		"Đoàn công tác {agencyShort} kiểm tra công tác {topic} tại {P}",
		"Kiểm tra tình hình {topic} tại {district}",
		"Kiểm tra việc thực hiện {doc} tại {P}",
		"Kết quả kiểm tra công tác {topic} năm {Y} tại {P}",
	},
	"Làm việc": {
		"{agencyShort} làm việc với {tinhP} về {topic}",
		"Lãnh đạo {tinhP} làm việc với {agencyShort}",
		"Làm việc với {agencyShort} về triển khai {system}",
		"Đoàn công tác {tinhP} làm việc tại {district}",
	},
	"Tập huấn": {
		"Tập huấn {skill} cho {audience} {tinhP}",
		"Khai giảng lớp tập huấn {skill} năm {Y}",
		"Tập huấn sử dụng {system} tại {P}",
		"Bồi dưỡng kiến thức về {topic} cho {audience}",
	},
	"Chuyển đổi số": {
		"{P} đẩy mạnh {topic}",
		"{P}: {statTitle}",
		"Chuyển đổi số ở {district}: {changeTitle}",
		"Ngày Chuyển đổi số {tinhP} năm {Y}",
		"{P} ra mắt {system}",
	},
	"Cải cách hành chính": {
		"{P} nâng cao chất lượng {topic}",
		"Công bố chỉ số cải cách hành chính năm {Y1} của {tinhP}",
		"{P} đơn giản hóa {num} thủ tục hành chính thuộc thẩm quyền giải quyết của tỉnh",
		"Nâng cao hiệu quả thực hiện cơ chế một cửa, một cửa liên thông tại {district}",
	},
	"An toàn thông tin": {
		"Diễn tập thực chiến bảo đảm an toàn thông tin mạng năm {Y} tại {P}",
		"{P} tăng cường bảo đảm an toàn thông tin cho {system}",
		"Cảnh báo {threat}",
		"Hướng dẫn phòng, chống {threat}",
	},
	"Văn bản mới": {
		"Ban hành {doc} về {topic}",
		"Triển khai thực hiện {doc}",
		"Hướng dẫn thực hiện {doc} trên địa bàn {tinhP}",
		"{P} ban hành kế hoạch {topic} năm {Y}",
	},
	"Chính quyền số": {
		"{P} vận hành {system}",
		"Xây dựng chính quyền số tại {district}",
		"{P} hoàn thành kết nối {system} với {system}",
		"Đưa {system} vào vận hành chính thức tại {P}",
	},
	"Hợp tác": {
		"Ký kết thỏa thuận hợp tác về {topic} giữa {tinhP} và {company}",
		"{P} và {company} hợp tác triển khai {system}",
		"Tăng cường hợp tác với {company} trong {topic}",
	},
	"Thông báo": {
		"Thông báo tạm ngừng cung cấp {system} để nâng cấp",
		"Thông báo tuyển sinh lớp bồi dưỡng {skill} năm {Y}",
		"Thông báo kết quả {contest} năm {Y}",
		"Thông báo lịch tiếp công dân tháng {m} năm {Y}",
	},
}

var confPurposes = []string{
	"tổng kết", "sơ kết 6 tháng đầu năm", "triển khai", "đánh giá kết quả", "quán triệt",
	"tổng kết 5 năm thực hiện", "sơ kết 3 năm thực hiện", "đẩy mạnh",
}

var seminars = []string{
	"giải pháp", "nâng cao hiệu quả", "định hướng", "thực trạng và giải pháp",
	"xây dựng lộ trình", "kinh nghiệm quốc tế về",
}

var regions = []string{
	"Bắc Trung Bộ", "Tây Nguyên", "Đồng bằng sông Cửu Long", "Trung du và miền núi phía Bắc",
	"Đồng bằng sông Hồng", "Đông Nam Bộ", "duyên hải miền Trung",
}

var statTitles = []string{
	"{pct} hồ sơ thủ tục hành chính được tiếp nhận trực tuyến",
	"hơn {big} tài khoản định danh điện tử được kích hoạt",
	"{num} xã hoàn thành mục tiêu xã thông minh",
	"tỷ lệ văn bản điện tử đạt {pct}",
	"{big} hộ gia đình tham gia thương mại điện tử",
	"chỉ số chuyển đổi số tăng {num} bậc",
}

var changeTitles = []string{
	"từ thí điểm đến nhân rộng", "những kết quả bước đầu", "người dân là trung tâm",
	"khó khăn và cách làm", "khi cán bộ xã làm chủ công nghệ", "chợ 4.0 ở vùng cao",
}

var skills = []string{
	"kỹ năng số", "kỹ năng bảo đảm an toàn thông tin", "nghiệp vụ văn thư, lưu trữ điện tử",
	"sử dụng chữ ký số", "khai thác dữ liệu dân cư", "quản trị hệ thống thông tin",
	"ứng dụng trí tuệ nhân tạo trong công việc", "nghiệp vụ quản lý dự án công nghệ thông tin",
	"kỹ năng viết tin bài cho cổng thông tin điện tử", "nghiệp vụ kiểm soát thủ tục hành chính",
}

var audiences = []string{
	"cán bộ, công chức cấp xã", "thành viên Tổ công nghệ số cộng đồng", "cán bộ chuyên trách công nghệ thông tin",
	"công chức bộ phận một cửa", "lãnh đạo các sở, ban, ngành", "đoàn viên thanh niên",
	"hợp tác xã và hộ kinh doanh", "giáo viên các trường phổ thông",
}

var threats = []string{
	"chiến dịch tấn công có chủ đích vào hệ thống thông tin cơ quan nhà nước",
	"lừa đảo trực tuyến mạo danh cơ quan công an",
	"mã độc tống tiền lây lan qua thư điện tử",
	"lỗ hổng bảo mật nghiêm trọng trong phần mềm phổ biến",
	"giả mạo Cổng Dịch vụ công quốc gia",
	"tin nhắn rác, cuộc gọi lừa đảo",
}

var contests = []string{
	"Cuộc thi tìm hiểu pháp luật trực tuyến", "Giải Báo chí tỉnh", "Cuộc thi ý tưởng chuyển đổi số",
	"Cuộc thi an toàn thông tin dành cho sinh viên", "xét tuyển công chức",
}

var companies = []string{
	"Tập đoàn Bưu chính Viễn thông Việt Nam (VNPT)", "Tập đoàn Công nghiệp - Viễn thông Quân đội (Viettel)",
	"Tổng công ty Bưu điện Việt Nam", "Tổng công ty Viễn thông MobiFone", "Công ty Cổ phần FPT",
	"Ngân hàng Nông nghiệp và Phát triển nông thôn Việt Nam", "Hiệp hội Phần mềm và Dịch vụ công nghệ thông tin Việt Nam",
	"Trường Đại học Bách khoa Hà Nội", "Học viện Công nghệ Bưu chính Viễn thông",
}

// topics are the subjects most news is about.
var topics = []string{
	"chuyển đổi số", "cải cách hành chính", "xây dựng chính quyền điện tử",
	"ứng dụng công nghệ thông tin trong hoạt động của cơ quan nhà nước",
	"bảo đảm an toàn, an ninh mạng", "cung cấp dịch vụ công trực tuyến toàn trình",
	"số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "triển khai Đề án 06",
	"phát triển kinh tế số", "xây dựng xã hội số", "phát triển hạ tầng viễn thông",
	"quản lý văn bản và điều hành", "sử dụng chữ ký số chuyên dùng", "kết nối, chia sẻ dữ liệu",
	"xây dựng cơ sở dữ liệu chuyên ngành", "phổ cập kỹ năng số cho người dân",
	"thanh toán không dùng tiền mặt", "đào tạo, bồi dưỡng cán bộ, công chức", "thông tin cơ sở",
	"quản lý báo chí, xuất bản", "bưu chính công ích", "cải thiện chỉ số PAR INDEX",
	"nâng cao chỉ số hài lòng SIPAS", "thực hiện cơ chế một cửa, một cửa liên thông",
	"chuyển đổi sang giao thức IPv6", "ứng dụng điện toán đám mây", "phát triển đô thị thông minh",
	"tuyên truyền, phổ biến giáo dục pháp luật", "sắp xếp đơn vị hành chính cấp xã",
	"vận hành chính quyền địa phương hai cấp", "phòng, chống lừa đảo trực tuyến",
	"quản lý nhà nước về thông tin và truyền thông", "phát triển Tổ công nghệ số cộng đồng",
	"xây dựng Chính phủ số", "lưu trữ hồ sơ điện tử", "phát triển thương mại điện tử",
	"khoa học, công nghệ và đổi mới sáng tạo", "xây dựng nông thôn mới thông minh",
}

// systems are named information systems and platforms.
var systems = []string{
	"Hệ thống thông tin giải quyết thủ tục hành chính tỉnh", "Cổng Dịch vụ công quốc gia",
	"hệ thống quản lý văn bản và điều hành", "Cổng thông tin điện tử tỉnh",
	"hệ thống hội nghị truyền hình trực tuyến", "Trục liên thông văn bản quốc gia",
	"nền tảng tích hợp, chia sẻ dữ liệu cấp tỉnh (LGSP)", "ứng dụng định danh điện tử VNeID",
	"hệ thống thư điện tử công vụ", "Trung tâm dữ liệu tỉnh",
	"Trung tâm giám sát, điều hành thông minh (IOC)", "mạng truyền số liệu chuyên dùng",
	"Cơ sở dữ liệu quốc gia về dân cư", "Hệ thống thông tin báo cáo kinh tế - xã hội",
	"phần mềm một cửa điện tử", "ứng dụng công dân số", "Trung tâm giám sát an toàn thông tin (SOC)",
	"Kho dữ liệu dùng chung của tỉnh", "hệ thống camera giám sát giao thông", "sàn thương mại điện tử của tỉnh",
}

// agencies are bodies that act in the news; agencyShort ones make shorter titles.
var agencies = []string{
	"Ủy ban nhân dân {tinhP}", "Sở Thông tin và Truyền thông {tinhP}", "Sở Khoa học và Công nghệ {tinhP}",
	"Sở Nội vụ {tinhP}", "Văn phòng Ủy ban nhân dân {tinhP}", "Sở Kế hoạch và Đầu tư {tinhP}",
	"Sở Tài chính {tinhP}", "Sở Tư pháp {tinhP}", "Ban Chỉ đạo chuyển đổi số {tinhP}",
	"Trung tâm Công nghệ thông tin và Truyền thông {tinhP}", "Trung tâm Phục vụ hành chính công {tinhP}",
	"Hội đồng nhân dân {tinhP}", "Ủy ban nhân dân {district}", "Viễn thông {P}", "Bưu điện {tinhP}",
	"Công an {tinhP}", "Sở Giáo dục và Đào tạo {tinhP}", "Sở Y tế {tinhP}", "Thanh tra {tinhP}",
	"Sở Tài nguyên và Môi trường {tinhP}", "Sở Nông nghiệp và Phát triển nông thôn {tinhP}",
	"Sở Giao thông vận tải {tinhP}", "Sở Công Thương {tinhP}", "Sở Văn hóa, Thể thao và Du lịch {tinhP}",
	"{agencyShort}",
}

var agencyShorts = []string{
	"Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ", "Cục Chuyển đổi số quốc gia",
	"Cục An toàn thông tin", "Bộ Nội vụ", "Văn phòng Chính phủ", "Cục Tin học hóa",
	"Cục Kiểm soát thủ tục hành chính", "Ủy ban Quốc gia về chuyển đổi số", "Bộ Công an",
	"Cục Bưu điện Trung ương", "Trung tâm Giám sát an toàn không gian mạng quốc gia",
}

var officialTitles = []string{
	"Chủ tịch Ủy ban nhân dân tỉnh", "Phó Chủ tịch Ủy ban nhân dân tỉnh", "Giám đốc Sở Thông tin và Truyền thông",
	"Phó Giám đốc Sở Thông tin và Truyền thông", "Chánh Văn phòng Ủy ban nhân dân tỉnh", "Giám đốc Sở Nội vụ",
	"Giám đốc Sở Khoa học và Công nghệ", "Phó Cục trưởng Cục Chuyển đổi số quốc gia", "Thứ trưởng Bộ Thông tin và Truyền thông",
	"Chủ tịch Ủy ban nhân dân huyện", "Bí thư Huyện ủy", "Giám đốc Trung tâm Phục vụ hành chính công",
	"Trưởng phòng Bưu chính, Viễn thông và Công nghệ thông tin", "Phó Trưởng ban Thường trực Ban Chỉ đạo chuyển đổi số",
}

var people = []string{
	"Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Minh Đức", "Hoàng Thị Hà", "Võ Văn Hải",
	"Đặng Quốc Hùng", "Bùi Thị Hương", "Đỗ Văn Khánh", "Hồ Thị Lan", "Ngô Đức Long", "Dương Văn Minh",
	"Lý Thị Ngọc", "Phan Văn Nam", "Vũ Thị Oanh", "Trịnh Văn Phúc", "Đinh Thị Quyên", "Lương Văn Sơn",
	"Mai Thị Thảo", "Cao Văn Thắng", "Tạ Quang Thịnh", "Lâm Thị Thu", "Hà Văn Tiến", "Kiều Thị Trang",
	"Chu Văn Trung", "Thái Thị Uyên", "Triệu Văn Việt", "Âu Thị Xuân", "Nông Văn Yên", "Quách Thị Yến",
	"Nguyễn Hữu Hoài", "Trần Đình Thành", "Lê Ngọc Châu", "Phạm Thị Diệu", "Huỳnh Tấn Phát", "Nguyễn Thị Hồng Nhung",
}

var districts = []string{
	"huyện Cẩm Xuyên", "huyện Đức Thọ", "thị xã Hồng Lĩnh", "thành phố Pleiku", "huyện Chư Sê",
	"huyện Mộ Đức", "thị xã Đức Phổ", "huyện Nghĩa Hành", "huyện Tân Kỳ", "thị xã Thái Hòa",
	"huyện Lộc Hà", "huyện Yên Thành", "huyện Krông Pa", "huyện Mường Nhé", "thành phố Điện Biên Phủ",
	"huyện Lệ Thủy", "thị xã Ba Đồn", "huyện Tam Nông", "huyện Cao Phong", "phường Trần Phú",
	"xã Thạch Hạ", "xã Kỳ Tân", "phường Nam Hồng", "xã Cẩm Bình", "huyện Hương Sơn",
	"huyện Vũ Quang", "xã Sơn Kim 1", "huyện Bảo Lâm", "thị trấn Phố Châu", "huyện Đồng Xuân",
}

var events = []string{
	"hội nghị {confPurpose} công tác {topic}", "hội nghị trực tuyến về {topic}",
	"hội thảo {seminar} {topic}", "buổi làm việc về {topic}", "lớp tập huấn {skill}",
	"đợt kiểm tra công tác {topic}", "phiên họp thường kỳ của Ban Chỉ đạo chuyển đổi số",
	"lễ ký kết thỏa thuận hợp tác về {topic}", "buổi tọa đàm về {topic}",
	"hội nghị giao ban trực tuyến quý {q}", "lễ ra mắt {system}",
}

var whens = []string{
	"Sáng ngày {d}", "Chiều ngày {d}", "Ngày {d}", "Trong hai ngày {d} và {d2}", "Sáng nay ({d})",
	"Vừa qua", "Chiều {d}", "Trong tuần qua",
}

var venues = []string{
	"tại trụ sở Ủy ban nhân dân tỉnh", "tại Trung tâm Hội nghị tỉnh", "theo hình thức trực tuyến kết nối đến các xã, phường",
	"tại hội trường Sở Thông tin và Truyền thông", "tại Trung tâm Phục vụ hành chính công", "tại {district}",
}

// openings start an article: who did what, when and where.
var openings = []string{
	"{when}, {agency} đã tổ chức {event} {venue}.",
	"{when}, {official} đã chủ trì {event} {venue}.",
	"{when}, {agency} phối hợp với {agency} tổ chức {event}.",
	"{when}, đoàn công tác của {agencyShort} do {official} làm trưởng đoàn đã có buổi làm việc với {agency} về {topic}.",
	"Thực hiện {doc}, {when}, {agency} tổ chức {event}.",
	"{when}, {agency} đã ban hành kế hoạch thực hiện {doc} về {topic} trên địa bàn tỉnh.",
}

// sentences make up the bulk of paragraphs.
var sentences = []string{
	"Tham dự hội nghị có lãnh đạo các sở, ban, ngành cấp tỉnh và Ủy ban nhân dân các huyện, thị xã, thành phố.",
	"Dự buổi làm việc có đại diện lãnh đạo {agency} và các phòng chuyên môn liên quan.",
	"Theo báo cáo, trong năm {Y}, toàn tỉnh đã tiếp nhận {big} hồ sơ thủ tục hành chính, trong đó {pct} được giải quyết đúng hạn.",
	"Tỷ lệ hồ sơ trực tuyến toàn trình đạt {pct}, tăng {num} điểm phần trăm so với cùng kỳ năm trước.",
	"Đến nay, {num} cơ quan, đơn vị đã kết nối với {system}, bảo đảm thông suốt từ cấp tỉnh đến cấp xã.",
	"{system} đã được đưa vào vận hành ổn định, phục vụ tốt công tác chỉ đạo, điều hành của lãnh đạo tỉnh.",
	"Việc triển khai {topic} đã góp phần nâng cao hiệu quả hoạt động của cơ quan nhà nước và chất lượng phục vụ người dân, doanh nghiệp.",
	"Bên cạnh những kết quả đạt được, công tác {topic} vẫn còn một số tồn tại, hạn chế.",
	"Hạ tầng kỹ thuật tại một số xã vùng sâu, vùng xa chưa đáp ứng yêu cầu, đường truyền còn chập chờn.",
	"Nguồn nhân lực chuyên trách về công nghệ thông tin còn thiếu, chưa được đào tạo bài bản.",
	"Kinh phí bố trí cho {topic} còn hạn chế, chưa tương xứng với yêu cầu nhiệm vụ.",
	"Một bộ phận cán bộ, công chức chưa chủ động ứng dụng công nghệ thông tin trong xử lý công việc.",
	"Nhận thức của một bộ phận người dân về lợi ích của dịch vụ công trực tuyến còn chưa đầy đủ.",
	"Phát biểu chỉ đạo, {official} đánh giá cao những nỗ lực của các cơ quan, đơn vị trong thời gian qua.",
	"{official} đề nghị các sở, ban, ngành và địa phương tiếp tục quán triệt sâu sắc các chủ trương của Trung ương về {topic}.",
	"Các đơn vị cần xác định {topic} là nhiệm vụ trọng tâm, thường xuyên, gắn với trách nhiệm của người đứng đầu.",
	"Tại hội nghị, các đại biểu đã tập trung thảo luận, làm rõ những khó khăn, vướng mắc và đề xuất giải pháp tháo gỡ.",
	"Đại diện {agency} cho biết đơn vị đã rà soát, chuẩn hóa {num} quy trình nội bộ giải quyết thủ tục hành chính.",
	"Thời gian tới, {tinhP} sẽ tập trung hoàn thiện thể chế, cơ chế, chính sách phục vụ {topic}.",
	"Tỉnh phấn đấu đến năm {Y+1}, {pct} hồ sơ công việc tại cấp tỉnh được xử lý trên môi trường mạng.",
	"Chương trình tập huấn gồm các chuyên đề: {skill}; {skill}; {skill}.",
	"Qua kiểm tra, đoàn công tác ghi nhận {agency} đã chấp hành nghiêm các quy định về {topic}.",
	"Đoàn kiểm tra đề nghị đơn vị khẩn trương khắc phục những tồn tại đã được chỉ ra, báo cáo kết quả trước ngày {d}.",
	"Toàn tỉnh hiện có {big} thành viên Tổ công nghệ số cộng đồng đang hoạt động tại {num} xã, phường, thị trấn.",
	"Hệ thống đã cảnh báo và ngăn chặn {big} lượt truy cập bất thường trong {num} tháng qua.",
	"Các cơ quan nhà nước cần thường xuyên rà soát, cập nhật bản vá lỗ hổng bảo mật cho hệ thống thông tin.",
	"Người dân có thể nộp hồ sơ, thanh toán phí, lệ phí và nhận kết quả trực tuyến mà không phải đến trụ sở cơ quan nhà nước.",
	"Kết quả chỉ số cải cách hành chính năm {Y1} của tỉnh đạt {score} điểm, xếp thứ {rank}/63 tỉnh, thành phố.",
	"Chỉ số chuyển đổi số cấp tỉnh (DTI) năm {Y1} của tỉnh xếp thứ {rank}, tăng {num} bậc so với năm trước.",
	"Dự án có tổng mức đầu tư {money} tỷ đồng từ nguồn ngân sách tỉnh, thời gian thực hiện từ năm {Y} đến năm {Y+1}.",
	"Sau buổi làm việc, hai bên thống nhất sẽ phối hợp chặt chẽ trong việc chia sẻ dữ liệu, bảo đảm an toàn thông tin.",
	"Thỏa thuận hợp tác tập trung vào các lĩnh vực: hạ tầng số, dữ liệu số, nền tảng số và nhân lực số.",
	"Ngay sau hội nghị, các đơn vị cần xây dựng kế hoạch cụ thể, phân công rõ người, rõ việc, rõ thời gian hoàn thành.",
	"Việc số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt {pct}, góp phần giảm thời gian đi lại cho người dân.",
	"Tỷ lệ văn bản đi được ký số và gửi nhận trên môi trường mạng đạt {pct}.",
	"Ban Tổ chức đã trao {num} giải thưởng cho các tập thể, cá nhân có thành tích xuất sắc.",
	"Lớp học thu hút {num} học viên là cán bộ, công chức làm công tác chuyên môn tại các cơ quan, đơn vị.",
	"Theo kế hoạch, {system} sẽ được nâng cấp, bổ sung các chức năng mới trong quý {q} năm {Y}.",
	"Đây là hoạt động thiết thực nhằm thực hiện {doc}.",
	"{TinhP} đã hoàn thành việc cấp {big} chứng thư số cho cán bộ, công chức, viên chức.",
	"Trong quá trình triển khai, đơn vị nào gặp khó khăn, vướng mắc kịp thời phản ánh về {agency} để được hướng dẫn.",
	"Nhiều mô hình hay, cách làm sáng tạo trong {topic} đã được các địa phương chia sẻ tại hội thảo.",
	"Các chuyên gia cho rằng dữ liệu là tài nguyên quan trọng, cần được quản lý, khai thác hiệu quả.",
	"Công tác thông tin, tuyên truyền về {topic} được đẩy mạnh trên các phương tiện thông tin đại chúng và hệ thống thông tin cơ sở.",
	"Mỗi cán bộ, đảng viên phải gương mẫu, đi đầu trong việc sử dụng các nền tảng số.",
	"Tổng kinh phí thực hiện kế hoạch khoảng {money} tỷ đồng, được bố trí từ nguồn sự nghiệp khoa học và công nghệ.",
	"Đến hết tháng {m}, toàn tỉnh có {big} tài khoản định danh điện tử mức độ 2 được kích hoạt.",
	"Việc thanh toán trực tuyến phí, lệ phí đạt {pct} trên tổng số hồ sơ có yêu cầu nghĩa vụ tài chính.",
	"Đồng chí {person} thay mặt lãnh đạo tỉnh ghi nhận, tiếp thu các ý kiến phát biểu của đại biểu.",
	"Các ý kiến đều thống nhất cao với dự thảo và đề nghị sớm trình cấp có thẩm quyền ban hành.",
}

// tasks are list items: duties and solutions.
var tasks = []string{
	"Tiếp tục rà soát, đơn giản hóa thủ tục hành chính, cắt giảm thời gian giải quyết",
	"Nâng cấp hạ tầng mạng, bảo đảm kết nối thông suốt đến cấp xã",
	"Đẩy mạnh tuyên truyền để người dân sử dụng dịch vụ công trực tuyến",
	"Bố trí đủ kinh phí cho các nhiệm vụ {topic}",
	"Tổ chức đào tạo, bồi dưỡng {skill} cho cán bộ, công chức",
	"Triển khai giám sát an toàn thông tin theo mô hình bốn lớp",
	"Hoàn thiện cơ sở dữ liệu chuyên ngành, kết nối với {system}",
	"Thực hiện nghiêm chế độ báo cáo định kỳ trên {system}",
	"Số hóa {pct} hồ sơ, kết quả giải quyết thủ tục hành chính còn hiệu lực",
	"Kiện toàn Tổ công nghệ số cộng đồng tại các thôn, tổ dân phố",
	"Đưa nội dung {topic} vào tiêu chí đánh giá thi đua hằng năm",
	"Phối hợp với doanh nghiệp viễn thông phủ sóng di động các thôn, bản còn lõm sóng",
	"Xây dựng kế hoạch ứng phó sự cố an toàn thông tin mạng",
	"Công khai, minh bạch tiến độ giải quyết hồ sơ trên Cổng Dịch vụ công",
	"Khen thưởng kịp thời các tập thể, cá nhân có thành tích tiêu biểu",
	"Tăng cường kiểm tra, giám sát việc thực hiện {doc}",
	"Rà soát, chuẩn hóa dữ liệu dân cư phục vụ {topic}",
	"Thực hiện ký số trên toàn bộ văn bản đi của cơ quan",
	"Bảo đảm {pct} hồ sơ công việc được xử lý trên môi trường mạng",
	"Vận hành hiệu quả {system}",
}

var headings = []string{
	"Kết quả đạt được", "Một số tồn tại, hạn chế", "Nguyên nhân của tồn tại, hạn chế",
	"Nhiệm vụ, giải pháp trong thời gian tới", "Kiến nghị, đề xuất", "Ý kiến chỉ đạo", "Bối cảnh",
	"Nội dung chương trình", "Tình hình triển khai {topic}", "Kế hoạch năm {Y+1}", "Đánh giá chung",
	"Mục tiêu cụ thể", "Tổ chức thực hiện", "Kết quả kiểm tra", "Một số chỉ tiêu chủ yếu",
	"Thảo luận tại hội thảo", "Về hạ tầng kỹ thuật", "Về nguồn nhân lực", "Về an toàn thông tin",
	"Về dịch vụ công trực tuyến", "Kết luận của đoàn công tác", "Những điểm mới của văn bản",
	"Phạm vi, đối tượng áp dụng", "Cách làm hay ở cơ sở",
}

var subheadings = []string{
	"Tại {district}", "Về {topic}", "Đối với các sở, ban, ngành", "Đối với Ủy ban nhân dân cấp huyện",
	"Đối với Ủy ban nhân dân cấp xã", "Giai đoạn {Y}–{Y+1}", "Những việc cần làm ngay",
}

var indicators = []string{
	"Tỷ lệ dịch vụ công trực tuyến toàn trình", "Tỷ lệ hồ sơ nộp trực tuyến", "Tỷ lệ văn bản ký số",
	"Tỷ lệ hồ sơ giải quyết đúng hạn", "Tỷ lệ số hóa kết quả giải quyết thủ tục hành chính",
	"Tỷ lệ thanh toán trực tuyến", "Tỷ lệ hộ gia đình có cáp quang", "Tỷ lệ người trưởng thành có điện thoại thông minh",
	"Số cuộc họp trực tuyến", "Tỷ lệ cơ quan có hệ thống giám sát an toàn thông tin",
}

var scheduleItems = []string{
	"Khai mạc, giới thiệu đại biểu", "Báo cáo kết quả {topic}", "Tham luận của {agency}",
	"Giới thiệu {system}", "Thảo luận, trao đổi kinh nghiệm", "Phát biểu chỉ đạo của lãnh đạo tỉnh",
	"Thực hành trên {system}", "Kiểm tra cuối khóa, trao chứng nhận", "Bế mạc",
}

// links are external official sites cited in text.
var links = []struct{ Text, URL string }{
	{"Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"},
	{"Cổng Thông tin điện tử Chính phủ", "https://chinhphu.vn/"},
	{"Hệ thống văn bản của Chính phủ", "https://vanban.chinhphu.vn/"},
	{"Cơ sở dữ liệu quốc gia về văn bản pháp luật", "https://vbpl.vn/"},
	{"Cổng thông tin Chuyển đổi số quốc gia", "https://dx.gov.vn/"},
	{"Trung tâm Giám sát an toàn không gian mạng quốc gia", "https://khonggianmang.vn/"},
}

var sources = []string{
	"Sở Thông tin và Truyền thông {tinhP}", "Báo {P}", "Cổng Thông tin điện tử {tinhP}",
	"Đài Phát thanh và Truyền hình {P}", "Trung tâm Công nghệ thông tin và Truyền thông {tinhP}",
	"Văn phòng Ủy ban nhân dân {tinhP}", "Cổng Thông tin điện tử Chính phủ", "Cục Chuyển đổi số quốc gia",
}

// topicTags are the non-document tags; document numbers are added by tagList.
var topicTags = []string{
	"Chính phủ điện tử", "Chính phủ số", "Chuyển đổi số", "Dịch vụ công trực tuyến", "An toàn thông tin",
	"An ninh mạng", "Chữ ký số", "Cải cách hành chính", "Một cửa điện tử", "Đề án 06", "VNeID",
	"Kinh tế số", "Xã hội số", "Dữ liệu số", "Hạ tầng số", "Nền tảng số", "Kỹ năng số", "Tổ công nghệ số cộng đồng",
	"Đô thị thông minh", "IOC", "LGSP", "IPv6", "Điện toán đám mây", "Trí tuệ nhân tạo", "Thương mại điện tử",
	"Thanh toán không dùng tiền mặt", "PAR INDEX", "SIPAS", "DTI", "Bưu chính", "Viễn thông", "Báo chí",
	"Thông tin cơ sở", "Văn thư lưu trữ", "Số hóa", "Quản lý văn bản", "Hội nghị truyền hình", "Đào tạo",
	"Diễn tập", "Lừa đảo trực tuyến", "Mã độc", "Sáp nhập tỉnh", "Chính quyền hai cấp", "Nông thôn mới",
	"Giáo dục", "Y tế số", "Du lịch thông minh", "Khoa học công nghệ", "Đổi mới sáng tạo", "Khởi nghiệp",
	"Người dân", "Doanh nghiệp", "Cán bộ công chức", "Cấp xã", "Vùng cao", "Thi đua khen thưởng",
	"Tiếp công dân", "Phòng chống tham nhũng", "Pháp luật", "Ngân sách",
}

// knownDocs are real document numbers; generated ones complete the tag list.
var knownDocs = []string{
	"Nghị định 64/2007/NĐ-CP", "Quyết định 2599/QĐ-UBND", "Nghị định 42/2022/NĐ-CP", "Quyết định 749/QĐ-TTg",
	"Quyết định 06/QĐ-TTg", "Nghị định 45/2020/NĐ-CP", "Nghị định 61/2018/NĐ-CP", "Nghị định 107/2021/NĐ-CP",
	"Nghị định 30/2020/NĐ-CP", "Nghị quyết 57-NQ/TW", "Nghị quyết 202/2025/QH15", "Nghị định 47/2020/NĐ-CP",
	"Quyết định 942/QĐ-TTg", "Nghị định 85/2016/NĐ-CP", "Luật An toàn thông tin mạng 2015",
	"Luật Giao dịch điện tử 2023", "Luật Giao dịch điện tử 2005", "Nghị định 13/2023/NĐ-CP",
	"Quyết định 1017/QĐ-TTg", "Nghị quyết 17/NQ-CP", "Chỉ thị 14/CT-TTg", "Quyết định 411/QĐ-TTg",
}

// knownDocYears are the years of known documents whose number does not say it.
var knownDocYears = map[string]int{
	"Quyết định 749/QĐ-TTg": 2020, "Quyết định 06/QĐ-TTg": 2022, "Quyết định 942/QĐ-TTg": 2021,
	"Nghị quyết 57-NQ/TW": 2024, "Quyết định 1017/QĐ-TTg": 2018, "Nghị quyết 17/NQ-CP": 2019,
	"Chỉ thị 14/CT-TTg": 2019, "Quyết định 411/QĐ-TTg": 2022,
}

var docKinds = []string{
	"Nghị định %d/%d/NĐ-CP", "Quyết định %d/QĐ-TTg", "Quyết định %d/QĐ-UBND", "Thông tư %d/%d/TT-BTTTT",
	"Nghị quyết %d/NQ-CP", "Chỉ thị %d/CT-TTg", "Kế hoạch %d/KH-UBND", "Công văn %d/UBND-KGVX",
	"Nghị quyết %d/%d/NQ-HĐND", "Thông tư %d/%d/TT-BNV", "Quyết định %d/QĐ-BTTTT", "Chỉ thị %d/CT-UBND",
}

// issuers map the suffix of a document number to the body that issues it.
var issuers = []struct{ suffix, name string }{
	{"NĐ-CP", "Chính phủ"}, {"NQ-CP", "Chính phủ"}, {"QĐ-TTg", "Thủ tướng Chính phủ"},
	{"CT-TTg", "Thủ tướng Chính phủ"}, {"QĐ-UBND", "Ủy ban nhân dân tỉnh"}, {"KH-UBND", "Ủy ban nhân dân tỉnh"},
	{"CT-UBND", "Chủ tịch Ủy ban nhân dân tỉnh"}, {"NQ-HĐND", "Hội đồng nhân dân tỉnh"},
	{"TT-BTTTT", "Bộ Thông tin và Truyền thông"}, {"QĐ-BTTTT", "Bộ trưởng Bộ Thông tin và Truyền thông"},
	{"TT-BNV", "Bộ Nội vụ"}, {"NQ/TW", "Bộ Chính trị"}, {"QH15", "Quốc hội"},
}

var authors = []string{
	"Minh Châu", "Thu Hà", "Quang Huy", "Ngọc Anh", "Hoàng Long", "Thanh Tâm", "Bảo Ngọc", "Đức Anh",
	"Hải Yến", "Phương Thảo", "Trung Kiên", "Lan Hương", "Văn Thành", "Hồng Nhung", "Mạnh Cường",
	"Thùy Linh", "Xuân Trường", "Kim Oanh", "Tiến Dũng", "Mai Phương",
}
