package cli

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/vnportal/portal/internal/config"
	"github.com/vnportal/portal/internal/message"
	"github.com/vnportal/portal/internal/render"
	"github.com/vnportal/portal/internal/schedule"
	"github.com/vnportal/portal/internal/vietnamese"
)

// weekPrefix is what `portal new` takes as a week of the leaders' schedule:
// "lich-cong-tac/2026-w50".
const weekPrefix = "lich-cong-tac/"

// weekArchetype is the archetype of a week file (archetypes/lich-cong-tac.toml).
const weekArchetype = "lich-cong-tac.toml"

// weekData is what a week's archetype sees.
type weekData struct {
	Year, Number       int
	StartName, EndName string // "Thứ Hai, 07/12/2026"
	Updated            string // now, a TOML local date-time in Asia/Ho_Chi_Minh
	Days               []weekDay
}

type weekDay struct {
	Date string // "2026-12-07"
	Name string // "Thứ Hai, 07/12/2026"
}

// runNewWeek creates data/lich-cong-tac/<id>.toml from the archetype, with the week's
// days filled in; id is what followed "lich-cong-tac/" ("2026-w50").
func runNewWeek(env Env, source, id string, now time.Time) int {
	id = strings.TrimSuffix(id, ".toml")
	year, number, ok := schedule.ParseName(id + ".toml")
	if !ok {
		env.printf(env.Stderr, "portal new: %q không phải một tuần: viết portal new lich-cong-tac/NĂM-wTUẦN, ví dụ portal new lich-cong-tac/%s (tuần này)\n", id, schedule.ID(schedule.WeekOf(now)))
		return ExitUsage
	}
	if !needSite(env, "new", &source, false) {
		return ExitUsage
	}
	fsys := os.DirFS(source)
	weeks, _ := schedule.Load(fsys)
	for _, w := range weeks {
		if w.Year == year && w.Number == number {
			env.printf(env.Stderr, "portal new: đã có lịch tuần này trong %s; không ghi đè. Sửa tệp đó\n", filepath.Join(source, filepath.FromSlash(w.Path)))
			return ExitError
		}
	}
	rel := schedule.Dir + "/" + schedule.ID(year, number) + ".toml"
	target := filepath.Join(source, filepath.FromSlash(rel))
	cfg, _ := config.Load(fsys, source)
	name, where, text, err := findWeekArchetype(source, cfg.Theme)
	if err != nil {
		env.printf(env.Stderr, "portal new: %v\n", err)
		return ExitError
	}
	start := schedule.WeekStart(year, number)
	data := weekData{Year: year, Number: number, StartName: vietnamese.FormatDate(start), EndName: vietnamese.FormatDate(start.AddDate(0, 0, 6)),
		Updated: now.In(vietnamese.Location()).Format("2006-01-02T15:04:05")}
	for i := range 7 {
		d := start.AddDate(0, 0, i)
		data.Days = append(data.Days, weekDay{Date: d.Format("2006-01-02"), Name: vietnamese.FormatDate(d)})
	}
	t, err := template.New(name).Option("missingkey=error").Parse(text)
	if err != nil {
		env.printf(env.Stderr, "portal new: %v\n", message.Errorf("mẫu %s có lỗi cú pháp: %v", name, err))
		return ExitError
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		env.printf(env.Stderr, "portal new: %v\n", message.Errorf("mẫu %s: %v (mẫu lịch dùng được .Year, .Number, .StartName, .EndName, .Updated, .Days với .Date và .Name)", name, err))
		return ExitError
	}
	out := []byte(vietnamese.NFC(buf.String()))
	if _, ds := schedule.Parse(rel, out); ds.HasErrors() {
		env.printf(env.Stderr, "portal new: %v tạo ra lịch không hợp lệ: %s\n", where, firstError(env, ds.Items()))
		return ExitError
	}
	if !writeNewFile(env, target, out) {
		return ExitError
	}
	env.printf(env.Stdout, "Đã tạo %s (theo %v)\n", target, where)
	env.println(env.Stdout, "Điền các việc vào tệp (bỏ dấu # ở đầu các dòng của khối mẫu), rồi chạy portal check.")
	return ExitOK
}

// findWeekArchetype finds archetypes/lich-cong-tac.toml in the site, its theme, or the
// default theme.
func findWeekArchetype(siteDir, theme string) (name string, where message.Text, text string, err error) {
	layers := render.Layers(siteDir, theme, "archetypes")
	if theme != "default" {
		layers = append(layers, render.Layers(siteDir, "default", "archetypes")[2:]...)
	}
	for _, l := range layers {
		b, err := fs.ReadFile(l.FS, weekArchetype)
		if err == nil {
			name := l.Name + "/" + weekArchetype
			where := message.New("mẫu %s", name)
			if l.Dir == "" {
				where = message.New("mẫu lịch %s có sẵn trong portal (giao diện mặc định)", weekArchetype)
			}
			return name, where, string(b), nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", message.Text{}, "", message.Errorf("không đọc được mẫu %s/%s: %v", l.Name, weekArchetype, err)
		}
	}
	return "", message.Text{}, "", message.Errorf("không tìm thấy mẫu lịch %s trong archetypes/", weekArchetype)
}
