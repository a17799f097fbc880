package diag

import (
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/message"
)

// record writes the same diagnostics into l: plain arguments (strings, numbers, nested
// messages), an error argument, and diagnostics handed over already formatted, some of
// which tie on path, line, column and severity so that the message decides their order.
func record(l *List) {
	how := message.New("gần giống")
	l.Warnf("content/b.md", 3, 1, "duplicate-title", "tiêu đề %q %v tiêu đề của %s (%q)", "Bão số 3", how, "content/a.md", "Bão số 3!")
	l.Warnf("content/b.md", 3, 1, "x", "tỉnh %q không có", "Lâm Đông")
	l.Warnf("content/b.md", 3, 1, "x", "tỉnh %q không có", "Hà Giang")
	l.Errorf("content/a.md", 2, 0, "y", "thiếu %s (%d lần, %v)", "tiêu đề", 2, true)
	l.Errorf("content/c.md", 1, 1, "z", "không đọc được: %v", errors.New("hỏng"))
	l.Add(Errorf("content/a.md", 2, 0, "y", "thiếu %s", "ngày"))
	l.Add(Diagnostic{Path: "content/d.md", Severity: Warning, Message: "không có định dạng"})
	other := &List{}
	other.Warnf("content/e.md", 7, 2, "w", "%d bài khác", 4)
	l.Merge(other)
}

// A one-off build's list (FormatLate) hands out exactly what a list that formats at once
// does, in the same order, and its errors likewise; what it keeps of a diagnostic with
// plain arguments is the format and arguments alone.
func TestFormatLateSameItems(t *testing.T) {
	var now, late List
	late.FormatLate()
	record(&now)
	record(&late)
	if got, want := late.Items(), now.Items(); !reflect.DeepEqual(got, want) {
		t.Fatalf("Items with FormatLate:\n%v\nwant\n%v", got, want)
	}
	if got, want := late.Err(), now.Err(); !reflect.DeepEqual(got, want) || got == nil {
		t.Fatalf("Err with FormatLate = %v, want %v", got, want)
	}
	kept := 0
	for _, d := range late.items {
		switch {
		case d.Format == "" && d.Message == "":
			t.Errorf("%s lost its message", d.Path)
		case d.Message == "":
			kept++
		case plainArgs(d.Args) && d.Format != "":
			t.Errorf("%s: message %q kept formatted", d.Path, d.Message)
		}
	}
	if kept != 6 {
		t.Errorf("%d diagnostics kept unformatted, want 6 (all but the error argument and the one without a format)", kept)
	}
	for _, d := range late.items {
		if d.Path == "content/c.md" && !strings.Contains(d.Message, "hỏng") {
			t.Errorf("the diagnostic with an error argument was not formatted when recorded: %q", d.Message)
		}
	}
}

// liveAfter is the heap that stays live after add runs (collected before and after).
func liveAfter(add func()) int64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	add()
	runtime.GC()
	runtime.ReadMemStats(&after)
	return int64(after.HeapAlloc) - int64(before.HeapAlloc)
}

// The list of a one-off build keeps less than the formatted messages: 20,000 warnings of
// the duplicate-title rule's shape, each about 300 bytes formatted, keep at least 4 MB
// less live.
func TestFormatLateKeepsLess(t *testing.T) {
	const n = 20000
	paths := make([]string, n)
	for i := range paths {
		paths[i] = "content/tin-tuc/" + strings.Repeat("x", 40) + "-" + string(rune('a'+i%26)) + ".md"
	}
	title := strings.Repeat("Ủy ban nhân dân tỉnh ", 5)
	fill := func(l *List) {
		how := message.New("giống (không kể chữ hoa và dấu)")
		for i := range n {
			l.Warnf(paths[i], 3, 1, "duplicate-title", "tiêu đề %q %v tiêu đề của %s (%q): kiểm tra xem có phải một bài bị đăng hai lần", title, how, paths[(i+1)%n], title)
		}
	}
	var now, late *List
	keptNow := liveAfter(func() { now = &List{}; fill(now) })
	keptLate := liveAfter(func() { late = &List{}; late.FormatLate(); fill(late) })
	runtime.KeepAlive(now)
	runtime.KeepAlive(late)
	msg := len(now.Items()[0].Message)
	t.Logf("%d warnings of %d bytes: %d B live formatted at once, %d B with FormatLate", n, msg, keptNow, keptLate)
	if keptNow-keptLate < int64(n*msg)*2/3 {
		t.Errorf("FormatLate kept %d B, formatting at once %d B: want at least %d B less (the messages)", keptLate, keptNow, n*msg*2/3)
	}
}
