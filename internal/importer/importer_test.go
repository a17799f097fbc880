package importer

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/markdown"
	"github.com/vnportal/portal/internal/province"
	"github.com/vnportal/portal/internal/sitetest"
)

// legacyNames are the five real articles from the old portal.
var legacyNames = []string{
	"000_6689b09cc11298d1.txt",
	"001_51f07bf4e7c94e8a.txt",
	"002_95d7f297d7725e06.txt",
	"003_091f436f9e67f7d3.txt",
	"004_682e289c2befc937.txt",
}

func readSeed(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sitetest.RepoRoot(t), "testdata", "import", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func ict(y int, m time.Month, d, hh, mm, ss int) time.Time {
	loc, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return time.Date(y, m, d, hh, mm, ss, 0, loc)
}

func TestConvertLegacyArticles(t *testing.T) {
	tests := []struct {
		file                     string
		title                    string
		date                     time.Time
		dateFrom                 string // substring of DateSource
		author, source           string
		provinces, cats, tags    []string
		summaryStart, summaryEnd string
		bodyLen                  int
		firstStart, lastStart    string
		lastEnd                  string
		review                   []string // fields of the findings
		draft, authorComment     bool
	}{
		{
			file:     "000_6689b09cc11298d1.txt",
			title:    "Hội nghị tập huấn công tác QLNN về BCVT và CNTT năm 2007",
			date:     ict(2007, 5, 29, 0, 0, 0),
			dateFrom: "đoạn mở đầu “Ngày 29/05/2007”",
			author:   "Trần Thị Huệ", source: "Mic.gov.vn",
			provinces: []string{"Gia Lai"}, cats: []string{"Hội nghị"}, tags: []string{"Nghị định 64/2007/NĐ-CP"},
			summaryStart: "Ngày 29/05/2007, Sở Bưu chính, viễn thông tỉnh Gia Lai tổ chức",
			summaryEnd:   "các huyện, thị xã, thành phố.",
			bodyLen:      2,
			firstStart:   "Hội nghị tập trung vào cácchuyên đề: quản lý hạ tầng", // kept as written
			lastStart:    "Các đại biểu dự Hội nghị đã tập trung bàn biện pháp",
			lastEnd:      "góp phần đảm bảo quốc phòng, an ninh tại địa phương.",
		},
		{
			file:     "001_51f07bf4e7c94e8a.txt",
			title:    "Hội nghị hướng dẫn xây dựng kế hoạch ứng dụng công nghệ thông tin trong các cơ quan quản lý nhà nước giai đoạn 2007 – 2010.",
			date:     ict(2007, 8, 22, 15, 17, 26),
			dateFrom: "dòng thời gian “8/22/2007 3:17:26 PM”",
			author:   "", source: "",
			provinces: []string{"Hà Tĩnh"}, cats: []string{"Hội nghị"}, tags: []string{"Nghị định 64/2007/NĐ-CP"},
			summaryStart: "Sáng 17/8, Sở BCVT Hà Tĩnh tổ chức hội nghị hướng dẫn",
			summaryEnd:   "và năm 2008 của các cơ quan quản lý nhà nước.",
			bodyLen:      3,
			firstStart:   "Tham dự có gần 100 đại biểu là lãnh đạo",
			// No byline: the last line is a body paragraph and stays in the body.
			lastStart:     "Phát biểu tại hội nghị, các đại biểu đã đánh giá cao",
			lastEnd:       "về ƯD CNTT trong hoạt động của cơ quan nhà nước.",
			review:        []string{"author"},
			authorComment: true,
		},
		{
			file:     "002_95d7f297d7725e06.txt",
			title:    "Lâm Đồng: Kiểm tra và đôn đốc việc ứng dụng CNTT tại một số huyện, thị",
			date:     ict(2009, 6, 10, 0, 0, 0),
			dateFrom: "“Trong 2 ngày 10 và 11/06/2009”",
			author:   "Văn Dũng", source: "Mic.gov.vn",
			provinces: []string{"Lâm Đồng"}, cats: []string{"Kiểm tra"},
			tags:         []string{"Nghị quyết 16/NQ-TU", "Quyết định 2599/QĐ-UBND"},
			summaryStart: "Trong 2 ngày 10 và 11/06/2009, Sở Thông tin và Truyền thông (TT&TT) Lâm Đồng",
			summaryEnd:   "làm trưởng đoàn công tác tại 2 huyện Lâm Hà và Đam Rông.",
			bodyLen:      1,
			firstStart:   "Nhìn chung, hiện nay hầu hết các huyện, thị tại tỉnh Lâm Đồng",
			lastStart:    "Nhìn chung,",
			lastEnd:      "từ huyện xuống cơ sở sử dụng CNTT./.",
		},
		{
			file:     "003_091f436f9e67f7d3.txt",
			title:    "Sở BCVT tỉnh Quảng Ngãi tổ chức Hội thảo “Hành chính điện tử và giải pháp triển khai”",
			date:     ict(2007, 8, 4, 0, 0, 0),
			dateFrom: "đoạn đầu của nội dung “ngày 04/8/2007”",
			// The byline is an office: it replaces Mic.gov.vn as the source.
			author: "", source: "Sở BCVT Quảng Ngãi",
			provinces: []string{"Quảng Ngãi"}, cats: []string{"Hội thảo"}, tags: nil,
			summaryStart: "Nhằm mục đích nâng cao nhận thức và quyết tâm",
			summaryEnd:   "tổ chức Hội thảo với chủ đề “Hành chính điện tử và giải pháp triển khai”.",
			bodyLen:      4,
			firstStart:   "Thực hiện chủ trương của UBND tỉnh Quảng Ngãi, ngày 04/8/2007",
			lastStart:    "Phát biểu Tổng kết Hội thảo, Ông Nguyễn Hoàng Sơn",
			lastEnd:      "hiệu quả hoạt động của bộ máy hành chính Nhà nước.",
		},
		{
			file:     "004_682e289c2befc937.txt",
			title:    "Lãnh đạo UBND tỉnh Vĩnh Phúc làm việc với Sở Thông tin và Truyền thông",
			date:     ict(2008, 6, 4, 0, 0, 0),
			dateFrom: "đoạn mở đầu “Sáng ngày 4/6/2008”",
			author:   "Thanh Loan", source: "Mic.gov.vn",
			provinces: []string{"Vĩnh Phúc"}, cats: []string{"Làm việc"}, tags: nil,
			summaryStart: "Sáng ngày 4/6/2008, đ/c Hoàng Trường Kỳ - Uỷ viên Ban thường vụ Tỉnh uỷ",
			summaryEnd:   "đã có buổi làm việc với Sở Thông tin và Truyền thông (TTTT).",
			bodyLen:      3,
			firstStart:   "Tại buổi làm việc, đồng chí Trần Gia Long – Giám đốc Sở TTTT",
			lastStart:    "Với những vấn đề khó khăn trong giai đoạn trước mắt",
			lastEnd:      "theo chức năng, nhiệm vụ mới.",
		},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			a, findings, err := Convert(tc.file, readSeed(t, tc.file), province.Default())
			if err != nil {
				t.Fatal(err)
			}
			check := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s = %q, want %q", field, got, want)
				}
			}
			check("Title", a.Title, tc.title)
			if !a.Date.Equal(tc.date) {
				t.Errorf("Date = %v, want %v", a.Date, tc.date)
			}
			if !strings.Contains(a.DateSource, tc.dateFrom) {
				t.Errorf("DateSource = %q, want it to contain %q", a.DateSource, tc.dateFrom)
			}
			check("Author", a.Author, tc.author)
			check("Source", a.Source, tc.source)
			if !slices.Equal(a.Provinces, tc.provinces) {
				t.Errorf("Provinces = %q, want %q", a.Provinces, tc.provinces)
			}
			if !slices.Equal(a.Categories, tc.cats) {
				t.Errorf("Categories = %q, want %q", a.Categories, tc.cats)
			}
			if !slices.Equal(a.Tags, tc.tags) {
				t.Errorf("Tags = %q, want %q", a.Tags, tc.tags)
			}
			if !strings.HasPrefix(a.Summary, tc.summaryStart) || !strings.HasSuffix(a.Summary, tc.summaryEnd) {
				t.Errorf("Summary = %q, want %q … %q", a.Summary, tc.summaryStart, tc.summaryEnd)
			}
			if len(a.Body) != tc.bodyLen {
				t.Fatalf("Body has %d paragraphs, want %d: %q", len(a.Body), tc.bodyLen, a.Body)
			}
			if !strings.HasPrefix(a.Body[0], tc.firstStart) {
				t.Errorf("first body paragraph = %q, want it to start with %q", a.Body[0], tc.firstStart)
			}
			last := a.Body[len(a.Body)-1]
			if !strings.HasPrefix(last, tc.lastStart) || !strings.HasSuffix(last, tc.lastEnd) {
				t.Errorf("last body paragraph = %q, want %q … %q", last, tc.lastStart, tc.lastEnd)
			}
			for _, p := range a.Body {
				if sameText(p, a.Summary) {
					t.Errorf("the lead is still in the body: %q", p)
				}
				if tc.author != "" && p == tc.author || tc.source != "" && p == tc.source {
					t.Errorf("the byline is still in the body: %q", p)
				}
			}
			var fields []string
			for _, f := range findings {
				fields = append(fields, f.Field)
			}
			if !slices.Equal(fields, tc.review) {
				t.Errorf("findings = %v, want fields %v", findings, tc.review)
			}
			md := a.Markdown()
			if bytes.Contains(md, []byte("ĐÁNH GIÁ")) || bytes.Contains(md, []byte("BÀI VIẾT(")) {
				t.Errorf("the rating widget is still in the Markdown:\n%s", md)
			}
			if got := bytes.Contains(md, []byte("author: \"\" # "+Review)); got != tc.authorComment {
				t.Errorf("author review comment present = %v, want %v:\n%s", got, tc.authorComment, md)
			}
			doc := parseOK(t, md)
			if doc.Title != tc.title || doc.Author != tc.author || doc.Source != tc.source || doc.Summary != a.Summary {
				t.Errorf("front matter does not round-trip: %+v", doc)
			}
			if !doc.Date.Equal(tc.date) || doc.Draft != tc.draft {
				t.Errorf("parsed date %v draft %v, want %v %v", doc.Date, doc.Draft, tc.date, tc.draft)
			}
			if !slices.Equal(doc.Terms.Of("provinces"), tc.provinces) || !slices.Equal(doc.Terms.Of("categories"), tc.cats) || !slices.Equal(doc.Terms.Of("tags"), tc.tags) {
				t.Errorf("parsed terms %v", doc.Terms)
			}
		})
	}
}

