package schedule

import (
	"errors"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/content"
	"github.com/vnportal/portal/internal/diag"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/suggest"
	"github.com/vnportal/portal/internal/tomlpos"
	"github.com/vnportal/portal/internal/vietnamese"
)

// The keys of a week file and of each [[event]].
var (
	weekKeys  = []string{"revision", "updated", "note", "event"}
	eventKeys = []string{"date", "session", "time", "content", "place", "leaders", "host", "participants", "note"}
)

// Load reads every week file under Dir of fsys (the site folder), sorted by week. A
// missing folder is no schedule. Problems are diagnostics of rule "schedule" (errors:
// the build fails, as for config.toml) and "schedule-key" (warnings).
func Load(fsys fs.FS) ([]*Week, *diag.List) {
	ds := &diag.List{}
	var weeks []*Week
	byID := map[string]string{}
	err := fs.WalkDir(fsys, Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == Dir {
				return fs.SkipAll
			}
			ds.Errorf(p, 0, 0, "io", "không đọc được: %v", err)
			return nil
		}
		if p != Dir && content.Ignored(d.Name()) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			ds.Add(content.Refused(p, d.Type(), ""))
			return nil
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			ds.Errorf(p, 0, 0, "io", "không đọc được: %v", err)
			return nil
		}
		w, wds := Parse(p, src)
		ds.Merge(wds)
		if w == nil {
			return nil
		}
		if first, dup := byID[w.ID()]; dup {
			ds.Errorf(p, 1, 1, "schedule", "tuần %d năm %d đã có lịch trong tệp %s: gộp hai tệp làm một rồi xoá tệp này", w.Number, w.Year, first)
			return nil
		}
		byID[w.ID()] = p
		weeks = append(weeks, w)
		return nil
	})
	if err != nil {
		ds.Errorf(Dir, 0, 0, "io", "không đọc được: %v", err)
	}
	slices.SortFunc(weeks, func(a, b *Week) int { return a.Start().Compare(b.Start()) })
	return weeks, ds
}

// Parse reads one week file; rel is its path relative to the site folder. The week is
// nil when the file cannot be used at all (a bad name, bad TOML); with errors in some
// rows it comes back too, for `portal check`, and ds has errors.
func Parse(rel string, src []byte) (*Week, *diag.List) {
	ds := &diag.List{}
	year, number, ok := ParseName(path.Base(rel))
	if !ok {
		if y, n, okForm := nameParts(path.Base(rel)); okForm {
			ds.Errorf(rel, 1, 1, "schedule", "năm %d không có tuần %d (năm này có %d tuần theo ISO 8601): đổi tên tệp theo tuần của lịch, ví dụ %s.toml", y, n, WeeksIn(y), ID(y, min(max(n, 1), WeeksIn(y))))
		} else {
			ds.Errorf(rel, 1, 1, "schedule", "tên tệp lịch công tác phải là NĂM-wTUẦN.toml (tuần theo ISO 8601, bắt đầu từ Thứ Hai), ví dụ 2026-w49.toml: đổi tên tệp, hoặc chuyển tệp khác ra khỏi %s", Dir)
		}
		return nil, ds
	}
	w := &Week{Path: rel, Year: year, Number: number, Hash: hash(src)}
	if !utf8.Valid(src) {
		ds.Errorf(rel, 1, 1, "schedule", "tệp không lưu theo bảng mã UTF-8: mở tệp bằng trình soạn thảo rồi lưu lại dạng UTF-8")
		return nil, ds
	}
	text := vietnamese.NFC(strings.ReplaceAll(strings.TrimPrefix(string(src), "\uFEFF"), "\r\n", "\n"))
	if line, col := config.NestingAt([]byte(text), config.DefaultLimits().MaxNesting); line > 0 {
		ds.Errorf(rel, line, col, "schedule", "giá trị lồng nhau quá %d tầng ([ hoặc {): kiểm tra dấu ngoặc ở đây", config.DefaultLimits().MaxNesting)
		return nil, ds
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			ds.Errorf(rel, pe.Position.Line, pe.Position.Col, "schedule", "lịch viết sai ở đây (chi tiết kỹ thuật: %s): mỗi dòng là tên = giá trị, chữ đặt trong ngoặc kép (\"Sáng\"), ngày viết 2026-12-07; xem mẫu bằng portal new lich-cong-tac/%s", pe.Message, w.ID())
		} else {
			ds.Errorf(rel, 1, 1, "schedule", "lịch viết sai: %v", err)
		}
		return nil, ds
	}
	ix := tomlpos.Scan(text)
	p := parser{rel: rel, ix: ix, ds: ds, w: w}
	p.unknown(raw, "", weekKeys)
	if v, ok := raw["revision"]; ok {
		n, isInt := v.(int64)
		if !isInt || n < 0 {
			p.errorAt("revision", message.New("revision là lần điều chỉnh, phải là một số nguyên từ 0 (bản đầu), nhưng đang là %v", v))
		} else {
			w.Revision = int(n)
		}
	}
	if v, ok := raw["updated"]; ok {
		if t, ok := dateTime(v); ok {
			w.Updated = t
		} else {
			p.errorAt("updated", message.New("updated là lúc cập nhật lịch, viết 2026-12-04T16:30:00 (không có ngoặc kép) hoặc \"16:30 04/12/2026\", nhưng đang là %v", v))
		}
	}
	w.Note = p.str(raw, "note", "note")
	rows, ok := raw["event"].([]map[string]any)
	if _, has := raw["event"]; has && !ok {
		p.errorAt("event", message.New("mỗi việc trong lịch là một bảng [[event]] riêng (một dòng [[event]] rồi các dòng date = …, session = …): viết lại theo mẫu của portal new"))
	}
	for i, row := range rows {
		if e, ok := p.event(i, row); ok {
			w.Events = append(w.Events, e)
		}
	}
	sortEvents(w.Events)
	return w, ds
}

