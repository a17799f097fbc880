package build

import (
	"time"

	"github.com/vnportal/portal/internal/schedule"
	"github.com/vnportal/portal/internal/site"
)

// withNextWeek returns next, or the start of the week after now when that comes first
// and g has the leaders' schedule: /lich-cong-tac/ shows the current week, so the output
// changes by itself at 00:00 on Monday (Asia/Ho_Chi_Minh), and a scheduled build must
// come then (Scheduled.Week).
func withNextWeek(next Scheduled, g *site.Graph, now time.Time) Scheduled {
	has := false
	for _, p := range g.Pages {
		if p.Kind == site.KindScheduleIndex {
			has = true
			break
		}
	}
	if !has {
		return next
	}
	y, n := schedule.WeekOf(now)
	monday := schedule.WeekStart(y, n).AddDate(0, 0, 7)
	if next.At.IsZero() || monday.Before(next.At) {
		return Scheduled{At: monday, Path: schedule.Dir, Week: true}
	}
	return next
}