var taxonomies = []string{"provinces", "categories", "tags"}

// parseOK parses Markdown the way the site loads content and fails on any error.
func parseOK(t testing.TB, md []byte) *content.Document {
	t.Helper()
	doc, ds := content.Parse("content/tin-tuc/x.md", md, content.Schema{Taxonomies: taxonomies})
	for _, d := range ds {
		if d.Severity == diag.Error {
			t.Fatalf("content.Parse: %s\n%s", d, md)
		}
	}
	if doc == nil {
		t.Fatalf("content.Parse returned no document:\n%s", md)
	}
	return doc
}

// TestSampleContentUpToDate keeps content/tin-tuc/*.md of the sample site equal to what
// the importer makes of the legacy articles today. After changing the importer, run
// `go run ./cmd/portal import --force ../shared/legacy-articles` at the repository root.
func TestSampleContentUpToDate(t *testing.T) {
	dir := sitetest.LegacyArticles(t)
	root := sitetest.RepoRoot(t)
	for _, name := range legacyNames {
		raw, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		a, _, err := Convert(name, raw, province.Default())
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(root, "content", "tin-tuc", a.Slug()+".md")
		got, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v (run portal import on the legacy articles)", name, err)
			continue
		}
		if !bytes.Equal(got, a.Markdown()) {
			t.Errorf("%s differs from the importer's output for %s: run `go run ./cmd/portal import --force ../shared/legacy-articles`", path, name)
		}
		// The seed copies used by the other tests and the fuzzer are the same files.
		if seed := readSeed(t, name); !bytes.Equal(seed, raw) {
			t.Errorf("testdata/import/%s differs from %s", name, filepath.Join(dir, name))
		}
	}
}

