package config

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vnportal/portal/internal/message"
)

// TestOrganizationValueOfTheWrongTypeIsReportedAtTheValue: a value of the wrong type in
// data/to-chuc.toml (the TOML decoder says so only in English, at line 1) is an error at
// the value's line and column, in Vietnamese with an English translation.
func TestOrganizationValueOfTheWrongTypeIsReportedAtTheValue(t *testing.T) {
	for _, c := range []struct{ src, want, en string }{
		{"name = \"Sở\"\nphone =  203382\n", `data/to-chuc.toml:2:10: lỗi: phone phải là chữ trong ngoặc kép, ví dụ phone = "…", nhưng đang là một số`, "but it is a number"},
		{"name = \"Sở\"\n\n[[leader]]\nname = [\"Nguyễn Văn A\"]\n", `data/to-chuc.toml:4:8: lỗi: leader.name phải là chữ trong ngoặc kép, ví dụ name = "…", nhưng đang là một danh sách [ ]`, "but it is a list [ ]"},
		{"name = \"Sở\"\nleader = \"Nguyễn Văn A\"\n", `data/to-chuc.toml:2:10: lỗi: leader là danh sách: mỗi mục viết thành một khối [[leader]] riêng`, "write each entry as its own [[leader]] block"},
		{"spokesperson = \"Trần Thị B\"\n", `data/to-chuc.toml:1:16: lỗi: spokesperson là một khối: viết [spokesperson] trên một dòng riêng`, "write [spokesperson] on a line of its own"},
	} {
		_, ds := Load(fstest.MapFS{
			"config.toml":       {Data: []byte("baseURL = \"https://x.gov.vn/\"\ntitle = \"x\"\n")},
			"data/to-chuc.toml": {Data: []byte(c.src)},
		}, ".")
		var found bool
		for _, d := range ds.Items() {
			if strings.HasPrefix(d.String(), c.want) {
				found = true
				if en := d.In(message.En); !strings.Contains(en, c.en) {
					t.Errorf("English %q lacks %q", en, c.en)
				}
			}
		}
		if !found {
			t.Errorf("%q: no %q in %v", c.src, c.want, ds.Items())
		}
	}
}
