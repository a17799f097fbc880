package vietnamese

import (
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh must load on machines without system tzdata
)

// TimeZone is the IANA name of the time zone every portal date is shown in.
const TimeZone = "Asia/Ho_Chi_Minh"

// location loads TimeZone once. The embedded tzdata makes the load succeed
// everywhere; the fixed UTC+7 zone is only a guard (Vietnam has no DST).
var location = sync.OnceValue(func() *time.Location {
	loc, err := time.LoadLocation(TimeZone)
	if err != nil {
		return time.FixedZone("ICT", 7*60*60)
	}
	return loc
})

// Location returns the Asia/Ho_Chi_Minh time zone (UTC+7).
func Location() *time.Location {
	return location()
}

// weekdays holds the Vietnamese weekday names, indexed by time.Weekday.
var weekdays = [7]string{
	time.Sunday:    "Chủ Nhật",
	time.Monday:    "Thứ Hai",
	time.Tuesday:   "Thứ Ba",
	time.Wednesday: "Thứ Tư",
	time.Thursday:  "Thứ Năm",
	time.Friday:    "Thứ Sáu",
	time.Saturday:  "Thứ Bảy",
}

// Weekday returns the Vietnamese name of d ("Thứ Hai" … "Chủ Nhật"). An
// out-of-range d returns d.String().
func Weekday(d time.Weekday) string {
	if d < time.Sunday || d > time.Saturday {
		return d.String()
	}
	return weekdays[d]
}

// FormatDate formats t in Location() as "Thứ Năm, 29/05/2007".
func FormatDate(t time.Time) string {
	t = t.In(Location())
	return Weekday(t.Weekday()) + ", " + ShortDate(t)
}

// FormatDateTime formats t in Location() as "Thứ Năm, 29/05/2007, 15:17".
func FormatDateTime(t time.Time) string {
	t = t.In(Location())
	return fmt.Sprintf("%s, %02d:%02d", FormatDate(t), t.Hour(), t.Minute())
}

// ShortDate formats t in Location() as "29/05/2007".
func ShortDate(t time.Time) string {
	t = t.In(Location())
	return fmt.Sprintf("%02d/%02d/%04d", t.Day(), int(t.Month()), t.Year())
}