// toWindows1258 encodes NFC text as Windows-1258 does it: base letters (with their
// circumflex, breve or horn) followed by a combining tone mark.
func toWindows1258(t *testing.T, s string) []byte {
	t.Helper()
	isTone := func(r rune) bool {
		switch r {
		case 0x300, 0x301, 0x303, 0x309, 0x323:
			return true
		}
		return false
	}
	var b strings.Builder
	for _, r := range s {
		var base, tones []rune
		for _, d := range norm.NFD.String(string(r)) {
			if isTone(d) {
				tones = append(tones, d)
			} else {
				base = append(base, d)
			}
		}
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
	}
	out, err := charmap.Windows1258.NewEncoder().Bytes([]byte(b.String()))
	if err != nil {
		t.Fatalf("encoding as Windows-1258: %v", err)
	}
	return out
}

func TestEncodings(t *testing.T) {
	for _, name := range legacyNames {
		orig := readSeed(t, name)
		want, _, err := Convert(name, orig, nil)
		if err != nil {
			t.Fatal(err)
		}
		nfd := norm.NFD.Bytes(orig)
		crlf := bytes.ReplaceAll(orig, []byte("\n"), []byte("\r\n"))
		utf16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes(crlf)
		if err != nil {
			t.Fatal(err)
		}
		cp1258 := toWindows1258(t, string(crlf))
		if bytes.Equal(cp1258, orig) || utf8.Valid(cp1258) {
			t.Fatal("the Windows-1258 test input is not really Windows-1258")
		}
		variants := []struct {
			name, encoding string
			raw            []byte
		}{
			{"NFD", "UTF-8 (NFD)", nfd},
			{"BOM", "UTF-8 (BOM)", append([]byte("\uFEFF"), orig...)},
			{"CRLF", "UTF-8 (CRLF)", crlf},
			{"CR", "UTF-8", bytes.ReplaceAll(orig, []byte("\n"), []byte("\r"))},
			{"BOM+NFD+CRLF", "UTF-8 (BOM, CRLF, NFD)", append([]byte("\uFEFF"), norm.NFD.Bytes(crlf)...)},
			{"Windows-1258", "Windows-1258 (CRLF)", cp1258},
			{"UTF-16", "UTF-16 (CRLF)", utf16},
		}
		for _, v := range variants {
			t.Run(name+"/"+v.name, func(t *testing.T) {
				got, _, err := Convert(name, v.raw, nil)
				if err != nil {
					t.Fatal(err)
				}
				if got.Encoding != v.encoding {
					t.Errorf("Encoding = %q, want %q", got.Encoding, v.encoding)
				}
				md := got.Markdown()
				if !bytes.Equal(md, want.Markdown()) {
					t.Errorf("Markdown differs from the UTF-8 NFC original:\n%s", md)
				}
				if !norm.NFC.IsNormal(md) || bytes.Contains(md, []byte("\r")) || bytes.Contains(md, []byte("\uFEFF")) {
					t.Error("output is not NFC with LF line ends and no BOM")
				}
			})
		}
	}
}

