package schedule

import (
	"strings"
	"testing"
)

// FuzzParse: any bytes give diagnostics, never a panic; each diagnostic points inside
// the file, and every row of a week that comes back lies in that week and its buổi.
func FuzzParse(f *testing.F) {
	f.Add([]byte(goodWeek))
	f.Add([]byte("[[event]]\ndate = 2026-12-09\nsession = \"Trưa\"\ntime = \"25h\"\n"))
	f.Add([]byte("revision = \"\"\"\nx\n\"\"\"\n[[event]]\ndate = '30/11/2026'\nsession='toi'\ntime=20:00:00\ncontent=''\n"))
	f.Add([]byte("event = [{date = 2026-12-01}]\n[[event]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		w, ds := Parse(Dir+"/2026-w49.toml", src)
		lines := strings.Count(string(src), "\n") + 2
		for _, d := range ds.Items() {
			if d.Line < 0 || d.Line > lines || d.Col < 0 {
				t.Errorf("diagnostic outside the file (%d lines): %v", lines, d)
			}
		}
		if w == nil {
			return
		}
		for _, e := range w.Events {
			if e.Date.Before(w.Start()) || e.Date.After(w.End()) {
				t.Errorf("row %+v outside week %s", e, w.ID())
			}
			if e.Minute >= 0 && !e.Session.Fits(e.Minute) {
				t.Errorf("row %+v: time outside its buổi", e)
			}
		}
	})
}
