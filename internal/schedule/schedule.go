// Package schedule reads the leaders' weekly work schedules (lịch công tác): one TOML
// file per ISO week under data/lich-cong-tac/ ("2026-w49.toml"), each a revision
// number, the time of the last update and one [[event]] table per row. It is pure:
// files come in through an fs.FS, diagnostics go out with the line and column of the
// value they are about.
package schedule

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vnportal/portal/internal/vietnamese"
)

// Dir is the folder of the week files, relative to the site folder.
const Dir = "data/lich-cong-tac"

// URLBase is where the schedule's pages are published.
const URLBase = "/lich-cong-tac/"

// Session is a part of the day (buổi).
type Session int

// The sessions, in the order of the day.
const (
	Morning   Session = iota + 1 // Sáng
	Afternoon                    // Chiều
	Evening                      // Tối
)

var sessionNames = [...]string{Morning: "Sáng", Afternoon: "Chiều", Evening: "Tối"}

// String is the session's Vietnamese name.
func (s Session) String() string {
	if s < Morning || s > Evening {
		return ""
	}
	return sessionNames[s]
}

// bounds are the times (minutes after midnight) a session's events may start at:
// morning from 05:00 to 12:00, afternoon from 12:00 to 18:30, evening from 17:00.
var bounds = [...][2]int{Morning: {5 * 60, 12 * 60}, Afternoon: {12 * 60, 18*60 + 30}, Evening: {17 * 60, 23*60 + 59}}

// Fits reports whether an event starting at minute m of the day belongs in s.
func (s Session) Fits(m int) bool { return m >= bounds[s][0] && m <= bounds[s][1] }

// Range is the session's hours as people read them ("05:00–12:00").
func (s Session) Range() string { return clock(bounds[s][0]) + "–" + clock(bounds[s][1]) }

// sessionFor is the session an event starting at minute m fits first.
func sessionFor(m int) Session {
	for _, s := range []Session{Morning, Afternoon, Evening} {
		if s.Fits(m) {
			return s
		}
	}
	return 0
}

// parseSession reads a buổi as written: "Sáng", "sáng", "SANG" (diacritics optional).
func parseSession(v string) (Session, bool) {
	f := vietnamese.FoldLower(strings.TrimSpace(vietnamese.NFC(v)))
	f = strings.TrimPrefix(f, "buoi ")
	for _, s := range []Session{Morning, Afternoon, Evening} {
		if f == vietnamese.FoldLower(s.String()) {
			return s, true
		}
	}
	return 0, false
}

var clockRe = regexp.MustCompile(`^(\d{1,2})\s*(?::|h|g|giờ)\s*(?:(\d{2})\s*(?:phút|p)?)?$`)

// parseClock reads a time as staff write it: "08:00", "8:30", "8h", "8h30", "14g00",
// "8 giờ 30". It returns minutes after midnight.
func parseClock(v string) (int, bool) {
	m := clockRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(vietnamese.NFC(v))))
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi := 0
	if m[2] != "" {
		mi, _ = strconv.Atoi(m[2])
	}
	if h > 23 || mi > 59 {
		return 0, false
	}
	return h*60 + mi, true
}

func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Event is one row of a week's schedule.
type Event struct {
	Date    time.Time // midnight, Asia/Ho_Chi_Minh
	Session Session
	// Time is the start as "08:00", "" when the row gives none; Minute is it in minutes
	// after midnight (-1: none).
	Time   string
	Minute int
	// Content is what the leaders do; Place where.
	Content, Place string
	// Leaders are the leaders who attend; Host presides (chủ trì); Participants are
	// the others invited (thành phần).
	Leaders      []string
	Host         string
	Participants string
	Note         string
	// Line is the line of the row's [[event]] header in the file.
	Line int
}

// Week is one ISO week's schedule, from one file.
type Week struct {
	// Path is the file, relative to the site folder ("data/lich-cong-tac/2026-w49.toml").
	Path         string
	Year, Number int
	// Revision is "Điều chỉnh lần N" (0: the first version); Updated when the file
	// was last revised (zero: not said).
	Revision int
	Updated  time.Time
	// Note is shown above the table (optional).
	Note   string
	Events []Event // by day, session, time, then as written
	// Hash is a digest of the file's bytes.
	Hash string
}