func TestUnusableFiles(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want error
	}{
		{"empty", "", ErrEmpty},
		{"blank lines", " \n\r\n\t\n", ErrEmpty},
		{"only the widget", "ĐÁNH GIÁ BÀI VIẾT( 0)\n", ErrEmpty},
		{"binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", ErrBinary},
		{"controls", strings.Repeat("\x01\x02\x03abc", 20), ErrBinary},
		{"no title", "(Mic.gov.vn) - \n\nNgày 29/05/2007, Sở tổ chức hội nghị.\n", ErrNoTitle},
		{"stamp first", "8/22/2007 3:17:26 PM\n\nSáng 17/8, hội nghị.\n", ErrNoTitle},
		{"title only", "Hội nghị tập huấn\n", ErrNoBody},
		{"title and header only", "Hội nghị tập huấn\n\n(Mic.gov.vn) - \n\n8/22/2007 3:17:26 PM\n\nĐÁNH GIÁ BÀI VIẾT( 0)", ErrNoBody},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Convert("x.txt", []byte(tc.raw), nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "x.txt: ") {
				t.Errorf("error %q does not name the file", err)
			}
		})
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		name string
		text string
		want time.Time
		src  string // substring of DateSource; "" with a zero want means no date
	}{
		{"stamp PM", "T\n\n8/22/2007 3:17:26 PM\n\nSáng 17/8, hội nghị.", ict(2007, 8, 22, 15, 17, 26), "8/22/2007 3:17:26 PM"},
		{"stamp 12 AM", "T\n\n1/2/2008 12:05:00 AM\n\nHội nghị.", ict(2008, 1, 2, 0, 5, 0), "dòng thời gian"},
		{"stamp 12 PM", "T\n\n1/2/2008 12:05 PM\n\nHội nghị.", ict(2008, 1, 2, 12, 5, 0), "dòng thời gian"},
		{"stamp 24h", "T\n\n(Mic.gov.vn) -\n\n12/31/2009 23:59\n\nHội nghị.", ict(2009, 12, 31, 23, 59, 0), "dòng thời gian"},
		{"stamp invalid day falls back to the lead", "T\n\n2/30/2008 1:00 PM\n\nNgày 3/3/2008, hội nghị.", time.Time{}, ""},
		{"full date", "T\n\nNgày 29/05/2007, Sở tổ chức.", ict(2007, 5, 29, 0, 0, 0), "“Ngày 29/05/2007”"},
		{"short month", "T\n\nVừa qua, ngày 04/8/2007 tại Huế.", ict(2007, 8, 4, 0, 0, 0), "“ngày 04/8/2007”"},
		{"morning", "T\n\nSáng ngày 4/6/2008, đ/c X làm việc.", ict(2008, 6, 4, 0, 0, 0), "“Sáng ngày 4/6/2008”"},
		{"range", "T\n\nTrong 2 ngày 10 và 11/06/2009, Sở tổ chức.", ict(2009, 6, 10, 0, 0, 0), "ngày đầu"},
		{"range with dash", "T\n\nTừ 3-5/10/2010, đoàn công tác.", ict(2010, 10, 3, 0, 0, 0), "“3-5/10/2010”"},
		{"partial takes the title's year", "Kế hoạch 2007 – 2010\n\nSáng 17/8, Sở tổ chức.", ict(2007, 8, 17, 0, 0, 0), "năm 2007 theo tiêu đề"},
		{"partial takes a later year in the lead", "Hội nghị\n\nChiều 5/9, Sở tổng kết năm 2011.", ict(2011, 9, 5, 0, 0, 0), "năm 2011 theo đoạn mở đầu"},
		{"document numbers are not dates", "T\n\nTheo Nghị quyết số 16/NQ-TU và Quyết định 2599/QĐ-UBND, ngày 3/10/2008 Sở họp.", ict(2008, 10, 3, 0, 0, 0), "3/10/2008"},
		{"invalid date skipped", "T\n\nNgày 31/02/2008 hay ngày 1/3/2008?", ict(2008, 3, 1, 0, 0, 0), "1/3/2008"},
		{"no date", "T\n\nSở tổ chức hội nghị.\n\nNội dung.", time.Time{}, ""},
		{"partial without any year", "T\n\nSáng 17/8, Sở tổ chức.", time.Time{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a, findings, err := Convert("x.txt", []byte(tc.text), nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want.IsZero() && tc.src == "" {
				if tc.name == "stamp invalid day falls back to the lead" {
					if !a.Date.Equal(ict(2008, 3, 3, 0, 0, 0)) || !strings.Contains(a.DateSource, "đoạn mở đầu") {
						t.Errorf("Date = %v from %q, want 3/3/2008 from the lead", a.Date, a.DateSource)
					}
					return
				}
				if !a.Date.IsZero() {
					t.Errorf("Date = %v from %q, want none", a.Date, a.DateSource)
				}
				if !slices.ContainsFunc(findings, func(f Finding) bool { return f.Field == "date" }) {
					t.Errorf("no date finding: %v", findings)
				}
				md := a.Markdown()
				doc := parseOK(t, md)
				if !doc.Draft || !bytes.Contains(md, []byte("date: \"\" # "+Review)) {
					t.Errorf("an article without a date must be a draft marked %s:\n%s", Review, md)
				}
				return
			}
			if !a.Date.Equal(tc.want) {
				t.Errorf("Date = %v, want %v (source %q)", a.Date, tc.want, a.DateSource)
			}
			if !strings.Contains(a.DateSource, tc.src) {
				t.Errorf("DateSource = %q, want it to contain %q", a.DateSource, tc.src)
			}
			if got := a.Date.Location().String(); got != "Asia/Ho_Chi_Minh" {
				t.Errorf("Date is in %s", got)
			}
		})
	}
}

