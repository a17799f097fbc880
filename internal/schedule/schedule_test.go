package schedule

import (
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/vietnamese"
)

const goodWeek = `# Lịch công tác tuần 49 năm 2026
revision = 2
updated = 2026-12-04T16:30:00

[[event]]
date = 2026-12-01
session = "Chiều"
time = "14h00"
content = "Họp Ban Chỉ đạo chuyển đổi số tỉnh"
place = "Phòng họp số 1, UBND tỉnh"
leaders = ["Chủ tịch UBND tỉnh", "Phó Chủ tịch UBND tỉnh"]
host = "Chủ tịch UBND tỉnh"
participants = "Thành viên Ban Chỉ đạo"

[[event]]
date = "30/11/2026"
session = "sang"
time = 08:00:00
content = "Giao ban lãnh đạo UBND tỉnh"
leaders = "Chủ tịch UBND tỉnh"
note = "Trực tuyến"
`

func TestParseAGoodWeek(t *testing.T) {
	w, ds := Parse(Dir+"/2026-w49.toml", []byte(goodWeek))
	if ds.HasErrors() || len(ds.Items()) != 0 {
		t.Fatalf("diagnostics: %v", ds.Items())
	}
	if w.ID() != "2026-w49" || w.URL() != "/lich-cong-tac/2026-w49/" || w.Revision != 2 {
		t.Fatalf("week %q %q revision %d", w.ID(), w.URL(), w.Revision)
	}
	if got := vietnamese.FormatDateTime(w.Updated); got != "Thứ Sáu, 04/12/2026, 16:30" {
		t.Errorf("updated %q", got)
	}
	if got := vietnamese.FormatDate(w.Start()) + " – " + vietnamese.FormatDate(w.End()); got != "Thứ Hai, 30/11/2026 – Chủ Nhật, 06/12/2026" {
		t.Errorf("week runs %s", got)
	}
	if len(w.Events) != 2 {
		t.Fatalf("events %+v", w.Events)
	}
	first, second := w.Events[0], w.Events[1]
	// Sorted by day: the Monday row written second comes first.
	if first.Content != "Giao ban lãnh đạo UBND tỉnh" || first.Session != Morning || first.Time != "08:00" || first.Line != 15 ||
		len(first.Leaders) != 1 || first.Note != "Trực tuyến" {
		t.Errorf("first event %+v", first)
	}
	if second.Session != Afternoon || second.Time != "14:00" || len(second.Leaders) != 2 || second.Host != "Chủ tịch UBND tỉnh" || second.Line != 5 {
		t.Errorf("second event %+v", second)
	}
	days := w.Days()
	if len(days) != 5 || len(days[0].Sessions) != 1 || days[0].Sessions[0].Session != Morning || len(days[2].Sessions) != 0 {
		t.Errorf("days %+v", days)
	}
}