// nameParts reads NĂM-wTUẦN from a name without checking the week exists.
func nameParts(name string) (year, week int, ok bool) {
	m := nameRe.FindStringSubmatch(name)
	if m == nil {
		return 0, 0, false
	}
	year, week, _ = nameDigits(m[1], m[2])
	return year, week, true
}

type parser struct {
	rel string
	ix  tomlpos.Index
	ds  *diag.List
	w   *Week
}

func (p *parser) errorAt(key string, msg message.Text) {
	pos := p.ix.Key(key)
	p.ds.Errorf(p.rel, pos.Line, pos.Col, "schedule", "%v", msg)
}

// unknown warns about keys of m (under prefix) that are not in known, with the
// closest known key.
func (p *parser) unknown(m map[string]any, prefix string, known []string) {
	var keys []string
	for k := range m {
		if !slices.Contains(known, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		pos := p.ix.Key(prefix + k)
		if s, ok := suggest.Closest(k, known); ok {
			p.ds.Warnf(p.rel, pos.Line, pos.Col, "schedule-key", "portal không biết khóa %q nên bỏ qua nó: có phải là %q?", k, s)
		} else {
			p.ds.Warnf(p.rel, pos.Line, pos.Col, "schedule-key", "portal không biết khóa %q nên bỏ qua nó; các khóa dùng được: %s", k, strings.Join(known, ", "))
		}
	}
}

// str returns m[k] as a string ("" when absent); key is its path, for messages.
func (p *parser) str(m map[string]any, k, key string) string {
	v, ok := m[k]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.errorAt(key, message.New("%s phải là chữ trong ngoặc kép, ví dụ %s = \"…\", nhưng đang là %v", k, k, v))
		return ""
	}
	return strings.TrimSpace(s)
}