func TestByline(t *testing.T) {
	tests := []struct {
		last           string
		author, source string
		ok             bool
	}{
		{"Trần Thị Huệ", "Trần Thị Huệ", "", true},
		{"Thanh Loan", "Thanh Loan", "", true},
		{"T.H.", "T.H.", "", true},
		{"Sở BCVT Quảng Ngãi", "", "Sở BCVT Quảng Ngãi", true},
		{"Sở Thông tin và Truyền thông Lâm Đồng", "", "Sở Thông tin và Truyền thông Lâm Đồng", true},
		{"UBND huyện Di Linh", "", "UBND huyện Di Linh", true},
		{"Trung tâm CNTT-TT", "", "Trung tâm CNTT-TT", true},
		{"Văn phòng UBND tỉnh", "", "Văn phòng UBND tỉnh", true},
		{"Theo Báo Gia Lai", "", "Báo Gia Lai", true},
		{"Nguồn: Chinhphu.vn", "", "Chinhphu.vn", true},
		{"Minh Anh (TTXVN)", "Minh Anh", "TTXVN", true},
		{"Lâm Đồng", "", "", false}, // a place, not a person
		{"Phát biểu tại hội nghị, các đại biểu đã đánh giá cao.", "", "", false},
		{"Sở đã tổ chức tốt hội nghị.", "", "", false},
		{"nguyễn văn a", "", "", false},
		{"Hội nghị kết thúc lúc 11 giờ", "", "", false},
	}
	for _, tc := range tests {
		author, source, ok := byline(tc.last, province.Default())
		if author != tc.author || source != tc.source || ok != tc.ok {
			t.Errorf("byline(%q) = %q, %q, %v; want %q, %q, %v", tc.last, author, source, ok, tc.author, tc.source, tc.ok)
		}
	}
}

