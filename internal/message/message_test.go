package message

import (
	"context"
	"errors"
	"fmt"
	"testing"
)

func TestFromEnv(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want Lang
	}{
		{nil, Vi},
		{map[string]string{"LANG": "en_US.UTF-8"}, En},
		{map[string]string{"LANG": "vi_VN.UTF-8"}, Vi},
		{map[string]string{"LANG": "C.UTF-8"}, Vi},
		{map[string]string{"LANG": "fr_FR.UTF-8"}, Vi},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "vi_VN"}, Vi},
		{map[string]string{"LANG": "vi_VN", "LC_MESSAGES": "en_GB"}, En},
		{map[string]string{"LC_MESSAGES": "vi_VN", "LC_ALL": "en"}, En},
	}
	for _, tt := range tests {
		if got := FromEnv(func(k string) string { return tt.env[k] }); got != tt.want {
			t.Errorf("FromEnv(%v) = %v, want %v", tt.env, got, tt.want)
		}
	}
	for _, bad := range []string{"", "fr", "C", "english"} {
		if _, ok := Parse(bad); ok {
			t.Errorf("Parse(%q) ok", bad)
		}
	}
}

func TestSprintfTranslatesFormatAndArguments(t *testing.T) {
	inner := Errorf("không đọc được tệp: %v", errors.New("permission denied"))
	outer := Errorf("%s: không đọc được thư mục của bài: %w", "content/a", inner)
	if got, want := outer.Error(), "content/a: không đọc được thư mục của bài: không đọc được tệp: permission denied"; got != want {
		t.Errorf("Vietnamese: %q, want %q", got, want)
	}
	if got, want := En.Error(outer), "content/a: cannot read the article's folder: cannot read the file: permission denied"; got != want {
		t.Errorf("English: %q, want %q", got, want)
	}
	// A plain wrapper around a catalogued error: the catalogued part is translated.
	wrapped := fmt.Errorf("publish: %w", inner)
	if got, want := En.Error(wrapped), "publish: cannot read the file: permission denied"; got != want {
		t.Errorf("wrapped: %q, want %q", got, want)
	}
	// errors.Is and As see through Errorf, as through fmt.Errorf's %w.
	if !errors.Is(Errorf("đã dừng đọc nội dung (%v)", context.Canceled), context.Canceled) {
		t.Error("errors.Is does not see the argument")
	}
	// errors.Join: each line translated.
	joined := errors.Join(Errorf("tệp rỗng: không có chữ nào"), Errorf("không có tiêu đề: dòng đầu tiên của bài phải là tiêu đề"))
	if got, want := En.Error(Errorf("danh sách tỉnh không hợp lệ:\n%w", joined)), "invalid province list:\nempty file: there is no text\nno title: the first line of the article must be its title"; got != want {
		t.Errorf("joined: %q, want %q", got, want)
	}
	// Not in the catalogue: printed as it is, in either language.
	if got := En.Sprintf("chưa dịch %d", 3); got != "chưa dịch 3" {
		t.Errorf("uncatalogued: %q", got)
	}
}