// ID names a week as its file and URL do: "2026-w49".
func ID(year, week int) string { return fmt.Sprintf("%d-w%02d", year, week) }

// ID is the week's name ("2026-w49").
func (w *Week) ID() string { return ID(w.Year, w.Number) }

// URL is the week's page ("/lich-cong-tac/2026-w49/").
func (w *Week) URL() string { return URLBase + w.ID() + "/" }

// Start is the week's Monday; End its Sunday (midnight, Asia/Ho_Chi_Minh).
func (w *Week) Start() time.Time { return WeekStart(w.Year, w.Number) }

// End is the week's Sunday.
func (w *Week) End() time.Time { return w.Start().AddDate(0, 0, 6) }

// Day is one day of a week with its events grouped by session, for the page.
type Day struct {
	Date     time.Time
	Sessions []SessionEvents
}

// SessionEvents are a day's events in one session.
type SessionEvents struct {
	Session Session
	Events  []Event
}

// Days are the week's days that have events, and every working day (Monday to
// Friday) even without one, so that a reader sees a day is free rather than missing.
func (w *Week) Days() []Day {
	var out []Day
	for i := range 7 {
		d := w.Start().AddDate(0, 0, i)
		day := Day{Date: d}
		for _, e := range w.Events {
			if !e.Date.Equal(d) {
				continue
			}
			if n := len(day.Sessions); n == 0 || day.Sessions[n-1].Session != e.Session {
				day.Sessions = append(day.Sessions, SessionEvents{Session: e.Session})
			}
			s := &day.Sessions[len(day.Sessions)-1]
			s.Events = append(s.Events, e)
		}
		if len(day.Sessions) > 0 || i < 5 {
			out = append(out, day)
		}
	}
	return out
}

// WeekStart is the Monday of ISO week (year, week), at midnight in Asia/Ho_Chi_Minh.
func WeekStart(year, week int) time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, vietnamese.Location())
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*(week-1))
}

// WeeksIn is the number of ISO weeks of year (52 or 53).
func WeeksIn(year int) int {
	_, w := time.Date(year, time.December, 28, 12, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// WeekOf is the ISO week t falls in, in Asia/Ho_Chi_Minh.
func WeekOf(t time.Time) (year, week int) { return t.In(vietnamese.Location()).ISOWeek() }

var nameRe = regexp.MustCompile(`^(\d{4})-[wW](\d{1,2})\.toml$`)

// ParseName reads a week file's name ("2026-w49.toml"). ok is false when the name
// is not of that form or names a week the year does not have.
func ParseName(name string) (year, week int, ok bool) {
	m := nameRe.FindStringSubmatch(name)
	if m == nil {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	week, _ = strconv.Atoi(m[2])
	return year, week, week >= 1 && week <= WeeksIn(year)
}

// Current picks the week to show on /lich-cong-tac/ at now: the week now falls in,
// when there is a file for it; otherwise nearest is the week closest to it (the later
// one on a tie: a published plan for the coming week helps more than last week's).
// weeks must be sorted by time.
func Current(weeks []*Week, now time.Time) (current, nearest *Week) {
	y, n := WeekOf(now)
	start := WeekStart(y, n)
	best := time.Duration(-1)
	for _, w := range weeks {
		if w.Year == y && w.Number == n {
			return w, nil
		}
		d := w.Start().Sub(start)
		if d < 0 {
			d = -d
		}
		if best < 0 || d <= best {
			nearest, best = w, d
		}
	}
	return nil, nearest
}

func hash(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:16])
}

// sortEvents orders events by day, session and time (rows without a time first in
// their session), then as written.
func sortEvents(evs []Event) {
	slices.SortStableFunc(evs, func(a, b Event) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if a.Session != b.Session {
			return int(a.Session) - int(b.Session)
		}
		return a.Minute - b.Minute
	})
}

// nameDigits converts the year and week digits of a file name.
func nameDigits(y, w string) (year, week int, err error) {
	if year, err = strconv.Atoi(y); err != nil {
		return 0, 0, err
	}
	week, err = strconv.Atoi(w)
	return year, week, err
}
