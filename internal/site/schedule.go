package site

import (
	"fmt"
	"slices"
	"time"

	"github.com/vnportal/portal/internal/schedule"
	"github.com/vnportal/portal/internal/vietnamese"
)

// The kinds of the leaders' weekly schedule pages (issue 20).
const (
	// KindSchedule is one week's schedule: /lich-cong-tac/2026-w49/.
	KindSchedule Kind = "schedule"
	// KindScheduleIndex is /lich-cong-tac/: the current week (Input.Now) and every week.
	KindScheduleIndex Kind = "schedule-index"
)

// ScheduleView is what a schedule page shows.
type ScheduleView struct {
	// Week is the week shown; on the index it is the current week, nil when that week
	// has no file yet (then Nearest is the week to offer instead).
	Week       *schedule.Week
	Prev, Next *schedule.Week
	// Index marks /lich-cong-tac/; CurrentYear and CurrentNumber are the ISO week of
	// the build's clock there.
	Index                      bool
	CurrentYear, CurrentNumber int
	Nearest                    *schedule.Week
	// Weeks are all weeks, newest first (on the index).
	Weeks []*schedule.Week
}

// CurrentStart and CurrentEnd are the Monday and Sunday of the current week.
func (v *ScheduleView) CurrentStart() time.Time {
	return schedule.WeekStart(v.CurrentYear, v.CurrentNumber)
}

// CurrentEnd is the Sunday of the current week.
func (v *ScheduleView) CurrentEnd() time.Time {
	return schedule.WeekStart(v.CurrentYear, v.CurrentNumber).AddDate(0, 0, 6)
}

// key names everything the view shows, for page keys: the weeks' files (by hash) and
// the current week.
func (v *ScheduleView) key() string {
	k := fmt.Sprintf("%v|%d-%d|", v.Index, v.CurrentYear, v.CurrentNumber)
	for _, w := range slices.Concat([]*schedule.Week{v.Week, v.Prev, v.Next, v.Nearest}, v.Weeks) {
		if w == nil {
			k += "-|"
			continue
		}
		k += w.ID() + ":" + w.Hash + "|"
	}
	return k
}

// ScheduleKey is what a page shows of the schedule ("" for other pages): build keys
// hash it, so that an edited week file renders its pages again.
func (p *Page) ScheduleKey() string {
	if p.Schedule == nil {
		return ""
	}
	return p.Schedule.key()
}

// scheduleKey names the schedule input as the assembly uses it: Refresh must assemble
// again when a week file or the current week changes.
func scheduleKey(in Input) string {
	y, n := schedule.WeekOf(in.Now)
	v := ScheduleView{Weeks: in.Weeks, CurrentYear: y, CurrentNumber: n}
	return v.key()
}

var scheduleCrumb = Crumb{Name: "Lịch công tác", URL: schedule.URLBase}

// schedulePages adds a page per week and the index, when there is any week file.
func (a *assembler) schedulePages() {
	weeks := a.in.Weeks
	if len(weeks) == 0 {
		return
	}
	newest := slices.Clone(weeks)
	slices.Reverse(newest)
	for i, w := range weeks {
		v := &ScheduleView{Week: w}
		if i > 0 {
			v.Prev = weeks[i-1]
		}
		if i+1 < len(weeks) {
			v.Next = weeks[i+1]
		}
		title := fmt.Sprintf("Lịch công tác tuần %d năm %d", w.Number, w.Year)
		a.add(&Page{Kind: KindSchedule, URL: w.URL(), Title: title, Schedule: v, Lastmod: w.Updated,
			Description: fmt.Sprintf("Lịch công tác của lãnh đạo từ %s đến %s", vietnamese.FormatDate(w.Start()), vietnamese.FormatDate(w.End())),
			Crumbs:      []Crumb{home, scheduleCrumb, {fmt.Sprintf("Tuần %d/%d", w.Number, w.Year), w.URL()}}, Sources: []string{w.Path}})
	}
	y, n := schedule.WeekOf(a.in.Now)
	cur, nearest := schedule.Current(weeks, a.in.Now)
	v := &ScheduleView{Index: true, Week: cur, Nearest: nearest, CurrentYear: y, CurrentNumber: n, Weeks: newest}
	p := &Page{Kind: KindScheduleIndex, URL: schedule.URLBase, Title: "Lịch công tác", Schedule: v,
		Description: "Lịch công tác tuần này của lãnh đạo và các tuần trước", Crumbs: []Crumb{home, scheduleCrumb}}
	if cur != nil {
		i := slices.Index(weeks, cur)
		if i > 0 {
			v.Prev = weeks[i-1]
		}
		if i+1 < len(weeks) {
			v.Next = weeks[i+1]
		}
		p.Lastmod, p.Sources = cur.Updated, []string{cur.Path}
	}
	a.add(p)
}
