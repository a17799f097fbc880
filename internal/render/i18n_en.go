package render

import "github.com/vnportal/portal/internal/message"

// in returns the UI string for key in lang ("en": i18n/en.toml of the theme and the
// site). A missing key, or a language the theme does not have, is an error, as for
// Vietnamese: no page shows a raw key.
func (t *Theme) in(key, lang string) (string, error) {
	if lang == "en" {
		if s, ok := t.english[key]; ok {
			return s, nil
		}
		return "", message.Errorf("thiếu chữ giao diện %q cho trang tiếng Anh: thêm nó vào i18n/en.toml", key)
	}
	return "", message.Errorf("giao diện chưa có chữ bằng ngôn ngữ %q (khóa %q): chỉ có \"vi\" (i18n/vi.toml) và \"en\" (i18n/en.toml)", lang, key)
}
