// Package importer converts articles saved from the old national portal (mic.gov.vn) as
// plain text into Markdown files with YAML front matter.
//
// A saved article looks like this, one paragraph per line, blank lines between:
//
//	Title
//	(Mic.gov.vn) -                      ← optional source marker
//	8/22/2007 3:17:26 PM                ← optional time stamp (M/D/YYYY, 12-hour clock)
//	Lead paragraph                      ← printed twice by the old portal
//	Lead paragraph
//	Body paragraphs …
//	Trần Thị Huệ                        ← a byline: a person or an office (optional)
//	ĐÁNH GIÁ BÀI VIẾT( 0)               ← the rating widget (optional)
//
// Convert is pure: it reads no files and writes nothing. What it could not work out is
// returned as findings for a person to review ("CẦN XEM LẠI").
package importer

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/vietnamese"
)

// Article is one converted article: the front matter fields and the body paragraphs.
type Article struct {
	Title string
	// Date is the publication time in Asia/Ho_Chi_Minh; zero when none was found.
	Date time.Time
	// DateSource says where Date came from, in Vietnamese, for the import report
	// ("dòng thời gian “8/22/2007 3:17:26 PM”", "đoạn mở đầu “Ngày 29/05/2007”").
	DateSource string
	// Author is the byline when it names a person.
	Author string
	// Source is the issuing office when the byline is an office, else the source marker's
	// site ("Mic.gov.vn").
	Source string
	// Summary is the lead paragraph (once).
	Summary string
	// Provinces are the canonical names of the provinces named in the title and lead.
	Provinces []string
	// Categories holds the category inferred from the title (or the lead).
	Categories []string
	// Tags are the legal documents cited ("Nghị định 64/2007/NĐ-CP").
	Tags []string
	// Body holds the paragraphs after the lead, without the repeated lead, the byline or
	// the rating widget, as plain text (Markdown() escapes them).
	Body []string
	// Encoding says how the file was decoded ("UTF-8", "Windows-1258", "UTF-8 (BOM, CRLF)").
	// It is reported, not written.
	Encoding string
}

// Finding is something Convert could not infer and a person should review.
type Finding struct {
	// Field is the front matter field concerned: title, date, author, summary, provinces,
	// categories, tags or body.
	Field string
	// Message explains what is missing or doubtful, in Vietnamese.
	Message string
}

func (f Finding) String() string { return "CẦN XEM LẠI " + FieldLabel(f.Field) + ": " + f.Message }

// FieldLabel returns the Vietnamese name of a front matter field for reports.
func FieldLabel(field string) string {
	switch field {
	case "title":
		return "tiêu đề"
	case "date":
		return "ngày"
	case "author":
		return "tác giả"
	case "source":
		return "nguồn"
	case "summary":
		return "tóm tắt"
	case "provinces":
		return "tỉnh, thành phố"
	case "categories":
		return "chuyên mục"
	case "tags":
		return "thẻ"
	case "body":
		return "nội dung"
	}
	return field
}

