package diag

// Scope says what a rule's error holds back.
type Scope uint8

const (
	// Site: the whole build fails (exit 1) and the previous output stays as it is.
	Site Scope = iota
	// Article: only the article the diagnostic is about is held back (it keeps its last
	// published version, a new one is left out); the rest of the site is published.
	Article
)

// Rule is one entry of the rule book: a diagnostic code with its one severity, what an
// error holds back, and a short description (Vietnamese, for the README and messages).
type Rule struct {
	Code     string
	Severity Severity
	Scope    Scope
	Doc      string
}

// Rules is the rule book that `portal build`, `portal preview` and `portal check` share:
// every diagnostic a run reports has one of these codes, with this severity (a test of
// this package reads the sources and holds every Errorf and Warnf call to it).
var Rules = []Rule{
	// The site as a whole: config, theme, output, files the build cannot read.
	{"config", Error, Site, "config.toml không đọc được hoặc có giá trị sai"},
	{"config-unknown-key", Warning, Site, "khóa lạ trong config.toml (có gợi ý khóa gần đúng)"},
	{"usage", Error, Site, "tham số dòng lệnh sai (--base-url)"},
	{"theme", Error, Site, "mẫu giao diện (layouts, themes) lỗi"},
	{"collision", Error, Site, "hai trang ghi cùng một tệp đầu ra"},
	{"input-file", Error, Site, "liên kết tượng trưng hoặc tệp đặc biệt trong thư mục của trang"},
	{"io", Error, Site, "không đọc được tệp hoặc thư mục"},
	{"cancelled", Error, Site, "lần dựng bị dừng"},
	{"photo-file", Error, Site, "tệp ảnh hỏng hoặc bị sửa trong lúc xử lý ảnh"},
	{"cache", Warning, Site, "bộ nhớ đệm giữa các lần dựng hỏng hoặc không ghi được"},
	{"no-content", Warning, Site, "thư mục content/ không có bài nào"},
	// Data files of the site (data/): the leaders' weekly schedule and the organisation.
	{"schedule", Error, Article, "lịch công tác (data/lich-cong-tac/) sai: tên tệp, ngày ngoài tuần, buổi, giờ, tuần trùng (chỉ tuần đó bị giữ lại)"},
	{"schedule-key", Warning, Site, "khóa lạ trong tệp lịch công tác (có gợi ý khóa gần đúng)"},
	{"organization", Error, Site, "data/to-chuc.toml sai, hoặc khác với [organization] trong config.toml"},
	{"organization-fallback", Warning, Site, "data/to-chuc.toml có lỗi: lần dựng dùng thông tin cơ quan của lần dựng thành công trước (thoát với mã 3)"},
	{"organization-moved", Warning, Site, "[organization] trong config.toml nên chuyển sang data/to-chuc.toml"},
	{"contact", Warning, Site, "số điện thoại hoặc thư điện tử của cơ quan không đúng dạng"},
	// One article: its error holds back that article only.
	{"front-matter", Error, Article, "phần đầu (front matter) sai cú pháp, thiếu title/date hoặc giá trị sai kiểu"},
	{"encoding", Error, Article, "tệp không phải UTF-8"},
	{"empty", Error, Article, "tệp bài viết rỗng"},
	{"missing-photo", Error, Article, "ảnh (JPEG, PNG, GIF, WebP) bài dùng không có trong thư mục bài hay static/"},
	{"photo", Error, Article, "ảnh bài dùng không đọc được: hỏng, quá lớn, hoặc đuôi tên sai loại"},
	{"photo-colour", Warning, Article, "ảnh có hồ sơ màu ICC không chuyển được sang sRGB (bảng tra, CMYK): màu có thể lệch"},
	{"front-matter-comment", Warning, Article, "dấu # trong giá trị không có ngoặc kép: phần sau nó bị bỏ"},
	{"nesting", Error, Article, "lồng nhau quá sâu (limits.maxNesting)"},
	{"too-large", Error, Article, "tệp quá lớn (limits.articleMaxKB)"},
	{"too-many-terms", Error, Article, "quá nhiều tỉnh, chuyên mục, thẻ (limits.maxTerms)"},
	{"too-slow", Error, Article, "dựng nội dung quá lâu (limits.fileSeconds)"},
	{"markdown", Error, Article, "không dựng được Markdown"},
	{"url", Error, Article, "url hoặc slug không dùng được"},
	{"alias", Error, Article, "alias không dùng được"},
	// Legal documents (content/van-ban/): an error holds back that document only.
	{"document", Error, Article, "văn bản thiếu số ký hiệu hoặc ngày ban hành, hoặc tình trạng viết sai"},
	{"document-type", Error, Article, "loại văn bản không có trong danh sách (có gợi ý; [documents] types)"},
	{"document-dates", Error, Article, "ngày ban hành, hiệu lực, hết hiệu lực sai thứ tự"},
	{"document-file", Error, Article, "tệp đính kèm của văn bản không có, hoặc loại tệp không được phép"},
	{"document-duplicate", Error, Article, "hai văn bản cùng số ký hiệu (cả hai bị giữ lại)"},
	// Warnings about one article: it is published, the warning says what to fix.
	{"front-matter-key", Warning, Article, "khóa lạ trong front matter, có gợi ý (tag → tags)"},
	{"unused-file", Warning, Article, "tệp trong thư mục bài không được bài dùng hoặc chỉ được liên kết"},
	{"not-an-image", Warning, Article, "tệp có đuôi tên của ảnh nhưng không phải ảnh, hoặc là ảnh loại khác"},
	{"string-list", Warning, Article, "danh sách viết thành chuỗi có dấu phẩy, đã được tách"},
	{"large", Warning, Article, "bài dài (limits.articleWarnKB)"},
	{"image-url", Warning, Article, "ảnh đại diện có đường dẫn không dùng được"},
	{"unknown-province", Warning, Article, "tỉnh không có trong danh mục, có gợi ý"},
	{"term", Warning, Article, "thẻ hoặc chuyên mục không có chữ hay số"},
	{"nfc", Warning, Article, "văn bản không ở dạng Unicode NFC"},
	{"future-date", Warning, Article, "ngày trong tương lai: bài chưa được xuất bản"},
	{"duplicate-title", Warning, Article, "tiêu đề trùng hoặc gần trùng với bài khác"},
	{"broken-link", Warning, Article, "liên kết trong trang tới trang không tồn tại"},
	{"unpublished-link", Warning, Article, "liên kết tới bài chưa xuất bản"},
	{"unsafe-link", Warning, Article, "liên kết không an toàn, bị thay bằng #"},
	{"missing-image", Warning, Article, "không tìm thấy tệp ảnh"},
	{"image-alt", Warning, Article, "ảnh không có văn bản thay thế (alt)"},
	{"document-link", Warning, Article, "replaces/amends của văn bản ghi số ký hiệu không có trong thư viện"},
	{"citation-missing", Warning, Article, "bài trích dẫn số ký hiệu văn bản chưa có trong thư viện văn bản"},
	{"attachment-text", Warning, Article, "không đọc được chữ của tệp PDF đính kèm (ảnh quét, mã hoá, hỏng, quá lớn): nội dung không vào tìm kiếm"},
}

// RuleOf returns the rule with the given code.
func RuleOf(code string) (Rule, bool) {
	for _, r := range Rules {
		if r.Code == code {
			return r, true
		}
	}
	return Rule{}, false
}

// ArticleLevel reports whether d is about one article only: its code's rule has scope
// Article. (Whether d.Path is an article is the caller's to say: diag knows no paths.)
func (d Diagnostic) ArticleLevel() bool {
	r, ok := RuleOf(d.Code)
	return ok && r.Scope == Article
}
