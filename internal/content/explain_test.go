package content

import (
	"strings"
	"testing"

	"github.com/vnportal/portal/internal/message"
)

// Issue 17, item 1: the common front matter mistakes are explained in plain Vietnamese,
// naming the field and the character, at the line and column of the mistake (not where
// the parser gave up), in YAML, TOML and JSON alike; the English translation exists.
func TestFrontMatterMistakesExplained(t *testing.T) {
	tests := []struct {
		name, src string
		line, col int
		vi, en    string
	}{
		{"tab", "---\ntitle: \"A\"\ndate: 2026-01-05\ntags:\n\t- Chuyển đổi số\n---\nx\n", 5, 1, "thụt lề bằng phím Tab", "indented with the Tab key"},
		{"colon", "---\ntitle: Thông báo: lịch tiếp dân\ndate: 2026-01-05\n---\nx\n", 2, 17, `giá trị của title có dấu hai chấm (:) mà không nằm trong ngoặc kép: đặt cả giá trị trong ngoặc kép, ví dụ title: "Thông báo: lịch tiếp dân"`, "contains a colon"},
		{"unclosed quote", "---\ntitle: \"Hội nghị\ndate: 2026-01-05\n---\nx\n", 2, 8, "giá trị của title mở dấu ngoặc \" nhưng không đóng", "opens a \" quote but does not close it"},
		{"text after quote", "---\ntitle: \"Hội nghị\" tổng kết\ndate: 2026-01-05\n---\nx\n", 2, 18, "còn chữ sau dấu ngoặc \" đóng", "has text after the closing"},
		{"unclosed bracket", "---\ntitle: \"A\"\ntags: [a, b\ndate: 2026-01-05\n---\nx\n", 3, 7, "danh sách của tags mở bằng [ nhưng không đóng", "the list of tags opens with ["},
		{"bracket at the end", "---\ntitle: \"A\"\ndate: [\n---\nx\n", 3, 7, "danh sách của date mở bằng [ nhưng không đóng", "the list of date opens with ["},
		{"impossible date", "---\ntitle: \"A\"\ndate: 2026-02-30\n---\nx\n", 3, 7, `ngày "2026-02-30" không có thật: tháng 2 năm 2026 chỉ có 28 ngày`, "month 2 of 2026 has only 28 days"},
		{"no month 13", "---\ntitle: \"A\"\ndate: 2026-13-01\n---\nx\n", 3, 7, "không có tháng 13", "there is no month 13"},
		{"vietnamese date", "---\ntitle: \"A\"\ndate: 31/04/2025\n---\nx\n", 3, 7, "tháng 4 năm 2025 chỉ có 30 ngày", "month 4 of 2025 has only 30 days"},
		{"draft in quotes", "---\ntitle: \"A\"\ndate: 2026-01-05\ndraft:   \"có\"\n---\nx\n", 4, 10, "draft phải là true (bản nháp) hoặc false", "draft must be true"},
		{"list item not text", "---\ntitle: \"A\"\ndate: 2026-01-05\naliases:\n  - {a: b}\n---\nx\n", 5, 5, "aliases phải là danh sách các chữ", "aliases must be a list of text values"},
		{"empty", "", 1, 1, "tệp rỗng", "empty file"},
		{"toml unquoted", "+++\ntitle = Hội nghị\ndate = 2026-01-05\n+++\nx\n", 2, 9, "giá trị của title phải đặt trong ngoặc kép", "must be in double quotes"},
		{"toml date", "+++\ntitle = \"A\"\ndate = 2026-02-30\n+++\nx\n", 3, 8, "chỉ có 28 ngày", "has only 28 days"},
		{"toml colon", "+++\ntitle: \"A\"\n+++\nx\n", 2, 6, "viết 'tên = giá trị'", "write 'name = value'"},
		{"toml bracket", "+++\ntitle = \"A\"\ntags = [\"a\", \"b\"\n+++\nx\n", 3, 17, "danh sách của tags thiếu dấu ]", "the list of tags lacks a closing ]"},
		{"json comma", "{\n  \"title\": \"A\"\n  \"date\": \"2026-01-05\"\n}\n\nx\n", 3, 3, "thiếu dấu phẩy giữa hai trường", "a comma is missing"},
		{"json unquoted", "{\n  \"title\": Hội nghị\n}\n\nx\n", 2, 12, "giá trị chữ phải đặt trong ngoặc kép", "must be in double quotes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ds := Parse("content/tin-tuc/a.md", []byte(tt.src), Schema{})
			for _, d := range ds {
				if d.Line == tt.line && d.Col == tt.col && strings.Contains(d.Message, tt.vi) && strings.Contains(d.Text(message.En), tt.en) {
					return
				}
			}
			for _, d := range ds {
				t.Logf("got %s | %s", d, d.Text(message.En))
			}
			t.Errorf("want %d:%d %q / %q", tt.line, tt.col, tt.vi, tt.en)
		})
	}
}

// A # in an unquoted YAML value starts a comment that silently cuts the value short.
func TestHashInUnquotedValueWarns(t *testing.T) {
	_, ds := Parse("content/tin-tuc/a.md", []byte("---\ntitle: Tin số #5 trong tháng\ndate: 2026-01-05\nsource: \"Báo #1\"\n---\nx\n"), Schema{})
	n := 0
	for _, d := range ds {
		if d.Code == "front-matter-comment" {
			n++
			if d.Line != 2 || d.Col != 15 || !strings.Contains(d.Message, `ví dụ title: "Tin số #5 trong tháng"`) {
				t.Errorf("got %s", d)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d warnings about #, want 1 (the quoted value is fine): %v", n, ds)
	}
}
