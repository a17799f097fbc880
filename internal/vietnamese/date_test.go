package vietnamese

import (
	"testing"
	"time"
)

func TestLocation(t *testing.T) {
	loc := Location()
	if loc.String() != TimeZone {
		t.Fatalf("Location() = %q, want %q", loc, TimeZone)
	}
	if Location() != loc {
		t.Error("Location() is not cached: two calls returned different pointers")
	}
	for _, year := range []int{2007, 2025} {
		for _, month := range []time.Month{time.January, time.July} {
			_, off := time.Date(year, month, 1, 0, 0, 0, 0, loc).Zone()
			if off != 7*3600 {
				t.Errorf("offset in %d-%02d = %ds, want UTC+7", year, month, off)
			}
		}
	}
}

func TestWeekday(t *testing.T) {
	want := map[time.Weekday]string{
		time.Sunday: "Chủ Nhật", time.Monday: "Thứ Hai", time.Tuesday: "Thứ Ba",
		time.Wednesday: "Thứ Tư", time.Thursday: "Thứ Năm", time.Friday: "Thứ Sáu",
		time.Saturday: "Thứ Bảy",
	}
	for d, w := range want {
		if got := Weekday(d); got != w {
			t.Errorf("Weekday(%v) = %q, want %q", d, got, w)
		}
		if !IsNFC(Weekday(d)) {
			t.Errorf("Weekday(%v) is not NFC", d)
		}
	}
	if got := Weekday(time.Weekday(9)); got != time.Weekday(9).String() {
		t.Errorf("Weekday(9) = %q, want the English fallback", got)
	}
}

func TestFormatDate(t *testing.T) {
	utc := func(y int, m time.Month, d, h, min int) time.Time {
		return time.Date(y, m, d, h, min, 0, 0, time.UTC)
	}
	for _, tc := range []struct {
		in                    time.Time
		date, dateTime, short string
	}{
		// 31 May 2007 was a Thursday; 15:17 in Vietnam is 08:17 UTC.
		{utc(2007, 5, 31, 8, 17), "Thứ Năm, 31/05/2007", "Thứ Năm, 31/05/2007, 15:17", "31/05/2007"},
		{utc(2007, 5, 29, 8, 17), "Thứ Ba, 29/05/2007", "Thứ Ba, 29/05/2007, 15:17", "29/05/2007"},
		// 20:05 UTC on Saturday is already Sunday 03:05 in Vietnam.
		{utc(2025, 6, 28, 20, 5), "Chủ Nhật, 29/06/2025", "Chủ Nhật, 29/06/2025, 03:05", "29/06/2025"},
		// Input in another zone is converted, not reinterpreted.
		{time.Date(2025, 7, 1, 0, 0, 0, 0, time.FixedZone("PDT", -7*3600)),
			"Thứ Ba, 01/07/2025", "Thứ Ba, 01/07/2025, 14:00", "01/07/2025"},
	} {
		if got := FormatDate(tc.in); got != tc.date {
			t.Errorf("FormatDate(%v) = %q, want %q", tc.in, got, tc.date)
		}
		if got := FormatDateTime(tc.in); got != tc.dateTime {
			t.Errorf("FormatDateTime(%v) = %q, want %q", tc.in, got, tc.dateTime)
		}
		if got := ShortDate(tc.in); got != tc.short {
			t.Errorf("ShortDate(%v) = %q, want %q", tc.in, got, tc.short)
		}
	}
}