// errorsOf returns "line:col: message" for each diagnostic.
func errorsOf(ds *diag.List) []string {
	var out []string
	for _, d := range ds.Items() {
		out = append(out, d.Severity.String()+" "+itoa(d.Line)+":"+itoa(d.Col)+": "+d.Message)
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestRowMistakesAreReportedAtTheirValue(t *testing.T) {
	src := `revision = 1

[[event]]
date = 2026-12-08
session = "Sáng"
content = "Tiếp công dân"

[[event]]
date = 2026-12-02
session = "Trưa"
content = "Làm việc với Sở Tài chính"

[[event]]
date = 2026-12-03
session = "Sáng"
time = "14:30"
content = "Hội nghị"

[[event]]
date = 2026-12-03
session = "Chiều"
time = "25 giờ"
content = "Hội nghị"

[[event]]
date = 2026-12-04
session = "Tối"
dia-diem = "Hội trường"
`
	_, ds := Parse(Dir+"/2026-w49.toml", []byte(src))
	got := strings.Join(errorsOf(ds), "\n")
	for _, want := range []string{
		`lỗi 4:8: ngày Thứ Ba, 08/12/2026 không thuộc tuần 49 năm 2026 của tệp này (từ Thứ Hai, 30/11/2026 đến Chủ Nhật, 06/12/2026): sửa ngày, hoặc chuyển việc này sang tệp 2026-w50.toml`,
		`lỗi 10:11: buổi "Trưa" không có: viết "Sáng", "Chiều" hoặc "Tối"`,
		`lỗi 16:8: giờ 14:30 không thuộc buổi Sáng (05:00–12:00): sửa giờ, hoặc đổi buổi thành "Chiều"`,
		`lỗi 22:8: giờ 25 giờ không đọc được`,
		`lỗi 25:1: việc này thiếu nội dung`,
		`cảnh báo 28:12: portal không biết khóa "dia-diem" nên bỏ qua nó`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("missing %q in\n%s", want, got)
		}
	}
	// A session a letter away gets a suggestion.
	_, ds = Parse(Dir+"/2026-w49.toml", []byte("[[event]]\ndate = 2026-12-01\nsession = \"Chieu\"\ncontent = \"x\"\n[[event]]\ndate = 2026-12-01\nsession = \"Chìu\"\ncontent = \"x\"\n"))
	if got := strings.Join(errorsOf(ds), "\n"); !strings.Contains(got, `lỗi 7:11: buổi "Chìu" không có: viết "Sáng", "Chiều" hoặc "Tối" (có phải là "Chiều"?)`) || strings.Count(got, "lỗi") != 1 {
		t.Errorf("got\n%s", got)
	}
}

func TestMessagesHaveEnglish(t *testing.T) {
	_, ds := Parse(Dir+"/2026-w49.toml", []byte("[[event]]\ndate = 2026-12-14\nsession = \"Sáng\"\ncontent = \"x\"\n"))
	items := ds.Items()
	if len(items) != 1 {
		t.Fatalf("%v", items)
	}
	if en := items[0].In(message.En); !strings.Contains(en, "is not in week 49 of 2026") || !strings.Contains(en, "2026-w51.toml") {
		t.Errorf("English: %s", en)
	}
}

func TestFileNamesAndDuplicateWeeks(t *testing.T) {
	fsys := fstest.MapFS{
		Dir + "/2026-w49.toml":      {Data: []byte(goodWeek)},
		Dir + "/2026/2026-W49.toml": {Data: []byte(goodWeek)},
		Dir + "/2025-w53.toml":      {Data: []byte("")},
		Dir + "/2026-w53.toml":      {Data: []byte("")},
		Dir + "/tuan-50.toml":       {Data: []byte("")},
		Dir + "/.2026-w50.toml.swp": {Data: []byte("rác")},
		Dir + "/2026-w50.toml":      {Data: []byte("revision = \"hai\"\n[[event]]\ndate = 2026-12-07\nsession = \"Sáng\"\ncontent = 'x'\n")},
		Dir + "/2026-w51.toml":      {Data: []byte("[[event]\ndate = 2026-12-14\n")},
	}
	weeks, ds := Load(fsys)
	got := map[string]string{}
	for _, d := range ds.Items() {
		got[d.Path] += itoa(d.Line) + ":" + itoa(d.Col) + ": " + d.Message + "\n"
	}
	for path, want := range map[string]string{
		Dir + "/2026-w49.toml": `1:1: tuần 49 năm 2026 đã có lịch trong tệp data/lich-cong-tac/2026/2026-W49.toml`,
		Dir + "/2025-w53.toml": `1:1: năm 2025 không có tuần 53 (năm này có 52 tuần theo ISO 8601)`,
		Dir + "/tuan-50.toml":  `1:1: tên tệp lịch công tác phải là NĂM-wTUẦN.toml`,
		Dir + "/2026-w50.toml": `1:12: revision là lần điều chỉnh`,
		Dir + "/2026-w51.toml": `2:8: lịch viết sai ở đây (chi tiết kỹ thuật: `,
	} {
		if !strings.Contains(got[path], want) {
			t.Errorf("%s: want %q, got %q", path, want, got[path])
		}
	}
	if len(got) != 5 {
		t.Errorf("diagnostics for %d files, want 5: %v", len(got), got)
	}
	var ids []string
	for _, w := range weeks {
		ids = append(ids, w.ID())
	}
	// 2026 has 53 ISO weeks; the week files come sorted.
	if strings.Join(ids, " ") != "2026-w49 2026-w50 2026-w53" {
		t.Errorf("weeks %v", ids)
	}
}

func TestCurrentWeekWithAnInjectedClock(t *testing.T) {
	hcm := vietnamese.Location()
	mk := func(y, n int) *Week { return &Week{Year: y, Number: n} }
	weeks := []*Week{mk(2025, 1), mk(2026, 49), mk(2026, 53), mk(2027, 2)}
	for _, c := range []struct {
		now              time.Time
		current, nearest string
	}{
		// Sunday 6 December 2026, 23:30 in Hà Nội is still week 49 (16:30 UTC).
		{time.Date(2026, 12, 6, 16, 30, 0, 0, time.UTC), "2026-w49", ""},
		// Monday 7 December 00:30 in Hà Nội is week 50, though still Sunday in UTC.
		{time.Date(2026, 12, 6, 17, 30, 0, 0, time.UTC), "", "2026-w49"},
		// 1 January 2027 is in week 53 of 2026.
		{time.Date(2027, 1, 1, 9, 0, 0, 0, hcm), "2026-w53", ""},
		// 30 December 2024 is in week 1 of 2025.
		{time.Date(2024, 12, 30, 9, 0, 0, 0, hcm), "2025-w01", ""},
		// Week 1 of 2027 has no file: weeks 53 and 2 are as near; the later wins.
		{time.Date(2027, 1, 6, 9, 0, 0, 0, hcm), "", "2027-w02"},
		{time.Date(2030, 6, 1, 9, 0, 0, 0, hcm), "", "2027-w02"},
	} {
		cur, near := Current(weeks, c.now)
		id := func(w *Week) string {
			if w == nil {
				return ""
			}
			return w.ID()
		}
		if id(cur) != c.current || id(near) != c.nearest {
			t.Errorf("%v: current %q nearest %q, want %q %q", c.now, id(cur), id(near), c.current, c.nearest)
		}
	}
	if WeeksIn(2026) != 53 || WeeksIn(2025) != 52 || WeeksIn(2020) != 53 {
		t.Errorf("weeks in 2026, 2025, 2020: %d %d %d", WeeksIn(2026), WeeksIn(2025), WeeksIn(2020))
	}
	if s := WeekStart(2026, 53); s.Format("2006-01-02") != "2026-12-28" {
		t.Errorf("week 53 of 2026 starts %v", s)
	}
}

func TestClockFormats(t *testing.T) {
	for in, want := range map[string]int{"08:00": 480, "8:30": 510, "8h": 480, "8h30": 510, "14g00": 840, "8 giờ 30": 510, "14 giờ": 840, "7 giờ 30 phút": 450} {
		if got, ok := parseClock(in); !ok || got != want {
			t.Errorf("%q: %d %v, want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "sáng", "24:00", "8:75", "8.30"} {
		if _, ok := parseClock(in); ok {
			t.Errorf("%q parsed", in)
		}
	}
}