func TestOfficeBylineReplacesMarker(t *testing.T) {
	a, findings, err := Convert("x.txt", []byte("Hội thảo\n\n(Mic.gov.vn) - \n\nNgày 1/2/2010, hội thảo.\n\nNgày 1/2/2010, hội thảo.\n\nNội dung.\n\nBan Tuyên giáo Tỉnh ủy\n\nĐÁNH GIÁ BÀI VIẾT( 3)"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "Ban Tuyên giáo Tỉnh ủy" || a.Author != "" || len(findings) != 1 || findings[0].Field != "provinces" {
		t.Errorf("Source %q Author %q findings %v", a.Source, a.Author, findings)
	}
	md := string(a.Markdown())
	if strings.Contains(md, "Mic.gov.vn") || strings.Contains(md, "author:") || strings.Contains(md, "ĐÁNH GIÁ") {
		t.Errorf("unexpected Markdown:\n%s", md)
	}
}

func TestMarkerWithLeadOnSameLine(t *testing.T) {
	a, _, err := Convert("x.txt", []byte("Tiêu đề\n(Mic.gov.vn) - Ngày 2/3/2010, Sở họp.\nNgày 2/3/2010, Sở họp.\nThân bài.\nLê Văn Tám\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if a.Source != "Mic.gov.vn" || a.Summary != "Ngày 2/3/2010, Sở họp." || !slices.Equal(a.Body, []string{"Thân bài."}) || a.Author != "Lê Văn Tám" {
		t.Errorf("got %+v", a)
	}
}

func TestCategory(t *testing.T) {
	tests := []struct{ title, lead, want string }{
		{"Hội nghị tập huấn công tác QLNN", "", "Hội nghị"}, // the first keyword in the title
		{"Tập huấn tại hội nghị", "", "Tập huấn"},
		{"Sở BCVT tổ chức Hội thảo “Hành chính điện tử”", "", "Hội thảo"},
		{"Lãnh đạo tỉnh làm việc với Sở", "", "Làm việc"},
		{"Lâm Đồng: Kiểm tra và đôn đốc", "", "Kiểm tra"},
		{"Tin hoạt động", "Sáng nay, Sở đã kiểm tra các đơn vị.", "Kiểm tra"}, // from the lead
		{"Hội nghịch lý", "", ""},                                             // not a whole word
		{"Tin hoạt động", "Không có gì.", ""},
	}
	for _, tc := range tests {
		text := tc.title + "\n\n(Mic.gov.vn) -\n\n" + tc.lead + " Ngày 1/1/2010.\n\nThân.\n\nAn Bình"
		a, findings, err := Convert("x.txt", []byte(text), nil)
		if err != nil {
			t.Fatal(err)
		}
		got := strings.Join(a.Categories, ",")
		if got != tc.want {
			t.Errorf("%q / %q: categories %q, want %q", tc.title, tc.lead, got, tc.want)
		}
		flagged := slices.ContainsFunc(findings, func(f Finding) bool { return f.Field == "categories" })
		if flagged != (tc.want == "") {
			t.Errorf("%q: categories finding = %v", tc.title, flagged)
		}
	}
}

func TestLegalDocuments(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"theo Nghị định số 64/2007/NĐ-CP ngày 10/04/2007", []string{"Nghị định 64/2007/NĐ-CP"}},
		{"Nghị quyết số 16/NQ-TU của Ban thường vụ và Quyết định số 2599/QĐ-UBND.", []string{"Nghị quyết 16/NQ-TU", "Quyết định 2599/QĐ-UBND"}},
		{"thông tư 05/2008/tt-btttt; Chỉ thị số: 58-CT/TW không có gạch chéo", []string{"Thông tư 05/2008/TT-BTTTT"}},
		{"Công văn 1234/BTTTT–ƯDCNTT và công văn 1234/BTTTT-ƯDCNTT", []string{"Công văn 1234/BTTTT-ƯDCNTT"}},
		{"Nghị quyết này và Quyết định sẽ ban hành", nil},
		{"CHỈ THỊ SỐ 34/CT-TTg", []string{"Chỉ thị 34/CT-TTG"}},
	}
	for _, tc := range tests {
		if got := legalDocuments([]string{tc.text}); !slices.Equal(got, tc.want) {
			t.Errorf("legalDocuments(%q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestEscapeParagraph renders escaped paragraphs with the site's Markdown renderer and
// checks that the reader sees exactly the original text, as one paragraph.
func TestEscapeParagraph(t *testing.T) {
	md := markdown.New(markdown.Options{})
	tests := []struct{ in, want string }{
		{"1. Mục tiêu chung", `1\. Mục tiêu chung`},
		{"2) Nhiệm vụ", `2\) Nhiệm vụ`},
		{"- Phòng Kế hoạch", `\- Phòng Kế hoạch`},
		{"+ Nội dung", `\+ Nội dung`},
		{"* Ghi chú", `\* Ghi chú`},
		{"# 1", `\# 1`},
		{"> trích dẫn", `\> trích dẫn`},
		{"---", `\---`},
		{"***", `\***`},
		{"===", `\===`},
		{"```", "\\```"},
		{"[1]: http://example.com", `\[1]: http://example.com`},
		{"Giá <b>đậm</b> và a < b", `Giá \<b>đậm\</b> và a < b`},
		{"-5% so với năm trước", "-5% so với năm trước"},
		{"#hashtag", "#hashtag"},
		{"1.5 triệu đồng", "1.5 triệu đồng"},
		{"Nhìn chung, hiện nay", "Nhìn chung, hiện nay"},
		{"    thụt lề", "thụt lề"},
	}
	for _, tc := range tests {
		got := EscapeParagraph(tc.in)
		if got != tc.want {
			t.Errorf("EscapeParagraph(%q) = %q, want %q", tc.in, got, tc.want)
		}
		res, err := md.Render([]byte(got))
		if err != nil {
			t.Fatal(err)
		}
		if want := strings.TrimSpace(tc.in); res.Text != want {
			t.Errorf("%q renders as text %q, want %q (HTML %s)", got, res.Text, want, res.HTML)
		}
		if !strings.HasPrefix(string(res.HTML), "<p>") {
			t.Errorf("%q does not render as a paragraph: %s", got, res.HTML)
		}
	}
}

func TestYAMLQuoteRoundTrip(t *testing.T) {
	for _, s := range []string{`a "b" \c`, "tab\there", "nbsp\u00a0x", "sep\u2028x", "zw\u200bj", "emoji 🇻🇳", "# not a comment", "- not a list", "key: value"} {
		a := Article{Title: s, Summary: s, Date: ict(2020, 1, 1, 0, 0, 0), Author: "A"}
		doc := parseOK(t, a.Markdown())
		if doc.Title != s || doc.Summary != s {
			t.Errorf("%q came back as %q / %q", s, doc.Title, doc.Summary)
		}
	}
}

func FuzzConvert(f *testing.F) {
	root := sitetest.RepoRoot(f)
	for _, name := range legacyNames {
		b, err := os.ReadFile(filepath.Join(root, "testdata", "import", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("T\n\n- 1. # > ---\n\nx"))
	f.Add([]byte("\xef\xbb\xbfT\r\n\r\n8/22/2007 3:17:26 PM\r\n\r\nA\r\n\r\nA"))
	f.Add([]byte{0xFF, 0xFE, 'T', 0, '\n', 0, '\n', 0, 'x', 0})
	f.Add([]byte("Ti\xeau \xf0\xec\n\nx"))
	reg := province.Default()
	f.Fuzz(func(t *testing.T, raw []byte) {
		a, findings, err := Convert("fuzz.txt", raw, reg)
		if err != nil {
			return
		}
		for _, s := range append([]string{a.Title, a.Summary, a.Author, a.Source}, a.Body...) {
			if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
				t.Fatalf("field not valid NFC UTF-8: %q", s)
			}
		}
		_ = findings
		md := a.Markdown()
		if !utf8.Valid(md) || !norm.NFC.IsNormal(md) {
			t.Fatalf("Markdown is not valid NFC UTF-8:\n%q", md)
		}
		doc, ds := content.Parse("content/tin-tuc/x.md", md, content.Schema{Taxonomies: taxonomies})
		for _, d := range ds {
			if d.Severity == diag.Error {
				t.Fatalf("content.Parse: %s\n%q", d, md)
			}
		}
		if doc == nil || doc.Title != a.Title || doc.Summary != a.Summary {
			t.Fatalf("front matter does not round-trip:\n%q", md)
		}
	})
}