var (
	// markerRe matches the source marker "(Mic.gov.vn) -", possibly followed by the lead.
	markerRe = regexp.MustCompile(`^\(([A-Za-z0-9][A-Za-z0-9\-]*(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,})\)\s*(?:[-–—]\s*)?(.*)$`)
	// stampRe matches the old portal's time stamp "8/22/2007 3:17:26 PM".
	stampRe = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?$`)
	// widgetRe matches the rating widget "ĐÁNH GIÁ BÀI VIẾT( 0)".
	widgetRe = regexp.MustCompile(`(?i)^đánh\s+giá\s+bài\s+viết\s*(?:\(\s*\d*\s*\))?$`)
)

// Convert converts one saved article. name is used in error messages only; reg finds the
// provinces (nil means province.Default()). The error is non-nil when the file cannot be
// used at all (empty, binary, no title, no body; see ErrEmpty …); everything else that is
// doubtful comes back as findings, and the article is still usable.
func Convert(name string, raw []byte, reg *province.Registry) (Article, []Finding, error) {
	if reg == nil {
		reg = province.Default()
	}
	fail := func(err error) (Article, []Finding, error) { return Article{}, nil, fmt.Errorf("%s: %w", name, err) }
	if len(raw) == 0 {
		return fail(ErrEmpty)
	}
	text, enc, err := decode(raw)
	if err != nil {
		return fail(err)
	}
	paras := paragraphs(text)
	if len(paras) == 0 {
		return fail(ErrEmpty)
	}
	if markerRe.MatchString(paras[0]) || stampRe.MatchString(paras[0]) {
		return fail(ErrNoTitle)
	}
	a := Article{Title: paras[0], Encoding: enc}
	var findings []Finding
	review := func(field, format string, args ...any) {
		findings = append(findings, Finding{Field: field, Message: fmt.Sprintf(format, args...)})
	}
	if n := utf8.RuneCountInString(a.Title); n > 250 {
		review("title", "tiêu đề dài %d ký tự: có thể dòng đầu là một đoạn văn chứ không phải tiêu đề", n)
	}

	// Header lines: the source marker and the time stamp, in either order.
	rest := paras[1:]
	var marker, stamp string
	var stampTime time.Time
	for len(rest) > 0 {
		if m := markerRe.FindStringSubmatch(rest[0]); m != nil && marker == "" {
			marker = m[1]
			if lead := strings.TrimSpace(m[2]); lead != "" {
				rest[0] = lead // the lead follows the marker on the same line
				continue
			}
			rest = rest[1:]
			continue
		}
		if stamp == "" && stampRe.MatchString(rest[0]) {
			stamp = rest[0]
			if t, ok := parseStamp(stamp); ok {
				stampTime = t
			} else {
				review("date", "dòng thời gian “%s” không phải ngày giờ có thật (tháng/ngày/năm giờ:phút SA/CH); đã bỏ qua", stamp)
			}
			rest = rest[1:]
			continue
		}
		break
	}
	if len(rest) == 0 {
		return fail(ErrNoBody)
	}

	// The lead, and its repeat.
	a.Summary = rest[0]
	rest = rest[1:]
	if len(rest) > 0 && sameText(rest[0], a.Summary) {
		rest = rest[1:]
	} else {
		review("summary", "đoạn mở đầu không được lặp lại như thường lệ: kiểm tra xem tóm tắt có đúng là đoạn mở đầu")
	}

	// The byline.
	if len(rest) > 0 {
		last := rest[len(rest)-1]
		if author, source, ok := byline(last, reg); ok {
			a.Author, a.Source = author, source
			rest = rest[:len(rest)-1]
		}
	}
	if a.Source == "" && marker != "" {
		a.Source = marker
	}
	if a.Author == "" && !isOffice(a.Source) {
		review("author", "không tìm thấy tác giả hay cơ quan ở dòng cuối bài; đoạn cuối được giữ nguyên trong nội dung")
	}
	a.Body = rest
	if len(a.Body) == 0 {
		review("body", "bài chỉ có đoạn mở đầu")
	}

	// The date.
	switch {
	case !stampTime.IsZero():
		a.Date, a.DateSource = stampTime, "dòng thời gian “"+stamp+"”"
	default:
		// The first date of the lead or, failing that, of the first body paragraph
		// ("Thực hiện …, ngày 04/8/2007 tại …").
		where := "đoạn mở đầu"
		d, ok := textDate(a.Summary, a.Title, a.Summary, a.Body)
		if !ok && len(a.Body) > 0 {
			where = "đoạn đầu của nội dung"
			d, ok = textDate(a.Body[0], a.Title, a.Summary, a.Body)
		}
		if ok {
			a.Date, a.DateSource = d.t, where+" “"+d.text+"”"
			if d.note != "" {
				a.DateSource += ", " + d.note
			}
			if d.guessedYear {
				review("date", "“%s” không ghi năm; đã lấy năm %d %s", d.text, d.t.Year(), d.yearFrom)
			}
		} else {
			review("date", "không có dòng thời gian và đoạn mở đầu không ghi ngày: điền ngày đăng rồi bỏ dòng draft: true")
		}
	}

	// Provinces, category, tags.
	for _, p := range reg.FindIn(a.Title + "\n\n" + a.Summary) {
		a.Provinces = append(a.Provinces, p.Name)
	}
	if len(a.Provinces) == 0 {
		review("provinces", "không thấy tên tỉnh, thành phố nào trong tiêu đề và đoạn mở đầu")
	}
	if c, ok := category(a.Title); ok {
		a.Categories = []string{c}
	} else if c, ok := category(a.Summary); ok {
		a.Categories = []string{c}
	} else {
		review("categories", "tiêu đề và đoạn mở đầu không có từ khóa chuyên mục (Hội nghị, Hội thảo, Kiểm tra, Làm việc, Tập huấn …)")
	}
	a.Tags = legalDocuments(append([]string{a.Title, a.Summary}, a.Body...))
	return a, findings, nil
}

// paragraphs splits text into its non-empty lines, trimmed, without rating widgets. Each
// line of a saved article is one paragraph.
func paragraphs(text string) []string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimFunc(l, unicode.IsSpace)
		if l == "" || widgetRe.MatchString(l) {
			continue
		}
		out = append(out, l)
	}
	return out
}

// sameText compares two paragraphs ignoring differences in spacing.
func sameText(a, b string) bool {
	return strings.Join(strings.Fields(a), " ") == strings.Join(strings.Fields(b), " ")
}

// parseStamp reads the old portal's time stamp, "M/D/YYYY h:mm[:ss] AM|PM" (or a 24-hour
// time without AM/PM), in Asia/Ho_Chi_Minh.
func parseStamp(s string) (time.Time, bool) {
	m := stampRe.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false
	}
	month, day, year, hour, minute := atoi(m[1]), atoi(m[2]), atoi(m[3]), atoi(m[4]), atoi(m[5])
	sec := 0
	if m[6] != "" {
		sec = atoi(m[6])
	}
	switch strings.ToUpper(m[7]) {
	case "AM", "PM":
		if hour < 1 || hour > 12 {
			return time.Time{}, false
		}
		hour %= 12
		if strings.EqualFold(m[7], "PM") {
			hour += 12
		}
	default:
		if hour > 23 {
			return time.Time{}, false
		}
	}
	if minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	t, ok := date(year, month, day)
	if !ok {
		return time.Time{}, false
	}
	return t.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute + time.Duration(sec)*time.Second), true
}

// date returns midnight of a calendar day in Asia/Ho_Chi_Minh, and false for days that do
// not exist (31/02) or years outside 1900–2100.
func date(year, month, day int) (time.Time, bool) {
	if year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, vietnamese.Location())
	if t.Day() != day || int(t.Month()) != month {
		return time.Time{}, false
	}
	return t, true
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
		if n > 1e6 {
			return 1e6
		}
	}
	return n
}