// event reads the i-th [[event]] table.
func (p *parser) event(i int, row map[string]any) (Event, bool) {
	at := tomlpos.Table("event", i)
	e := Event{Line: p.ix.Key(at).Line, Minute: -1}
	errs := p.ds.Count
	before, _ := errs()
	p.unknown(row, at+".", eventKeys)
	w := p.w
	if v, ok := row["date"]; !ok {
		p.errorAt(at, message.New("việc này thiếu ngày: thêm một dòng date = %s (ngày trong tuần %d, từ %s đến %s)", w.Start().Format("2006-01-02"), w.Number, vietnamese.ShortDate(w.Start()), vietnamese.ShortDate(w.End())))
	} else if d, ok := date(v); !ok {
		p.errorAt(at+".date", message.New("ngày %v không đọc được: viết date = 2026-12-07 (năm-tháng-ngày, không có ngoặc kép) hoặc date = \"07/12/2026\"", v))
	} else if d.Before(w.Start()) || d.After(w.End()) {
		y, n := WeekOf(d)
		p.errorAt(at+".date", message.New("ngày %s không thuộc tuần %d năm %d của tệp này (từ %s đến %s): sửa ngày, hoặc chuyển việc này sang tệp %s.toml", vietnamese.FormatDate(d), w.Number, w.Year, vietnamese.FormatDate(w.Start()), vietnamese.FormatDate(w.End()), ID(y, n)))
	} else {
		e.Date = d
	}
	if v, ok := row["session"]; !ok {
		p.errorAt(at, message.New("việc này thiếu buổi: thêm một dòng session = \"Sáng\" (hoặc \"Chiều\", \"Tối\")"))
	} else if s, isStr := v.(string); !isStr {
		p.errorAt(at+".session", message.New("buổi phải là chữ trong ngoặc kép: session = \"Sáng\", \"Chiều\" hoặc \"Tối\", nhưng đang là %v", v))
	} else if se, ok := parseSession(s); !ok {
		if g, ok := suggest.Closest(s, []string{"Sáng", "Chiều", "Tối"}); ok {
			p.errorAt(at+".session", message.New("buổi %q không có: viết \"Sáng\", \"Chiều\" hoặc \"Tối\" (có phải là %q?)", s, g))
		} else {
			p.errorAt(at+".session", message.New("buổi %q không có: viết \"Sáng\", \"Chiều\" hoặc \"Tối\"", s))
		}
	} else {
		e.Session = se
	}
	if v, ok := row["time"]; ok {
		m, ok := timeOfDay(v)
		switch {
		case !ok:
			p.errorAt(at+".time", message.New("giờ %v không đọc được: viết time = \"08:00\" (hoặc \"8h30\", \"14 giờ\")", v))
		case e.Session != 0 && !e.Session.Fits(m):
			if s := sessionFor(m); s != 0 {
				p.errorAt(at+".time", message.New("giờ %s không thuộc buổi %s (%s): sửa giờ, hoặc đổi buổi thành %q", clock(m), e.Session, e.Session.Range(), s.String()))
			} else {
				p.errorAt(at+".time", message.New("giờ %s không thuộc buổi %s (%s) và cũng không thuộc buổi nào (Sáng %s, Chiều %s, Tối %s): sửa giờ", clock(m), e.Session, e.Session.Range(), Morning.Range(), Afternoon.Range(), Evening.Range()))
			}
		default:
			e.Minute, e.Time = m, clock(m)
		}
	}
	e.Content = p.str(row, "content", at+".content")
	if _, ok := row["content"]; !ok {
		p.errorAt(at, message.New("việc này thiếu nội dung: thêm một dòng content = \"…\" (nội dung công việc)"))
	}
	e.Place = p.str(row, "place", at+".place")
	e.Host = p.str(row, "host", at+".host")
	e.Participants = p.str(row, "participants", at+".participants")
	e.Note = p.str(row, "note", at+".note")
	switch v := row["leaders"].(type) {
	case nil:
	case string:
		if s := strings.TrimSpace(v); s != "" {
			e.Leaders = []string{s}
		}
	case []any:
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				p.errorAt(at+".leaders", message.New("leaders là danh sách tên lãnh đạo trong ngoặc kép, ví dụ leaders = [\"Chủ tịch UBND tỉnh\", \"Phó Chủ tịch UBND tỉnh\"], nhưng có giá trị %v", x))
				break
			}
			if s = strings.TrimSpace(s); s != "" {
				e.Leaders = append(e.Leaders, s)
			}
		}
	default:
		p.errorAt(at+".leaders", message.New("leaders là danh sách tên lãnh đạo trong ngoặc kép, ví dụ leaders = [\"Chủ tịch UBND tỉnh\", \"Phó Chủ tịch UBND tỉnh\"], nhưng có giá trị %v", v))
	}
	after, _ := errs()
	return e, after == before
}

// date reads a TOML local date (2026-12-07) or a string "2026-12-07" / "07/12/2026".
func date(v any) (time.Time, bool) {
	loc := vietnamese.Location()
	switch x := v.(type) {
	case time.Time:
		if x.Hour() != 0 || x.Minute() != 0 || x.Second() != 0 {
			return time.Time{}, false
		}
		return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, loc), true
	case string:
		for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
			if t, err := time.ParseInLocation(layout, strings.TrimSpace(x), loc); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// dateTime reads a TOML date-time (local: Asia/Ho_Chi_Minh) or a string such as
// "2026-12-04 16:30", "04/12/2026 16:30" or "16:30 04/12/2026".
func dateTime(v any) (time.Time, bool) {
	loc := vietnamese.Location()
	switch x := v.(type) {
	case time.Time:
		if strings.HasSuffix(x.Location().String(), "-local") { // written without a zone
			return time.Date(x.Year(), x.Month(), x.Day(), x.Hour(), x.Minute(), x.Second(), 0, loc), true
		}
		return x.In(loc), true
	case string:
		for _, layout := range []string{"2006-01-02 15:04", "02/01/2006 15:04", "15:04 02/01/2006", "15:04 2/1/2006", "2/1/2006 15:04"} {
			if t, err := time.ParseInLocation(layout, strings.TrimSpace(x), loc); err == nil {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// timeOfDay reads a TOML local time (08:00:00) or a string ("08:00", "8h30").
func timeOfDay(v any) (int, bool) {
	switch x := v.(type) {
	case time.Time:
		if x.Year() != 0 || x.Second() != 0 {
			return 0, false
		}
		return x.Hour()*60 + x.Minute(), true
	case string:
		return parseClock(x)
	}
	return 0, false
}
